"""The demo's coordination: partner users, consents, referrals and SIPs in every state."""

import pytest
from django.contrib.auth import get_user_model

from coordination.models import (
    Consent,
    ParticipantStatus,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    Sip,
    SipStatus,
)
from demo.coordination import build_coordination
from demo.management.commands.demo import Command
from organisations.models import Municipality
from tests.factories import PersonFactory
from tests.retention.builders import kaa_period

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(db):
    municipality = Municipality.objects.by_code("0183")
    command = Command()
    organisations = command._organisations(municipality)
    users = command._users(municipality, organisations)
    for _ in range(9):
        kaa_period(PersonFactory(), "2026-09-16")
    return {"municipality": municipality, "organisations": organisations, "users": users}


def build(world):
    return build_coordination(**world, today=TODAY, seed=2026)


def test_the_demo_has_coordination_in_every_state(demo_world, client):
    counts = build(demo_world)
    assert counts["consents"] >= 10 and counts["SIPs"] == 3

    statuses = {c.status for c in Consent.objects.all()}
    assert statuses == {"active", "withdrawn", "expired"}
    referrals = Referral.objects.all()
    assert {r.status for r in referrals} == set(ReferralStatus.values)
    assert {r.outcome for r in referrals} >= set(ReferralOutcome.values)
    assert referrals.overdue(14, on=TODAY).exists()
    assert referrals.filter(basis="school_law").count() == 2
    assert {s.status for s in Sip.objects.all()} == set(SipStatus.values)
    assert Sip.objects.filter(participants__status=ParticipantStatus.INVITED).exists()

    User = get_user_model()
    for username in ("region", "fk", "folkhogskola", "skola"):
        assert User.objects.get(username=username).memberships.exists()
    assert client.login(username="region", password="Samverka-demo-2026")


def test_building_again_changes_nothing(demo_world):
    build(demo_world)
    before = (Consent.objects.count(), Referral.objects.count(), Sip.objects.count())
    assert build(demo_world) == {}
    assert (Consent.objects.count(), Referral.objects.count(), Sip.objects.count()) == before
