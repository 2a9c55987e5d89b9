"""Tests for people.navet: reading and writing Skatteverket's Navet files.

Every identity number comes from Skatteverket's published test numbers in
data/skatteverket; the only other numbers are deliberately broken copies of
those, made to test rejection.
"""

from __future__ import annotations

import dataclasses
import io
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from demo.navet_writer import write_navet
from people.identity import luhn_check_digit, parse
from people.navet import (
    NavetAddress,
    NavetDate,
    NavetFileInfo,
    NavetFormatError,
    NavetPost,
    NavetReader,
    NavetRelation,
    NavetResidence,
    navet_schema,
)

DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def _test_numbers(coordination: bool) -> tuple[str, ...]:
    name = (
        "testsamordningsnummer_all_1914-2023.json"
        if coordination
        else "testpersonnummer_all_1890-2023.json"
    )
    return tuple(json.loads((DATA / "skatteverket" / name).read_text(encoding="utf-8")))


def pick(prefix: str, *, coordination: bool = False, nth: int = 0) -> str:
    """The nth of Skatteverket's test numbers that starts with ``prefix``."""
    matches = [n for n in _test_numbers(coordination) if n.startswith(prefix)]
    assert len(matches) > nth, f"no test number {nth} starting with {prefix}"
    return matches[nth]


@cache
def municipality_codes() -> frozenset[str]:
    lines = (DATA / "geo" / "municipalities.csv").read_text(encoding="utf-8").splitlines()
    return frozenset(line.split(",")[0] for line in lines[1:] if line)


def d(raw: str) -> NavetDate:
    return NavetDate.from_raw(raw)


CHILD = pick("2008")
GUARDIAN_1 = pick("197503")
GUARDIAN_2 = pick("197704")
REFERRAL = pick("2008", nth=1)
COORDINATION = pick("1990", coordination=True)


def birth_date_of(number: str) -> NavetDate:
    # A samordningsnummer's day is the day of birth + 60: keep year and month only.
    return d(number[:6] + "00") if parse(number).is_coordination_number else d(number[:8])


def full_post(identity_number: str = CHILD, **changes: object) -> NavetPost:
    """A post with every field the reader knows filled in."""
    post = NavetPost(
        identity_number=identity_number,
        sekretessmarkering=False,
        skyddad_folkbokforing=False,
        birth_date=birth_date_of(identity_number),
        first_name="Anna-Lena",
        middle_name="Åberg",
        last_name="Öström Nilsson",
        residence=NavetResidence(d("20150301"), "0180"),
        history=(
            NavetResidence(d("20080100"), "1917"),
            NavetResidence(d("20100000"), "0331"),
            NavetResidence(None, ""),
        ),
        address=NavetAddress(
            "c/o Svensson", "Storgatan 1 lgh 1102", "Box 12", "01234", "Stockholm"
        ),
        deregistration_code=None,
        deregistration_date=None,
        immigration_date=d("20100500"),
        relations=(
            NavetRelation(GUARDIAN_1, "V", d("20080101"), None, "Eva", "Öström"),
            NavetRelation(GUARDIAN_2, "V", d("20080101"), d("20200630"), "Per", "Nilsson"),
            NavetRelation(None, "FA", None, None, "", ""),
        ),
        referral_identity_number=REFERRAL,
    )
    return dataclasses.replace(post, **changes)


