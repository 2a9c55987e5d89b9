"""Read and write Skatteverket's Navet notices (``Navetavisering`` XML).

Navet is the population register feed. A file follows
``data/xsd/Navetavisering.xsd``: an optional ``Aviseringsinformation`` (who sent
the file, which order and which part of a multi-file delivery it is) followed by
``Folkbokforingsposter`` with one ``Folkbokforingspost`` per person.

``NavetReader`` streams a file post by post, so a 200,000-person delivery is
read in flat memory, and turns every problem (broken XML, wrong encoding,
schema violations, invalid identity numbers, impossible dates, unknown
municipalities) into a ``NavetFormatError`` that names the post and line.
Writing a file (for the demo, tests and benchmarks) is demo.navet_writer's.

Only the parts of a post Samverka uses are read; the rest (civil status,
citizenship, foreign addresses, special solutions ...) is validated by the
schema and otherwise ignored.
"""

from __future__ import annotations

import ast
import calendar
import hashlib
import os
import re
import threading
from collections.abc import Collection, Generator, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from people.identity import InvalidIdentityNumber
from people.identity import parse as parse_identity

__all__ = [
    "NavetAddress",
    "NavetDate",
    "NavetFileInfo",
    "NavetFormatError",
    "NavetPost",
    "NavetReader",
    "NavetRelation",
    "NavetResidence",
    "navet_schema",
    "read_posts",
]

XSD_PATH = Path(__file__).resolve().parents[1] / "data" / "xsd" / "Navetavisering.xsd"

XS = "http://www.w3.org/2001/XMLSchema"

ROOT = "Navetavisering"
FILE_INFO = "Aviseringsinformation"
POSTS = "Folkbokforingsposter"
POST = "Folkbokforingspost"


Source = str | os.PathLike[str] | BinaryIO

# Bytes fed to the parser at a time.
_CHUNK_SIZE = 64 * 1024


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class NavetDate:
    """A Navet date (``OfullstandigtDatum``): ``YYYYMMDD`` where month or day may be 00.

    00 means unknown and is stored as ``None``. A day with an unknown month
    (``YYYY00DD``) is rejected as impossible: an incomplete date leaves out its
    least precise parts first, never the month alone.
    """

    year: int
    month: int | None
    day: int | None
    raw: str

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"'{self.raw}' is not a date: year {self.year:04d} is impossible")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"'{self.raw}' is not a date: month {self.month:02d} is impossible")
        if self.day is not None:
            if self.month is None:
                raise ValueError(f"'{self.raw}' is not a date: a day is given but no month")
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(
                    f"'{self.raw}' is not a date: {self.year:04d}-{self.month:02d} has {last} days"
                )
        expected = f"{self.year:04d}{self.month or 0:02d}{self.day or 0:02d}"
        if self.raw != expected:
            raise ValueError(f"raw '{self.raw}' does not match the date {expected}")

    @classmethod
    def from_raw(cls, raw: str) -> NavetDate:
        """Parse ``YYYYMMDD`` (month and day may be 00); ValueError if impossible."""
        text = raw.strip()
        if len(text) != 8 or not (text.isascii() and text.isdigit()):
            raise ValueError(f"'{text}' is not a date: expected 8 digits YYYYMMDD")
        return cls(int(text[:4]), int(text[4:6]) or None, int(text[6:]) or None, text)

    def earliest(self) -> date:
        """The first day the date can mean: an unknown month or day counts as 1."""
        return date(self.year, self.month or 1, self.day or 1)


@dataclass(frozen=True)
class NavetAddress:
    """The registered address (``Folkbokforingsadress``); absent parts are ""."""

    care_of: str
    street: str
    street2: str
    postal_code: str  # five digits, zero padded
    city: str


@dataclass(frozen=True)
class NavetResidence:
    """Where a person is registered (``Folkbokforing``) and since when."""

    since: NavetDate | None
    municipality_code: str  # LanKod + KommunKod, four digits; "" when not given


