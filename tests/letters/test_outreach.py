"""Letters in outreach (20–25): the same batches, on outreach's periods, never to guardians."""

from datetime import date

import pytest
from django.utils import timezone

from casework.models import Channel, Contact, Outcome
from demo.generators import official_born_near
from letters.models import Letter, LetterBatch
from tests.factories import PersonFactory
from tests.letters.conftest import batch_form, guardian, in_kaa, in_outreach, sundbyberg_letters
from tests.letters.test_batches import OUTREACH_REMINDER, form_codes, make
from worklists import state

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(db):
    return {t.name: t for t in sundbyberg_letters()}


def young_adult(index: int = 0, **kwargs):
    """A 22-year-old (an official test number born in 2004)."""
    return PersonFactory(
        identity_number=official_born_near(date(2004, 6, 1), index=index), **kwargs
    )


def test_a_first_letter_to_those_newly_in_outreach(templates, counsellor, client_for):
    adult = in_outreach(young_adult(first_name="Elin"))
    teenager = in_kaa(PersonFactory(first_name="Alva"))

    response = make(client_for(counsellor), templates["Första brevet"], kind="outreach")

    assert response.status_code == 302
    batch = LetterBatch.objects.get()
    assert batch.kind == "outreach"
    assert list(Letter.objects.values_list("person_id", flat=True)) == [adult.pk]
    assert not Letter.objects.filter(person=teenager).exists()
    page = client_for(counsellor).get(f"/letters/batches/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Outreach (20–25)" in page.content.decode()


def test_a_reminder_to_those_in_outreach_not_reached(templates, counsellor, client_for):
    tried = in_outreach(young_adult(first_name="Elin"))
    reached = in_outreach(young_adult(index=1, first_name="Omar"))
    kaa_tried = in_kaa(PersonFactory(first_name="Alva"))
    for who, outcome in (
        (tried, Outcome.NOT_REACHED),
        (reached, Outcome.REACHED),
        (kaa_tried, Outcome.NOT_REACHED),
    ):
        Contact.objects.create(
            municipality=who.municipality,
            person=who,
            channel=Channel.PHONE,
            at=timezone.now(),
            outcome=outcome,
        )
        state.refresh([who.pk])  # as log_contact does

    make(
        client_for(counsellor),
        templates[OUTREACH_REMINDER],
        kind="outreach",
        recipients="not_reached",
        min_attempts="1",
    )

    letter = Letter.objects.get()
    assert letter.person == tried
    assert letter.subject == "Hur går det för dig, Elin?"
    assert "under 20" not in letter.body and "aktivitetsansvar" not in letter.body


def test_guardians_are_never_written_to_in_outreach(templates, counsellor, client_for):
    adult = in_outreach(young_adult())
    guardian(adult, "Anna")

    response = make(
        client_for(counsellor),
        templates["Till vårdnadshavare"],
        kind="outreach",
        recipients="guardians",
    )

    assert response.status_code == 200
    assert form_codes(response) == {"kind": ["guardians_outreach"]}
    assert not LetterBatch.objects.exists() and not Contact.objects.exists()


def test_an_unknown_kind_is_refused(templates, counsellor, client_for):
    in_outreach(young_adult())
    response = client_for(counsellor).post(
        "/letters/batches/new/", batch_form(templates["Första brevet"], kind="lss", create="1")
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not LetterBatch.objects.exists()
