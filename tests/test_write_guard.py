"""The guard in tests/write_guard.py refuses a write that bypasses the owning app."""

import pytest

from casework.actions.contacts import log_contact
from casework.models import Case, Channel, Contact, Outcome
from people.models import Person
from tests.factories import PersonFactory
from tests.write_guard import WriteBypassesOwner


def from_module(name: str, source: str, **names):
    """A function defined as if in module ``name`` (the guard asks the stack who wrote)."""
    namespace = {"__name__": name, **names}
    exec(source, namespace)  # noqa: S102 - test code, fixed strings
    return namespace["write"]


def test_it_refuses_casework_rows_written_by_another_app(counsellor):
    person = PersonFactory()
    write = from_module(
        "letters.example",
        "def write(person):\n    return Case.objects.create(municipality_id=person.municipality_id,"
        " person=person)\n",
        Case=Case,
    )
    with pytest.raises(WriteBypassesOwner, match="letters.example writes casework_case"):
        write(person)


def test_it_refuses_the_worklist_state_written_by_casework_itself(counsellor):
    person = PersonFactory()
    write = from_module(
        "casework.actions.example",
        "def write(person):\n    Case.objects.create(municipality_id=person.municipality_id,"
        " person=person)\n    state_model.objects.create(person=person,"
        " municipality_id=person.municipality_id)\n",
        Case=Case,
        state_model=Person.worklist_state.related.related_model,
    )
    with pytest.raises(WriteBypassesOwner, match="writes .*workliststate"):
        write(person)


def test_a_casework_action_may_write(counsellor):
    from django.utils import timezone

    person = PersonFactory()
    log_contact(
        by=counsellor,
        person=person,
        channel=Channel.PHONE,
        at=timezone.now(),
        outcome=Outcome.NOT_REACHED,
    )
    assert Contact.objects.filter(person=person).count() == 1


def test_deleting_a_person_takes_their_casework_with_it(counsellor):
    person = PersonFactory()
    Case.objects.create(municipality_id=person.municipality_id, person=person)
    delete = from_module("retention.example", "def write(person):\n    person.delete()\n")
    delete(person)
    assert not Case.objects.exists()
