import io

import pytest
from django.core.management import call_command

from imports.models import ImportRun
from people.identity import parse
from people.models import Person
from responsibility.models import Kind, ResponsibilityPeriod
from tests.testnumbers import personnummer_list, samordningsnummer_list

pytestmark = pytest.mark.django_db


def test_the_demo_loads_official_test_numbers_through_the_real_importers(
    settings, tmp_path, client
):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", size=400, stdout=out)

    runs = ImportRun.objects.order_by("id")
    assert [r.kind for r in runs] == ["navet", "school", "school", "navet"]
    assert all(r.status == ImportRun.Status.DONE for r in runs)
    official = set(personnummer_list()) | set(samordningsnummer_list())
    numbers = set(Person.objects.values_list("identity_number", flat=True))
    assert len(numbers) >= 400 and numbers <= official
    assert any(parse(n).is_coordination_number for n in numbers)
    assert Person.objects.filter(sekretessmarkering=True).exists()
    assert Person.objects.filter(deregistration_reason__in=["AV", "UV"]).exists()
    assert ResponsibilityPeriod.objects.filter(kind=Kind.KAA).exists()
    assert ResponsibilityPeriod.objects.filter(kind=Kind.OUTREACH).exists()
    assert "Demo login: syv / Samverka-demo-2026" in out.getvalue()
    assert client.login(username="syv", password="Samverka-demo-2026")


def test_running_the_demo_again_changes_nothing(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo", size=200, stdout=io.StringIO())
    persons = Person.objects.count()
    call_command("demo", size=200, stdout=io.StringIO())
    assert Person.objects.count() == persons
    second = ImportRun.objects.order_by("-id")[:4]
    assert {r.status for r in second} == {ImportRun.Status.UNCHANGED}
