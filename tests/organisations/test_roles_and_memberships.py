"""Administration of roles: /administration/roles/ and /administration/users/."""

import html

import pytest
from django.utils import translation

from audit.models import AuditEvent
from organisations.models import Membership, Municipality, kaa_unit_of
from organisations.permissions import PERMISSION_LABELS, ROLE_PERMISSIONS, Permission, Role
from tests.factories import PersonFactory, UserFactory, member

pytestmark = pytest.mark.django_db

ROLES = "/administration/roles/"
USERS = "/administration/users/"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def sundbyberg():
    return Municipality.objects.by_code("0183")


def remove_url(membership) -> str:
    return f"{USERS}{membership.pk}/remove/"


def protected_url(membership) -> str:
    return f"{USERS}{membership.pk}/protected-identity/"


def role_changes():
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_CHANGE)


def labels_in(language: str) -> dict[str, str]:
    with translation.override(language):
        texts = {f"role:{role.value}": str(role.label) for role in Role}
        texts |= {f"permission:{p.value}": str(label) for p, label in PERMISSION_LABELS.items()}
    return texts


# --------------------------------------------------------------------------- the roles page


def role_rows(page: str) -> dict[str, str]:
    """The role's name (row header) to the rest of its row."""
    rows = {}
    for chunk in html.unescape(page).split('<th scope="row">')[1:]:
        name, rest = chunk.split("</th>", 1)
        rows[name] = rest.split("</tr>", 1)[0]
    return rows


def test_the_roles_page_lists_every_role_with_what_it_may(administrator, client_for):
    response = client_for(administrator).get(ROLES)  # Swedish, the default language
    assert response.status_code == 200
    with translation.override("sv"):
        rows = role_rows(response.content.decode())
        assert set(rows) == {str(role.label) for role in Role}
        for role in Role:
            row = rows[str(role.label)]
            for permission in Permission:
                label = str(PERMISSION_LABELS[permission])
                assert (label in row) == (permission in ROLE_PERMISSIONS[role]), (role, permission)


def test_the_roles_page_says_where_each_role_is_given(administrator, client_for):
    page = client_for(administrator).get(ROLES, **ENGLISH).content.decode()
    rows = role_rows(page)
    assert "A unit or partner" in rows["Study and career counsellor (SYV)"]
    assert "The municipality" in rows["Administrator"]


def test_the_roles_page_shows_swedish_labels(administrator, client_for):
    swedish, english = labels_in("sv"), labels_in("en")
    untranslated = sorted(key for key in english if swedish[key] == english[key])
    assert untranslated == []
    page = html.unescape(client_for(administrator).get(ROLES).content.decode())
    for text in swedish.values():
        assert text in page


@pytest.mark.parametrize("persona", ["counsellor", "analyst"])
def test_the_roles_page_is_for_administrators(persona, request, client_for):
    assert client_for(request.getfixturevalue(persona)).get(ROLES).status_code == 403


# --------------------------------------------------------------------------- giving roles


def test_the_administrator_gives_a_role_and_it_is_audited(administrator, client_for):
    newcomer = UserFactory(username="ny.syv")
    unit = kaa_unit_of(sundbyberg().pk)
    response = client_for(administrator).post(
        USERS, {"username": "ny.syv", "organisation": unit.pk, "role": Role.COUNSELLOR}
    )
    assert response.status_code == 302 and response["Location"] == USERS
    membership = Membership.objects.get(user=newcomer)
    assert (membership.organisation, membership.role, membership.sees_protected_identity) == (
        unit,
        Role.COUNSELLOR,
        False,
    )
    event = role_changes().get()
    assert (event.user, event.action, event.municipality) == (
        administrator,
        "membership.add",
        sundbyberg(),
    )
    assert event.detail["user"] == "ny.syv" and event.detail["role"] == "counsellor"
    # The role works at once.
    person = PersonFactory()
    assert client_for(newcomer).get(f"/persons/{person.pk}/").status_code == 200


