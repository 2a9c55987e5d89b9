"""The one place that answers "what may this user do, and where?".

A user's memberships are read once per request and summarised in an
:class:`Access`:

* ``register``: per municipality, the permissions held through a membership
  in the municipality itself or in its KAA unit. A person permission here
  covers the municipality's register: every person it holds.
* ``organisations``: per other unit or partner, the person permissions held
  there. These cover only the persons an access grant opens to that
  organisation (see ``people.access``), which is how secrecy between the
  units of one municipality, and towards partners, is kept.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from .models import Membership, Municipality, Organisation
from .permissions import CASEWORK_ROLES, PERSON_PERMISSIONS, Permission


@dataclass
class Access:
    register: dict[int, set[Permission]] = field(default_factory=dict)
    organisations: dict[int, set[Permission]] = field(default_factory=dict)
    # Where the user is named to see protected identities' contact details.
    protected_register: set[int] = field(default_factory=set)
    protected_organisations: set[int] = field(default_factory=set)


def access_for(user) -> Access:
    """The user's access, computed once and kept on the user object for the request."""
    if not user or not user.is_authenticated or not user.is_active:
        return Access()
    cached = getattr(user, "_samverka_access", None)
    if cached is not None:
        return cached
    access = Access()
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        org = membership.organisation
        permissions = set(membership.permissions)
        if org.kind == Organisation.Kind.MUNICIPALITY:
            if membership.role in CASEWORK_ROLES:
                # Person work happens in a unit; a municipality-wide caseworker
                # role would undo the secrecy between its units.
                continue
            access.register.setdefault(org.id, set()).update(permissions)
        elif org.is_kaa_unit:
            access.register.setdefault(org.parent_id, set()).update(permissions)
            if membership.sees_protected_identity:
                access.protected_register.add(org.parent_id)
        elif org.kind in (Organisation.Kind.UNIT, Organisation.Kind.PARTNER):
            access.organisations.setdefault(org.id, set()).update(permissions & PERSON_PERMISSIONS)
            if membership.sees_protected_identity:
                access.protected_organisations.add(org.id)
    user._samverka_access = access
    return access


def forget_access(user) -> None:
    """Drop the cached summary after the user's memberships changed."""
    if hasattr(user, "_samverka_access"):
        del user._samverka_access


def municipality_ids_with(user, permission: Permission) -> set[int]:
    """The municipalities in whose register (or as a whole) the user holds ``permission``."""
    return {mid for mid, perms in access_for(user).register.items() if permission in perms}


def has_permission(user, municipality_id: int, permission: Permission) -> bool:
    return municipality_id in municipality_ids_with(user, permission)


def has_any_permission(user, permission: Permission) -> bool:
    """True when the user holds ``permission`` anywhere (register or grant-based)."""
    access = access_for(user)
    return any(permission in p for p in access.register.values()) or any(
        permission in p for p in access.organisations.values()
    )


def municipalities_with(user, permission: Permission) -> QuerySet:
    return Municipality.objects.filter(id__in=municipality_ids_with(user, permission))
