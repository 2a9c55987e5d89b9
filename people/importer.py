"""Applies Navet posts to the register: create, change, or leave unchanged."""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from django.utils import timezone

from imports.errors import Counts, ImportFailed
from organisations.models import Municipality, Organisation
from responsibility.actions import recompute_kaa
from samverka import bulk
from samverka.dates import add_years, age_on

from . import residence
from .identity import parse
from .models import Guardian, Person, ResidencePeriod
from .navet import NavetFormatError, NavetPost, NavetReader

BATCH = 2000
ANALYZE_AFTER = 5000  # persons written before the planner is told about them
GUARDIAN_RELATION = "V"  # Relationstyp V: vårdnadshavare
PERSON_FIELDS = [
    "birth_date",
    "birth_year",
    "first_name",
    "middle_name",
    "last_name",
    "care_of",
    "street",
    "street2",
    "postal_code",
    "city",
    "sekretessmarkering",
    "skyddad_folkbokforing",
    "protected_since",
    "immigration_date",
    "deregistration_reason",
    "deregistration_date",
    "navet_digest",
]


def import_navet(
    *, municipality: Organisation, source, progress: Callable[[], None] = lambda: None
) -> Counts:
    """Read one Navet file and apply it. Raises ImportFailed on the first bad post.

    The caller holds the transaction: on failure nothing of the file remains.
    """
    counts = Counts()
    codes = set(Municipality.objects.values_list("code", flat=True))
    # Posts identical to the ones last applied need neither reading nor writing.
    known = set(
        Person.objects.filter(municipality=municipality)
        .exclude(navet_digest="")
        .values_list("navet_digest", flat=True)
    )
    reader = NavetReader(source, municipality_codes=codes, known_digests=known)
    touched: set[int] = set()
    batch: dict[str, NavetPost] = {}
    today = timezone.localdate()
    try:
        for post in reader:
            if post.identity_number in batch or len(batch) >= BATCH:
                touched |= _apply(municipality, list(batch.values()), counts, today)
                batch = {}
                progress()
            batch[post.identity_number] = post
        touched |= _apply(municipality, list(batch.values()), counts, today)
    except NavetFormatError as error:
        raise ImportFailed(str(error), [(error.line, error.post_number, str(error))]) from error
    counts.unchanged += reader.skipped
    if reader.file_info is not None and reader.file_info.file_count > 1:
        counts.notes.append(
            f"File {reader.file_info.file_number} of {reader.file_info.file_count}."
        )
    counts.responsibility_changed = recompute_kaa(municipality=municipality, person_ids=touched)
    _forget_guardians_of_adults(municipality, today)
    return counts


def _forget_guardians_of_adults(municipality, today: date) -> None:
    """Guardians are kept only for under-18s, also for persons whose post did not change."""
    Guardian.objects.filter(
        municipality=municipality, person__birth_date__lte=add_years(today, -18)
    ).delete()


def digest(post: NavetPost) -> str:
    """What tells an unchanged post: the hash of its XML, or of its data when built in code."""
    if post.source_digest:
        return post.source_digest
    # Position in the file is not part of the person's data.
    return hashlib.sha256(repr(replace(post, post_number=0, line=0)).encode()).hexdigest()


def _apply(municipality, posts: list[NavetPost], counts: Counts, today: date) -> set[int]:
    if not posts:
        return set()
    numbers = [p.identity_number for p in posts]
    # Compare digests first: an unchanged post costs no model instance and no write.
    known = dict(
        Person.objects.filter(municipality=municipality, identity_number__in=numbers).values_list(
            "identity_number", "navet_digest"
        )
    )
    digests = {post.identity_number: digest(post) for post in posts}
    stale = [number for number, old in known.items() if old != digests[number]]
    existing = (
        {
            p.identity_number: p
            for p in Person.objects.filter(municipality=municipality, identity_number__in=stale)
        }
        if stale
        else {}
    )
    new: list[tuple[Person, NavetPost]] = []
    changed: list[tuple[Person, NavetPost]] = []
    for post in posts:
        number = post.identity_number
        if number in known and number not in existing:
            counts.unchanged += 1
            continue
        person = existing.get(number)
        if person is None:
            person = Person(municipality=municipality, identity_number=number)
            new.append((person, post))
        else:
            changed.append((person, post))
        _fill(person, post, digests[number], today)

    ids = bulk.reserve_ids(Person, len(new))
    if ids is not None:
        for (person, _post), pk in zip(new, ids, strict=True):
            person.pk = pk
    bulk.insert(Person, [p for p, _ in new])
    _set_new_ids(municipality, [p for p, _ in new])
    bulk.update(Person, [p for p, _ in changed], PERSON_FIELDS + ["updated_at"])
    counts.created += len(new)
    counts.changed += len(changed)
    if counts.created + counts.changed >= ANALYZE_AFTER and not counts.analyzed:
        bulk.analyze(Person, ResidencePeriod, Guardian)
        counts.analyzed = True

    affected = new + changed
    changed_ids = [p.pk for p, _ in changed]
    _replace_residences(municipality, affected, changed_ids)
    if changed_ids:
        Guardian.objects.filter(person_id__in=changed_ids).delete()
    bulk.insert(
        Guardian,
        [g for person, post in affected for g in _guardians(municipality, person, post, today)],
    )
    return {p.pk for p, _ in affected}


