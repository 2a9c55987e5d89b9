"""Who gets a letter in a batch, and who is left out and why.

The selection works on the periods of one kind (KAA or outreach) current on
the day (``today``) in one municipality. Everybody it finds either gets a
letter or is left out with a reason (:class:`letters.models.Reason`); nobody disappears silently.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Q

from people.models import Guardian, Person
from responsibility.models import Kind, ResponsibilityPeriod
from samverka.dates import add_years
from worklists import lists, rules
from worklists import queries as worklist_queries

from .models import REPEAT_AFTER_DAYS, Letter, Purpose, Reason, Recipients


@dataclass(frozen=True)
class Recipient:
    person: Person
    guardian_name: str = ""  # empty for a letter to the young person


@dataclass(frozen=True)
class LeftOut:
    person: Person
    reason: Reason
    earlier_on: date | None = None


@dataclass
class Selection:
    recipients: list[Recipient] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def persons(self) -> list[Person]:
        """Everybody whose data the selection read, once each."""
        seen = {r.person.pk: r.person for r in self.recipients}
        seen |= {x.person.pk: x.person for x in self.left_out}
        return list(seen.values())

    def counts(self) -> dict[str, int]:
        by_reason = {reason: 0 for reason in Reason}
        for x in self.left_out:
            by_reason[x.reason] += 1
        return by_reason


def has_postal_address(person: Person) -> bool:
    """A street (or second line), a five-digit postal code and a town: enough for the post."""
    return bool(
        (person.street or person.street2)
        and len(person.postal_code) == 5
        and person.postal_code.isdigit()
        and person.city
    )


def _periods(
    user, municipality_id: int, recipients: str, *, kind: str, since, min_attempts, today: date
):
    current = ResponsibilityPeriod.objects.filter(municipality_id=municipality_id, kind=kind)
    if recipients == Recipients.NEWLY:
        return current.on(today).filter(start__gte=since)
    if recipients == Recipients.NOT_REACHED:
        # The worklist's own definition, so the letter goes to exactly the
        # young people the worklist "not reached after N attempts" shows.
        worklist = lists.WORKLISTS[lists.NOT_REACHED]
        scope = worklist_queries.scope_for(
            user, worklist, municipality_ids=[municipality_id], today=today
        )
        return rules.rows(scope, worklist, rules.Params(kind=kind, attempts=min_attempts))
    # Guardians: under-18s, whose guardians Navet reports.
    return current.on(today).filter(person__birth_date__gt=add_years(today, -18))


def _guardians(person_ids: list[int], today: date) -> dict[int, list[str]]:
    current = (
        Guardian.objects.filter(person_id__in=person_ids)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("last_name", "first_name", "id")
    )
    names: dict[int, list[str]] = {}
    for g in current:
        name = f"{g.first_name} {g.last_name}".strip()
        if name:
            names.setdefault(g.person_id, []).append(name)
    return names


def _earlier_letters(person_ids: list[int], template_id: int, since: date) -> dict[int, date]:
    """Per person, the last letter from this template made on or after ``since``."""
    rows = (
        Letter.objects.filter(person_id__in=person_ids, batch__template_id=template_id)
        .filter(batch__letter_date__gte=since)
        .values("person_id")
        .annotate(last=Max("batch__letter_date"))
    )
    return {r["person_id"]: r["last"] for r in rows}


def _first_letters(periods: list[ResponsibilityPeriod]) -> dict[int, date]:
    """Per person, the last first letter made since their current period began."""
    starts = {p.person_id: p.start for p in periods}
    rows = (
        Letter.objects.filter(person_id__in=starts, batch__purpose=Purpose.FIRST_LETTER)
        .values("person_id")
        .annotate(last=Max("batch__letter_date"))
    )
    return {r["person_id"]: r["last"] for r in rows if r["last"] >= starts[r["person_id"]]}


def select(
    user,
    *,
    municipality_id: int,
    template,
    recipients: str,
    kind: str = Kind.KAA,
    since: date | None = None,
    min_attempts: int = 1,
    today: date,
) -> Selection:
    """The recipients and the left-out of a batch; reads only, audits nothing.

    The caller checks the user's permission and audits what it shows.
    """
    periods = list(
        _periods(
            user,
            municipality_id,
            recipients,
            kind=kind,
            since=since,
            min_attempts=min_attempts,
            today=today,
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__identity_number")
    )
    ids = [p.person_id for p in periods]
    repeat = _earlier_letters(ids, template.pk, today - timedelta(days=REPEAT_AFTER_DAYS))
    first = _first_letters(periods) if template.purpose == Purpose.FIRST_LETTER else {}
    guardians = _guardians(ids, today) if recipients == Recipients.GUARDIANS else {}
    selection = Selection()
    for period in periods:
        person = period.person
        if person.is_protected:
            # Checked first: nothing about where they live may be looked at.
            selection.left_out.append(LeftOut(person, Reason.PROTECTED))
        elif recipients == Recipients.GUARDIANS and not guardians.get(person.pk):
            selection.left_out.append(LeftOut(person, Reason.NO_GUARDIAN))
        elif not has_postal_address(person):
            selection.left_out.append(LeftOut(person, Reason.NO_ADDRESS))
        elif person.pk in first:
            selection.left_out.append(LeftOut(person, Reason.FIRST_LETTER_SENT, first[person.pk]))
        elif person.pk in repeat:
            selection.left_out.append(LeftOut(person, Reason.ALREADY_SENT, repeat[person.pk]))
        elif recipients == Recipients.GUARDIANS:
            selection.recipients.extend(Recipient(person, name) for name in guardians[person.pk])
        else:
            selection.recipients.append(Recipient(person))
    return selection
