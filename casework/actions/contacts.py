"""Contacts with a young person: calls, letters, visits and attempts.

Each action is one transaction with its audit event."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record, record_writes
from audit.models import AuditEvent
from casework import signals
from casework.models import Channel, Contact, Outcome
from organisations.permissions import Permission
from people.access import require_person_permission
from people.models import Person


@transaction.atomic
def log_contact(
    *, by, person: Person, channel: str, at: datetime, outcome: str, note: str = ""
) -> Contact:
    require_person_permission(by, person, Permission.LOG_CONTACT)
    if at > timezone.now():
        raise ValidationError(
            _("A contact cannot be logged in the future: give the date and time it happened."),
            code="future",
        )
    contact = Contact(
        municipality_id=person.municipality_id,
        person=person,
        channel=channel,
        at=at,
        outcome=outcome,
        note=" ".join(note.split()),
        by=by,
    )
    contact.full_clean()
    contact.save()
    signals.changed([person.pk])
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="contact.create",
        obj=contact,
        person=person,
        detail={"channel": channel, "outcome": outcome},
    )
    return contact


@transaction.atomic
def log_letters(
    *,
    by,
    municipality,
    persons: list[Person],
    at: datetime,
    batch_id: int,
    channel: str = "",
    request=None,
) -> dict[int, Contact]:
    """A letter of batch ``batch_id`` sent to each of these young people: an attempt,
    not yet a reach; one audit event per contact.

    Called by the letters app when it makes a batch (letters.actions), which
    checks the permission; returns each person's new contact, for the letter
    to point at.
    """
    contacts = Contact.objects.bulk_create(
        Contact(
            municipality=municipality,
            person=person,
            channel=Channel.LETTER,
            at=at,
            outcome=Outcome.NOT_REACHED,
            by=by,
        )
        for person in persons
    )
    signals.changed(person.pk for person in persons)
    record_writes(
        by=by,
        objects=contacts,
        action="contact.create",
        channel=channel,
        request=request,
        detail={"channel": Channel.LETTER, "outcome": Outcome.NOT_REACHED, "batch": batch_id},
    )
    return {contact.person_id: contact for contact in contacts}
