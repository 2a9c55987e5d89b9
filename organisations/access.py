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

``get_municipality_for_user`` answers "which municipality is this page
about" for every page and API call that works on one municipality, and
``deny`` records every refused access the same way.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from audit.log import record
from audit.models import AuditEvent

# Which organisations a municipality administers is the user administration's rule.
from .forms import administered_organisations
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


def deny(user, *, action: str, object_id, channel: str, request=None, detail=None) -> None:
    """Audit a refused access without saying whether the object exists."""
    record(
        by=user,
        kind=AuditEvent.Kind.DENIED,
        action=action,
        channel=channel,
        request=request,
        detail={"requested": str(object_id)[:60], **(detail or {})},
    )


def get_municipality_for_page(
    request, *permissions: Permission, page: str, code: str | None = None, every: bool = False
) -> tuple[Municipality, list[Municipality]]:
    """get_municipality_for_user for a web page: the municipality is ``code`` or
    the page's ``?municipality=<code>``, and the refusal is audited with the request."""
    return get_municipality_for_user(
        request.user,
        *permissions,
        code=code or request.GET.get("municipality") or None,
        page=page,
        request=request,
        every=every,
    )


def get_municipality_for_user(
    user,
    *permissions: Permission,
    code: str | None = None,
    page: str,
    channel: str = "web",
    request=None,
    every: bool = False,
    hidden: bool = False,
) -> tuple[Municipality, list[Municipality]]:
    """The municipality a page (or an API call) is about, and all those the user
    could have chosen instead, by code, for the page's choice of municipality.

    The candidates are the municipalities where the user holds one of
    ``permissions`` (every one of them, with ``every``) in the register: through
    a membership in the municipality itself or in its KAA unit. ``code`` None
    means the first of them; otherwise the one with that SCB code.

    Every refusal is audited alike, as ``<page>_denied`` with the code asked
    for and the permissions needed:

    * the user holds the permissions nowhere: PermissionDenied (403), or
      Http404 with ``hidden``, for a page that does not show itself to those
      who may not use it;
    * ``code`` names no municipality among them (another municipality's, or
      none at all): Http404, as for any other tenant's object.
    """
    held = [municipality_ids_with(user, p) for p in permissions]
    ids = set.intersection(*held) if every else set().union(*held)
    allowed = list(Municipality.objects.filter(id__in=ids).order_by("code")) if ids else []
    chosen = allowed[0] if allowed and code is None else None
    if allowed and code is not None:
        chosen = next((m for m in allowed if m.code == code), None)
    if chosen is None:
        deny(
            user,
            action=f"{page}_denied",
            object_id=code or "",
            channel=channel,
            request=request,
            detail={"permissions": sorted(str(p) for p in permissions)},
        )
        if allowed or hidden:
            raise Http404("No such municipality.")
        raise PermissionDenied
    return chosen, allowed


def get_membership_for_user(user, membership_id, *, channel: str, request=None) -> Membership:
    """A role given in an organisation the user administers: a municipality where the
    user holds ``manage_users``, its units, and the partners it registered.

    A user who administers no municipality is refused (403); anybody else's
    membership is the same 404 as one that does not exist. Both are audited as
    ``membership.view_denied``.
    """
    municipality_ids = sorted(municipality_ids_with(user, Permission.MANAGE_USERS))
    membership = None
    if municipality_ids:
        organisations = Organisation.objects.none()
        for municipality_id in municipality_ids:
            organisations |= administered_organisations(municipality_id)
        try:
            membership = (
                Membership.objects.filter(pk=membership_id, organisation__in=organisations)
                .select_related("user", "organisation")
                .first()
            )
        except (ValueError, TypeError):
            membership = None
    if membership is None:
        deny(
            user,
            action="membership.view_denied",
            object_id=membership_id,
            channel=channel,
            request=request,
        )
        if not municipality_ids:
            raise PermissionDenied
        raise Http404("No such membership.")
    return membership