def _set_new_ids(municipality, persons: list[Person]) -> None:
    """COPY returns no keys: look the new persons up by identity number."""
    if not persons or persons[0].pk is not None:
        return
    ids = dict(
        Person.objects.filter(
            municipality=municipality, identity_number__in=[p.identity_number for p in persons]
        ).values_list("identity_number", "id")
    )
    for person in persons:
        person.pk = ids[person.identity_number]


def _fill(person: Person, post: NavetPost, post_digest: str, today: date) -> None:
    identity = parse(post.identity_number)
    person.birth_year = identity.birth_year
    person.birth_date = identity.birth_date
    if person.birth_date is None and post.birth_date is not None and post.birth_date.day:
        person.birth_date = post.birth_date.earliest()
    person.first_name = post.first_name
    person.middle_name = post.middle_name
    person.last_name = post.last_name
    protected = post.sekretessmarkering or post.skyddad_folkbokforing
    # A protected identity's address is not stored at all: what is not kept
    # cannot reach a page, an export or a log.
    address = None if protected else post.address
    person.care_of = address.care_of if address else ""
    person.street = address.street if address else ""
    person.street2 = address.street2 if address else ""
    person.postal_code = address.postal_code if address else ""
    person.city = address.city if address else ""
    if protected and not person.is_protected:
        person.protected_since = today
    elif not protected:
        person.protected_since = None
    person.sekretessmarkering = post.sekretessmarkering
    person.skyddad_folkbokforing = post.skyddad_folkbokforing
    person.immigration_date = post.immigration_date.earliest() if post.immigration_date else None
    person.deregistration_reason = post.deregistration_code or ""
    person.deregistration_date = (
        post.deregistration_date.earliest() if post.deregistration_date else None
    )
    person.navet_digest = post_digest


def _replace_residences(municipality, affected, changed_ids: list[int]) -> None:
    """Merge each post into the person's residence history (new persons have none)."""
    existing = defaultdict(list)
    if changed_ids:
        for r in ResidencePeriod.objects.filter(person_id__in=changed_ids):
            existing[r.person_id].append(residence.Stay(r.start, r.end, r.municipality_code))
    rows = []
    for person, post in affected:
        reported = [
            (
                stay.since.earliest() if stay.since else _fallback_since(person),
                stay.municipality_code,
            )
            for stay in (*post.history, *([post.residence] if post.residence else []))
            if stay.municipality_code
        ]
        stays = residence.merge(existing[person.pk], reported, person.deregistration_date)
        rows.extend(
            ResidencePeriod(
                municipality_id=municipality.pk,
                person_id=person.pk,
                municipality_code=s.municipality_code,
                start=s.start,
                end=s.end,
            )
            for s in stays
        )
    if changed_ids:
        ResidencePeriod.objects.filter(person_id__in=changed_ids).delete()
    bulk.insert(ResidencePeriod, rows)


def _fallback_since(person: Person) -> date:
    # Without a Folkbokforingsdatum the person has been folkbokförd since birth.
    return person.birth_date or date(person.birth_year, 1, 1)


def _guardians(municipality, person: Person, post: NavetPost, today: date) -> list[Guardian]:
    # Guardians are kept only while the person is a child (förordning 2006:39 4 §).
    if person.birth_date is None or age_on(person.birth_date, today) >= 18:
        return []
    return [
        Guardian(
            municipality_id=municipality.pk,
            person_id=person.pk,
            identity_number=r.identity_number or "",
            first_name=r.first_name,
            last_name=r.last_name,
            valid_from=r.valid_from.earliest() if r.valid_from else None,
            valid_to=r.valid_to.earliest() if r.valid_to else None,
        )
        for r in post.relations
        if r.relation_type == GUARDIAN_RELATION
        and (r.valid_to is None or r.valid_to.earliest() >= today)
    ]
