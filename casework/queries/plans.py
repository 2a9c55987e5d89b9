"""Reading a young person's plans: the case page's section, a version, the timeline.

Each runs a fixed number of queries whatever the number of plans and versions.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.http import Http404
from django.utils.translation import gettext as _

from casework.forms.plans import responsible_label
from casework.models import Plan, PlanRevision


@dataclass(frozen=True)
class MeasureLine:
    """One measure of a version, as it stood when the version was written."""

    name: str
    responsible: str  # the code: young_person, municipality, other_actor
    organisation: str
    start: str | None
    end: str | None

    @property
    def who(self) -> str:
        return responsible_label(self.responsible, self.organisation)


def measure_lines(revision: PlanRevision) -> list[MeasureLine]:
    return [
        MeasureLine(
            name=row.get("name", ""),
            responsible=row.get("responsible", ""),
            organisation=row.get("organisation", ""),
            start=row.get("start"),
            end=row.get("end"),
        )
        for row in revision.measures
    ]


def plans_of(person) -> list[Plan]:
    """The person's plans in their municipality: the open one first, then the newest."""
    plans = Plan.objects.filter(
        person=person, municipality_id=person.municipality_id
    ).select_related("updated_by")
    return sorted(plans, key=lambda p: (p.closed_on is not None, -p.created_at.timestamp()))


def revisions_of(plan: Plan) -> list[PlanRevision]:
    """Every version, newest first."""
    return list(plan.revisions.select_related("written_by").order_by("-number"))


def revision(plan: Plan, number: int | str | None) -> PlanRevision:
    """Version ``number`` of the plan (the current one when None); 404 when there is none."""
    wanted = plan.version if number in (None, "") else number
    try:
        return plan.revisions.select_related("written_by").get(number=int(wanted))
    except (PlanRevision.DoesNotExist, ValueError, TypeError):
        raise Http404("No such version.") from None


@dataclass(frozen=True)
class PlanEvent:
    when: date | datetime
    title: str
    detail: str
    who: object  # a user or None


def _excerpt(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def plan_events(person) -> list[PlanEvent]:
    """Plan written, revised and closed, for the case timeline (two queries)."""
    events = []
    revisions = PlanRevision.objects.filter(
        plan__person=person, plan__municipality_id=person.municipality_id
    ).select_related("written_by")
    for r in revisions:
        title = (
            _("Plan written")
            if r.number == 1
            else _("Plan revised (version %(n)s)") % {"n": r.number}
        )
        events.append(PlanEvent(r.written_at, title, _excerpt(r.goal), r.written_by))
    closed = Plan.objects.filter(
        person=person, municipality_id=person.municipality_id, closed_on__isnull=False
    ).select_related("updated_by")
    for p in closed:
        # A closed plan is never changed again, so its last update is the closing.
        events.append(PlanEvent(p.updated_at, _("Plan closed"), _excerpt(p.goal), p.updated_by))
    return events
