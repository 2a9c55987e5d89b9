"""Applies school files (CSV enrolments, 15:15 notifications, SS 12000 snapshots)."""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.utils import timezone

from imports.errors import Counts, ImportFailed
from organisations.models import Organisation
from people.models import Person
from responsibility.actions import recompute_kaa
from samverka import bulk

from .models import Enrolment, SchoolForm, SchoolNotification, SchoolUnit
from .readers import (
    EnrolmentRow,
    NotificationRow,
    SchoolFileError,
    read_enrolment_csv,
    read_ss12000_persons,
    sniff_school_file,
)

BATCH = 2000
ANALYZE_AFTER = 5000
ENROLMENT_COLUMNS = [
    "municipality_id",
    "source",
    # The key of an enrolment, as _apply_enrolments builds it.
    "person_id",
    "school_unit_id",
    "school_form",
    "programme_code",
    "start_date",
    # Last, so that a later row for the same enrolment can replace them.
    "end_date",
    "end_reason",
]
SKIPPED_NOTE_LIMIT = 20


def import_school(
    *,
    municipality: Organisation,
    source,
    progress: Callable[[], None] = lambda: None,
    snapshot_date: date | None = None,
) -> Counts:
    """Read one school file and apply it. Raises ImportFailed on the first bad line."""
    counts = Counts()
    try:
        kind = sniff_school_file(source.read(4096))
        source.seek(0)
        if kind == "ss12000_json":
            touched = _apply_snapshot(
                municipality,
                read_ss12000_persons(source),
                counts,
                snapshot_date or timezone.localdate(),
            )
        else:
            # Read here, not in a second process as a large Navet file is
            # (samverka.readahead): csv parses in C, and sending the rows to this
            # process cost more than it saved (bench/README.md).
            rows = read_enrolment_csv(source)
            touched = _apply_rows(municipality, rows, counts, progress)
    except SchoolFileError as error:
        raise ImportFailed(str(error), [(error.line, None, str(error))]) from error
    counts.responsibility_changed = recompute_kaa(municipality=municipality, person_ids=touched)
    return counts


class _Context:
    """Lookups shared by one file: persons by identity number, school units by code."""

    def __init__(self, municipality, counts: Counts):
        self.municipality = municipality
        self.counts = counts
        self.units: dict[str, SchoolUnit] = {}
        # The persons of earlier batches, where they are the only ones who can
        # have enrolments (see _apply_rows); None where anyone can.
        self.seen: set[int] | None = None

    def persons(self, identity_numbers: Iterable[str]) -> dict[str, int]:
        return dict(
            Person.objects.filter(municipality=self.municipality)
            .filter(bulk.any_of("identity_number", set(identity_numbers)))
            .values_list("identity_number", "id")
        )

    def unit(self, code: str, name: str) -> SchoolUnit:
        unit = self.units.get(code)
        if unit is None:
            unit, created = SchoolUnit.objects.get_or_create(code=code, defaults={"name": name})
            if not created and name and unit.name != name:
                unit.name = name
                unit.save(update_fields=["name"])
            self.units[code] = unit
        return unit

    def preload_units(self, names: dict[str, str]) -> None:
        """Fetch (or create) every school unit a batch names, in two queries."""
        missing = [code for code in names if code not in self.units]
        if not missing:
            return
        for unit in SchoolUnit.objects.filter(code__in=missing):
            if names[unit.code] and unit.name != names[unit.code]:
                unit.name = names[unit.code]
                unit.save(update_fields=["name"])
            self.units[unit.code] = unit
        new = [SchoolUnit(code=c, name=names[c]) for c in missing if c not in self.units]
        SchoolUnit.objects.bulk_create(new, ignore_conflicts=True)
        for unit in SchoolUnit.objects.filter(code__in=[u.code for u in new]):
            self.units[unit.code] = unit

    def skip(self, line: int | str, identity_number: str) -> None:
        self.counts.skipped += 1
        if self.counts.skipped <= SKIPPED_NOTE_LIMIT:
            self.counts.notes.append(
                f"{line}: not in the municipality's population register, skipped."
            )


