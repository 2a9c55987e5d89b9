"""The only way to fetch a person for a user: not permitted looks like not found.

Every read is audited. A refused read is audited too, and says nothing about
whether the person exists.
"""

import time
from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from audit.log import record, record_reads
from audit.models import AuditEvent, AuditSettings
from organisations.access import access_for, deny
from organisations.permissions import Permission

from .identity import InvalidIdentityNumber, parse
from .models import AccessGrant, Person, granted_permissions

SEARCH_LIMIT = 50
# How long a purpose stated on the purpose page lasts for that person in that session.
PURPOSE_SECONDS = 15 * 60


class PurposeRequired(Exception):
    """The person has a protected identity: the user must state why they open it."""

    def __init__(self, person_id: int):
        super().__init__("A reason is required to open a person with a protected identity.")
        self.person_id = person_id


def person_permissions(user, person: Person) -> frozenset[Permission]:
    """What the user may see of this one person: register role plus any grant."""
    permissions = set(access_for(user).register.get(person.municipality_id, set()))
    permissions |= granted_permissions(user, person.pk).get(person.pk, set())
    return frozenset(permissions)


def require_person_permission(user, person: Person, permission: Permission) -> None:
    """Refuse an action unless ``user`` holds ``permission`` for this person.

    The actions call it although their views check the same: an action is
    also called from the API, commands and other apps, which must not be able
    to skip the check.
    """
    if permission not in person_permissions(user, person):
        raise PermissionDenied(f"No {permission} for person {person.pk}.")


def sees_protected_contact_details(user, person: Person) -> bool:
    """Whether an administrator named this user to see a protected person's contact details."""
    access = access_for(user)
    if person.municipality_id in access.protected_register:
        return True
    if access.protected_organisations:
        return (
            person.access_grants.active()
            .filter(organisation_id__in=access.protected_organisations)
            .exists()
        )
    return False


def may_see_contact_details(user, person: Person, permissions=None) -> bool:
    permissions = permissions if permissions is not None else person_permissions(user, person)
    if Permission.VIEW_CONTACT_DETAILS not in permissions:
        return False
    return not person.is_protected or sees_protected_contact_details(user, person)


def _purpose_key(person_id) -> str:
    return f"samverka.purpose.{person_id}"


def remember_purpose(request, person_id: int, purpose: str) -> None:
    """Keep the purpose a user stated on the purpose page, for this person in this session."""
    request.session[_purpose_key(person_id)] = (purpose, time.time())