def write(posts: list[NavetPost], **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    write_navet(buffer, posts, **kwargs)
    return buffer.getvalue()


def read(data: bytes, **kwargs: object) -> list[NavetPost]:
    return list(NavetReader(io.BytesIO(data), **kwargs))


def line_of(data: bytes, needle: bytes, *, start: int = 0) -> int:
    """The 1-based line of the first ``needle`` at or after byte offset ``start``."""
    return data.count(b"\n", 0, data.index(needle, start)) + 1


def post_offset(data: bytes, number: int) -> int:
    """The byte offset where the post with this 1-based number starts."""
    offset = -1
    for _ in range(number):
        offset = data.index(b"<Folkbokforingspost>", offset + 1)
    return offset


def three_posts() -> list[NavetPost]:
    return [
        full_post(CHILD),
        full_post(pick("2009"), first_name="Bo"),
        full_post(pick("2010"), first_name="Cecilia", birth_date=d("20100000")),
    ]


FILE_INFO = NavetFileInfo(
    order_type="AVISERING",
    product="NAVET",
    order_id="000000000000012345",
    file_name="NAVET_0180_20240115_001.xml",
    effective_date="20240115",
    post_count=3,
    post_count_total=5,
    file_count=2,
    file_number=1,
    job_id=4711,
)


# ------------------------------------------------------------------------- NavetDate


def test_date_full_and_partial() -> None:
    assert d("20240229") == NavetDate(2024, 2, 29, "20240229")
    assert d("20240200") == NavetDate(2024, 2, None, "20240200")
    assert d(" 20240000 ") == NavetDate(2024, None, None, "20240000")
    assert d("20240200").earliest().isoformat() == "2024-02-01"
    assert d("20240000").earliest().isoformat() == "2024-01-01"
    assert d("20240229").earliest().isoformat() == "2024-02-29"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("20230230", "has 28 days"),
        ("20230229", "has 28 days"),
        ("20231301", "month 13"),
        ("20230015", "a day is given but no month"),
        ("00000000", "year 0000"),
        ("2023011", "expected 8 digits"),
        ("2023-01-01", "expected 8 digits"),
        ("", "expected 8 digits"),
    ],
)
def test_date_rejects_impossible(raw: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        NavetDate.from_raw(raw)


def test_date_checks_raw_matches() -> None:
    with pytest.raises(ValueError, match="does not match"):
        NavetDate(2024, 1, 2, "20240103")


# ----------------------------------------------------------------------- round trips


def test_round_trip_with_every_field() -> None:
    posts = three_posts()
    data = write(posts)
    assert read(data) == posts


def test_written_file_validates_against_the_schema() -> None:
    data = write(three_posts(), file_info=FILE_INFO)
    navet_schema().assertValid(etree.parse(io.BytesIO(data)))
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_read_posts_know_their_position() -> None:
    data = write(three_posts())
    posts = read(data)
    assert [p.post_number for p in posts] == [1, 2, 3]
    starts = [i + 1 for i, line in enumerate(data.split(b"\n")) if line == b"<Folkbokforingspost>"]
    assert [p.line for p in posts] == starts


def test_values_as_read() -> None:
    [post] = read(write([full_post()]))
    assert post.identity_number == CHILD
    assert post.residence == NavetResidence(d("20150301"), "0180")
    assert post.history[0].municipality_code == "1917"
    assert post.address is not None and post.address.postal_code == "01234"
    assert post.relations[0].identity_number == GUARDIAN_1
    assert post.relations[0].relation_type == "V"
    assert post.relations[2].identity_number is None
    assert post.referral_identity_number == REFERRAL


def test_samordningsnummer_is_written_as_tilldelat() -> None:
    post = full_post(COORDINATION)
    data = write([post, full_post(CHILD)])
    assert f"<TilldelatPersonNrSamordningsNr>{COORDINATION}<".encode() in data
    assert f"<PersonNr>{CHILD}<".encode() in data
    assert read(data) == [post, full_post(CHILD)]


def test_minimal_post_round_trip() -> None:
    post = NavetPost(
        identity_number=pick("1890"),
        sekretessmarkering=False,
        skyddad_folkbokforing=False,
        birth_date=None,
        first_name="",
        middle_name="",
        last_name="",
        residence=None,
        history=(),
        address=None,
        deregistration_code=None,
        deregistration_date=None,
        immigration_date=None,
        relations=(),
    )
    assert read(write([post])) == [post]


def test_file_info_round_trip() -> None:
    data = write(three_posts(), file_info=FILE_INFO)
    reader = NavetReader(io.BytesIO(data))
    assert reader.file_info is None
    seen_during_iteration = []
    for _post in reader:
        seen_during_iteration.append(reader.file_info)
    assert seen_during_iteration == [FILE_INFO] * 3
    assert reader.file_info == FILE_INFO
    assert b"<OrgNr>162021005448</OrgNr>" in data


def test_file_info_absent() -> None:
    reader = NavetReader(io.BytesIO(write(three_posts())))
    assert len(list(reader)) == 3
    assert reader.file_info is None


def test_receiver_org_number() -> None:
    data = write([], file_info=FILE_INFO, receiver_org_number="162120001355")
    assert b"<OrgNr>162120001355</OrgNr>" in data
    assert read(data) == []


def test_several_files_of_one_delivery(tmp_path: Path) -> None:
    posts = three_posts() + [full_post(pick("2011")), full_post(pick("2012"))]
    parts = [(1, posts[:3]), (2, posts[3:])]
    for number, part in parts:
        info = dataclasses.replace(
            FILE_INFO, file_number=number, post_count=len(part), file_name=f"part{number}.xml"
        )
        write_navet(tmp_path / f"part{number}.xml", part, file_info=info)

    read_back, infos = [], []
    for number in (1, 2):
        reader = NavetReader(str(tmp_path / f"part{number}.xml"))
        read_back.extend(reader)
        infos.append(reader.file_info)
    assert read_back == posts
    assert [(i.file_number, i.file_count, i.post_count) for i in infos] == [(1, 2, 3), (2, 2, 2)]
    assert sum(i.post_count for i in infos) == infos[0].post_count_total


def test_path_reader_can_iterate_twice(tmp_path: Path) -> None:
    path = tmp_path / "navet.xml"
    write_navet(path, three_posts())
    reader = NavetReader(path)
    assert list(reader) == list(reader) == three_posts()


def test_protected_identity_flags() -> None:
    posts = [
        full_post(CHILD, sekretessmarkering=True),
        full_post(pick("2009"), skyddad_folkbokforing=True, address=None, residence=None),
        full_post(pick("2010"), sekretessmarkering=True, skyddad_folkbokforing=True),
    ]
    data = write(posts)
    assert data.count(b"<Sekretessmarkering>J</Sekretessmarkering>") == 2
    assert data.count(b"<SkyddadFolkbokforing>J</SkyddadFolkbokforing>") == 2
    assert read(data) == posts


def test_deregistration() -> None:
    posts = [
        full_post(CHILD, deregistration_code="AV", deregistration_date=d("20230115")),
        full_post(pick("2009"), deregistration_code="UV", deregistration_date=d("20230000")),
        full_post(pick("2010"), deregistration_code="GN", deregistration_date=None),
    ]
    data = write(posts)
    assert b"<AvregistreringsorsakKod>AV</AvregistreringsorsakKod>" in data
    [dead, emigrated, unknown] = read(data)
    assert (dead.deregistration_code, dead.deregistration_date) == ("AV", d("20230115"))
    assert emigrated.deregistration_date == d("20230000")
    assert unknown.deregistration_date is None
    assert [dead, emigrated, unknown] == posts


def test_history_keeps_order() -> None:
    history = tuple(
        NavetResidence(d(f"20{year:02d}0101"), code)
        for year, code in [(20, "0180"), (10, "1917"), (15, "0331"), (5, "0114")]
    )
    [post] = read(write([full_post(history=history)]))
    assert post.history == history


def test_empty_and_nil_elements_mean_absent() -> None:
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<Navetavisering xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<Folkbokforingsposter>
<Folkbokforingspost>
  <Sekretessmarkering xsi:nil="true"/>
  <SkyddadFolkbokforing/>
  <Personpost>
    <PersonId><PersonNr> {CHILD} </PersonNr></PersonId>
    <HanvisningsPersonNr xsi:nil="true"/>
    <Avregistrering><AvregistreringsorsakKod xsi:nil="true"/></Avregistrering>
    <Fodelsedatum xsi:nil="true"/>
    <Namn><Fornamn>  Anna  </Fornamn><Mellannamn></Mellannamn><Efternamn xsi:nil="true"/></Namn>
    <Folkbokforing><Folkbokforingsdatum xsi:nil="true"/><LanKod/><KommunKod/></Folkbokforing>
    <Adresser><Folkbokforingsadress><CareOf/><PostNr>1234</PostNr></Folkbokforingsadress></Adresser>
    <Relationer><Relation><RelationId><FodelsetidNr>0</FodelsetidNr></RelationId>
      <Relationstyp>MO</Relationstyp></Relation></Relationer>
  </Personpost>
</Folkbokforingspost>
</Folkbokforingsposter>
</Navetavisering>
""".encode()
    [post] = read(data)
    assert post.identity_number == CHILD
    assert (post.sekretessmarkering, post.skyddad_folkbokforing) == (False, False)
    assert post.referral_identity_number is None
    assert (post.deregistration_code, post.deregistration_date) == (None, None)
    assert post.birth_date is None
    assert (post.first_name, post.middle_name, post.last_name) == ("Anna", "", "")
    assert post.residence == NavetResidence(None, "")
    assert post.address == NavetAddress("", "", "", "01234", "")
    assert post.relations == (NavetRelation(None, "MO", None, None, "", ""),)


def test_municipality_codes_accepts_known() -> None:
    posts = three_posts()
    assert read(write(posts), municipality_codes=municipality_codes()) == posts


# ------------------------------------------------------------------------ bad input


def mutate(data: bytes, old: bytes, new: bytes, *, post: int = 0) -> bytes:
    """Replace the first ``old`` in or after the given post (0: from the start)."""
    at = data.index(old, post_offset(data, post) if post else 0)
    return data[:at] + new + data[at + len(old) :]


def expect_error(data: bytes, **kwargs: object) -> NavetFormatError:
    with pytest.raises(NavetFormatError) as caught:
        read(data, **kwargs)
    return caught.value


THIRD = pick("2010")


def third_post_file() -> bytes:
    return write(three_posts(), file_info=FILE_INFO)


def assert_in_third_post(error: NavetFormatError, line: int, *fragments: str) -> None:
    assert error.post_number == 3
    assert error.line == line
    for fragment in fragments:
        assert fragment in error.message
    assert str(error).startswith(f"Post 3 (line {line}): ")


def in_third(data: bytes, needle: bytes) -> int:
    """The line of ``needle`` within the third post."""
    return line_of(data, needle, start=post_offset(data, 3))


def test_malformed_xml() -> None:
    data = mutate(third_post_file(), b"</Fornamn>", b"</Fornam>", post=3)
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, b"</Fornam>"), "tag mismatch", "Fornamn")


def many_posts_file(count: int) -> bytes:
    """A file of ``count`` posts, far longer than the chunks the reader feeds its parser."""
    numbers = [n for n in _test_numbers(False) if n.startswith("2008")][:count]
    assert len(numbers) == count
    return write([full_post(number) for number in numbers], file_info=FILE_INFO)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (b"</Fornamn>", b"</Fornam>", "tag mismatch"),
        ("Öström Nilsson".encode(), "Öström Nilsson".encode("latin-1"), "Invalid bytes"),
    ],
)
def test_a_syntax_error_deep_in_a_large_file_names_its_post(
    old: bytes, new: bytes, problem: str
) -> None:
    # Whatever lxml hands out before it raises, the error must name the post
    # and line: the KAA team finds the fault in the file from them.
    data = many_posts_file(400)
    assert len(data) > 10 * 64 * 1024
    data = mutate(data, old, new, post=347)
    error = expect_error(data)
    assert error.post_number == 347
    assert error.line == line_of(data, new, start=post_offset(data, 347))
    assert problem in error.message
    assert ", line" not in error.message
    assert str(error).startswith(f"Post 347 (line {error.line}): ")


def test_a_large_file_cut_inside_a_post_names_that_post() -> None:
    data = many_posts_file(400)
    cut = data[: post_offset(data, 300) + 200]
    with pytest.raises(NavetFormatError, match="Premature end of data") as caught:
        read(cut)
    assert caught.value.post_number == 300
    assert caught.value.line == cut.count(b"\n") + 1


@pytest.mark.parametrize("fraction", [0.5, 0.75, 0.99])
def test_truncated_file(fraction: float) -> None:
    data = third_post_file()
    cut = data[: int(len(data) * fraction)]
    with pytest.raises(NavetFormatError) as caught:
        read(cut)
    assert caught.value.line == cut.count(b"\n") + 1
    assert caught.value.post_number == cut.count(b"<Folkbokforingspost>")


def test_truncated_after_the_last_post() -> None:
    data = third_post_file()
    cut = data[: data.index(b"</Folkbokforingsposter>")]
    handed_out = []
    with pytest.raises(NavetFormatError, match="Premature end of data") as caught:
        for post in NavetReader(io.BytesIO(cut)):
            handed_out.append(post)
    assert len(handed_out) == 3
    assert caught.value.post_number is None


def test_latin1_bytes_in_utf8_file() -> None:
    data = third_post_file()
    assert b"encoding='utf-8'" in data
    latin1 = "Öström Nilsson".encode("latin-1")
    data = mutate(data, "Öström Nilsson".encode(), latin1, post=3)
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, latin1), "Invalid bytes in character encoding")


def test_schema_violation_too_long_name() -> None:
    data = mutate(third_post_file(), b"<Fornamn>Cecilia", b"<Fornamn>" + b"C" * 81)
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, b"C" * 81), "schema violation", "Fornamn", "80")


def test_schema_violation_element_order() -> None:
    data = mutate(third_post_file(), b"<Fornamn>Cecilia</Fornamn>", b"", post=3)
    data = mutate(data, b"</Efternamn>", b"</Efternamn><Fornamn>Cecilia</Fornamn>", post=3)
    error = expect_error(data)
    line = in_third(data, b"<Fornamn>Cecilia")
    assert_in_third_post(error, line, "schema violation", "Fornamn", "not expected")


def test_invalid_post_is_not_handed_out() -> None:
    data = mutate(third_post_file(), b"<Fornamn>Cecilia", b"<Fornamn>" + b"C" * 81)
    handed_out = []
    with pytest.raises(NavetFormatError):
        for post in NavetReader(io.BytesIO(data)):
            handed_out.append(post.post_number)
    assert handed_out == [1, 2]


def is_valid_number(number: str) -> bool:
    try:
        parse(number)
    except ValueError:
        return False
    return True


def wrong_check_digit(number: str) -> str:
    """A broken copy of a test number: the check digit plus one."""
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not is_valid_number(broken)
    return broken


def test_wrong_check_digit() -> None:
    broken = wrong_check_digit(THIRD)
    data = mutate(third_post_file(), THIRD.encode(), broken.encode())
    error = expect_error(data)
    line = in_third(data, broken.encode())
    assert_in_third_post(error, line, "invalid identity number in PersonNr", "check digit")


def test_impossible_date_in_identity_number() -> None:
    # A broken copy of a test number: month 13, with a check digit that fits.
    nine = THIRD[2:4] + "13" + THIRD[6:11]
    broken = THIRD[:4] + "13" + THIRD[6:11] + str(luhn_check_digit(nine))
    assert not is_valid_number(broken)
    data = mutate(third_post_file(), THIRD.encode(), broken.encode())
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, broken.encode()), "invalid identity number", "month")


def test_wrong_check_digit_in_relation() -> None:
    broken = wrong_check_digit(GUARDIAN_2)
    data = mutate(third_post_file(), GUARDIAN_2.encode(), broken.encode(), post=3)
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, broken.encode()), "invalid identity number")


def test_wrong_check_digit_in_referral() -> None:
    broken = wrong_check_digit(REFERRAL)
    data = mutate(third_post_file(), REFERRAL.encode(), broken.encode(), post=3)
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, broken.encode()), "HanvisningsPersonNr")


def test_missing_identity_number() -> None:
    data = third_post_file().replace(
        b"<Navetavisering>",
        b'<Navetavisering xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    )
    data = mutate(data, f"<PersonNr>{THIRD}</PersonNr>".encode(), b'<PersonNr xsi:nil="true"/>')
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, b"<PersonId>"), "PersonId has no identity number")


@pytest.mark.parametrize(
    ("tag", "good", "bad"),
    [
        ("Fodelsedatum", "20100000", "20100230"),
        ("Folkbokforingsdatum", "20150301", "20151301"),
        ("Folkbokforingsdatum", "20100000", "20100031"),
        ("Invandringsdatum", "20100500", "20100532"),
        ("RelationFromdatum", "20080101", "20080230"),
        ("RelationTomdatum", "20200630", "20200631"),
    ],
)
def test_impossible_date(tag: str, good: str, bad: str) -> None:
    new = f"<{tag}>{bad}</{tag}>".encode()
    data = mutate(third_post_file(), f"<{tag}>{good}</{tag}>".encode(), new, post=3)
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, new), f"invalid date in {tag}", bad)


def test_impossible_deregistration_date() -> None:
    posts = three_posts()
    posts[2] = dataclasses.replace(
        posts[2], deregistration_code="AV", deregistration_date=d("20230228")
    )
    data = mutate(write(posts), b"20230228", b"20230229")
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, b"20230229"), "Avregistreringsdatum", "28 days")


def test_impossible_effective_date() -> None:
    new = b"<Effektueringsdatum>20240132"
    data = mutate(third_post_file(), b"<Effektueringsdatum>20240115", new)
    error = expect_error(data)
    assert error.post_number is None
    assert error.line == line_of(data, new)
    assert str(error).startswith(f"Line {error.line}: invalid date in Effektueringsdatum")


def test_unknown_municipality_code() -> None:
    posts = three_posts()
    posts[2] = dataclasses.replace(posts[2], residence=NavetResidence(d("20150301"), "9999"))
    data = write(posts)
    assert read(data) == posts  # without a list of codes there is no check
    error = expect_error(data, municipality_codes=municipality_codes())
    line = in_third(data, b"<Folkbokforing>")
    assert_in_third_post(error, line, "unknown municipality code 9999")


def test_historical_municipality_codes_are_not_checked() -> None:
    posts = [full_post(history=(NavetResidence(d("19700101"), "0199"),))]
    assert read(write(posts), municipality_codes=municipality_codes()) == posts


@pytest.mark.parametrize("tag", ["Sekretessmarkering", "SkyddadFolkbokforing"])
def test_flag_must_be_j_or_n(tag: str) -> None:
    new = f"<{tag}>X<".encode()
    data = mutate(third_post_file(), f"<{tag}>N<".encode(), new, post=3)
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, new), tag, "J or N", "'X'")


@pytest.mark.parametrize(("keep", "drop"), [("LanKod", "KommunKod"), ("KommunKod", "LanKod")])
def test_county_without_municipality(keep: str, drop: str) -> None:
    data = third_post_file()
    at = data.index(f"<{drop}>".encode(), post_offset(data, 3))
    line_start = data.rindex(b"\n", 0, at) + 1
    data = data[:line_start] + data[data.index(b"\n", at) + 1 :]
    error = expect_error(data)
    line = in_third(data, b"<Folkbokforing>")
    assert_in_third_post(error, line, f"Folkbokforing has {keep} but no {drop}")


def test_municipality_code_must_be_digits() -> None:
    data = mutate(third_post_file(), b"<KommunKod>80<", b"<KommunKod>8<", post=3)
    error = expect_error(data)
    assert_in_third_post(error, in_third(data, b"<KommunKod>8<"), "KommunKod must be two digits")


def test_not_a_navet_file() -> None:
    data = write(three_posts()).replace(b"Navetavisering>", b"Avisering>")
    error = expect_error(data)
    assert error.post_number == 1
    assert "not inside Navetavisering/Folkbokforingsposter" in str(error)


def test_stray_element_between_posts() -> None:
    data = write(three_posts())
    at = data.index(b"<Folkbokforingspost>", data.index(b"</Folkbokforingspost>"))
    data = data[:at] + b"<Anteckning>x</Anteckning>\n" + data[at:]
    error = expect_error(data)
    assert error.line == line_of(data, b"<Anteckning>")
    assert "unexpected element Anteckning" in str(error)


def test_structure_fault_outside_posts_is_found_at_the_end() -> None:
    data = write(three_posts()).replace(b"</Folkbokforingsposter>", b"</Folkbokforingsposter><X/>")
    handed_out = []
    with pytest.raises(NavetFormatError) as caught:
        for post in NavetReader(io.BytesIO(data)):
            handed_out.append(post)
    assert len(handed_out) == 3
    assert caught.value.post_number is None
    assert caught.value.line == line_of(data, b"<X/>")
    assert caught.value.message.startswith("schema violation: Element 'X'")


def test_text_between_posts() -> None:
    data = write(three_posts())
    at = data.index(b"<Folkbokforingspost>", data.index(b"</Folkbokforingspost>"))
    data = data[:at] + b"anteckning\n" + data[at:]
    error = expect_error(data)
    assert "unexpected text between posts: 'anteckning'" in str(error)


@pytest.mark.parametrize(
    "old, new",
    [
        (b"<Folkbokforingsposter>", b"<Folkbokforingsposter>anteckning"),
        (b"</Folkbokforingsposter>", b"anteckning</Folkbokforingsposter>"),
        (b"<Folkbokforingsposter>", b"<Folkbokforingsposter status='x'>"),
        (b"<Navetavisering>", b"<Navetavisering status='x'>"),
    ],
)
def test_text_and_attributes_outside_posts(old: bytes, new: bytes) -> None:
    error = expect_error(third_post_file().replace(old, new))
    assert error.post_number is None
    assert error.message.startswith("schema violation: Element 'Folkbokforingsposter'") or (
        error.message.startswith("schema violation: Element 'Navetavisering'")
    )


def test_file_information_twice() -> None:
    data = third_post_file()
    start = data.index(b"<Aviseringsinformation>")
    end = data.index(b"</Aviseringsinformation>") + len(b"</Aviseringsinformation>")
    error = expect_error(data[:end] + data[start:end] + data[end:])
    assert error.post_number is None
    assert error.message.startswith("schema violation: Element 'Aviseringsinformation'")


def test_file_without_posts_element() -> None:
    error = expect_error(b"<?xml version='1.0'?>\n<Navetavisering/>")
    assert "schema violation: Element 'Navetavisering': Missing child element" in error.message


def test_schema_violation_in_file_info() -> None:
    data = mutate(third_post_file(), b"<Produkt>NAVET<", b"<Produkt>NAV<")
    error = expect_error(data)
    assert error.post_number is None
    assert error.line == line_of(data, b"<Produkt>NAV<")
    assert "schema violation" in error.message and "Produkt" in error.message


@pytest.mark.parametrize("data", [b"", b"not xml", b"<?xml version='1.0'?>"])
def test_not_xml_at_all(data: bytes) -> None:
    error = expect_error(data)
    assert error.post_number is None
    assert error.message


def test_error_text() -> None:
    assert str(NavetFormatError("bad", line=57, post_number=3)) == "Post 3 (line 57): bad"
    assert str(NavetFormatError("bad", post_number=3)) == "Post 3: bad"
    assert str(NavetFormatError("bad", line=57)) == "Line 57: bad"
    assert str(NavetFormatError("bad")) == "bad"
    error = NavetFormatError("bad", line=57, post_number=3)
    assert (error.message, error.line, error.post_number) == ("bad", 57, 3)


# --------------------------------------------------------------------------- writer


def test_writer_refuses_what_the_schema_refuses() -> None:
    with pytest.raises(ValueError, match="Post 2 would not match the Navet schema.*Fornamn"):
        write([full_post(), full_post(first_name="x" * 81)])
    with pytest.raises(ValueError, match="Relationstyp"):
        write([full_post(relations=(NavetRelation(GUARDIAN_1, "XX", None, None, "", ""),))])
    with pytest.raises(ValueError, match="Aviseringsinformation.*BestallningsId"):
        write([], file_info=dataclasses.replace(FILE_INFO, order_id="123"))
    with pytest.raises(ValueError, match="four digits"):
        write([full_post(residence=NavetResidence(None, "180"))])
    with pytest.raises(ValueError, match="check digit"):
        write([full_post(wrong_check_digit(CHILD))])


# ----------------------------------------------------------------------- hypothesis

# Letters, marks, digits, punctuation, symbols and spaces: every one allowed in
# XML text. Control characters (among them CR, which XML turns into LF) and
# surrogates are left out. Strings are stripped, as the reader strips them.
TEXT = st.characters(categories=("L", "M", "N", "P", "S", "Zs"))


def names(max_size: int) -> st.SearchStrategy[str]:
    return st.text(TEXT, max_size=max_size).map(str.strip)


def navet_dates() -> st.SearchStrategy[NavetDate]:
    full = st.dates().map(lambda x: f"{x.year:04d}{x.month:02d}{x.day:02d}")
    month = st.tuples(st.integers(1, 9999), st.integers(1, 12)).map(
        lambda x: f"{x[0]:04d}{x[1]:02d}00"
    )
    year = st.integers(1, 9999).map(lambda y: f"{y:04d}0000")
    return st.one_of(full, month, year).map(NavetDate.from_raw)


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


identity_numbers = st.sampled_from(_test_numbers(False)) | st.sampled_from(_test_numbers(True))
municipality = st.sampled_from(sorted(municipality_codes())) | st.just("")
residences = st.builds(NavetResidence, optional(navet_dates()), municipality)
addresses = st.builds(
    NavetAddress,
    names(35),
    names(35),
    names(35),
    st.just("") | st.integers(0, 99999).map("{:05d}".format),
    names(27),
)
relations = st.builds(
    NavetRelation,
    optional(identity_numbers),
    st.sampled_from(["B", "MO", "FA", "F", "V", "VF", "M", "P"]),
    optional(navet_dates()),
    optional(navet_dates()),
    names(80),
    names(60),
)
posts = st.builds(
    NavetPost,
    identity_number=identity_numbers,
    sekretessmarkering=st.booleans(),
    skyddad_folkbokforing=st.booleans(),
    birth_date=optional(navet_dates()),
    first_name=names(80),
    middle_name=names(40),
    last_name=names(60),
    residence=optional(residences),
    history=st.lists(residences, max_size=3).map(tuple),
    address=optional(addresses),
    deregistration_code=optional(st.sampled_from(["AV", "UV", "GN", "AN", "AS", "GS", "OB", "TA"])),
    deregistration_date=optional(navet_dates()),
    immigration_date=optional(navet_dates()),
    relations=st.lists(relations, max_size=3).map(tuple),
    referral_identity_number=optional(identity_numbers),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(posts, max_size=4))
def test_round_trip_generated(generated: list[NavetPost]) -> None:
    data = write(generated)
    navet_schema().assertValid(etree.parse(io.BytesIO(data)))
    assert read(data) == generated


def test_posts_identical_to_known_ones_are_counted_and_not_yielded():
    data = write(three_posts())
    first = read(data)
    reader = NavetReader(io.BytesIO(data), known_digests={first[1].source_digest})
    rest = list(reader)
    assert [p.identity_number for p in rest] == [first[0].identity_number, first[2].identity_number]
    assert reader.skipped == 1
