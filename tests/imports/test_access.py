"""imports.access.get_import_run_for_user: the page and the API find a run the same way."""

import pytest
from django.http import Http404

from audit.models import AuditEvent
from imports.access import get_import_run_for_user
from imports.models import ImportRun
from organisations.models import Municipality

pytestmark = pytest.mark.django_db


def run_in(code: str) -> ImportRun:
    return ImportRun.objects.create(
        municipality=Municipality.objects.by_code(code),
        kind="school",
        file_name="skola.csv",
        sha256=code * 16,
    )


def refused(user) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(user=user, action="import_run.view_denied").order_by("id")
    return [(e.detail["requested"], e.channel) for e in events]


def test_it_finds_a_run_of_the_own_municipality(counsellor):
    run = run_in("0183")
    assert get_import_run_for_user(counsellor, run.pk, channel="api") == run


def test_it_rejects_another_municipalitys_run_as_not_found(other_counsellor, ambassador):
    run = run_in("0183")
    for user in (other_counsellor, ambassador):
        for asked in (run.pk, run.pk + 1000, "x"):
            with pytest.raises(Http404):
                get_import_run_for_user(user, asked, channel="api")
        assert refused(user) == [(str(run.pk), "api"), (str(run.pk + 1000), "api"), ("x", "api")]


def test_the_page_and_the_api_refuse_alike(other_counsellor, client_for):
    run = run_in("0183")
    client = client_for(other_counsellor)
    assert client.get(f"/imports/{run.pk}/").status_code == 404
    assert client.get(f"/api/v1/imports/{run.pk}").status_code == 404
    assert refused(other_counsellor) == [(str(run.pk), "web"), (str(run.pk), "api")]