def stated_purpose(request, person_id) -> str:
    """The purpose stated for this person in this session, if not yet expired."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    purpose, at = session.get(_purpose_key(person_id), ("", 0))
    return purpose if time.time() - at < PURPOSE_SECONDS else ""


def _too_many_recent_openings(user, person: Person) -> bool:
    limits = AuditSettings.for_municipality(person.municipality_id)
    since = timezone.now() - timedelta(minutes=limits.burst_minutes)
    opened = (
        AuditEvent.objects.filter(user=user, at__gte=since, action="person.view")
        .exclude(person_id=person.pk)
        .values("person_id")
        .distinct()
        .count()
    )
    return opened >= limits.burst_persons


def get_person_for_user(
    user,
    person_id,
    *,
    channel: str,
    request=None,
    permission: Permission = Permission.VIEW_PERSON,
    purpose: str | None = None,
) -> Person:
    """The person, with the read audited.

    Http404 when missing or not visible; PermissionDenied when the user opens
    too many persons too quickly or lacks ``permission`` for a person they can
    otherwise see; PurposeRequired for a protected identity opened without a
    stated purpose. ``person.permissions`` holds what the user may see of them.

    ``purpose``: the reason given with this request (the API's
    X-Samverka-Purpose header). None on a page means the one stated on the
    purpose page in this session (``stated_purpose``), which people.middleware
    asks for when it is missing.
    """
    try:
        person = Person.objects.visible_to(user).select_related("municipality").get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        deny(
            user, action="person.view_denied", object_id=person_id, channel=channel, request=request
        )
        raise Http404("No such person.") from None
    person.permissions = person_permissions(user, person)
    if permission not in person.permissions:
        deny(
            user,
            action="person.view_denied",
            object_id=person_id,
            channel=channel,
            request=request,
            detail={"permission": str(permission)},
        )
        raise PermissionDenied
    if _too_many_recent_openings(user, person):
        deny(
            user,
            action="person.view_throttled",
            object_id=person_id,
            channel=channel,
            request=request,
        )
        raise PermissionDenied
    if purpose is None:
        purpose = stated_purpose(request, person.pk) if channel == "web" else ""
    purpose = " ".join(purpose.split())
    if person.is_protected and not purpose:
        raise PurposeRequired(person.pk)
    record(
        by=user,
        kind=AuditEvent.Kind.READ,
        action="person.view",
        obj=person,
        person_id=person.pk,
        municipality_id=person.municipality_id,
        channel=channel,
        request=request,
        purpose=purpose,
        protected_identity=person.is_protected,
    )
    return person


def get_person_for_page(
    request, person_id, permission: Permission = Permission.VIEW_PERSON
) -> Person:
    """get_person_for_user for a page: the request's user, the web channel, and the
    purpose this session stated for the person."""
    return get_person_for_user(
        request.user, person_id, channel="web", request=request, permission=permission
    )


def get_access_grant_for_user(
    user, person_id, grant_id, *, channel: str, request=None, purpose: str | None = None
) -> AccessGrant:
    """One of a person's access grants, for a user who manages them on that person.

    The person is opened as get_person_for_user does, with
    ``manage_access_grants``; a grant that is not this person's is the same 404
    as one that does not exist, audited as ``access_grant.view_denied``.
    ``grant.person`` is the opened person.
    """
    person = get_person_for_user(
        user,
        person_id,
        channel=channel,
        request=request,
        permission=Permission.MANAGE_ACCESS_GRANTS,
        purpose=purpose,
    )
    try:
        grant = person.access_grants.select_related("organisation").get(pk=grant_id)
    except (ObjectDoesNotExist, ValueError, TypeError):
        deny(
            user,
            action="access_grant.view_denied",
            object_id=grant_id,
            channel=channel,
            request=request,
        )
        raise Http404("No such grant.") from None
    grant.person = person
    return grant


def get_persons_for_user(
    user,
    person_ids,
    *,
    permission: Permission,
    channel: str,
    request=None,
    municipality_ids=None,
) -> list[Person]:
    """The persons chosen for one act on many (assigning, closing), all or none.

    Each must be visible to the user with ``permission`` (and, when given, held
    by one of ``municipality_ids``); if one is not, none is returned: 404,
    audited as ``person.view_denied`` with the ids asked for, as for a person
    page. The persons are not audited as read here: the act audits its writes.
    """
    person_ids = list(person_ids)
    visible = Person.objects.visible_to(user, permission)
    if municipality_ids is not None:
        visible = visible.filter(municipality_id__in=municipality_ids)
    persons = list(visible.filter(pk__in=person_ids))
    if len(persons) != len(set(person_ids)):
        deny(
            user,
            action="person.view_denied",
            object_id=",".join(str(i) for i in person_ids),
            channel=channel,
            request=request,
        )
        raise Http404("No such person.")
    return persons


def search_persons(user, query: str, *, channel: str, request=None) -> list[Person]:
    """Search by identity number (any written form) or by name; never by address.

    Each person in the result is a read and is audited as such.
    """
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    visible = Person.objects.visible_to(user)
    try:
        identity = parse(query)
    except InvalidIdentityNumber:
        identity = None
    if identity is not None:
        found = visible.filter(identity_number=identity.value)
    elif query.replace("-", "").isdigit():
        digits = query.replace("-", "")
        if len(digits) < 6:
            return []
        found = visible.filter(identity_number__contains=digits)
    else:
        found = visible
        for word in query.split():
            found = found.filter(
                Q(first_name__istartswith=word)
                | Q(middle_name__istartswith=word)
                | Q(last_name__istartswith=word)
            )
    persons = list(found.order_by("last_name", "first_name", "identity_number")[:SEARCH_LIMIT])
    record(
        by=user,
        kind=AuditEvent.Kind.SEARCH,
        action="person.search",
        channel=channel,
        request=request,
        detail={"results": len(persons)},
    )
    record_reads(
        by=user, persons=persons, action="person.search_result", channel=channel, request=request
    )
    return persons
