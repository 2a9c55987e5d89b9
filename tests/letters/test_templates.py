"""The municipality's letters: the defaults every municipality starts with, writing
and editing them."""

import importlib

from django.apps import apps

from audit.models import AuditEvent
from letters.defaults import DEFAULT_TEMPLATES
from letters.models import LetterTemplate, Purpose
from organisations.models import Municipality
from tests.letters.conftest import sundbyberg_letters

seed_migration = importlib.import_module("letters.migrations.0003_default_letter_templates")


def codes(response, field):
    return [e.code for e in response.context["form"].errors.as_data().get(field, [])]


def new_letter(**overrides):
    data = {
        "name": "Inbjudan till öppet hus",
        "purpose": "other",
        "subject": "Välkommen, {förnamn}",
        "body": "Hej {förnamn}!\r\n\r\nVälkommen till oss.  \r\n\r\nHälsningar\r\n{handläggare}",
    }
    return data | overrides


def test_every_municipality_starts_with_the_default_letters(counsellor, client_for):
    defaults = sorted(t["name"] for t in DEFAULT_TEMPLATES)
    for municipality in Municipality.objects.all():
        names = LetterTemplate.objects.filter(municipality=municipality).values_list("name")
        assert sorted(n for (n,) in names) == defaults, municipality.code
    assert {t.purpose for t in sundbyberg_letters()} == {
        Purpose.FIRST_LETTER,
        Purpose.REMINDER,
        Purpose.GUARDIANS,
    }

    page = client_for(counsellor).get("/letters/")

    assert page.status_code == 200
    for template in DEFAULT_TEMPLATES:
        assert template["name"] in page.content.decode()
    # The page only reads: the defaults come from a migration, not from the first visit.
    assert LetterTemplate.objects.count() == len(DEFAULT_TEMPLATES) * Municipality.objects.count()
    assert not AuditEvent.objects.filter(kind="write").exists()


def test_the_defaults_leave_a_municipality_with_letters_of_its_own_alone(manager, client_for):
    sundbyberg_letters().delete()
    client_for(manager).post("/letters/templates/new/", new_letter())
    LetterTemplate.objects.filter(municipality__code="0136").delete()

    seed_migration.seed(apps, None)

    assert [t.name for t in sundbyberg_letters()] == ["Inbjudan till öppet hus"]
    haninge = LetterTemplate.objects.filter(municipality__code="0136")
    assert sorted(t.name for t in haninge) == sorted(t["name"] for t in DEFAULT_TEMPLATES)
    every = len(DEFAULT_TEMPLATES) * Municipality.objects.count()
    assert LetterTemplate.objects.count() == every - len(DEFAULT_TEMPLATES) + 1


def test_a_manager_writes_a_letter(manager, client_for):
    client = client_for(manager)
    assert client.get("/letters/templates/new/").status_code == 200

    response = client.post("/letters/templates/new/", new_letter())

    assert response.status_code == 302
    template = LetterTemplate.objects.get(name="Inbjudan till öppet hus")
    assert template.body == "Hej {förnamn}!\n\nVälkommen till oss.\n\nHälsningar\n{handläggare}"
    assert template.municipality.code == "0183"
    event = AuditEvent.objects.get(action="letter_template.create")
    assert (event.user, event.kind, event.object_id) == (manager, "write", str(template.pk))


def test_an_unknown_merge_field_is_named_and_nothing_is_saved(manager, client_for):
    response = client_for(manager).post(
        "/letters/templates/new/", new_letter(body="Hej {förnamn} i klass {klass}!")
    )
    assert response.status_code == 200
    assert codes(response, "body") == ["unknown_field"]
    assert "{klass}" in response.content.decode()
    assert not LetterTemplate.objects.filter(name="Inbjudan till öppet hus").exists()
    assert not AuditEvent.objects.filter(kind="write").exists()


def test_the_guardians_name_needs_a_letter_to_guardians(manager, client_for):
    response = client_for(manager).post(
        "/letters/templates/new/", new_letter(subject="Till {vårdnadshavare}")
    )
    assert codes(response, "subject") == ["guardian_only"]
    response = client_for(manager).post(
        "/letters/templates/new/",
        new_letter(subject="Till {vårdnadshavare}", purpose="guardians"),
    )
    assert response.status_code == 302


def test_a_letter_longer_than_one_page_is_refused(manager, client_for):
    long = "\n\n".join(["En mening som upprepas för att fylla sidan."] * 40)
    response = client_for(manager).post("/letters/templates/new/", new_letter(body=long))
    assert codes(response, "body") == ["too_long"]
    assert not LetterTemplate.objects.filter(name="Inbjudan till öppet hus").exists()


def test_two_letters_cannot_share_a_name(manager, client_for):
    client = client_for(manager)
    response = client.post("/letters/templates/new/", new_letter(name="påminnelse"))
    assert codes(response, "name") == ["duplicate_name"]


def test_a_manager_edits_a_letter_and_sees_a_preview(manager, client_for):
    client = client_for(manager)
    template = sundbyberg_letters().get(name="Påminnelse")
    page = client.get(f"/letters/templates/{template.pk}/edit/").content.decode()
    assert "Hej Alva!" in page  # the preview, with example values

    response = client.post(
        f"/letters/templates/{template.pk}/edit/",
        new_letter(name="Påminnelse", purpose="reminder", active=""),
    )

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Välkommen, {förnamn}"
    assert template.active is False
    assert AuditEvent.objects.filter(action="letter_template.update", user=manager).exists()


def test_caseworkers_send_letters_but_only_managers_edit_them(
    counsellor, ambassador, administrator, client_for
):
    client = client_for(counsellor)
    page = client.get("/letters/").content.decode()
    template = sundbyberg_letters().first()
    assert f"/letters/templates/{template.pk}/edit/" not in page
    assert client.get("/letters/templates/new/").status_code == 403
    assert client.post("/letters/templates/new/", new_letter()).status_code == 403
    assert client.get(f"/letters/templates/{template.pk}/edit/").status_code == 403
    for user in (ambassador, administrator):
        assert client_for(user).get("/letters/").status_code == 403


def test_another_municipalitys_letter_is_not_found(manager, other_manager, client_for):
    template = sundbyberg_letters().first()
    client = client_for(other_manager)
    assert client.get(f"/letters/templates/{template.pk}/edit/").status_code == 404
    response = client.post(f"/letters/templates/{template.pk}/edit/", new_letter())
    assert response.status_code == 404
    template.refresh_from_db()
    assert template.name != "Inbjudan till öppet hus"