@dataclass(frozen=True)
class NavetRelation:
    """A relation such as V (vårdnadshavare, guardian), MO (mother) or B (child)."""

    identity_number: str | None  # None when Navet gives no personnummer
    relation_type: str
    valid_from: NavetDate | None
    valid_to: NavetDate | None
    first_name: str
    last_name: str


@dataclass(frozen=True)
class NavetPost:
    """One ``Folkbokforingspost``: the register's current record of one person."""

    identity_number: str
    sekretessmarkering: bool
    skyddad_folkbokforing: bool
    birth_date: NavetDate | None
    first_name: str
    middle_name: str
    last_name: str
    residence: NavetResidence | None
    history: tuple[NavetResidence, ...]
    address: NavetAddress | None
    deregistration_code: str | None
    deregistration_date: NavetDate | None
    immigration_date: NavetDate | None
    relations: tuple[NavetRelation, ...]
    referral_identity_number: str | None = None
    # Where the post was read from, for messages. Not part of the person's data,
    # so it takes no part in equality: a written and re-read post equals the original.
    post_number: int = field(default=0, compare=False)
    line: int = field(default=0, compare=False)
    # SHA-256 of the post's XML as read: a cheap way to tell an unchanged post.
    source_digest: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class NavetFileInfo:
    """The file's ``Aviseringsinformation``: order, product and part of a delivery."""

    order_type: str  # Bestallningstyp
    product: str  # Produkt, 5 characters
    order_id: str  # BestallningsId, 18 characters
    file_name: str  # Utfil/Filnamn
    effective_date: str  # Utfil/Effektueringsdatum, YYYYMMDD
    post_count: int  # AntalPoster in this file
    post_count_total: int  # AntalPosterTotalt in the delivery
    file_count: int  # AntalFiler
    file_number: int  # FilNr, 1-based
    job_id: int  # JobbId


class NavetFormatError(Exception):
    """A Navet file cannot be read; says what is wrong, and in which post and line."""

    def __init__(
        self, message: str, *, line: int | None = None, post_number: int | None = None
    ) -> None:
        self.message = message
        self.line = line
        self.post_number = post_number
        super().__init__(self._describe())

    def _describe(self) -> str:
        if self.post_number is not None and self.line is not None:
            return f"Post {self.post_number} (line {self.line}): {self.message}"
        if self.post_number is not None:
            return f"Post {self.post_number}: {self.message}"
        if self.line is not None:
            return f"Line {self.line}: {self.message}"
        return self.message


# -------------------------------------------------------------------------- schemas


@cache
def navet_schema() -> etree.XMLSchema:
    """The Navet schema, loaded once."""
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


_per_thread = threading.local()


def _fragment_schema() -> etree.XMLSchema:
    """The Navet schema plus global declarations of a post and of the file information.

    lxml's streaming validation only reports errors when the whole file has
    been parsed, and without a line number. Validating each post on its own as
    it ends gives the line, and stops before an invalid post is handed out.
    One per thread, because a validator keeps the error log of its last call.
    """
    schema = getattr(_per_thread, "fragment_schema", None)
    if schema is None:
        document = etree.parse(str(XSD_PATH))
        for name, type_name in (
            (FILE_INFO, "AviseringsinformationTYPE"),
            (POST, "FolkbokforingspostTYPE"),
        ):
            etree.SubElement(document.getroot(), f"{{{XS}}}element", name=name, type=type_name)
        schema = _per_thread.fragment_schema = etree.XMLSchema(document)
    return schema


def _outline_schema() -> etree.XMLSchema:
    """The Navet schema with posts and file information reduced to empty elements.

    The reader validates each post and the file information on its own and
    then clears them. What is left when the file has been read is the outline:
    the root, the cleared parts and anything that does not belong there. This
    checks the outline, so the file is validated once instead of twice (the
    whole stream and each post again). One per thread, as _fragment_schema.
    """
    schema = getattr(_per_thread, "outline_schema", None)
    if schema is None:
        document = etree.parse(str(XSD_PATH))
        for name in ("AviseringsinformationTYPE", "FolkbokforingspostTYPE"):
            for declaration in document.getroot().iterfind(f"{{{XS}}}complexType[@name='{name}']"):
                for part in list(declaration):
                    declaration.remove(part)
        schema = _per_thread.outline_schema = etree.XMLSchema(document)
    return schema


