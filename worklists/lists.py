"""The eight worklists of a KAA unit: what each is called and who may open it.

The rules themselves (which young people are on a list) are in
``worklists.rules``; this module is the catalogue the pages, the URLs and the
tests walk through.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from organisations.access import municipality_ids_with
from organisations.permissions import Permission

# Every list shows persons in the register with their contacts and responsibility.
BASE_PERMISSIONS = frozenset({Permission.LOG_CONTACT, Permission.VIEW_RESPONSIBILITY})

NEW = "new"
NEVER_CONTACTED = "never-contacted"
NOT_REACHED = "not-reached"
NO_MEASURE = "no-measure"
FOLLOW_UP = "follow-up"
OCCUPATION = "occupation"
LEAVING = "leaving"
ENDED = "ended"


@dataclass(frozen=True)
class Worklist:
    slug: str
    title: Promise
    description: Promise
    # The header of the list's own date column, which "sort by date" sorts on.
    date_label: Promise
    # What a user needs, besides BASE_PERMISSIONS, to see the list: a list that
    # reveals measures, plans or occupation needs the permission to see them.
    needs: frozenset[Permission] = frozenset()

    @property
    def url_name(self) -> str:
        return "worklist_" + self.slug.replace("-", "_")

    @property
    def audit_action(self) -> str:
        return "casework.worklist." + self.slug.replace("-", "_")

    @property
    def permissions(self) -> frozenset[Permission]:
        return BASE_PERMISSIONS | self.needs


SINCE = _("In responsibility since")

WORKLISTS: dict[str, Worklist] = {
    w.slug: w
    for w in (
        Worklist(
            NEW,
            _("New since my last visit"),
            _(
                "Young people who entered KAA or outreach on or after the day of your "
                "last visit to this list (the last 30 days at your first visit)."
            ),
            SINCE,
        ),
        Worklist(
            NEVER_CONTACTED,
            _("Never contacted"),
            _(
                "Young people in KAA or outreach today who have not been reached since "
                "their current period started."
            ),
            SINCE,
        ),
        Worklist(
            NOT_REACHED,
            _("Not reached after several attempts"),
            _(
                "Young people who have not been reached since their current period "
                "started, although the unit tried at least the number of times chosen."
            ),
            SINCE,
        ),
        Worklist(
            NO_MEASURE,
            _("No measure offered"),
            _("Young people who have been offered no measure since their current period started."),
            SINCE,
            frozenset({Permission.OFFER_MEASURE}),
        ),
        Worklist(
            FOLLOW_UP,
            _("Follow-up due"),
            _(
                "Young people with an open individual plan whose follow-up or evaluation "
                "date is today or has passed."
            ),
            _("Due"),
            frozenset({Permission.WRITE_PLAN}),
        ),
        Worklist(
            OCCUPATION,
            _("Occupation unknown or old"),
            _(
                "Young people with no occupation recorded, an occupation recorded as "
                "unknown, a review date that has passed, or an occupation recorded longer "
                "ago than the number of days chosen."
            ),
            SINCE,
            frozenset({Permission.RECORD_OCCUPATION}),
        ),
        Worklist(
            LEAVING,
            _("Leaving within 60 days"),
            _(
                "Young people whose KAA or outreach ends within 60 days: KAA on the 20th "
                "birthday, outreach at its upper age limit, or an end already known."
            ),
            _("Leaves on"),
        ),
        Worklist(
            ENDED,
            _("Ended, not yet closed"),
            _(
                "Young people whose last period of KAA or outreach has ended, whose case "
                "has not been closed since."
            ),
            _("Ended on"),
        ),
    )
}


def municipality_ids_for(user, worklist: Worklist) -> frozenset[int]:
    """The municipalities whose register the user may go through with this list."""
    ids: set[int] | None = None
    for permission in worklist.permissions:
        held = municipality_ids_with(user, permission)
        ids = held if ids is None else ids & held
    return frozenset(ids or ())


def visible_to(user) -> list[Worklist]:
    """The lists the user may open, in their order."""
    return [w for w in WORKLISTS.values() if municipality_ids_for(user, w)]
