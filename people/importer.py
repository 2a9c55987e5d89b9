"""Applies Navet posts to the register: create, change, or leave unchanged."""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from operator import itemgetter

from django.utils import timezone

from imports.errors import Counts, ImportFailed
from organisations.models import Municipality, Organisation
from responsibility import rules
from responsibility.actions import policy_for, recompute_kaa, write_kaa_of_new_persons
from responsibility.models import ResponsibilityPeriod
from samverka import bulk
from samverka.dates import add_years, age_on
from samverka.readahead import read_ahead

from . import residence
from .identity import IdentityNumber
from .models import Guardian, Person, ResidencePeriod
from .navet import NavetFormatError, NavetPost, read_posts

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
PERSON_COLUMNS = ["municipality_id", "identity_number", *PERSON_FIELDS]
_person_fields = itemgetter(*PERSON_FIELDS)
RESIDENCE_COLUMNS = ["municipality_id", "person_id", "municipality_code", "start", "end"]
GUARDIAN_COLUMNS = [
    "municipality_id",
    "person_id",
    "identity_number",
    "first_name",
    "last_name",
    "valid_from",
    "valid_to",
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
    # A large file is read in a second process while this one writes (samverka.readahead).
    posts = read_ahead(source, partial(read_posts, municipality_codes=codes, known_digests=known))
    policy = policy_for(municipality)
    # On a municipality's first import the register holds nobody: only a person
    # the file has already given can be in it, and nobody needs looking up.
    seen = None if Person.objects.filter(municipality=municipality).exists() else set()
    changed: set[int] = set()
    batch: dict[str, NavetPost] = {}
    today = timezone.localdate()
    try:
        for post in posts:
            if post.identity_number in batch or len(batch) >= BATCH:
                changed |= _apply(municipality, list(batch.values()), counts, today, policy, seen)
                batch = {}
                progress()
            batch[post.identity_number] = post
        changed |= _apply(municipality, list(batch.values()), counts, today, policy, seen)
    except NavetFormatError as error:
        raise ImportFailed(str(error), [(error.line, error.post_number, str(error))]) from error
    skipped, file_info = posts.result
    counts.unchanged += skipped
    if file_info is not None and file_info.file_count > 1:
        counts.notes.append(f"File {file_info.file_number} of {file_info.file_count}.")
    # New persons got their KAA periods batch by batch (see _apply).
    counts.responsibility_changed += recompute_kaa(municipality=municipality, person_ids=changed)
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


def _apply(
    municipality,
    posts: list[NavetPost],
    counts: Counts,
    today: date,
    policy: rules.Policy,
    seen: set[str] | None,
) -> set[int]:
    """Write a batch of posts; returns the ids of the persons it changed, whose
    KAA periods are still to be recomputed. ``seen``: the identity numbers of the
    earlier batches when the register held nobody of the municipality before
    this file, else None."""
    if not posts:
        return set()
    digests = {post.identity_number: digest(post) for post in posts}
    if seen is None:
        lookup = list(digests)
    else:
        lookup = [number for number in digests if number in seen]
        seen.update(digests)
    # Compare digests first: an unchanged post costs no model instance and no write.
    known = (
        dict(
            Person.objects.filter(municipality=municipality)
            .filter(bulk.any_of("identity_number", lookup))
            .values_list("identity_number", "navet_digest")
        )
        if lookup
        else {}
    )
    stale = [number for number, old in known.items() if old != digests[number]]
    existing = (
        {
            p.identity_number: p
            for p in Person.objects.filter(municipality=municipality).filter(
                bulk.any_of("identity_number", stale)
            )
        }
        if stale
        else {}
    )
    new: list[tuple[dict, NavetPost]] = []
    changed: list[tuple[Person, dict, NavetPost]] = []
    for post in posts:
        number = post.identity_number
        if number in known and number not in existing:
            counts.unchanged += 1
            continue
        person = existing.get(number)
        values = _values(post, digests[number], today, person)
        if person is None:
            new.append((values, post))
        else:
            for name, value in values.items():
                setattr(person, name, value)
            changed.append((person, values, post))

    new_ids = _insert_persons(municipality, new)
    bulk.update(Person, [p for p, _, _ in changed], PERSON_FIELDS + ["updated_at"])
    counts.created += len(new)
    counts.changed += len(changed)
    if counts.created + counts.changed >= ANALYZE_AFTER and not counts.analyzed:
        bulk.analyze(Person, ResidencePeriod, Guardian, ResponsibilityPeriod)
        counts.analyzed = True

    # (person id, the person's fields, post) of every person this batch writes.
    affected = [(pk, values, post) for pk, (values, post) in zip(new_ids, new, strict=True)]
    affected += [(person.pk, values, post) for person, values, post in changed]
    changed_ids = [person.pk for person, _, _ in changed]
    stays = _replace_residences(municipality, affected, changed_ids)
    if changed_ids:
        Guardian.objects.filter(bulk.any_of("person_id", changed_ids)).delete()
    bulk.insert_rows(
        Guardian,
        GUARDIAN_COLUMNS,
        [
            row
            for pk, values, post in affected
            for row in _guardians(municipality, pk, values, post, today)
        ],
    )
    # A new person has neither enrolments nor KAA periods yet: the periods follow
    # from what this batch has just written, without reading it back.
    counts.responsibility_changed += write_kaa_of_new_persons(
        municipality=municipality,
        policy=policy,
        facts={pk: _facts(values, stays[pk]) for pk, values, _post in affected[: len(new)]},
    )
    return set(changed_ids)


def _facts(values: dict, stays: list[residence.Stay]) -> rules.Facts:
    """What the KAA rules need to know of a new person."""
    return rules.Facts(
        birth_date=values["birth_date"],
        residences=tuple(rules.Residence(s.municipality_code, s.start, s.end) for s in stays),
        enrolments=(),
        immigration_date=values["immigration_date"],
        deregistration_reason=values["deregistration_reason"],
        deregistration_date=values["deregistration_date"],
    )


def _insert_persons(municipality, new: list[tuple[dict, NavetPost]]) -> list[int]:
    """Write the new persons; returns their ids, in the same order."""
    if not new:
        return []
    rows = [
        (municipality.pk, post.identity_number, *_person_fields(values)) for values, post in new
    ]
    ids = bulk.reserve_ids(Person, len(rows))
    if ids is not None:
        bulk.insert_rows(
            Person, ["id", *PERSON_COLUMNS], [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        )
        return ids
    # Without reserved ids (not PostgreSQL) the database assigns them: look them up.
    bulk.insert_rows(Person, PERSON_COLUMNS, rows)
    found = dict(
        Person.objects.filter(municipality=municipality)
        .filter(bulk.any_of("identity_number", [post.identity_number for _, post in new]))
        .values_list("identity_number", "id")
    )
    return [found[post.identity_number] for _, post in new]


def _values(post: NavetPost, post_digest: str, today: date, person: Person | None) -> dict:
    """The fields of PERSON_FIELDS as the post gives them. ``person`` is the
    register's record before the post, None for a new person."""
    # The reader has validated and normalised the number: no need to parse it again.
    identity = IdentityNumber(post.identity_number)
    birth_date = identity.birth_date
    if birth_date is None and post.birth_date is not None and post.birth_date.day:
        birth_date = post.birth_date.earliest()
    protected = post.sekretessmarkering or post.skyddad_folkbokforing
    if not protected:
        protected_since = None
    elif person is None or not person.is_protected:
        protected_since = today
    else:
        protected_since = person.protected_since
    # A protected identity's address is not stored at all: what is not kept
    # cannot reach a page, an export or a log.
    address = None if protected else post.address
    return {
        "birth_date": birth_date,
        "birth_year": identity.birth_year,
        "first_name": post.first_name,
        "middle_name": post.middle_name,
        "last_name": post.last_name,
        "care_of": address.care_of if address else "",
        "street": address.street if address else "",
        "street2": address.street2 if address else "",
        "postal_code": address.postal_code if address else "",
        "city": address.city if address else "",
        "sekretessmarkering": post.sekretessmarkering,
        "skyddad_folkbokforing": post.skyddad_folkbokforing,
        "protected_since": protected_since,
        "immigration_date": (post.immigration_date.earliest() if post.immigration_date else None),
        "deregistration_reason": post.deregistration_code or "",
        "deregistration_date": (
            post.deregistration_date.earliest() if post.deregistration_date else None
        ),
        "navet_digest": post_digest,
    }


def _replace_residences(
    municipality, affected, changed_ids: list[int]
) -> dict[int, list[residence.Stay]]:
    """Merge each post into the person's residence history (new persons have none);
    returns the histories written, by person id."""
    existing = defaultdict(list)
    if changed_ids:
        for person_id, start, end, code in ResidencePeriod.objects.filter(
            bulk.any_of("person_id", changed_ids)
        ).values_list("person_id", "start", "end", "municipality_code"):
            existing[person_id].append(residence.Stay(start, end, code))
    rows = []
    written = {}
    for pk, values, post in affected:
        reported = [
            (
                stay.since.earliest() if stay.since else _fallback_since(values),
                stay.municipality_code,
            )
            for stay in (*post.history, *([post.residence] if post.residence else []))
            if stay.municipality_code
        ]
        stays = written[pk] = residence.merge(existing[pk], reported, values["deregistration_date"])
        rows.extend((municipality.pk, pk, s.municipality_code, s.start, s.end) for s in stays)
    if changed_ids:
        ResidencePeriod.objects.filter(bulk.any_of("person_id", changed_ids)).delete()
    bulk.insert_rows(ResidencePeriod, RESIDENCE_COLUMNS, rows)
    return written


def _fallback_since(values: dict) -> date:
    # Without a Folkbokforingsdatum the person has been folkbokförd since birth.
    return values["birth_date"] or date(values["birth_year"], 1, 1)


def _guardians(municipality, pk: int, values: dict, post: NavetPost, today: date) -> list[tuple]:
    """Rows of GUARDIAN_COLUMNS for the person's current guardians."""
    # Guardians are kept only while the person is a child (förordning 2006:39 4 §).
    birth_date = values["birth_date"]
    if birth_date is None or age_on(birth_date, today) >= 18:
        return []
    return [
        (
            municipality.pk,
            pk,
            r.identity_number or "",
            r.first_name,
            r.last_name,
            r.valid_from.earliest() if r.valid_from else None,
            r.valid_to.earliest() if r.valid_to else None,
        )
        for r in post.relations
        if r.relation_type == GUARDIAN_RELATION
        and (r.valid_to is None or r.valid_to.earliest() >= today)
    ]