def schema_problem(
    element: etree._Element, schema: etree.XMLSchema | None = None
) -> tuple[str, int | None] | None:
    """The first schema violation in ``element`` as (message, line), or None if valid."""
    schema = schema or _fragment_schema()
    if schema.validate(element):
        return None
    error = schema.error_log[0]
    return f"schema violation: {error.message}", error.line or None


# --------------------------------------------------------------------------- reader


class _FieldError(Exception):
    """A bad value inside a post; the reader adds the post number."""

    def __init__(self, message: str, element: etree._Element) -> None:
        super().__init__(message)
        self.message = message
        self.line = element.sourceline


class NavetReader:
    """Stream the posts of a Navet file, validating as it goes.

    ``source`` is a path or a binary file object. Iterate once per file object;
    a path can be iterated again. ``file_info`` is set when the
    ``Aviseringsinformation`` has been read, which is before the first post.

    When ``municipality_codes`` is given, a current residence in any other
    municipality is an error. Historical residences are not checked: they may
    name municipalities that have since changed code (Heby moved from 1917 to
    0331 in 2007).

    Each post is validated before it is handed out, but some faults (a file
    truncated after the last post, a stray element after it) only show at the
    end: a caller must treat the file as accepted only once iteration finishes
    without error. What lies outside the posts is validated against the
    schema once the whole file is read (see ``_outline_schema``).
    """

    def __init__(
        self,
        source: Source,
        *,
        municipality_codes: Collection[str] | None = None,
        known_digests: Collection[str] = frozenset(),
    ) -> None:
        """``known_digests``: hashes of posts already applied; a byte-identical post
        is counted in ``skipped`` and not yielded. It is not validated again: it
        was when it was applied. The file as a whole still must be well-formed
        and its outline valid."""
        self.source = source
        self.known_digests = known_digests
        self.skipped = 0
        self.municipality_codes = (
            frozenset(municipality_codes) if municipality_codes is not None else None
        )
        self.file_info: NavetFileInfo | None = None

    def __iter__(self) -> Iterator[NavetPost]:
        if isinstance(self.source, str | os.PathLike):
            with open(self.source, "rb") as stream:
                yield from self._read(stream)
        else:
            yield from self._read(self.source)

    def _read(self, stream: BinaryIO) -> Iterator[NavetPost]:
        self.file_info = None
        # The reader feeds the parser itself instead of using iterparse: how many
        # events iterparse hands out before it raises a syntax error differs
        # between lxml releases (6.2 hands out none of the chunk that holds the
        # error), while a pull parser keeps every event it produced before the
        # error. Start events tell when a post begins, so an error that breaks
        # off the parse inside a post (truncation, bad bytes) names that post.
        parser = etree.XMLPullParser(
            events=("start", "end"),
            tag=(FILE_INFO, POST),
            # Comments and processing instructions would split element text.
            remove_comments=True,
            remove_pis=True,
        )
        self._post_number = 0
        self._in_post = False
        try:
            while chunk := stream.read(_CHUNK_SIZE):
                try:
                    parser.feed(chunk)
                finally:
                    # What was parsed before an error comes first, as in the file.
                    yield from self._events(parser)
            root = parser.close()
        except etree.XMLSyntaxError as error:
            # An error at close() means the file ended too soon; libxml2 then ends
            # the open elements itself, and those end events are not the file's.
            raise NavetFormatError(
                _lxml_message(error),
                line=error.lineno or None,
                post_number=self._post_number if self._in_post else None,
            ) from None
        problem = schema_problem(root, _outline_schema())
        if problem is not None:
            raise NavetFormatError(problem[0], line=problem[1])

    def _events(self, parser: etree.XMLPullParser) -> Iterator[NavetPost]:
        for event, element in parser.read_events():
            if event == "start":
                if element.tag == POST:
                    self._post_number += 1
                    self._in_post = True
                continue
            if element.tag == POST:
                post = self._post(element, self._post_number)
                _release(element)
                self._in_post = False
                if post is not None:
                    yield post
            else:
                self.file_info = _read_file_info(element)
                # Cleared but kept: a second one must still show in the outline.
                element.clear(keep_tail=True)

    def _post(self, element: etree._Element, number: int) -> NavetPost | None:
        _check_place(element, (POSTS, ROOT), post_number=number)
        digest = _digest(element)
        if digest in self.known_digests:
            self.skipped += 1
            return None
        problem = schema_problem(element)
        if problem is not None:
            raise NavetFormatError(problem[0], line=problem[1], post_number=number)
        try:
            post = _read_post(element, number, digest)
        except _FieldError as error:
            raise NavetFormatError(error.message, line=error.line, post_number=number) from None
        if (
            self.municipality_codes is not None
            and post.residence is not None
            and post.residence.municipality_code
            and post.residence.municipality_code not in self.municipality_codes
        ):
            raise NavetFormatError(
                f"unknown municipality code {post.residence.municipality_code}",
                line=element.find("Personpost/Folkbokforing").sourceline,
                post_number=number,
            )
        return post


