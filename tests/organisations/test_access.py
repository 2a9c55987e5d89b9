"""organisations.access.get_municipality_for_user: which municipality a page is about,
with one rule for every page and every refusal audited alike."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from audit.models import AuditEvent
from organisations.access import get_membership_for_user, get_municipality_for_user
from organisations.models import Membership
from organisations.permissions import Permission, Role
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_municipalities(db):
    """An administrator of Sundbyberg (0183) and Haninge (0136)."""
    user = member(UserFactory(username="admin.tva"), "0183", Role.ADMINISTRATOR)
    return member(user, "0136", Role.ADMINISTRATOR)


def refusals(user) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.detail["requested"], e.channel)
        for e in AuditEvent.objects.filter(user=user, kind=AuditEvent.Kind.DENIED).order_by("id")
    ]


def test_it_gives_the_first_municipality_by_code_and_all_to_choose_from(two_municipalities):
    chosen, allowed = get_municipality_for_user(
        two_municipalities, Permission.MANAGE_SETTINGS, page="settings"
    )
    assert chosen.code == "0136"
    assert [m.code for m in allowed] == ["0136", "0183"]


def test_it_gives_the_municipality_asked_for(two_municipalities):
    chosen, _allowed = get_municipality_for_user(
        two_municipalities, Permission.MANAGE_SETTINGS, code="0183", page="settings"
    )
    assert chosen.code == "0183"
    assert not refusals(two_municipalities)


def test_it_rejects_another_municipality_as_not_found(administrator):
    for code in ("0136", "9999", ""):
        with pytest.raises(Http404):
            get_municipality_for_user(
                administrator, Permission.MANAGE_SETTINGS, code=code, page="settings"
            )
    assert refusals(administrator) == [
        ("settings_denied", "0136", "web"),
        ("settings_denied", "9999", "web"),
        ("settings_denied", "", "web"),
    ]


def test_no_permission_anywhere_is_a_403_audited_alike(counsellor):
    with pytest.raises(PermissionDenied):
        get_municipality_for_user(counsellor, Permission.MANAGE_SETTINGS, page="settings")
    event = AuditEvent.objects.get(user=counsellor, kind=AuditEvent.Kind.DENIED)
    assert event.action == "settings_denied"
    assert event.detail == {"requested": "", "permissions": ["manage_settings"]}


def test_a_hidden_page_refuses_as_not_found(ambassador):
    with pytest.raises(Http404):
        get_municipality_for_user(
            ambassador, Permission.RUN_IMPORT, page="imports", channel="api", hidden=True
        )
    assert refusals(ambassador) == [("imports_denied", "", "api")]


def test_any_of_the_permissions_or_every_one(counsellor, ambassador):
    needed = (Permission.LOG_CONTACT, Permission.WRITE_PLAN)
    chosen, _allowed = get_municipality_for_user(ambassador, *needed, page="p")
    assert chosen.code == "0183"
    with pytest.raises(PermissionDenied):
        get_municipality_for_user(ambassador, *needed, page="p", every=True)
    chosen, _allowed = get_municipality_for_user(counsellor, *needed, page="p", every=True)
    assert chosen.code == "0183"


# Through the pages and the API ---------------------------------------------------------


def test_pages_refuse_another_municipality_as_not_found(
    administrator, other_counsellor, client_for
):
    client = client_for(administrator)
    for url in (
        "/audit/settings/",
        "/administration/retention/",
        "/administration/occupations/",
        "/followup/kaa-statistics/codes/",
        "/administration/users/",
    ):
        assert client.get(url, {"municipality": "0136"}).status_code == 404, url
        assert client.get(url, {"municipality": "0183"}).status_code == 200, url
    assert [action for action, code, _channel in refusals(administrator)] == [
        "audit.settings_denied",
        "retention_denied",
        "occupation_kinds_denied",
        "followup.statistics_codes_denied",
        "administration_denied",
    ]
    assert {code for _action, code, _channel in refusals(administrator)} == {"0136"}


def test_pages_refuse_those_without_the_permission_alike(counsellor, ambassador, client_for):
    assert client_for(counsellor).get("/administration/measures/").status_code == 403
    assert client_for(counsellor).get("/audit/").status_code == 403
    assert client_for(ambassador).get("/letters/").status_code == 403
    assert client_for(ambassador).get("/imports/").status_code == 404
    assert [action for action, _code, _channel in refusals(counsellor)] == [
        "measures_denied",
        "audit.followup_denied",
    ]
    assert [action for action, _code, _channel in refusals(ambassador)] == [
        "letters_denied",
        "imports_denied",
    ]


def test_the_import_api_refuses_another_municipality_alike(counsellor, client_for):
    upload = SimpleUploadedFile("skola.csv", b"not;a;school;file\n")
    response = client_for(counsellor).post(
        "/api/v1/imports", {"kind": "school", "municipality_code": "0136", "file": upload}
    )
    assert response.status_code == 404
    assert refusals(counsellor) == [("imports_denied", "0136", "api")]


# Memberships ------------------------------------------------------------------------------


def test_an_administrator_gets_a_membership_of_the_own_municipality(administrator, counsellor):
    membership = Membership.objects.get(user=counsellor)
    assert get_membership_for_user(administrator, membership.pk, channel="web") == membership


def test_an_administrator_of_two_municipalities_gets_both(two_municipalities, counsellor):
    haninge = member(UserFactory(username="syv.h"), "0136", Role.COUNSELLOR)
    for user in (counsellor, haninge):
        membership = Membership.objects.get(user=user)
        assert get_membership_for_user(two_municipalities, membership.pk, channel="web")


def test_another_municipalitys_membership_is_not_found(administrator, other_counsellor):
    membership = Membership.objects.get(user=other_counsellor)
    with pytest.raises(Http404):
        get_membership_for_user(administrator, membership.pk, channel="web")
    assert refusals(administrator) == [("membership.view_denied", str(membership.pk), "web")]


def test_without_users_to_administer_it_is_refused_and_audited(counsellor, ambassador):
    membership = Membership.objects.get(user=ambassador)
    with pytest.raises(PermissionDenied):
        get_membership_for_user(counsellor, membership.pk, channel="web")
    assert refusals(counsellor) == [("membership.view_denied", str(membership.pk), "web")]
