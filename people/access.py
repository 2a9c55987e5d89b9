"""The only way to fetch a person for a user: not permitted looks like not found."""

from django.db.models import Q
from django.http import Http404

from audit.log import record, record_reads
from audit.models import AuditEvent

from .identity import InvalidIdentityNumber, parse
from .models import Person

SEARCH_LIMIT = 50


def get_person_for_user(user, person_id, *, channel: str, request=None) -> Person:
    """The person, with the read audited; Http404 when missing or not permitted."""
    try:
        person = Person.objects.visible_to(user).select_related("municipality").get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404("No such person.") from None
    record(
        by=user,
        kind=AuditEvent.Kind.READ,
        action="person.view",
        obj=person,
        person_id=person.pk,
        municipality_id=person.municipality_id,
        channel=channel,
        request=request,
    )
    return person


def search_persons(user, query: str, *, channel: str, request=None) -> list[Person]:
    """Search by identity number (any written form) or by name.

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
