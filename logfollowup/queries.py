"""Logguppföljning: the questions a unit manager asks of the audit log.

Who looked at this person? What did this user open? What looks unusual:
persons opened outside the responsibility, protected identities opened,
many persons in a short time, refused attempts?
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from audit.models import AuditEvent, AuditSettings
from organisations.models import Membership, Organisation

# A list on the page never grows without bound.
LIMIT = 500


@dataclass(frozen=True)
class Burst:
    user_id: int
    username: str
    start: datetime
    persons: int


def municipality_users(municipality_id: int) -> QuerySet:
    """Users with a role in the municipality or one of its units."""
    orgs = Organisation.objects.filter(Q(pk=municipality_id) | Q(parent_id=municipality_id))
    return get_user_model().objects.filter(
        id__in=Membership.objects.filter(organisation__in=orgs).values("user_id")
    )


def events(municipality_id: int, start: date, end: date) -> QuerySet:
    """Events about the municipality's data, or by its users, from ``start`` through ``end``."""
    return (
        AuditEvent.objects.filter(at__date__gte=start, at__date__lte=end)
        .filter(
            Q(municipality_id=municipality_id)
            | Q(municipality__isnull=True, user__in=municipality_users(municipality_id))
        )
        .select_related("user")
    )


def for_person(municipality_id: int, person_id: int, start: date, end: date) -> QuerySet:
    return events(municipality_id, start, end).filter(person_id=person_id)[:LIMIT]


def by_user(municipality_id: int, user_id: int, start: date, end: date) -> QuerySet:
    return events(municipality_id, start, end).filter(user_id=user_id)[:LIMIT]


def protected_openings(municipality_id: int, start: date, end: date) -> QuerySet:
    return events(municipality_id, start, end).filter(
        kind=AuditEvent.Kind.READ, protected_identity=True, action="person.view"
    )[:LIMIT]


def refused(municipality_id: int, start: date, end: date) -> QuerySet:
    return events(municipality_id, start, end).filter(kind=AuditEvent.Kind.DENIED)[:LIMIT]


def outside_responsibility(municipality_id: int, start: date, end: date) -> QuerySet:
    """Openings of persons who were in neither KAA nor outreach on the day they were opened."""
    from responsibility.models import ResponsibilityPeriod

    in_responsibility = ResponsibilityPeriod.objects.filter(
        person_id=OuterRef("person_id"), start__lte=OuterRef("at__date")
    ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef("at__date")))
    return (
        events(municipality_id, start, end)
        .filter(kind=AuditEvent.Kind.READ, action="person.view")
        .exclude(Exists(in_responsibility))[:LIMIT]
    )


def bursts(municipality_id: int, start: date, end: date) -> list[Burst]:
    """Each time a user opened at least the threshold of different persons within the window.

    One row per user and burst: the window slides over the user's openings in
    time order, and a burst is reported from its first opening.
    """
    limits = AuditSettings.for_municipality(municipality_id)
    window = timedelta(minutes=limits.burst_minutes)
    rows = (
        events(municipality_id, start, end)
        .filter(kind=AuditEvent.Kind.READ, action="person.view", user__isnull=False)
        .order_by("user_id", "at")
        .values_list("user_id", "user__username", "at", "person_id")
    )
    found: list[Burst] = []
    current_user = None
    opened: list[tuple[datetime, int]] = []
    reported_until: datetime | None = None
    for user_id, username, at, person_id in rows.iterator():
        if user_id != current_user:
            current_user, opened, reported_until = user_id, [], None
        opened.append((at, person_id))
        while opened and at - opened[0][0] > window:
            opened.pop(0)
        distinct = len({p for _, p in opened})
        if distinct >= limits.burst_persons and (reported_until is None or at > reported_until):
            found.append(Burst(user_id, username, opened[0][0], distinct))
            reported_until = opened[0][0] + window
    return found[:LIMIT]
