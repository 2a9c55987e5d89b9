"""Writes about one person that are not imports: opening them to other organisations."""

from django.db import transaction
from django.utils import timezone

from audit.log import record
from audit.models import AuditEvent
from organisations.models import Organisation
from organisations.permissions import PERSON_PERMISSIONS, Permission

from .models import AccessGrant, Person


class GrantError(ValueError):
    """A grant that cannot be made; the message says why."""


@transaction.atomic
def grant_access(
    *,
    by,
    person: Person,
    organisation: Organisation,
    permissions,
    reason: str,
    valid_until,
    valid_from=None,
) -> AccessGrant:
    """Open ``person`` to another unit of the municipality or to a partner.

    The caller has checked that ``by`` may manage grants for the person.
    """
    opened = {Permission(p) for p in permissions}
    if not opened or not opened <= PERSON_PERMISSIONS:
        raise GrantError("A grant opens only person permissions.")
    if organisation.is_kaa_unit or organisation.kind not in (
        Organisation.Kind.UNIT,
        Organisation.Kind.PARTNER,
    ):
        raise GrantError("A grant opens a person to another unit or a partner organisation.")
    if organisation.kind == Organisation.Kind.UNIT and organisation.parent_id != (
        person.municipality_id
    ):
        raise GrantError("A unit of another municipality cannot be given access.")
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        raise GrantError("The grant ends before it starts.")
    grant = AccessGrant.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        organisation=organisation,
        permissions=sorted(p.value for p in opened),
        reason=" ".join(reason.split())[:200],
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=by,
    )
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="access_grant.create",
        obj=grant,
        person=person,
        detail={"organisation": organisation.pk, "permissions": grant.permissions},
    )
    return grant


@transaction.atomic
def withdraw_access(*, by, grant: AccessGrant) -> AccessGrant:
    """Close a grant at once; the row stays as the record of what was open when."""
    grant.withdrawn_at = timezone.now()
    grant.withdrawn_by = by
    grant.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="access_grant.withdraw",
        obj=grant,
        person=grant.person,
    )
    return grant
