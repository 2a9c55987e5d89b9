"""Batches: who gets a letter, who is left out and why, the attempts on the timeline."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from casework.models import Case, Channel, Contact, Outcome
from letters import actions
from letters.models import Exclusion, Letter, LetterBatch, Reason
from organisations.models import Municipality
from tests.factories import PersonFactory
from tests.letters.conftest import batch_form, guardian, in_kaa, sundbyberg_letters, under_18
from worklists import state

SECRET_STREET = "Hemliga gränd 7"
OUTREACH_REMINDER = "Påminnelse, 20–25 år"


@pytest.fixture
def templates(db):
    # One template per purpose: the KAA letters (outreach's reminder is tested on its own).
    return {t.purpose: t for t in sundbyberg_letters().exclude(name=OUTREACH_REMINDER)}


def make(client, template, **overrides):
    return client.post("/letters/batches/new/", batch_form(template, create="1", **overrides))


def form_codes(response):
    errors = response.context["form"].errors.as_data()
    return {field: [e.code for e in errs] for field, errs in errors.items()}


def test_a_first_letter_to_those_newly_in_kaa(person, templates, counsellor, client_for):
    earlier = in_kaa(PersonFactory(), start=timezone.localdate() - timedelta(days=400))
    client = client_for(counsellor)

    preview = client.post("/letters/batches/new/", batch_form(templates["first_letter"]))
    assert preview.status_code == 200
    assert preview.context["preview"]["letters"] == 1
    assert not LetterBatch.objects.exists()  # a preview changes nothing

    response = make(client, templates["first_letter"])

    batch = LetterBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/letters/batches/{batch.pk}/"
    letter = Letter.objects.get()
    assert letter.person == person
    assert letter.subject == "Hej Alva! Vi vill gärna höra hur du har det"
    assert "Hej Alva!" in letter.body and "08-706 80 00" in letter.body
    assert "kaa@sundbyberg.se" in letter.body
    assert counsellor.get_full_name() in letter.body  # no handler: the sender signs
    assert len(letter.text_hash) == 64
    assert not Letter.objects.filter(person=earlier).exists()


def test_each_letter_is_an_attempt_on_the_timeline(person, templates, counsellor, client_for):
    client = client_for(counsellor)
    make(client, templates["first_letter"])

    contact = Contact.objects.get(person=person)
    assert (contact.channel, contact.outcome, contact.by) == (
        Channel.LETTER,
        Outcome.NOT_REACHED,
        counsellor,
    )
    assert contact.municipality_id == person.municipality_id
    page = client.get(f"/persons/{person.pk}/case/").content.decode()
    entry = r'class="entry-letter">\s*<td>[^<]+</td>\s*<th scope="row">[^<]*Första brevet'
    assert re.search(entry, page)
    # A letter counts as an attempt that has not reached the young person.
    worklist = client.get("/worklists/not-reached/", {"attempts": 1}).content.decode()
    assert person.full_name in worklist
    assert AuditEvent.objects.filter(
        action="contact.create", person_id=person.pk, kind="write", user=counsellor
    ).exists()


def test_the_handler_signs_where_one_is_assigned(person, templates, counsellor, client_for):
    from tests.factories import UserFactory

    handler = UserFactory(first_name="Sara", last_name="Ek")
    Case.objects.create(municipality=person.municipality, person=person, handler=handler)
    make(client_for(counsellor), templates["first_letter"])
    assert "Sara Ek" in Letter.objects.get().body


def test_protected_identities_are_left_out_and_listed_without_address(
    person, templates, counsellor, client_for
):
    protected = in_kaa(
        PersonFactory(last_name="Skyddad", skyddad_folkbokforing=True, street=SECRET_STREET)
    )
    client = client_for(counsellor)
    make(client, templates["first_letter"])

    batch = LetterBatch.objects.get()
    assert list(batch.letters.values_list("person_id", flat=True)) == [person.pk]
    exclusion = Exclusion.objects.get()
    assert (exclusion.person, exclusion.reason) == (protected, Reason.PROTECTED)
    assert not Contact.objects.filter(person=protected).exists()

    page = client.get(f"/letters/batches/{batch.pk}/").content.decode()
    assert "Skyddad" in page and protected.formatted_identity_number in page
    assert SECRET_STREET not in page
    pdf = client.get(f"/letters/batches/{batch.pk}/pdf/").content
    assert SECRET_STREET.encode() not in pdf
    # The read is audited for everybody the selection looked at, flagged for the protected.
    read = AuditEvent.objects.get(action="letter_batch.select", person_id=protected.pk)
    assert read.protected_identity is True


def test_without_a_postal_address_nobody_gets_a_letter(templates, counsellor, client_for):
    homeless = in_kaa(PersonFactory(street="", postal_code="", city=""))
    in_kaa(PersonFactory())
    make(client_for(counsellor), templates["first_letter"])
    assert Exclusion.objects.get().person == homeless
    assert Exclusion.objects.get().reason == Reason.NO_ADDRESS


def test_guardians_get_one_letter_each(templates, counsellor, client_for):
    child = in_kaa(under_18(0, first_name="Elsa", last_name="Holm"))
    guardian(child, "Anna", "Holm")
    guardian(child, "Erik", "Holm")
    guardian(child, "Gammal", "Holm", valid_to=timezone.localdate() - timedelta(days=1))
    protected_child = in_kaa(under_18(1, sekretessmarkering=True))
    guardian(protected_child, "Hemlig", "Förälder")
    orphan = in_kaa(under_18(2))
    adult = in_kaa(PersonFactory())  # 18 or older: no guardians' letter
    guardian(adult, "Kvar", "Sedan")
    client = client_for(counsellor)

    make(client, templates["guardians"], recipients="guardians")

    letters = Letter.objects.order_by("guardian_name")
    assert [(x.person, x.guardian_name) for x in letters] == [
        (child, "Anna Holm"),
        (child, "Erik Holm"),
    ]
    assert letters[0].subject == "Till vårdnadshavare för Elsa Holm"
    assert letters[0].body.startswith("Hej Anna Holm!")
    # One attempt for the young person, however many guardians got a letter.
    assert Contact.objects.filter(person=child).count() == 1
    assert dict(Exclusion.objects.values_list("person_id", "reason")) == {
        protected_child.pk: Reason.PROTECTED,
        orphan.pk: Reason.NO_GUARDIAN,
    }
    page = client.get(f"/letters/batches/{LetterBatch.objects.get().pk}/").content.decode()
    assert "Anna Holm" in page and "Hemlig" not in page


def test_a_guardians_letter_only_to_guardians(person, templates, counsellor, client_for):
    client = client_for(counsellor)
    wrong = make(client, templates["first_letter"], recipients="guardians")
    assert form_codes(wrong) == {"template": ["purpose_mismatch"]}
    wrong = make(client, templates["guardians"])
    assert form_codes(wrong) == {"template": ["purpose_mismatch"]}
    assert not LetterBatch.objects.exists() and not Contact.objects.exists()


def test_a_reminder_to_those_not_reached_after_attempts(templates, counsellor, client_for):
    tried = in_kaa(PersonFactory(first_name="Hugo"))
    reached = in_kaa(PersonFactory(first_name="Noah"))
    untried = in_kaa(PersonFactory(first_name="Maja"))
    now = timezone.now()
    for who, outcome in ((tried, Outcome.NOT_REACHED), (reached, Outcome.REACHED)):
        Contact.objects.create(
            municipality=who.municipality,
            person=who,
            channel=Channel.PHONE,
            at=now,
            outcome=outcome,
        )
        state.refresh([who.pk])

    make(
        client_for(counsellor),
        templates["reminder"],
        recipients="not_reached",
        min_attempts="1",
    )

    assert list(Letter.objects.values_list("person_id", flat=True)) == [tried.pk]
    assert untried.pk not in Letter.objects.values_list("person_id", flat=True)
    assert Contact.objects.filter(person=tried).count() == 2


def test_the_same_batch_twice_sends_nothing_twice(person, templates, counsellor, client_for):
    client = client_for(counsellor)
    make(client, templates["first_letter"])

    again = make(client, templates["first_letter"])

    assert again.status_code == 200
    assert "empty" in [e.code for e in again.context["form"].non_field_errors().as_data()]
    assert LetterBatch.objects.count() == 1
    assert Contact.objects.count() == 1

    # A newcomer gets the letter; the one already written to is listed with the reason.
    newcomer = in_kaa(PersonFactory())
    make(client, templates["first_letter"])
    second = LetterBatch.objects.first()
    assert list(second.letters.values_list("person_id", flat=True)) == [newcomer.pk]
    exclusion = second.exclusions.get()
    assert (exclusion.person, exclusion.reason) == (person, Reason.FIRST_LETTER_SENT)
    assert exclusion.earlier_on == timezone.localdate()


def test_a_reminder_is_not_repeated_within_30_days(templates, counsellor):
    tried = in_kaa(PersonFactory())
    Contact.objects.create(
        municipality=tried.municipality,
        person=tried,
        channel=Channel.PHONE,
        at=timezone.now(),
        outcome=Outcome.NOT_REACHED,
    )
    state.refresh([tried.pk])
    sundbyberg = Municipality.objects.by_code("0183")
    choices = {
        "by": counsellor,
        "municipality": sundbyberg,
        "template": templates["reminder"],
        "recipients": "not_reached",
        "min_attempts": 1,
        "contact_phone": "08-706 80 00",
        "contact_email": "kaa@sundbyberg.se",
    }
    actions.create_letter_batch(**choices)
    with pytest.raises(ValidationError) as error:
        actions.create_letter_batch(**choices)
    assert error.value.code == "empty"
    LetterBatch.objects.update(letter_date=timezone.localdate() - timedelta(days=31))
    batch = actions.create_letter_batch(**choices)
    assert batch.letters.count() == 1


def test_a_phone_number_the_letter_gives_must_be_filled_in(
    person, templates, counsellor, client_for
):
    response = make(client_for(counsellor), templates["first_letter"], contact_phone="  ")
    assert form_codes(response) == {"contact_phone": ["missing_phone"]}
    assert not LetterBatch.objects.exists()


def test_newly_since_a_future_date_is_refused(person, templates, counsellor, client_for):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = make(client_for(counsellor), templates["first_letter"], since=tomorrow)
    assert form_codes(response) == {"since": ["since"]}


def test_only_caseworkers_of_the_municipality_make_batches(
    person, templates, ambassador, other_counsellor, client_for
):
    assert make(client_for(ambassador), templates["first_letter"]).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.create_letter_batch(
            by=other_counsellor,
            municipality=person.municipality,
            template=templates["first_letter"],
            recipients="newly",
            since=timezone.localdate().replace(day=1),
            contact_phone="1",
            contact_email="a@b.se",
        )
    # Haninge's counsellor sees Haninge's letters: a Sundbyberg letter is not one of them.
    response = make(client_for(other_counsellor), templates["first_letter"])
    assert form_codes(response) == {"template": ["invalid_choice"]}
    assert not LetterBatch.objects.exists()


def test_another_municipalitys_batch_is_not_found(
    person, templates, counsellor, other_counsellor, client_for
):
    make(client_for(counsellor), templates["first_letter"])
    batch = LetterBatch.objects.get()
    client = client_for(other_counsellor)
    assert client.get(f"/letters/batches/{batch.pk}/").status_code == 404
    assert client.get(f"/letters/batches/{batch.pk}/pdf/").status_code == 404
    assert not AuditEvent.objects.filter(user=other_counsellor, person_id=person.pk).exists()
    assert AuditEvent.objects.filter(user=other_counsellor, action="letter_batch.view_denied")


def test_the_batch_page_is_an_audited_read(person, templates, counsellor, client_for):
    client = client_for(counsellor)
    make(client, templates["first_letter"])
    batch = LetterBatch.objects.get()
    page = client.get(f"/letters/batches/{batch.pk}/")
    assert page.status_code == 200
    assert "Alva Lind" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="letter_batch.view", person_id=person.pk, kind="read", user=counsellor
    ).exists()
    listing = client.get("/letters/").content.decode()
    assert f"/letters/batches/{batch.pk}/" in listing
