"""Swedish identity numbers: personnummer and samordningsnummer.

One parser for every written form Skatteverket and school systems use:

* 12 digits, ``YYYYMMDDNNNC`` or ``YYYYMMDD-NNNC``;
* 10 digits, ``YYMMDDNNNC``, ``YYMMDD-NNNC``, or ``YYMMDD+NNNC`` for people
  who have turned 100 (the century is inferred from the date of reference).

A samordningsnummer (coordination number) adds 60 to the day of birth.
Skatteverket writes an unknown month or day as ``00`` in samordningsnummer,
so the derived birth date can be partial: the year is always known, month and
day may be ``None``.

The last digit is a Luhn check digit over the ten digits ``YYMMDDNNN``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

__all__ = ["IdentityNumber", "InvalidIdentityNumber", "parse", "is_valid"]

COORDINATION_DAY_OFFSET = 60

_FORMS = re.compile(
    r"""^(?P<century>\d{2})?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})
        (?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$""",
    # ASCII: \d must not match other scripts' digits (Arabic-Indic, fullwidth...).
    re.VERBOSE | re.ASCII,
)


class InvalidIdentityNumber(ValueError):
    """The text is not a valid personnummer or samordningsnummer."""


# The digit sum of each digit, and of twice each digit (for the positions Luhn doubles).
_DIGIT = {str(d): d for d in range(10)}
_DOUBLED = {str(d): 2 * d // 10 + 2 * d % 10 for d in range(10)}


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit for ``YYMMDDNNN``."""
    # Table look-ups instead of arithmetic per digit: every identity number of an
    # import (hundreds of thousands) is checked.
    total = sum(map(_DOUBLED.__getitem__, nine_digits[0::2])) + sum(
        map(_DIGIT.__getitem__, nine_digits[1::2])
    )
    return (10 - total % 10) % 10


def _days_in_month(year: int, month: int) -> int:
    # calendar.monthrange also computes the weekday, which costs more than this.
    return 29 if month == 2 and calendar.isleap(year) else calendar.mdays[month]


@dataclass(frozen=True, order=True)
class IdentityNumber:
    """A validated identity number, normalised to 12 digits ``YYYYMMDDNNNC``."""

    value: str

    def __str__(self) -> str:
        return self.value

    @property
    def is_coordination_number(self) -> bool:
        """True for a samordningsnummer (day of birth + 60)."""
        return int(self.value[6:8]) >= COORDINATION_DAY_OFFSET

    @property
    def birth_year(self) -> int:
        return int(self.value[0:4])

    @property
    def birth_month(self) -> int | None:
        """The month of birth, or None where Skatteverket wrote it as 00."""
        return int(self.value[4:6]) or None

    @property
    def birth_day(self) -> int | None:
        """The day of birth, or None where it is unknown (00, or 60 in a samordningsnummer)."""
        day = int(self.value[6:8])
        if day >= COORDINATION_DAY_OFFSET:
            day -= COORDINATION_DAY_OFFSET
        return day or None

    @property
    def birth_date(self) -> date | None:
        """The full birth date, or None when month or day is unknown.

        A samordningsnummer may carry a day past the end of its month; such a
        date is unknown too.
        """
        if self.birth_month is None or self.birth_day is None:
            return None
        if self.birth_day > _days_in_month(self.birth_year, self.birth_month):
            return None
        return date(self.birth_year, self.birth_month, self.birth_day)

    @property
    def is_female(self) -> bool:
        """Legal gender as encoded in the number: an even second-to-last digit."""
        return int(self.value[10]) % 2 == 0

    def formatted(self) -> str:
        """The 12-digit form with a hyphen, as shown to users: ``YYYYMMDD-NNNC``."""
        return f"{self.value[:8]}-{self.value[8:]}"


def parse(text: str, *, today: date | None = None) -> IdentityNumber:
    """Parse and validate any written form of an identity number.

    ``today`` is the date of reference for 10-digit forms, whose century is
    inferred: '-' (or no separator) means younger than 100, '+' means 100 or older.
    Raises ``InvalidIdentityNumber`` with a message that says what is wrong.
    """
    if not isinstance(text, str):
        raise InvalidIdentityNumber("An identity number must be text.")
    cleaned = text.strip()
    match = _FORMS.match(cleaned)
    if match is None:
        raise InvalidIdentityNumber(
            f"'{cleaned}' is not an identity number: expected 10 or 12 digits, "
            "as YYYYMMDD-NNNC, YYYYMMDDNNNC, YYMMDD-NNNC, YYMMDD+NNNC or YYMMDDNNNC."
        )
    century, yy, mm, dd, sep, serial, check = match.groups()
    if century is not None and sep == "+":
        raise InvalidIdentityNumber(
            f"'{cleaned}': '+' is only used in the 10-digit form (age 100 or more)."
        )

    if luhn_check_digit(yy + mm + dd + serial) != int(check):
        raise InvalidIdentityNumber(f"'{cleaned}' has a wrong check digit.")

    month = int(mm)
    raw_day = int(dd)
    coordination = raw_day >= COORDINATION_DAY_OFFSET
    day = raw_day - COORDINATION_DAY_OFFSET if coordination else raw_day

    if century is not None:
        year = int(century + yy)
    else:
        year = _infer_year(int(yy), month, day, plus=sep == "+", today=today)

    _check_date(cleaned, year, month, day, coordination)
    return IdentityNumber(f"{year:04d}{mm}{dd}{serial}{check}")


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidIdentityNumber:
        return False
    return True


def _check_date(cleaned: str, year: int, month: int, day: int, coordination: bool) -> None:
    # Year 0000 (or before) has no calendar date: birth_date would crash.
    if year < 1:
        raise InvalidIdentityNumber(f"'{cleaned}' has an impossible year of birth.")
    # Only samordningsnummer may leave month or day unknown (written 00).
    if (month == 0 or day == 0) and not coordination:
        raise InvalidIdentityNumber(f"'{cleaned}' has an impossible date of birth.")
    if month > 12:
        raise InvalidIdentityNumber(f"'{cleaned}' has an impossible month of birth.")
    if day > 31:
        raise InvalidIdentityNumber(f"'{cleaned}' has an impossible day of birth.")
    # Skatteverket's own test samordningsnummer include days past the month's
    # end (30 February, 31 April): for them the day is accepted and the birth
    # date treated as partially unknown. A personnummer must be a real date.
    if not coordination and month and day and day > _days_in_month(year, month):
        raise InvalidIdentityNumber(f"'{cleaned}' has an impossible date of birth.")


def _infer_year(yy: int, month: int, day: int, *, plus: bool, today: date | None) -> int:
    today = today or date.today()
    reference_year = today.year - 100 if plus else today.year
    year = reference_year - (reference_year - yy) % 100
    # Born later this year than today cannot be: that person is a century older.
    if year == reference_year and (month, day) > (today.month, today.day):
        year -= 100
    return year