def read_posts(
    stream: Source,
    *,
    municipality_codes: Collection[str] | None = None,
    known_digests: Collection[str] = frozenset(),
) -> Generator[NavetPost, None, tuple[int, NavetFileInfo | None]]:
    """``NavetReader`` as a generator that returns what the reader learnt on the way,
    (posts skipped, file information): for reading in another process
    (``samverka.readahead.ChildReader``), where the reader object stays behind."""
    reader = NavetReader(stream, municipality_codes=municipality_codes, known_digests=known_digests)
    yield from reader
    return reader.skipped, reader.file_info


def _digest(element: etree._Element) -> str:
    return hashlib.sha256(etree.tostring(element, with_tail=False)).hexdigest()


def _release(element: etree._Element) -> None:
    """Free a processed element and its already processed siblings, so memory stays flat."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


def _check_place(element: etree._Element, ancestors: tuple[str, ...], **where: int) -> None:
    """Fail early when an element is not where the schema puts it.

    The outline check would find it too, but only after every post was handed
    out. Processed posts are deleted, so anything still before a post is a
    stray element between posts, and text after the previous post is text
    between posts: both would be gone before the outline is checked.
    """
    node = element.getparent()
    for tag in ancestors:
        if node is None or node.tag != tag:
            expected = "/".join(reversed(ancestors))
            raise NavetFormatError(
                f"{element.tag} is not inside {expected}: this is not a Navet file",
                line=element.sourceline,
                **where,
            )
        node = node.getparent()
    previous = element.getprevious()
    if element.tag == POST and previous is not None:
        if previous.tag != POST:
            raise NavetFormatError(
                f"unexpected element {previous.tag} between posts", line=previous.sourceline
            )
        text = (previous.tail or "").strip(" \t\r\n")  # XML's whitespace only
        if text:
            raise NavetFormatError(
                f"unexpected text between posts: '{text[:40]}'",
                line=element.sourceline,
            )


def _lxml_message(error: etree.XMLSyntaxError) -> str:
    """lxml's message without its own location, which NavetFormatError.line carries.

    Depending on the release, lxml writes ``line 5: b'Invalid bytes ...'`` (a
    bytes literal, decoded here) or appends ``, line 5, column 18``.
    """
    message = (error.msg or str(error)).strip()
    match = re.fullmatch(r"line \d+: (.*)", message, flags=re.DOTALL)
    if match:
        message = match.group(1)
        if re.fullmatch(r"b'.*'|b\".*\"", message, flags=re.DOTALL):
            try:
                message = ast.literal_eval(message).decode("utf-8", "replace")
            except (ValueError, SyntaxError):
                pass
    message = re.sub(r", line \d+, column \d+$", "", message.strip())
    return message.strip()


# Dates repeat a lot (birth dates, dates of moving in) and NavetDate is immutable:
# each distinct text is parsed and checked once.
_navet_date = lru_cache(maxsize=4096)(NavetDate.from_raw)


# Reading the fields of a post. The post has been validated against the schema
# before it is read, so required parts are there and a part the schema allows
# once appears at most once. This runs for every post of a grunduttag and is
# most of the reader's work (bench/README.md), so it reads each element's
# children once into a dict and converts plain strings; the element of a bad
# value is only looked up again (``find``) to name its line in the error.


def _children(element: etree._Element | None) -> dict[str, etree._Element]:
    """The child elements by tag, the first of each; {} for an absent element."""
    if element is None:
        return {}
    # Built from the last child back, so the first of each tag is the one kept.
    return {child.tag: child for child in reversed(element)}


def _texts(element: etree._Element | None) -> dict[str, str]:
    """The stripped text of each child by tag, the first of each; "" when empty or
    xsi:nil; {} for an absent element."""
    if element is None:
        return {}
    return {child.tag: (child.text or "").strip() for child in reversed(element)}


def _date(texts: dict[str, str], tag: str, parent: etree._Element) -> NavetDate | None:
    text = texts.get(tag)
    if not text:
        return None
    try:
        return _navet_date(text)
    except ValueError as error:
        raise _FieldError(f"invalid date in {tag}: {error}", parent.find(tag)) from None


def _identity(texts: dict[str, str], tag: str, parent: etree._Element) -> str | None:
    """A validated 12-digit identity number, or None when absent."""
    text = texts.get(tag)
    if not text:
        return None
    try:
        return parse_identity(text).value
    except InvalidIdentityNumber as error:
        raise _FieldError(f"invalid identity number in {tag}: {error}", parent.find(tag)) from None


def _flag(element: etree._Element | None, tag: str) -> bool:
    """A J/N marking; absent means N."""
    text = "" if element is None else (element.text or "").strip()
    if text not in ("", "J", "N"):
        raise _FieldError(f"{tag} must be J or N, not '{text}'", element)
    return text == "J"


def _read_post(element: etree._Element, number: int, source_digest: str = "") -> NavetPost:
    post = _children(element)
    person_element = post["Personpost"]
    person = _children(person_element)
    id_element = person["PersonId"]
    ids = _texts(id_element)
    # The schema allows exactly one of the two; which one it is does not matter here.
    identity_number = _identity(ids, "PersonNr", id_element) or _identity(
        ids, "TilldelatPersonNrSamordningsNr", id_element
    )
    if identity_number is None:
        raise _FieldError("PersonId has no identity number", id_element)
    names = _texts(person.get("Namn"))
    deregistration_element = person.get("Avregistrering")
    deregistration = _texts(deregistration_element)
    residence = person.get("Folkbokforing")
    address = _children(person.get("Adresser")).get("Folkbokforingsadress")
    immigration_element = person.get("Invandring")
    history = post.get("Historik")
    relations = person.get("Relationer")
    # The two leaves of Personpost that are read; its other children are subtrees.
    person_texts = {
        tag: (person[tag].text or "").strip()
        for tag in ("Fodelsedatum", "HanvisningsPersonNr")
        if tag in person
    }
    return NavetPost(
        identity_number=identity_number,
        sekretessmarkering=_flag(post.get("Sekretessmarkering"), "Sekretessmarkering"),
        skyddad_folkbokforing=_flag(post.get("SkyddadFolkbokforing"), "SkyddadFolkbokforing"),
        birth_date=_date(person_texts, "Fodelsedatum", person_element),
        first_name=names.get("Fornamn", ""),
        middle_name=names.get("Mellannamn", ""),
        last_name=names.get("Efternamn", ""),
        residence=None if residence is None else _read_residence(residence),
        history=()
        if history is None
        else tuple(_read_residence(r) for r in history if r.tag == "Folkbokforing"),
        address=None if address is None else _read_address(address),
        deregistration_code=deregistration.get("AvregistreringsorsakKod") or None,
        deregistration_date=_date(deregistration, "Avregistreringsdatum", deregistration_element),
        immigration_date=_date(
            _texts(immigration_element), "Invandringsdatum", immigration_element
        ),
        relations=()
        if relations is None
        else tuple(_read_relation(r) for r in relations if r.tag == "Relation"),
        referral_identity_number=_identity(person_texts, "HanvisningsPersonNr", person_element),
        post_number=number,
        line=element.sourceline or 0,
        source_digest=source_digest,
    )


def _read_residence(element: etree._Element) -> NavetResidence:
    fields = _texts(element)
    county, municipality = fields.get("LanKod", ""), fields.get("KommunKod", "")
    for tag, code in (("LanKod", county), ("KommunKod", municipality)):
        if code and not (len(code) == 2 and code.isascii() and code.isdigit()):
            raise _FieldError(f"{tag} must be two digits, not '{code}'", element.find(tag))
    if bool(county) != bool(municipality):
        given, missing = ("LanKod", "KommunKod") if county else ("KommunKod", "LanKod")
        raise _FieldError(f"Folkbokforing has {given} but no {missing}", element)
    return NavetResidence(
        since=_date(fields, "Folkbokforingsdatum", element), municipality_code=county + municipality
    )


def _read_address(element: etree._Element) -> NavetAddress:
    fields = _texts(element)
    postal_code = fields.get("PostNr")
    return NavetAddress(
        care_of=fields.get("CareOf", ""),
        street=fields.get("Utdelningsadress1", ""),
        street2=fields.get("Utdelningsadress2", ""),
        # The schema types PostNr as an integer, so a leading zero may be dropped.
        postal_code=f"{int(postal_code):05d}" if postal_code else "",
        city=fields.get("Postort", ""),
    )


def _read_relation(element: etree._Element) -> NavetRelation:
    parts = _children(element)
    fields = _texts(element)
    names = _texts(parts.get("Namn"))
    relation_id = parts.get("RelationId")
    return NavetRelation(
        # The alternative to PersonNr, FodelsetidNr, is no identity number
        # Samverka can use: it reads as None.
        identity_number=None
        if relation_id is None
        else _identity(_texts(relation_id), "PersonNr", relation_id),
        relation_type=fields.get("Relationstyp", ""),
        valid_from=_date(fields, "RelationFromdatum", element),
        valid_to=_date(fields, "RelationTomdatum", element),
        first_name=names.get("Fornamn", ""),
        last_name=names.get("Efternamn", ""),
    )


def _read_file_info(element: etree._Element) -> NavetFileInfo:
    _check_place(element, (ROOT,))
    problem = schema_problem(element)
    if problem is not None:
        raise NavetFormatError(problem[0], line=problem[1])
    info_element = _children(element).get("Filinformation")
    info = _texts(info_element)
    out_element = _children(info_element).get("Utfil")
    out = _texts(out_element)
    try:
        _date(out, "Effektueringsdatum", out_element)
    except _FieldError as error:
        raise NavetFormatError(error.message, line=error.line) from None
    return NavetFileInfo(
        order_type=info.get("Bestallningstyp", ""),
        product=info.get("Produkt", ""),
        order_id=info.get("BestallningsId", ""),
        file_name=out.get("Filnamn", ""),
        effective_date=out.get("Effektueringsdatum", ""),
        post_count=int(out.get("AntalPoster", "")),
        post_count_total=int(out.get("AntalPosterTotalt", "")),
        file_count=int(out.get("AntalFiler", "")),
        file_number=int(out.get("FilNr", "")),
        job_id=int(out.get("JobbId", "")),
    )
