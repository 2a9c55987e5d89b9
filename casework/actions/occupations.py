"""Occupations: what a young person does (work, studies, a measure …), and the
municipality's code list of occupations. Each action is one transaction with
its audit event."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from casework import signals
from casework.models import REVIEW_AFTER, Occupation, OccupationKind
from organisations.access import has_permission
from organisations.models import Organisation
from organisations.permissions import Permission
from people.access import require_person_permission
from people.models import Person


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
    require_person_permission(by, person, Permission.RECORD_OCCUPATION)
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
    signals.changed([person.pk])
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="occupation.create",
        obj=occupation,
        person=person,
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
