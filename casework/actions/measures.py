"""Writes about measures: the municipality's catalogue and what is offered to one young person.

Each action is one transaction with its audit event. Validation collects
every problem at once into a ``ValidationError`` keyed by the form field it
belongs to, each with a code, and nothing is written.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from casework import signals
from casework.models import Answer, Measure, PersonMeasure, Responsible
from organisations.access import has_permission
from organisations.models import Organisation
from organisations.permissions import Permission
from people.access import require_person_permission
from people.models import Person

# The catalogue -----------------------------------------------------------------


def measure_owners(municipality_id: int):
    """Who can run a measure: the municipality, its units, and partner organisations."""
    return Organisation.objects.filter(
        Q(pk=municipality_id)
        | Q(kind=Organisation.Kind.UNIT, parent_id=municipality_id)
        | Q(kind=Organisation.Kind.PARTNER)
    )


def _require_manager(by, municipality_id: int) -> None:
    if not has_permission(by, municipality_id, Permission.MANAGE_MEASURES):
        raise PermissionDenied(f"No {Permission.MANAGE_MEASURES} in {municipality_id}.")


def _check_measure(municipality_id: int, values: dict, exclude_pk: int | None = None) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    duplicates = Measure.objects.filter(
        municipality_id=municipality_id, name__iexact=values["name"]
    ).exclude(pk=exclude_pk)
    if duplicates.exists():
        add(
            "name",
            _("The catalogue already has a measure with this name: choose another name."),
            "duplicate",
        )
    if values["min_age"] > values["max_age"]:
        add("max_age", _("The upper age cannot be lower than the lower age."), "ages")
    if values["capacity"] is not None and values["capacity"] < 1:
        add(
            "capacity",
            _("Give at least one place, or leave the field empty when there is no fixed number."),
            "capacity",
        )
    if not measure_owners(municipality_id).filter(pk=values["owner"].pk).exists():
        add(
            "owner",
            _("Choose the municipality, one of its units or a partner organisation."),
            "owner",
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_measure(
    *,
    by,
    municipality: Organisation,
    name: str,
    kind: str,
    owner: Organisation,
    description: str = "",
    min_age: int = 16,
    max_age: int = 24,
    capacity: int | None = None,
) -> Measure:
    """A unit manager adds a measure to their municipality's catalogue."""
    _require_manager(by, municipality.pk)
    values = {
        "name": " ".join(name.split()),
        "kind": kind,
        "owner": owner,
        "description": " ".join(description.split()),
        "min_age": min_age,
        "max_age": max_age,
        "capacity": capacity,
    }
    _check_measure(municipality.pk, values)
    measure = Measure(municipality=municipality, active=True, **values)
    measure.full_clean()
    measure.save()
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="measure.create",
        obj=measure,
        municipality_id=municipality.pk,
        detail={"kind": kind},
    )
    return measure


@transaction.atomic
def change_measure(
    *,
    by,
    measure: Measure,
    name: str,
    kind: str,
    owner: Organisation,
    description: str = "",
    min_age: int = 16,
    max_age: int = 24,
    capacity: int | None = None,
    active: bool = True,
) -> Measure:
    """Change a catalogue entry. Unticking ``active`` deactivates it: no new offers,
    while the offers already made keep pointing at it."""
    _require_manager(by, measure.municipality_id)
    values = {
        "name": " ".join(name.split()),
        "kind": kind,
        "owner": owner,
        "description": " ".join(description.split()),
        "min_age": min_age,
        "max_age": max_age,
        "capacity": capacity,
    }
    _check_measure(measure.municipality_id, values, exclude_pk=measure.pk)
    values["active"] = active
    changed = sorted(k for k, v in values.items() if getattr(measure, k) != v)
    if not changed:
        return measure
    was_active = measure.active
    for key, value in values.items():
        setattr(measure, key, value)
    measure.full_clean()
    measure.save()
    action = "measure.change"
    if was_active and not active:
        action = "measure.deactivate"
    elif active and not was_active:
        action = "measure.activate"
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action=action,
        obj=measure,
        municipality_id=measure.municipality_id,
        detail={"changed": changed},
    )
    return measure


# A young person's measures -------------------------------------------------------


def responsible_organisations(person: Person):
    """Who can be "another actor": the municipality's other units and every partner."""
    units = Organisation.objects.filter(
        kind=Organisation.Kind.UNIT, parent_id=person.municipality_id
    ).exclude(category=Organisation.Category.KAA_UNIT)
    return units | Organisation.objects.filter(kind=Organisation.Kind.PARTNER)


