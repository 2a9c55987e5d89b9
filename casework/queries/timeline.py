"""Reading the casework record: a person's timeline.

The unit's worklists are in the worklists app.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.forms.plans import responsible_label
from casework.models import Answer, Contact, Occupation, PersonMeasure
from casework.queries.plans import plan_events
from organisations.models import Municipality
from organisations.permissions import Permission
from responsibility.models import ResponsibilityPeriod

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    when: date | datetime
    kind: str  # residence, responsibility, contact, letter, occupation, measure, plan
    title: str
    detail: str = ""
    who: str = ""

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.when, datetime):
            return timezone.localtime(self.when).replace(tzinfo=None)
        return datetime.combine(self.when, time.min)

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


def user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def timeline(person, permissions) -> list[Entry]:
    """What happened to the person, newest first, limited to what ``permissions`` allow."""
    today = timezone.localdate()
    entries: list[Entry] = []
    names = dict(Municipality.objects.values_list("code", "name"))
    for r in person.residences.all():
        where = names.get(r.municipality_code, r.municipality_code)
        entries.append(
            Entry(
                r.start,
                "residence",
                _("Folkbokförd in %(place)s") % {"place": where},
                who=_("Population register"),
            )
        )
        if r.end is not None and r.end < today:
            entries.append(
                Entry(
                    r.end + ONE_DAY,
                    "residence",
                    _("No longer folkbokförd in %(place)s") % {"place": where},
                    who=_("Population register"),
                )
            )
    if Permission.VIEW_RESPONSIBILITY in permissions:
        periods = ResponsibilityPeriod.objects.filter(
            person=person, start__lte=today
        ).select_related("registered_by")
        for p in periods:
            who = user_name(p.registered_by) or _("Register rules")
            entries.append(
                Entry(
                    p.start,
                    "responsibility",
                    _("Entered %(kind)s") % {"kind": p.get_kind_display()},
                    p.get_start_reason_display(),
                    who,
                )
            )
            if p.end is not None and p.end < today:
                entries.append(
                    Entry(
                        p.end + ONE_DAY,
                        "responsibility",
                        _("Left %(kind)s") % {"kind": p.get_kind_display()},
                        p.get_end_reason_display(),
                        who,
                    )
                )
    if Permission.LOG_CONTACT in permissions:
        notes = Permission.VIEW_CONTACT_NOTES in permissions
        # A contact made by a batch of letters (letters app) is shown with the letter's name.
        contacts = (
            Contact.objects.filter(person=person)
            .select_related("by")
            .annotate(letter=Max("letters__batch__template_name"))
        )
        for c in contacts:
            if c.letter:
                entries.append(
                    Entry(
                        c.at,
                        "letter",
                        _("Letter: %(template)s") % {"template": c.letter},
                        c.get_outcome_display(),
                        user_name(c.by),
                    )
                )
                continue
            entries.append(
                Entry(
                    c.at,
                    "contact",
                    _("%(channel)s: %(outcome)s")
                    % {"channel": c.get_channel_display(), "outcome": c.get_outcome_display()},
                    c.note if notes else "",
                    user_name(c.by),
                )
            )
    if Permission.RECORD_OCCUPATION in permissions:
        for o in Occupation.objects.filter(person=person).select_related("kind", "recorded_by"):
            entries.append(
                Entry(
                    o.start,
                    "occupation",
                    _("Occupation: %(kind)s") % {"kind": o.kind.name},
                    _("Source: %(source)s. Review by %(date)s.")
                    % {"source": o.get_source_display(), "date": o.review_by.isoformat()},
                    user_name(o.recorded_by),
                )
            )
    if Permission.OFFER_MEASURE in permissions:
        entries += measure_entries(PersonMeasure.objects.of(person))
    if Permission.WRITE_PLAN in permissions:
        for e in plan_events(person):
            entries.append(Entry(e.when, "plan", e.title, e.detail, user_name(e.who)))
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)


def measure_entries(offers) -> list[Entry]:
    """Offered, accepted or declined, started and ended: one line each, with who wrote it down."""
    entries = []
    for m in offers:
        steps = []
        name = m.measure.name
        organisation = m.responsible_organisation
        responsible = responsible_label(m.responsible, organisation.name if organisation else "")
        detail = _("Responsible: %(who)s.") % {"who": responsible}
        if m.first_offer:
            first = _("The first measure offered.")
            detail = f"{detail} {first}"
        if m.note:
            detail = f"{detail} {m.note}"
        steps.append(
            Entry(
                m.offered_on,
                "measure",
                _("Measure offered: %(name)s") % {"name": name},
                detail,
                user_name(m.offered_by),
            )
        )
        if m.answered_on is not None:
            title = (
                _("Measure accepted: %(name)s")
                if m.answer == Answer.ACCEPTED
                else _("Measure declined: %(name)s")
            )
            steps.append(
                Entry(
                    m.answered_on,
                    "measure",
                    title % {"name": name},
                    who=user_name(m.answer_recorded_by),
                )
            )
        if m.start is not None:
            steps.append(
                Entry(
                    m.start,
                    "measure",
                    _("Measure started: %(name)s") % {"name": name},
                    who=user_name(m.start_recorded_by),
                )
            )
        if m.end is not None:
            steps.append(
                Entry(
                    m.end,
                    "measure",
                    _("Measure ended: %(name)s") % {"name": name},
                    m.get_end_reason_display(),
                    user_name(m.end_recorded_by),
                )
            )
        # Newest first on the page, also for steps written down on the same day.
        entries.extend(reversed(steps))
    return entries