def test_the_new_role_shows_in_the_list(administrator, client_for):
    UserFactory(username="ny.syv", first_name="Nora", last_name="Nyström")
    client = client_for(administrator)
    client.post(
        USERS,
        {
            "username": "ny.syv",
            "organisation": kaa_unit_of(sundbyberg().pk).pk,
            "role": Role.AMBASSADOR,
        },
    )
    page = client.get(USERS).content.decode()
    assert "Nora Nyström (ny.syv)" in page


def test_a_counsellor_cannot_be_placed_in_the_municipality_itself(administrator, client_for):
    newcomer = UserFactory(username="ny.syv")
    response = client_for(administrator).post(
        USERS,
        {"username": "ny.syv", "organisation": sundbyberg().pk, "role": Role.COUNSELLOR},
        **ENGLISH,
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "never to a whole municipality" in errors
    assert "never to a whole municipality" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    assert not role_changes().exists()


def test_partner_staff_are_placed_only_in_a_partner(administrator, client_for):
    newcomer = UserFactory(username="ny.partner")
    response = client_for(administrator).post(
        USERS,
        {
            "username": "ny.partner",
            "organisation": kaa_unit_of(sundbyberg().pk).pk,
            "role": Role.PARTNER_STAFF,
        },
        **ENGLISH,
    )
    assert response.context["form"].non_field_errors() == [
        "Partner staff belong to a partner organisation."
    ]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_same_role_twice_is_refused(administrator, client_for, counsellor):
    response = client_for(administrator).post(
        USERS,
        {
            "username": "syv",
            "organisation": kaa_unit_of(sundbyberg().pk).pk,
            "role": Role.COUNSELLOR,
        },
        **ENGLISH,
    )
    assert response.context["form"].non_field_errors() == [
        "The user already has this role in this organisation."
    ]
    assert Membership.objects.filter(user=counsellor).count() == 1
    assert not role_changes().exists()


def test_an_unknown_user_is_refused(administrator, client_for):
    response = client_for(administrator).post(
        USERS,
        {
            "username": "finns.inte",
            "organisation": kaa_unit_of(sundbyberg().pk).pk,
            "role": Role.COUNSELLOR,
        },
        **ENGLISH,
    )
    assert response.context["form"].errors["username"] == ["No active user with that username."]
    assert not role_changes().exists()


def test_a_role_in_another_municipalitys_unit_cannot_be_given(administrator, client_for):
    UserFactory(username="ny.syv")
    haninge_unit = kaa_unit_of(Municipality.objects.by_code("0136").pk)
    response = client_for(administrator).post(
        USERS, {"username": "ny.syv", "organisation": haninge_unit.pk, "role": Role.COUNSELLOR}
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Membership.objects.filter(organisation=haninge_unit).exists()


# --------------------------------------------------------------------------- taking roles away


def test_the_administrator_takes_a_role_away(administrator, client_for, counsellor):
    person = PersonFactory()
    membership = Membership.objects.get(user=counsellor)
    response = client_for(administrator).post(remove_url(membership))
    assert response.status_code == 302 and response["Location"] == USERS
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = role_changes().get()
    assert (event.user, event.action, event.detail["user"]) == (
        administrator,
        "membership.remove",
        "syv",
    )
    assert client_for(counsellor).get(f"/persons/{person.pk}/").status_code == 404


def test_removing_needs_a_post(administrator, client_for, counsellor):
    membership = Membership.objects.get(user=counsellor)
    assert client_for(administrator).get(remove_url(membership)).status_code == 405
    assert Membership.objects.filter(pk=membership.pk).exists()


# --------------------------------------------------------------------------- protected identities


def test_the_administrator_names_a_member_for_protected_identities(
    administrator, client_for, counsellor
):
    person = PersonFactory(skyddad_folkbokforing=True, phone="070-1740605")
    membership = Membership.objects.get(user=counsellor)

    def counsellor_page() -> str:
        client = client_for(counsellor)
        client.post(f"/persons/{person.pk}/purpose/", {"purpose": "Uppföljning av kontakt"})
        return client.get(f"/persons/{person.pk}/").content.decode()

    assert "070-1740605" not in counsellor_page()
    response = client_for(administrator).post(protected_url(membership))
    assert response.status_code == 302 and response["Location"] == USERS
    membership.refresh_from_db()
    assert membership.sees_protected_identity
    event = role_changes().get()
    assert (event.user, event.action, event.detail["sees_protected_identity"]) == (
        administrator,
        "membership.protected_identity",
        True,
    )
    assert "070-1740605" in counsellor_page()


def test_naming_again_stops_naming(administrator, client_for, counsellor):
    membership = Membership.objects.get(user=counsellor)
    client = client_for(administrator)
    client.post(protected_url(membership))
    client.post(protected_url(membership))
    membership.refresh_from_db()
    assert not membership.sees_protected_identity
    assert [e.detail["sees_protected_identity"] for e in role_changes().order_by("id")] == [
        True,
        False,
    ]


# --------------------------------------------------------------------------- who may


def test_a_counsellor_replaying_the_administrators_posts_is_refused(
    administrator, client_for, counsellor, ambassador
):
    UserFactory(username="ny.syv")
    target = Membership.objects.get(user=ambassador)
    client = client_for(counsellor)
    unit = kaa_unit_of(sundbyberg().pk)
    assert (
        client.post(
            USERS, {"username": "ny.syv", "organisation": unit.pk, "role": Role.UNIT_MANAGER}
        ).status_code
        == 403
    )
    assert (
        client.post(
            USERS, {"username": "syv", "organisation": sundbyberg().pk, "role": Role.ADMINISTRATOR}
        ).status_code
        == 403
    )
    assert client.post(remove_url(target)).status_code == 403
    assert client.post(protected_url(target)).status_code == 403
    assert client.get(USERS).status_code == 403
    target.refresh_from_db()
    assert not target.sees_protected_identity
    assert Membership.objects.count() == 3  # administrator, counsellor, ambassador
    assert not Membership.objects.filter(user__username="ny.syv").exists()
    assert not role_changes().exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, user=counsellor).count() == 5


def test_an_administrator_cannot_touch_another_municipalitys_membership(
    administrator, client_for, other_counsellor
):
    haninge = Membership.objects.get(user=other_counsellor)
    client = client_for(administrator)
    assert client.post(remove_url(haninge)).status_code == 404
    assert client.post(protected_url(haninge)).status_code == 404
    haninge.refresh_from_db()
    assert not haninge.sees_protected_identity
    assert not role_changes().exists()
    assert "syv.haninge" not in client.get(USERS).content.decode()


def test_the_list_shows_the_municipalitys_own_memberships(
    administrator, client_for, counsellor, other_counsellor
):
    member(UserFactory(username="analytiker.haninge"), "0136", Role.ANALYST)
    response = client_for(administrator).get(USERS)
    shown = {m.user.username for m in response.context["memberships"]}
    assert shown == {"admin", "syv"}


def test_only_the_registering_municipality_administers_a_partners_staff(administrator, client_for):
    from organisations.models import Membership, Municipality
    from organisations.permissions import Role
    from tests.factories import PartnerFactory, UserFactory

    ours = PartnerFactory(parent=Municipality.objects.by_code("0183"))
    theirs = PartnerFactory(parent=Municipality.objects.by_code("0136"))
    our_staff = Membership.objects.create(
        user=UserFactory(username="af.var"), organisation=ours, role=Role.PARTNER_STAFF
    )
    their_staff = Membership.objects.create(
        user=UserFactory(username="af.deras"), organisation=theirs, role=Role.PARTNER_STAFF
    )
    client = client_for(administrator)
    page = client.get("/administration/users/").content.decode()
    assert "af.var" in page and "af.deras" not in page
    assert client.post(f"/administration/users/{their_staff.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=their_staff.pk).exists()
    assert client.post(f"/administration/users/{our_staff.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=our_staff.pk).exists()