def _apply_rows(municipality, rows, counts: Counts, progress) -> set[int]:
    context = _Context(municipality, counts)
    # Before the municipality's first enrolments, only persons the file has
    # already given can have any: nobody else needs looking up.
    if not Enrolment.objects.filter(municipality=municipality).exists():
        context.seen = set()
    touched: set[int] = set()
    batch: list[EnrolmentRow | NotificationRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            touched |= _apply_batch(context, batch)
            batch = []
            progress()
    touched |= _apply_batch(context, batch)
    return touched


def _apply_batch(context: _Context, rows) -> set[int]:
    persons = context.persons(r.identity_number for r in rows)
    known = []
    for row in rows:
        if row.identity_number in persons:
            known.append(row)
        else:
            context.skip(f"Line {row.line}", row.identity_number)
    context.preload_units({r.school_unit_code: r.school_unit_name for r in known})
    enrolments = [r for r in known if isinstance(r, EnrolmentRow)]
    touched = _apply_enrolments(context, persons, enrolments)
    for row in known:
        if isinstance(row, NotificationRow):
            unit = context.unit(row.school_unit_code, row.school_unit_name)
            if _apply_notification(context, persons[row.identity_number], unit, row):
                touched.add(persons[row.identity_number])
    return touched


def _apply_enrolments(context: _Context, persons: dict[str, int], rows) -> set[int]:
    """Create new enrolments and update changed ends, a batch at a time."""
    if not rows:
        return set()
    person_ids = {persons[r.identity_number] for r in rows}
    if context.seen is None:
        lookup = person_ids
    else:
        lookup = person_ids & context.seen
        context.seen |= person_ids
    existing = {
        (e.person_id, e.school_unit_id, e.school_form, e.programme_code, e.start_date): e
        for e in (Enrolment.objects.filter(bulk.any_of("person_id", lookup)) if lookup else [])
    }
    # New enrolments as rows of ENROLMENT_COLUMNS; a later row of the file with
    # the same key only changes the end.
    new: dict[tuple, list] = {}
    changed: dict[int, Enrolment] = {}
    for row in rows:
        person_id = persons[row.identity_number]
        unit = context.unit(row.school_unit_code, row.school_unit_name)
        key = (person_id, unit.pk, row.school_form, row.programme_code, row.start_date)
        enrolment = existing.get(key)
        if enrolment is not None:
            if (enrolment.end_date, enrolment.end_reason) == (row.end_date, row.end_reason):
                context.counts.unchanged += 1
            else:
                enrolment.end_date = row.end_date
                enrolment.end_reason = row.end_reason
                changed[enrolment.pk] = enrolment
        elif key in new:
            if new[key][-2:] == [row.end_date, row.end_reason]:
                context.counts.unchanged += 1
            else:
                new[key][-2:] = [row.end_date, row.end_reason]
        else:
            new[key] = [
                context.municipality.pk,
                Enrolment.Source.CSV,
                *key,
                row.end_date,
                row.end_reason,
            ]
    bulk.insert_rows(Enrolment, ENROLMENT_COLUMNS, new.values())
    bulk.update(Enrolment, changed.values(), ["end_date", "end_reason"])
    context.counts.created += len(new)
    context.counts.changed += len(changed)
    if context.counts.created >= ANALYZE_AFTER and not context.counts.analyzed:
        # Later batches look up enrolments by person: let the planner see them.
        bulk.analyze(Enrolment)
        context.counts.analyzed = True
    return {key[0] for key in new} | {e.person_id for e in changed.values()}


def _apply_notification(context: _Context, person_id: int, unit, row: NotificationRow) -> bool:
    created, touched = apply_notification(
        municipality=context.municipality,
        person_id=person_id,
        unit=unit,
        event=row.event,
        event_date=row.event_date,
    )
    if created:
        context.counts.created += 1
    else:
        context.counts.unchanged += 1
    return touched


def apply_notification(
    *, municipality, person_id: int, unit: SchoolUnit, event: str, event_date: date
) -> tuple[bool, bool]:
    """A 15:15 notice is kept as a dated event; "started" and "left" also
    open or close the enrolment at that school when no enrolment feed has.

    Returns whether the notice is new, and whether it can change the person's
    responsibility (the caller recomputes). A school's notice sent through
    coordination comes here too.
    """
    _notice, created = SchoolNotification.objects.get_or_create(
        person_id=person_id,
        school_unit=unit,
        event=event,
        event_date=event_date,
        defaults={"municipality": municipality},
    )
    if not created:
        return False, False
    at_unit = Enrolment.objects.filter(person_id=person_id, school_unit=unit).exclude(
        school_form=SchoolForm.GRUNDSKOLA
    )
    if event == "started" and not at_unit.filter(end_date__isnull=True).exists():
        Enrolment.objects.create(
            municipality=municipality,
            person_id=person_id,
            school_unit=unit,
            school_form=SchoolForm.GYMNASIESKOLA,
            start_date=event_date,
            source=Enrolment.Source.CSV,
        )
    elif event == "left":
        at_unit.filter(end_date__isnull=True, start_date__lte=event_date).update(
            end_date=event_date, end_reason="avbrott"
        )
    return True, event in ("started", "left")


def _apply_snapshot(municipality, persons, counts: Counts, snapshot_date: date) -> set[int]:
    """An SS 12000 export is the state on ``snapshot_date``: an enrolment that
    appears has started, one that has disappeared ended the day before."""
    context = _Context(municipality, counts)
    touched: set[int] = set()
    seen_units: set[int] = set()
    present: set[tuple[int, int, str, str]] = set()
    people = list(persons)
    ids = context.persons(p.identity_number for p in people)
    for person in people:
        person_id = ids.get(person.identity_number)
        if person_id is None:
            context.skip(f"Person {person.index}", person.identity_number)
            continue
        for e in person.enrolments:
            unit = context.unit(e.school_unit_code, e.school_unit_name)
            seen_units.add(unit.pk)
            if e.cancelled:
                continue
            present.add((person_id, unit.pk, e.school_form, e.programme_code))
            same = Enrolment.objects.filter(
                person_id=person_id,
                school_unit=unit,
                school_form=e.school_form,
                programme_code=e.programme_code,
            )
            # The enrolment this entry already made (it may have ended since, or
            # been ended while missing from a snapshot), else the open one here
            # unless that started after this entry ended. Creating a second one
            # would break unique_enrolment or duplicate it every day.
            known = same.filter(start_date=e.start_date).first() if e.start_date else None
            if known is None:
                open_here = same.filter(end_date__isnull=True)
                if e.end_date is not None:
                    open_here = open_here.filter(start_date__lte=e.end_date)
                known = open_here.first()
            if known is None and e.start_date is None and e.end_date is not None:
                known = same.filter(end_date=e.end_date).first()
            if known is not None:
                if known.end_date == e.end_date:
                    counts.unchanged += 1
                    continue
                known.end_date = e.end_date
                known.save(update_fields=["end_date"])
                counts.changed += 1
                touched.add(person_id)
                continue
            Enrolment.objects.create(
                municipality=municipality,
                person_id=person_id,
                school_unit=unit,
                school_form=e.school_form,
                programme_code=e.programme_code,
                start_date=e.start_date or min(snapshot_date, e.end_date or snapshot_date),
                end_date=e.end_date,
                source=Enrolment.Source.SS12000,
            )
            counts.created += 1
            touched.add(person_id)
    gone = Enrolment.objects.filter(
        municipality=municipality,
        source=Enrolment.Source.SS12000,
        school_unit_id__in=seen_units,
        end_date__isnull=True,
    )
    for enrolment in gone:
        key = (
            enrolment.person_id,
            enrolment.school_unit_id,
            enrolment.school_form,
            enrolment.programme_code,
        )
        if key in present:
            continue
        enrolment.end_date = max(enrolment.start_date, snapshot_date - timedelta(days=1))
        enrolment.save(update_fields=["end_date"])
        counts.changed += 1
        touched.add(enrolment.person_id)
    return touched
