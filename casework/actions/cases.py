"""Cases: who handles a young person, and closing when the responsibility has ended.

Each action is one transaction, checks the acting user's permission itself
and writes one audit event per person. The worklists assign and close many
at once; a refused person refuses them all.
"""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from casework import signals
from casework.models import Case
from casework.queries.timeline import user_name
from organisations.access import has_permission, municipality_ids_with
from organisations.permissions import Permission
from people.models import Person
from responsibility.models import ResponsibilityPeriod

# A handler works the case: logs contacts and offers measures. Counsellors,
# social workers, youth consultants and unit managers of the KAA unit are;
# youth ambassadors and partner staff are not.
HANDLER_PERMISSIONS = frozenset({Permission.LOG_CONTACT, Permission.OFFER_MEASURE})


def may_handle(user, municipality_id: int) -> bool:
    """Whether ``user`` may be the handler of a case in this municipality."""
    if user is None or not user.is_active:
        return False
    return all(has_permission(user, municipality_id, p) for p in HANDLER_PERMISSIONS)


def _require_assign(by, persons: Sequence[Person]) -> None:
    if not persons:
        raise ValidationError(_("Choose at least one young person."), code="empty")
    allowed = municipality_ids_with(by, Permission.ASSIGN_CASES)
    if any(p.municipality_id not in allowed for p in persons):
        raise PermissionDenied("No assign_cases for every person chosen.")


def _cases_of(persons: Sequence[Person]) -> dict[tuple[int, int], Case]:
    found = Case.objects.select_for_update().filter(person_id__in=[p.pk for p in persons])
    return {(c.municipality_id, c.person_id): c for c in found}


@transaction.atomic
def assign_cases(*, by, persons: Sequence[Person], handler) -> int:
    """Make ``handler`` (None: nobody) the handler of each person's case.

    A case (one per municipality and person) is created when the person has
    none. Returns how many cases changed; a person who already has this
    handler is left as they are. A handler who may not handle a case in every
    person's municipality is refused and nothing changes.
    """
    _require_assign(by, persons)
    if handler is not None and not all(may_handle(handler, p.municipality_id) for p in persons):
        raise ValidationError(
            _(
                "%(name)s is not a caseworker in the KAA unit of every young person chosen: "
                "choose another handler."
            )
            % {"name": user_name(handler)},
            code="handler",
        )
    now = timezone.now()
    cases = _cases_of(persons)
    new, changed = [], []
    for person in persons:
        case = cases.get((person.municipality_id, person.pk))
        if case is None:
            case = Case(municipality_id=person.municipality_id, person=person)
            new.append((case, person, None))
        elif case.handler_id == (handler.pk if handler else None):
            continue
        else:
            changed.append((case, person, case.handler_id))
        case.handler = handler
        case.assigned_at = now
        case.assigned_by = by
    Case.objects.bulk_create([case for case, _person, _previous in new])
    Case.objects.bulk_update(
        [case for case, _person, _previous in changed], ["handler", "assigned_at", "assigned_by"]
    )
    signals.changed(case.person_id for case, _person, _previous in new + changed)
    for case, person, previous in new + changed:
        record(
            by=by,
            kind=AuditEvent.Kind.WRITE,
            action="case.assign",
            obj=case,
            person=person,
            detail={"handler": handler.pk if handler else None, "previous": previous},
        )
    return len(new) + len(changed)


@transaction.atomic
def close_cases(*, by, persons: Sequence[Person], on: date | None = None) -> int:
    """Close the cases of persons whose responsibility has ended; returns how many.

    Refused, with nothing changed, when one of them is still in KAA or
    outreach on ``on`` (today by default), was never in either, or has a case
    already closed since their last period ended.
    """
    _require_assign(by, persons)
    on = on or timezone.localdate()
    ids = [p.pk for p in persons]
    periods = ResponsibilityPeriod.objects.filter(person_id__in=ids)
    current = set(periods.on(on).values_list("person_id", flat=True))
    last_end = dict(
        periods.values("person_id").annotate(last=Max("end")).values_list("person_id", "last")
    )
    cases = _cases_of(persons)
    for person in persons:
        name = person.full_name or person.formatted_identity_number
        if person.pk in current:
            raise ValidationError(
                _(
                    "%(name)s is still in KAA or outreach: a case is closed when the "
                    "responsibility has ended."
                )
                % {"name": name},
                code="in_responsibility",
            )
        if last_end.get(person.pk) is None:
            raise ValidationError(
                _("%(name)s has never been in KAA or outreach: there is no case to close.")
                % {"name": name},
                code="no_period",
            )
        case = cases.get((person.municipality_id, person.pk))
        if case is not None and case.closed_on and case.closed_on >= last_end[person.pk]:
            raise ValidationError(
                _("The case of %(name)s is already closed.") % {"name": name},
                code="already_closed",
            )
    for person in persons:
        case = cases.get((person.municipality_id, person.pk)) or Case(
            municipality_id=person.municipality_id, person=person
        )
        case.closed_on = on
        case.closed_by = by
        case.save()
        record(
            by=by,
            kind=AuditEvent.Kind.WRITE,
            action="case.close",
            obj=case,
            person=person,
            detail={"closed_on": on.isoformat()},
        )
    signals.changed(p.pk for p in persons)
    return len(persons)


def close_case(*, by, person: Person, on: date | None = None) -> Case:
    """Close one person's case (see close_cases)."""
    close_cases(by=by, persons=[person], on=on)
    return Case.objects.get(municipality_id=person.municipality_id, person=person)
