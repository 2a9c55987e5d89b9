import io

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from organisations.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_gives_the_first_administrator_a_role():
    user = UserFactory(username="forste.admin")
    call_command(
        "grant_role",
        user="forste.admin",
        role="administrator",
        municipality="0183",
        stdout=io.StringIO(),
    )
    membership = Membership.objects.get(user=user)
    assert membership.organisation.code == "0183"
    assert AuditEvent.objects.filter(kind="role_change", action="membership.add").exists()


def test_it_places_a_counsellor_in_the_kaa_unit():
    user = UserFactory(username="ny.syv")
    call_command(
        "grant_role",
        user="ny.syv",
        role="counsellor",
        municipality="0183",
        unit="kaa",
        stdout=io.StringIO(),
    )
    assert Membership.objects.get(user=user).organisation.is_kaa_unit


def test_it_refuses_a_counsellor_for_a_whole_municipality_and_changes_nothing():
    UserFactory(username="ny.syv")
    with pytest.raises(CommandError, match="enhet eller en samverkanspart"):
        call_command(
            "grant_role",
            user="ny.syv",
            role="counsellor",
            municipality="0183",
            stdout=io.StringIO(),
        )
    assert not Membership.objects.exists()
    assert not AuditEvent.objects.filter(kind="role_change").exists()


def test_it_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No active user"):
        call_command("grant_role", user="finns.inte", role="analyst", municipality="0183")
