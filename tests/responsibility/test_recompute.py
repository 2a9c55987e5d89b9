import pytest

from organisations.models import Municipality
from responsibility.actions import recompute_kaa
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_recompute_never_touches_another_municipalitys_person_between_the_ids():
    sundbyberg = Municipality.objects.by_code("0183")
    haninge = Municipality.objects.by_code("0136")
    first = PersonFactory()
    theirs = PersonFactory(municipality=haninge)
    last = PersonFactory()
    kept = ResponsibilityPeriod.objects.create(
        municipality=haninge,
        person=theirs,
        kind=Kind.KAA,
        start="2025-09-16",
        start_reason=StartReason.NEVER_STARTED,
    )
    assert first.pk < theirs.pk < last.pk

    recompute_kaa(municipality=sundbyberg, person_ids=[first.pk, last.pk])

    assert list(ResponsibilityPeriod.objects.filter(person=theirs)) == [kept]
    assert ResponsibilityPeriod.objects.filter(person__in=[first, last]).exists()
