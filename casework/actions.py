"""Writes to the casework record. Each is one transaction with its audit event."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from organisations.access import has_permission
from organisations.models import Organisation
from organisations.permissions import Permission
from people.access import person_permissions
from people.models import Person

from . import state
from .models import REVIEW_AFTER, Contact, Occupation, OccupationKind


def _require(by, person: Person, permission: Permission) -> None:
    """The acting user must hold ``permission`` for this person (the views check it too)."""
    if permission not in person_permissions(by, person):
        raise PermissionDenied(f"No {permission} for person {person.pk}.")


@transaction.atomic
def log_contact(
    *, by, person: Person, channel: str, at: datetime, outcome: str, note: str = ""
) -> Contact:
    _require(by, person, Permission.LOG_CONTACT)
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
    state.refresh([person.pk])
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="contact.create",
        obj=contact,
        person_id=person.pk,
        municipality_id=person.municipality_id,
        protected_identity=person.is_protected,
        detail={"channel": channel, "outcome": outcome},
    )
    return contact


@transaction.atomic
def record_occupation(
    *,
    by,
    person: Person,
    kind: OccupationKind,
    source: str,
    start: date,
    review_by: date | None = None,
) -> Occupation:
    _require(by, person, Permission.RECORD_OCCUPATION)
    if start > timezone.localdate():
        raise ValidationError(
            _("The occupation cannot start in the future: record it when it has started."),
            code="future",
        )
    if not OccupationKind.objects.usable_in(person.municipality_id).filter(pk=kind.pk).exists():
        raise ValidationError(_("Choose an occupation from the list."), code="kind")
    review_by = review_by or start + REVIEW_AFTER
    if review_by < start:
        raise ValidationError(
            _("The review date cannot be before the date the occupation started."),
            code="review_before_start",
        )
    occupation = Occupation(
        municipality_id=person.municipality_id,
        person=person,
        kind=kind,
        source=source,
        start=start,
        review_by=review_by,
        recorded_by=by,
    )
    occupation.full_clean()
    occupation.save()
    state.refresh([person.pk])
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="occupation.create",
        obj=occupation,
        person_id=person.pk,
        municipality_id=person.municipality_id,
        protected_identity=person.is_protected,
        detail={"kind": kind.code, "source": source},
    )
    return occupation


@transaction.atomic
def add_occupation_kind(*, by, municipality: Organisation, name: str) -> OccupationKind:
    """An administrator adds an occupation to their municipality's code list."""
    if not has_permission(by, municipality.pk, Permission.MANAGE_SETTINGS):
        raise PermissionDenied
    name = " ".join(name.split())
    if OccupationKind.objects.usable_in(municipality.pk).filter(name__iexact=name).exists():
        raise ValidationError(_("The list already has this occupation."), code="duplicate")
    stem = f"{municipality.code}-{slugify(name)}"[:34] or municipality.code
    code, n = stem, 1
    while OccupationKind.objects.filter(code=code).exists():
        n += 1
        code = f"{stem}-{n}"
    kind = OccupationKind.objects.create(municipality=municipality, code=code, name=name, order=500)
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="occupation_kind.create",
        obj=kind,
        municipality_id=municipality.pk,
        detail={"code": code},
    )
    return kind


@transaction.atomic
def rebuild_worklist_state(*, by, municipality: Organisation | None = None) -> int:
    """Make the worklists' state anew from the casework rows (after a restore or a
    data fix); returns how many young people have a state row."""
    rows = state.rebuild(municipality.pk if municipality else None)
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="worklist_state.rebuild",
        municipality_id=municipality.pk if municipality else None,
        detail={"rows": rows},
    )
    return rows
