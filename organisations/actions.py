"""Changes of roles and organisations. Every change of roles is an audit event."""

from django.db import transaction
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent

from .access import forget_access
from .models import Membership, Organisation
from .permissions import CASEWORK_ROLES, Role


class MembershipError(ValueError):
    """A membership that cannot be given; the message says why."""


def _check_placement(organisation: Organisation, role: str) -> None:
    if role not in Role.values:
        raise MembershipError(_("Unknown role: %(role)s.") % {"role": role})
    if role == Role.PARTNER_STAFF and organisation.kind != Organisation.Kind.PARTNER:
        raise MembershipError(_("Partner staff belong to a partner organisation."))
    if role in CASEWORK_ROLES and organisation.kind not in (
        Organisation.Kind.UNIT,
        Organisation.Kind.PARTNER,
    ):
        raise MembershipError(
            _(
                "A role that works with persons belongs to a unit or a partner organisation, "
                "never to a whole municipality, so that secrecy between units holds."
            )
        )


def _audit(by, membership: Membership, action: str, request=None) -> None:
    record(
        by=by,
        kind=AuditEvent.Kind.ROLE_CHANGE,
        action=action,
        obj=membership,
        municipality_id=membership.organisation.municipality_id,
        request=request,
        detail={
            "user": membership.user.username,
            "organisation": membership.organisation_id,
            "role": membership.role,
            "sees_protected_identity": membership.sees_protected_identity,
        },
    )


@transaction.atomic
def add_membership(
    *,
    by,
    user,
    organisation: Organisation,
    role: str,
    sees_protected_identity: bool = False,
    request=None,
) -> Membership:
    _check_placement(organisation, role)
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"sees_protected_identity": sees_protected_identity},
    )
    if not created:
        raise MembershipError(_("The user already has this role in this organisation."))
    _audit(by, membership, "membership.add", request)
    forget_access(user)
    return membership


@transaction.atomic
def remove_membership(*, by, membership: Membership, request=None) -> None:
    _audit(by, membership, "membership.remove", request)
    membership.delete()
    forget_access(membership.user)


@transaction.atomic
def set_sees_protected_identity(
    *, by, membership: Membership, allowed: bool, request=None
) -> Membership:
    """Name (or stop naming) a user who may see protected identities' contact details."""
    membership.sees_protected_identity = allowed
    membership.save(update_fields=["sees_protected_identity"])
    _audit(by, membership, "membership.protected_identity", request)
    forget_access(membership.user)
    return membership