class _Errors:
    """Collects problems per form field; raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.errors.setdefault(field, []).append(ValidationError(message, code=code))

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _check_responsible(
    errors: _Errors, person: Person, responsible: str, organisation: Organisation | None
) -> Organisation | None:
    """The organisation belongs only with "another actor", and that needs one."""
    if responsible != Responsible.OTHER_ACTOR:
        return None
    if organisation is None:
        errors.add(
            "responsible_organisation",
            _("Choose which actor is responsible for the measure."),
            "responsible_organisation",
        )
    elif not responsible_organisations(person).filter(pk=organisation.pk).exists():
        errors.add(
            "responsible_organisation",
            _("Choose one of the municipality's units or a partner organisation."),
            "responsible_organisation",
        )
    return organisation


def _set_first_offer(person: Person, municipality_id: int) -> None:
    """Mark the earliest offer (by date, then by when it was written down) as the first.

    Offers are never deleted and their date never changes after the offer, so
    only a new offer can move the mark: one dated before every earlier offer
    (an old offer written down late). The caller holds the person's row lock.
    """
    offers = PersonMeasure.objects.filter(person=person, municipality_id=municipality_id)
    first = offers.order_by("offered_on", "id").values_list("pk", flat=True).first()
    offers.filter(first_offer=True).exclude(pk=first).update(first_offer=False)
    offers.filter(pk=first, first_offer=False).update(first_offer=True)


@transaction.atomic
def offer_measure(
    *,
    by,
    person: Person,
    measure: Measure,
    offered_on: date,
    responsible: str,
    responsible_organisation: Organisation | None = None,
    note: str = "",
) -> PersonMeasure:
    """Offer a measure from the catalogue to a young person.

    The age limits and the number of places are advice, not rules: the view
    warns when the young person is outside the ages or the measure is full.
    """
    require_person_permission(by, person, Permission.OFFER_MEASURE)
    # Serialise offers to one person, so the first offer is marked exactly once.
    person = Person.objects.select_for_update().get(pk=person.pk)
    errors = _Errors()
    if measure.municipality_id != person.municipality_id or not measure.active:
        errors.add("measure", _("Choose a measure your municipality offers now."), "measure")
    if offered_on > timezone.localdate():
        errors.add(
            "offered_on",
            _("A measure cannot be offered in the future: give the date it was offered."),
            "future",
        )
    organisation = _check_responsible(errors, person, responsible, responsible_organisation)
    errors.raise_any()
    offer = PersonMeasure(
        municipality_id=person.municipality_id,
        person=person,
        measure=measure,
        offered_on=offered_on,
        offered_by=by,
        responsible=responsible,
        responsible_organisation=organisation,
        note=" ".join(note.split()),
    )
    offer.full_clean()
    offer.save()
    _set_first_offer(person, person.municipality_id)
    signals.changed([person.pk])
    offer.refresh_from_db(fields=["first_offer"])
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="person_measure.offer",
        obj=offer,
        person=person,
        detail={
            "measure": measure.pk,
            "responsible": responsible,
            "first_offer": offer.first_offer,
        },
    )
    return offer


def _check_documentation(errors: _Errors, offer: PersonMeasure, values: dict) -> None:
    today = timezone.localdate()
    answer, answered_on = values["answer"], values["answered_on"]
    start, end, end_reason = values["start"], values["end"], values["end_reason"]
    for field in ("answered_on", "start", "end"):
        if values[field] is not None and values[field] > today:
            errors.add(field, _("The date cannot be in the future."), "future")
    if answer == Answer.PENDING:
        if answered_on is not None:
            errors.add(
                "answered_on",
                _("Choose the answer, or leave the date empty while there is no answer."),
                "answered_on_without_answer",
            )
    elif answered_on is None:
        errors.add("answered_on", _("Give the date of the answer."), "answered_on_required")
    elif answered_on < offer.offered_on:
        errors.add(
            "answered_on",
            _("The answer cannot come before the offer (%(date)s).")
            % {"date": offer.offered_on.isoformat()},
            "answer_before_offer",
        )
    if start is not None:
        if answer != Answer.ACCEPTED:
            errors.add(
                "start",
                _("A measure can start only when the young person has accepted it."),
                "start_not_accepted",
            )
        elif start < offer.offered_on:
            errors.add(
                "start",
                _("The measure cannot start before it was offered (%(date)s).")
                % {"date": offer.offered_on.isoformat()},
                "start_before_offer",
            )
    if end is not None:
        if start is None:
            errors.add("end", _("Give the start date before the end date."), "end_without_start")
        elif end < start:
            errors.add("end", _("The end cannot be before the start."), "end_before_start")
        if not end_reason:
            errors.add("end_reason", _("Say why the measure ended."), "end_reason_required")
    elif end_reason:
        errors.add(
            "end_reason",
            _("Give the end date too, or leave the reason empty while the measure goes on."),
            "end_reason_without_end",
        )


@transaction.atomic
def document_measure(
    *,
    by,
    person: Person,
    offer: PersonMeasure,
    answer: str,
    answered_on: date | None,
    start: date | None,
    end: date | None,
    end_reason: str,
    responsible: str,
    responsible_organisation: Organisation | None = None,
    note: str = "",
) -> PersonMeasure:
    """Write down the answer, the start, the end and why, or correct them.

    The measure and the date of the offer stay as offered: they decide which
    offer was the first, which the statistics report.
    """
    require_person_permission(by, person, Permission.OFFER_MEASURE)
    offer = PersonMeasure.objects.select_for_update().get(pk=offer.pk)
    if offer.person_id != person.pk or offer.municipality_id != person.municipality_id:
        raise PermissionDenied("The offer belongs to another person or municipality.")
    values = {
        "answer": answer,
        "answered_on": answered_on,
        "start": start,
        "end": end,
        "end_reason": end_reason or "",
        "responsible": responsible,
        "note": " ".join(note.split()),
    }
    errors = _Errors()
    _check_documentation(errors, offer, values)
    values["responsible_organisation"] = _check_responsible(
        errors, person, responsible, responsible_organisation
    )
    errors.raise_any()
    changed = sorted(k for k, v in values.items() if getattr(offer, k) != v)
    if not changed:
        return offer
    for key, value in values.items():
        setattr(offer, key, value)
    # Whoever writes down (or corrects) a step is its "who" on the timeline.
    if {"answer", "answered_on"} & set(changed):
        offer.answer_recorded_by = by if answer != Answer.PENDING else None
    if "start" in changed:
        offer.start_recorded_by = by if start is not None else None
    if {"end", "end_reason"} & set(changed):
        offer.end_recorded_by = by if end is not None else None
    offer.full_clean()
    offer.save()
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="person_measure.document",
        obj=offer,
        person=person,
        # Codes and field names only: never the note.
        detail={"changed": changed, "answer": offer.answer, "end_reason": offer.end_reason},
    )
    return offer
