"""The worklists' own records: saved views, visits, and the state per young person."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverka.fields import RowidOneToOneField


class WorklistVisit(models.Model):
    """When a user last opened a worklist: "new since my last visit" starts there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    worklist = models.CharField(max_length=40)
    previous_visit = models.DateTimeField(null=True, blank=True)
    last_visit = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "worklist"], name="one_visit_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.worklist} {self.last_visit:%Y-%m-%d %H:%M}"


class SavedView(models.Model):
    """A user's named worklist with its filters and sorting (the query string)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(_("name"), max_length=60)
    worklist = models.CharField(max_length=40)
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class WorklistState(models.Model):
    """What the worklists need to know about one young person, kept up to date.

    Derived from the contacts, occupations, measures, plans and case: every
    casework action that writes one of them sends ``casework_changed`` in its
    transaction and ``worklists.state`` refreshes the persons it names;
    ``manage.py rebuild_worklist_state`` makes the table anew
    from them (after a restore or a data fix). A list then compares a few
    columns of this one row with its period instead of running a subquery per
    young person (docs/adr/0010-worklist-state.md). Kept per person, not per
    period: the worklists compare the dates here with the period's start, so
    a recomputed responsibility needs nothing done here. A person with no
    casework has no row, which the lists read as "nothing known".
    Dates are local days (settings.TIME_ZONE).
    """

    person = RowidOneToOneField(
        "people.Person",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="worklist_state",
    )
    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    last_contact_at = models.DateTimeField(null=True)
    # The local day of the latest contact in which the young person was reached
    # (or declined): "reached since the period started" is last_reached_on >= start.
    last_reached_on = models.DateField(null=True)
    # The local days of the contacts on days after last_reached_on (every
    # contact if never reached), newest first, as ISO dates: for somebody not
    # reached since the period started, "at least N attempts since" is "the
    # N-th of these days is on or after the start".
    attempt_days = models.JSONField(default=list)
    # How many days attempt_days holds: a cheap test before reading the list.
    attempts_after_reach = models.PositiveIntegerField(default=0)
    last_offered_on = models.DateField(null=True)
    # The earliest follow-up or evaluation date of an open plan.
    due_on = models.DateField(null=True)
    # The latest occupation (by start, then id): its kind, whether that kind is
    # "unknown", its review-by date and the local day it was recorded.
    occupation_kind = models.ForeignKey(
        "casework.OccupationKind", null=True, on_delete=models.PROTECT, related_name="+"
    )
    occupation_unknown = models.BooleanField(default=False)
    occupation_review_by = models.DateField(null=True)
    occupation_recorded_on = models.DateField(null=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    case_closed_on = models.DateField(null=True)

    def __str__(self) -> str:
        return f"{self.person_id}"
