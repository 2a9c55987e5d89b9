"""The batch's PDF: one page per letter, the address in the window, an audited export."""

import re

import pytest

from audit.models import AuditEvent
from letters import pdf
from letters.defaults import DEFAULT_TEMPLATES
from letters.models import LetterBatch
from tests.factories import PersonFactory
from tests.letters.conftest import batch_form, guardian, in_kaa, sundbyberg_letters, under_18


def pages(document: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", document))


@pytest.fixture
def batch(counsellor, client_for):
    client = client_for(counsellor)
    for name in ("Alva", "Hugo", "Maja"):
        in_kaa(PersonFactory(first_name=name))
    template = sundbyberg_letters().get(name="Första brevet")
    client.post("/letters/batches/new/", batch_form(template, create="1"))
    return LetterBatch.objects.get()


def test_one_page_per_letter(batch, counsellor, client_for):
    response = client_for(counsellor).get(f"/letters/batches/{batch.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert pages(response.content) == 3
    events = AuditEvent.objects.filter(action="letter_batch.pdf", user=counsellor)
    assert events.count() == 3
    assert {e.kind for e in events} == {"export"}


def test_guardians_letters_are_a_page_each(counsellor, client_for):
    client = client_for(counsellor)
    child = in_kaa(under_18(0))
    guardian(child, "Anna")
    guardian(child, "Erik")
    template = sundbyberg_letters().get(name="Till vårdnadshavare")
    client.post("/letters/batches/new/", batch_form(template, recipients="guardians", create="1"))
    batch = LetterBatch.objects.get()
    assert pages(client.get(f"/letters/batches/{batch.pk}/pdf/").content) == 2


def test_a_person_protected_since_the_batch_is_not_printed(batch, counsellor, client_for):
    protected = batch.letters.first().person
    protected.skyddad_folkbokforing = True
    protected.save()
    client = client_for(counsellor)

    page = client.get(f"/letters/batches/{batch.pk}/")
    assert page.context["printable"] == 2
    document = client.get(f"/letters/batches/{batch.pk}/pdf/").content

    assert pages(document) == 2
    assert not AuditEvent.objects.filter(action="letter_batch.pdf", person_id=protected.pk)


def test_nothing_printable_goes_back_to_the_batch(batch, counsellor, client_for):
    for letter in batch.letters.select_related("person"):
        letter.person.street = ""
        letter.person.save()
    response = client_for(counsellor).get(f"/letters/batches/{batch.pk}/pdf/")
    assert response.status_code == 302
    assert response["Location"] == f"/letters/batches/{batch.pk}/"


@pytest.mark.parametrize("default", DEFAULT_TEMPLATES, ids=lambda t: t["name"])
def test_the_default_letters_fit_on_one_page(default):
    assert pdf.fits_on_one_page(default["subject"], default["body"])


def test_the_address_is_filled_in_when_printed():
    address = ["Alva Lind", "Storgatan 1", "172 31 SUNDBYBERG"]
    assert pdf.fill_address("Vi skickar till:\n{adress}", address) == (
        "Vi skickar till:\nAlva Lind\nStorgatan 1\n172 31 SUNDBYBERG"
    )
    page = pdf.Page(
        sender=["Enheten"],
        letter_date="1 december 2026",
        address=address,
        subject="Hej",
        body="Vi skickar till:\n{adress}",
    )
    assert pages(pdf.render([page], title="Test")) == 1
