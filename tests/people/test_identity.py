"""Tests for ``people.identity``: parsing Swedish personnummer and samordningsnummer.

The official lists are Skatteverket's published test numbers (every one of them
must parse in every written form); the rest pins down the rules one by one and
checks them again with generated input.
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from people.identity import (
    IdentityNumber,
    InvalidIdentityNumber,
    is_valid,
    luhn_check_digit,
    parse,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "skatteverket"
PERSONNUMMER_FILE = DATA_DIR / "testpersonnummer_all_1890-2023.json"
SAMORDNINGSNUMMER_FILE = DATA_DIR / "testsamordningsnummer_all_1914-2023.json"

# The date of reference for every 10-digit form in these tests.
TODAY = date(2026, 11, 24)

TWELVE_DIGITS = re.compile(r"[0-9]{12}")


# --------------------------------------------------------------------------- helpers


@cache
def _load(path: Path) -> tuple[str, ...]:
    with path.open(encoding="utf-8") as handle:
        return tuple(json.load(handle))


def official_personnummer() -> tuple[str, ...]:
    return _load(PERSONNUMMER_FILE)


def official_samordningsnummer() -> tuple[str, ...]:
    return _load(SAMORDNINGSNUMMER_FILE)


def with_check_digit(first_eleven: str) -> str:
    """Complete ``YYYYMMDDNNN`` to 12 digits with the right Luhn digit."""
    assert len(first_eleven) == 11 and first_eleven.isdigit()
    return first_eleven + str(luhn_check_digit(first_eleven[2:]))


def build(year: int, month: int, day: int, serial: int, *, coordination: bool = False) -> str:
    """A 12-digit number with a correct check digit (day + 60 for a samordningsnummer)."""
    written_day = day + 60 if coordination else day
    return with_check_digit(f"{year:04d}{month:02d}{written_day:02d}{serial:03d}")


def hyphenated(twelve: str) -> str:
    """``YYYYMMDD-NNNC``."""
    return f"{twelve[:8]}-{twelve[8:]}"


def has_turned_100(twelve: str, today: date) -> bool:
    """Whether the holder is 100 or older on ``today``.

    An unknown month or day (00, or day 60 in a samordningsnummer) counts as the
    earliest possible one, as the parser assumes.
    """
    year, month, day = int(twelve[:4]), int(twelve[4:6]), int(twelve[6:8]) % 60
    return (year + 100, month, day) <= (today.year, today.month, today.day)


def ten_digit(twelve: str, today: date) -> str:
    """``YYMMDD-NNNC``, or ``YYMMDD+NNNC`` for someone 100 or older on ``today``."""
    separator = "+" if has_turned_100(twelve, today) else "-"
    return f"{twelve[2:8]}{separator}{twelve[8:]}"


def written_forms(twelve: str, today: date) -> list[str]:
    """Every way the number may be written, given the date of reference."""
    forms = [twelve, hyphenated(twelve), ten_digit(twelve, today)]
    if not has_turned_100(twelve, today):
        forms.append(twelve[2:])  # 10 digits with no separator mean "under 100"
    return forms


def wrong_check_digits(twelve: str) -> list[str]:
    """The nine variants of ``twelve`` with a wrong last digit."""
    return [twelve[:11] + digit for digit in "0123456789" if digit != twelve[11]]


def _check_official_numbers(numbers: tuple[str, ...], *, coordination: bool) -> list[str]:
    failures: list[str] = []
    for number in numbers:
        for text in written_forms(number, TODAY):
            try:
                parsed = parse(text, today=TODAY)
            except InvalidIdentityNumber as error:
                failures.append(f"{text!r}: rejected ({error})")
                continue
            if parsed.value != number:
                failures.append(f"{text!r}: normalised to {parsed.value!r}, not {number!r}")
            if parsed.is_coordination_number is not coordination:
                failures.append(f"{text!r}: is_coordination_number should be {coordination}")
    return failures


def _check_wrong_check_digits(numbers: tuple[str, ...]) -> list[str]:
    failures: list[str] = []
    for number in numbers:
        for wrong in wrong_check_digits(number):
            try:
                parsed = parse(wrong, today=TODAY)
            except InvalidIdentityNumber as error:
                if "check digit" not in str(error):
                    failures.append(f"{wrong!r}: rejected for another reason: {error}")
            else:
                failures.append(f"{wrong!r}: accepted as {parsed.value!r}")
    return failures


def _report(failures: list[str]) -> str:
    return f"{len(failures)} failures, first ones:\n" + "\n".join(failures[:30])


# --------------------------------------------------------- Skatteverket's test numbers


def test_the_official_test_number_files_hold_12_digit_numbers() -> None:
    personnummer = official_personnummer()
    samordningsnummer = official_samordningsnummer()
    assert len(personnummer) > 40_000
    assert len(samordningsnummer) > 2_000
    assert all(TWELVE_DIGITS.fullmatch(n) for n in personnummer + samordningsnummer)


def test_it_accepts_every_official_test_personnummer_in_every_written_form() -> None:
    failures = _check_official_numbers(official_personnummer(), coordination=False)
    assert not failures, _report(failures)


def test_it_accepts_every_official_test_samordningsnummer_in_every_written_form() -> None:
    failures = _check_official_numbers(official_samordningsnummer(), coordination=True)
    assert not failures, _report(failures)


def test_it_rejects_every_wrong_check_digit_of_every_official_test_number() -> None:
    failures = _check_wrong_check_digits(official_personnummer() + official_samordningsnummer())
    assert not failures, _report(failures)


def test_the_official_lists_cover_both_centuries_of_the_10_digit_form() -> None:
    """Guards the test above: it really exercises both '-' and '+'."""
    separators = {ten_digit(n, TODAY)[6] for n in official_personnummer()}
    assert separators == {"-", "+"}


# ------------------------------------------------------------------------ check digit


@pytest.mark.parametrize(
    ("nine", "check"),
    [
        ("811218987", 6),  # the textbook example, 811218-9876
        ("900101001", 7),
        ("000000000", 0),
    ],
)
def test_luhn_check_digit_matches_known_values(nine: str, check: int) -> None:
    assert luhn_check_digit(nine) == check


def test_the_check_digit_covers_only_the_last_ten_digits_not_the_century() -> None:
    number = build(1990, 1, 1, 1)
    assert parse(number).value == number
    # The same ten digits with another century: the check digit is still right.
    other_century = "18" + number[2:]
    assert parse(other_century).value == other_century


def test_a_wrong_check_digit_is_rejected_in_every_written_form() -> None:
    number = build(1985, 6, 15, 234)
    wrong = number[:11] + str((int(number[11]) + 1) % 10)
    for text in (wrong, hyphenated(wrong), wrong[2:8] + "-" + wrong[8:], wrong[2:]):
        with pytest.raises(InvalidIdentityNumber, match="check digit"):
            parse(text, today=TODAY)


# ---------------------------------------------------------------------- date validity


@pytest.mark.parametrize(
    ("first_eleven", "rule"),
    [
        ("20230230123", "30 February in a personnummer"),
        ("20230431123", "31 April in a personnummer"),
        ("19991301123", "month 13 in a personnummer"),
        ("19990132123", "day 32 in a personnummer"),
        ("19990145123", "day 45: neither a day of birth nor day + 60"),
        ("19990159123", "day 59: neither a day of birth nor day + 60"),
        ("19990015123", "month 00 in a personnummer"),
        ("19990100123", "day 00 in a personnummer"),
        ("19990000123", "month and day 00 in a personnummer"),
        ("19990192123", "day 92 in a samordningsnummer (day + 60 > 91)"),
        ("19990199123", "day 99 in a samordningsnummer"),
        ("19991362123", "month 13 in a samordningsnummer"),
        ("19999962123", "month 99 in a samordningsnummer"),
        ("20230229123", "29 February in a non-leap year"),
        ("19000229123", "29 February in 1900, not a leap year"),
    ],
)
def test_it_rejects_impossible_dates_even_with_a_correct_check_digit(
    first_eleven: str, rule: str
) -> None:
    number = with_check_digit(first_eleven)
    for text in (number, hyphenated(number)):
        with pytest.raises(InvalidIdentityNumber, match="impossible"):
            parse(text, today=TODAY)


@pytest.mark.parametrize("first_eleven", ["19991301123", "19990132123", "20230229123"])
def test_it_rejects_impossible_dates_in_the_10_digit_form(first_eleven: str) -> None:
    number = with_check_digit(first_eleven)
    with pytest.raises(InvalidIdentityNumber, match="impossible"):
        parse(number[2:8] + "-" + number[8:], today=TODAY)


def test_it_rejects_the_year_0000() -> None:
    number = build(0, 1, 1, 123)
    with pytest.raises(InvalidIdentityNumber, match="impossible"):
        parse(number)


@pytest.mark.parametrize("birth", [date(2004, 2, 29), date(2008, 2, 29)])
def test_it_accepts_29_february_in_a_leap_year(birth: date) -> None:
    prefix = birth.strftime("%Y%m%d")
    official = [n for n in official_personnummer() if n.startswith(prefix)]
    assert official, f"no official test personnummer born {birth}"
    for number in official:
        parsed = parse(number)
        assert parsed.value == number
        assert parsed.birth_date == birth


def test_it_accepts_29_february_in_2000_a_leap_century() -> None:
    assert parse(build(2000, 2, 29, 123)).birth_date == date(2000, 2, 29)


def test_it_accepts_the_last_day_of_every_month() -> None:
    for year in (2023, 2024):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            assert parse(build(year, month, last, 123)).birth_date == date(year, month, last)


# ------------------------------------------------- samordningsnummer: partial dates


def test_a_samordningsnummer_adds_60_to_the_day_of_birth() -> None:
    parsed = parse(build(1990, 5, 17, 123, coordination=True))
    assert parsed.is_coordination_number
    assert (parsed.birth_year, parsed.birth_month, parsed.birth_day) == (1990, 5, 17)
    assert parsed.birth_date == date(1990, 5, 17)


def test_a_samordningsnummer_with_day_91_is_the_31st() -> None:
    assert parse(build(1990, 1, 31, 123, coordination=True)).birth_day == 31


def test_a_samordningsnummer_with_month_00_has_an_unknown_month() -> None:
    number = "191500722390"
    assert number in official_samordningsnummer()
    parsed = parse(number)
    assert parsed.is_coordination_number
    assert parsed.birth_year == 1915
    assert parsed.birth_month is None
    assert parsed.birth_day == 12
    assert parsed.birth_date is None


def test_a_samordningsnummer_with_day_60_has_an_unknown_day() -> None:
    number = "191711602399"
    assert number in official_samordningsnummer()
    parsed = parse(number)
    assert parsed.is_coordination_number
    assert parsed.birth_year == 1917
    assert parsed.birth_month == 11
    assert parsed.birth_day is None
    assert parsed.birth_date is None


def test_a_samordningsnummer_may_leave_both_month_and_day_unknown() -> None:
    parsed = parse(build(1990, 0, 0, 123, coordination=True))
    assert (parsed.birth_year, parsed.birth_month, parsed.birth_day) == (1990, None, None)
    assert parsed.birth_date is None


def test_every_official_samordningsnummer_with_an_unknown_month_or_day_has_no_birth_date() -> None:
    partial = [n for n in official_samordningsnummer() if n[4:6] == "00" or n[6:8] == "60"]
    assert partial, "the official list should hold partial dates"
    failures = []
    for number in partial:
        parsed = parse(number)
        if parsed.birth_date is not None or parsed.birth_year != int(number[:4]):
            failures.append(number)
        if (parsed.birth_month is None) is not (number[4:6] == "00"):
            failures.append(number)
        if (parsed.birth_day is None) is not (number[6:8] == "60"):
            failures.append(number)
    assert not failures, failures


def test_a_samordningsnummer_with_a_day_past_the_end_of_its_month_has_no_birth_date() -> None:
    # An official test samordningsnummer for 29 February 1951, not a leap year.
    number = "195102892386"
    assert number in official_samordningsnummer()
    parsed = parse(number)
    assert (parsed.birth_year, parsed.birth_month, parsed.birth_day) == (1951, 2, 29)
    assert parsed.birth_date is None


# ----------------------------------------------------------- the 10-digit form's century


def test_a_10_digit_number_with_a_hyphen_is_younger_than_100() -> None:
    number = build(2010, 3, 4, 123)
    assert parse(f"100304-{number[8:]}", today=TODAY).value == number
    assert parse(f"100304{number[8:]}", today=TODAY).value == number


def test_a_10_digit_number_with_a_plus_is_100_or_older() -> None:
    number = build(1910, 3, 4, 123)
    assert parse(f"100304+{number[8:]}", today=TODAY).value == number


def test_someone_born_100_years_ago_today_has_a_plus() -> None:
    centenarian = build(1926, 11, 24, 123)
    newborn = build(2026, 11, 24, 123)
    assert centenarian[2:] == newborn[2:]
    assert parse(f"261124+{centenarian[8:]}", today=TODAY).value == centenarian
    assert parse(f"261124-{newborn[8:]}", today=TODAY).value == newborn


def test_born_later_in_the_year_than_today_means_the_previous_century() -> None:
    # 25 November '26 has not come yet on 24 November 2026: born 1926, aged 99.
    number = build(1926, 11, 25, 123)
    assert parse(f"261125-{number[8:]}", today=TODAY).value == number
    assert parse(f"261125{number[8:]}", today=TODAY).value == number


def test_born_later_in_the_year_than_today_with_a_plus_means_two_centuries_back() -> None:
    number = build(1826, 12, 1, 123)
    assert parse(f"261201+{number[8:]}", today=TODAY).value == number


def test_a_2_digit_year_after_this_year_is_in_the_previous_century() -> None:
    number = build(1999, 1, 1, 123)
    assert parse(f"990101-{number[8:]}", today=TODAY).value == number
    old = build(1899, 1, 1, 123)
    assert parse(f"990101+{old[8:]}", today=TODAY).value == old


def test_the_century_follows_the_date_of_reference() -> None:
    number_ten = f"000615-{build(2000, 6, 15, 123)[8:]}"
    assert parse(number_ten, today=date(2000, 6, 15)).birth_year == 2000
    assert parse(number_ten, today=date(2000, 6, 14)).birth_year == 1900
    assert parse(number_ten, today=date(2099, 12, 31)).birth_year == 2000
    assert parse(number_ten, today=date(2100, 6, 14)).birth_year == 2000
    assert parse(number_ten, today=date(2100, 6, 15)).birth_year == 2100


def test_the_10_digit_form_defaults_to_todays_date() -> None:
    number = build(2000, 6, 15, 123)
    assert parse(f"000615-{number[8:]}").value == number


def test_a_10_digit_samordningsnummer_gets_its_century_from_the_real_day() -> None:
    # Day 85 is the 25th: later than 24 November, so born 1926.
    number = build(1926, 11, 25, 123, coordination=True)
    assert parse(number[2:8] + "-" + number[8:], today=TODAY).value == number


@pytest.mark.parametrize(
    "padding",
    [" ", "  ", "\t", "\n", " \t\n", "\r\n", "\u00a0"],
    ids=repr,
)
def test_surrounding_whitespace_is_stripped(padding: str) -> None:
    number = build(1990, 1, 1, 123)
    for text in (number, hyphenated(number), number[2:8] + "-" + number[8:]):
        assert parse(f"{padding}{text}{padding}", today=TODAY).value == number


# ---------------------------------------------------------------------------- garbage


VALID = build(1990, 1, 1, 123)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "199001011234x",
        VALID[:11],  # 11 digits
        VALID[2:11],  # 9 digits
        VALID + "0",  # 13 digits
        VALID[:8] + "+" + VALID[8:],  # 12 digits with '+'
        VALID[:8] + " " + VALID[8:],  # a space is not a separator
        VALID[:8] + "--" + VALID[8:],
        VALID[:6] + "-" + VALID[6:],  # hyphen in the wrong place
        VALID[2:8] + "/" + VALID[8:],
        "+" + VALID[2:],
        "-" + VALID[2:],
        VALID[2:] + "-",
        "1990 01 01 1234",
        "1990-01-01-1234",
        "+46701234567",
        "١٩٩٠٠١٠١١٢٣٤",  # Arabic-Indic digits
        "１９９００１０１１２３４",  # fullwidth digits
        VALID.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        VALID[:4] + VALID[4:].translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ],
    ids=repr,
)
def test_it_rejects_text_that_is_not_an_identity_number(text: str) -> None:
    with pytest.raises(InvalidIdentityNumber):
        parse(text, today=TODAY)
    assert not is_valid(text)


def test_twelve_digits_with_a_plus_are_rejected_with_a_reason() -> None:
    with pytest.raises(InvalidIdentityNumber, match=re.escape("'+'")):
        parse(VALID[:8] + "+" + VALID[8:])


@pytest.mark.parametrize("value", [None, 199001011234, b"199001011234", ["199001011234"]])
def test_it_rejects_anything_that_is_not_text(value: object) -> None:
    with pytest.raises(InvalidIdentityNumber):
        parse(value)  # type: ignore[arg-type]


def test_invalid_identity_number_is_a_value_error() -> None:
    assert issubclass(InvalidIdentityNumber, ValueError)


def test_is_valid_answers_true_for_a_valid_number() -> None:
    assert is_valid(VALID)
    assert is_valid(hyphenated(VALID))
    assert not is_valid(VALID[:11] + str((int(VALID[11]) + 1) % 10))


# ---------------------------------------------------------------- the parsed number


@pytest.mark.parametrize(
    ("serial", "female"),
    [(120, True), (122, True), (128, True), (131, False), (135, False), (139, False)],
)
def test_is_female_follows_the_parity_of_the_second_to_last_digit(
    serial: int, female: bool
) -> None:
    assert parse(build(1990, 1, 1, serial)).is_female is female


def test_is_female_holds_for_samordningsnummer_too() -> None:
    assert parse(build(1990, 1, 1, 124, coordination=True)).is_female
    assert not parse(build(1990, 1, 1, 123, coordination=True)).is_female


def test_formatted_is_the_12_digit_form_with_a_hyphen() -> None:
    number = build(1990, 1, 1, 123)
    for text in (number, hyphenated(number), number[2:8] + "-" + number[8:]):
        parsed = parse(text, today=TODAY)
        assert parsed.formatted() == f"{number[:8]}-{number[8:]}"
        assert str(parsed) == number


def test_parsed_numbers_compare_by_their_12_digits() -> None:
    number = build(1990, 1, 1, 123)
    assert parse(number) == parse(hyphenated(number)) == IdentityNumber(number)
    assert hash(parse(number)) == hash(parse(number[2:8] + "-" + number[8:], today=TODAY))
    assert parse(build(1990, 1, 1, 123)) < parse(build(1990, 1, 2, 123))


def test_a_personnummer_is_not_a_coordination_number() -> None:
    parsed = parse(build(1990, 1, 31, 123))
    assert not parsed.is_coordination_number
    assert parsed.birth_day == 31


# ---------------------------------------------------------------- generated input


@st.composite
def birth_and_today(draw: st.DrawFn) -> tuple[date, date]:
    """A date of reference and a birth date that its 10-digit forms can express."""
    today = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
    earliest = date(today.year - 199, 1, 1)
    birth = draw(st.dates(min_value=earliest, max_value=today))
    return birth, today


serials = st.integers(min_value=0, max_value=999)


@given(birth_and_today(), serials, st.booleans())
@example((date(1926, 11, 24), TODAY), 123, False)
@example((date(1926, 11, 25), TODAY), 123, False)
@example((date(1826, 11, 25), TODAY), 123, True)
@example((date(2000, 2, 29), date(2100, 2, 28)), 0, False)
@example((date(2000, 2, 29), date(2100, 3, 1)), 999, True)
def test_every_generated_number_round_trips_through_every_written_form(
    birth_today: tuple[date, date], serial: int, coordination: bool
) -> None:
    birth, today = birth_today
    number = build(birth.year, birth.month, birth.day, serial, coordination=coordination)
    for text in written_forms(number, today):
        parsed = parse(text, today=today)
        assert parsed.value == number, text
        assert parsed.is_coordination_number is coordination
        assert parsed.birth_date == birth
        assert parse(parsed.formatted()) == parsed


@given(
    st.integers(min_value=1000, max_value=9999),
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=0, max_value=31),
    serials,
)
def test_every_generated_samordningsnummer_with_a_partial_date_parses(
    year: int, month: int, day: int, serial: int
) -> None:
    number = build(year, month, day, serial, coordination=True)
    parsed = parse(number)
    assert parsed.value == number
    assert parsed.is_coordination_number
    assert parsed.birth_year == year
    assert parsed.birth_month == (month or None)
    assert parsed.birth_day == (day or None)
    if month and day and day <= calendar.monthrange(year, month)[1]:
        assert parsed.birth_date == date(year, month, day)
    else:
        assert parsed.birth_date is None


@given(
    st.dates(min_value=date(1000, 1, 1)),
    serials,
    st.booleans(),
    st.integers(min_value=1, max_value=9),
)
def test_every_generated_number_with_a_changed_check_digit_is_rejected(
    birth: date, serial: int, coordination: bool, shift: int
) -> None:
    number = build(birth.year, birth.month, birth.day, serial, coordination=coordination)
    wrong = number[:11] + str((int(number[11]) + shift) % 10)
    for text in (wrong, hyphenated(wrong)):
        with pytest.raises(InvalidIdentityNumber, match="check digit"):
            parse(text, today=TODAY)


_NEAR_MISS_ALPHABET = st.sampled_from(list("0123456789-+ \t\n") + ["١", "٩", "０", "９", "a"])


def _check_arbitrary_text(text: str) -> None:
    try:
        parsed = parse(text, today=TODAY)
    except InvalidIdentityNumber:
        return
    # Anything accepted is a proper 12-digit number whose properties all work.
    assert TWELVE_DIGITS.fullmatch(parsed.value), parsed.value
    assert parse(parsed.value) == parsed
    assert parse(parsed.formatted()) == parsed
    parsed.birth_date  # noqa: B018 - must not raise
    _ = (parsed.is_female, parsed.is_coordination_number, parsed.birth_month, parsed.birth_day)


@given(st.text())
def test_arbitrary_text_is_either_a_number_or_invalid_identity_number(text: str) -> None:
    _check_arbitrary_text(text)


@given(st.text(alphabet=_NEAR_MISS_ALPHABET, min_size=9, max_size=15))
def test_near_miss_text_is_either_a_number_or_invalid_identity_number(text: str) -> None:
    _check_arbitrary_text(text)


@given(st.from_regex(r"\A\s?[0-9]{2}?[0-9]{6}[-+]?[0-9]{4}\s?\Z"))
@example("000001011238")  # year 0000
def test_digit_shaped_text_is_either_a_number_or_invalid_identity_number(text: str) -> None:
    _check_arbitrary_text(text)
