"""The import API: POST /api/v1/imports, then GET /api/v1/imports/<id>."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from imports.models import ImportRun
from organisations.models import ApiToken
from people.models import Person
from tests.imports.builders import ADULTS, CHILDREN, file_info, navet_bytes, post

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports"


def good_file() -> bytes:
    return navet_bytes([post(CHILDREN[0]), post(ADULTS[0])], info=file_info(count=2))


def form(content: bytes, *, kind: str = "navet", code: str = "0183", name: str = "navet.xml"):
    return {
        "kind": kind,
        "municipality_code": code,
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    }


def bearer_client(user, **kwargs) -> Client:
    _token, clear = ApiToken.objects.create_token(user=user, name="Skolsystemet")
    return Client(HTTP_AUTHORIZATION=f"Bearer {clear}", **kwargs)


def test_an_upload_with_a_session_is_imported(
    client_for, counsellor, django_capture_on_commit_callbacks
):
    client = client_for(counsellor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(good_file()))

    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "navet"
    assert body["file_name"] == "navet.xml"
    assert body["status"] == "queued"  # processed once the upload is committed
    run = ImportRun.objects.get(pk=body["id"])
    assert run.created_by == counsellor
    result = client.get(f"{URL}/{run.pk}")
    assert result.status_code == 200
    assert result.json() | {"created_at": None, "finished_at": None} == {
        "id": run.pk,
        "kind": "navet",
        "file_name": "navet.xml",
        "status": "done",
        "progress": 100,
        "created_at": None,
        "finished_at": None,
        "created": 2,
        "changed": 0,
        "unchanged": 0,
        "skipped": 0,
        "rejected": 0,
        "responsibility_changed": run.responsibility_changed,
        "message": "",
        "rejections": [],
    }
    assert result.json()["finished_at"] is not None
    assert Person.objects.filter(municipality__code="0183").count() == 2
    upload_event = AuditEvent.objects.get(action="import.upload")
    assert upload_event.channel == "api"
    assert upload_event.user == counsellor


def test_an_upload_with_a_bearer_token_is_imported(counsellor, django_capture_on_commit_callbacks):
    client = bearer_client(counsellor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(good_file()))

    assert response.status_code == 201
    run_id = response.json()["id"]
    result = client.get(f"{URL}/{run_id}")
    assert result.status_code == 200
    assert result.json()["status"] == "done"
    assert result.json()["created"] == 2
    assert ImportRun.objects.get(pk=run_id).created_by == counsellor


def test_a_token_needs_no_csrf_token(counsellor, django_capture_on_commit_callbacks):
    client = bearer_client(counsellor, enforce_csrf_checks=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(good_file()))

    assert response.status_code == 201


def test_a_session_upload_without_a_csrf_token_is_refused(counsellor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(counsellor)

    response = client.post(URL, form(good_file()))

    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_the_same_file_twice_through_the_api_is_already_imported(
    counsellor, django_capture_on_commit_callbacks
):
    client = bearer_client(counsellor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form(good_file()))

    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(URL, form(good_file(), name="again.xml"))

    result = client.get(f"{URL}/{second.json()['id']}").json()
    assert result["status"] == "unchanged"
    assert "already imported" in result["message"]
    assert Person.objects.count() == 2


def test_a_rejected_file_shows_its_rejections(counsellor, django_capture_on_commit_callbacks):
    client = bearer_client(counsellor)
    content = good_file().replace(b"</Fornamn>", b"</Fornam>", 1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(content))

    result = client.get(f"{URL}/{response.json()['id']}").json()
    assert result["status"] == "failed"
    assert result["rejected"] == 1
    [rejection] = result["rejections"]
    assert rejection["post"] == 1
    assert rejection["line"] > 1
    assert rejection["message"].startswith("Post 1 (line ")
    assert not Person.objects.exists()


def test_a_school_file_through_the_api(counsellor, django_capture_on_commit_callbacks):
    client = bearer_client(counsellor)
    csv = (
        "identity_number,school_unit_code,school_unit_name,event,event_date\n"
        f"{ADULTS[0]},18340101,Sundbybergs gymnasium,absence,2026-11-02\n"
    ).encode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(csv, kind="school", name="anmalan.csv"))

    assert response.status_code == 201
    result = client.get(f"{URL}/{response.json()['id']}").json()
    assert result["status"] == "done"
    assert result["skipped"] == 1  # nobody is in the register yet


def test_without_credentials_the_api_answers_401(counsellor):
    run = ImportRun.objects.create(
        municipality=counsellor.memberships.get().organisation,
        kind="navet",
        file_name="x.xml",
        sha256="0" * 64,
    )
    client = Client()

    assert client.post(URL, form(good_file())).status_code == 401
    assert client.get(f"{URL}/{run.pk}").status_code == 401
    wrong = Client(HTTP_AUTHORIZATION="Bearer sv_not-a-token")
    assert wrong.post(URL, form(good_file())).status_code == 401
    assert ImportRun.objects.count() == 1


def test_a_revoked_token_answers_401(counsellor):
    token, clear = ApiToken.objects.create_token(user=counsellor, name="Gammal")
    token.revoked_at = timezone.now()
    token.save()

    response = Client(HTTP_AUTHORIZATION=f"Bearer {clear}").post(URL, form(good_file()))

    assert response.status_code == 401
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("code", ["0136", "0199", "SE"])
def test_a_municipality_the_user_may_not_import_for_is_not_found(client_for, counsellor, code):
    response = client_for(counsellor).post(URL, form(good_file(), code=code))

    assert response.status_code == 404
    assert not ImportRun.objects.exists()


def test_a_user_without_the_import_permission_gets_not_found(ambassador):
    response = bearer_client(ambassador).post(URL, form(good_file()))

    assert response.status_code == 404
    assert not ImportRun.objects.exists()


def test_another_municipalitys_run_is_not_found(
    counsellor, other_counsellor, ambassador, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_id = bearer_client(counsellor).post(URL, form(good_file())).json()["id"]

    assert bearer_client(other_counsellor).get(f"{URL}/{run_id}").status_code == 404
    assert bearer_client(ambassador).get(f"{URL}/{run_id}").status_code == 404
    assert bearer_client(counsellor).get(f"{URL}/{run_id + 1000}").status_code == 404


def test_an_empty_file_is_a_bad_request(counsellor):
    response = bearer_client(counsellor).post(URL, form(b""))

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not ImportRun.objects.exists()


def test_an_unknown_kind_is_refused(counsellor):
    response = bearer_client(counsellor).post(URL, form(good_file(), kind="excel"))

    assert response.status_code == 422
    assert not ImportRun.objects.exists()


def test_a_file_over_the_limit_is_a_bad_request(counsellor, settings):
    settings.SAMVERKA_MAX_IMPORT_BYTES = 100

    response = bearer_client(counsellor).post(URL, form(good_file()))

    assert response.status_code == 400
    assert "limit" in response.json()["detail"]
    assert not ImportRun.objects.exists()
