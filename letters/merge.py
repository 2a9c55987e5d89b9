"""Merge fields in letter templates: a small, explicit substitution.

A field is a name in single braces, ``{förnamn}``; spaces inside the braces
and upper case are allowed (``{ Förnamn }``). The set of fields is fixed
(:data:`FIELDS`). Braces are used for nothing else, so a ``{`` or ``}``
without its pair is an error, as is a name not in the set. The Django
template engine never sees a user's text.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

ADDRESS = "adress"
GUARDIAN = "vårdnadshavare"


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # what it is, shown next to the form
    example: str  # what it looks like in the preview


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("förnamn", _("The young person's first name"), "Alva"),
        Field("efternamn", _("The young person's last name"), "Lind"),
        Field("namn", _("The young person's full name"), "Alva Lind"),
        Field("datum", _("The date of the letter"), "24 november 2026"),
        Field("kommun", _("The municipality's name"), "Sundbyberg"),
        Field("enhet", _("The unit's name"), "Aktivitetsansvar och uppsökande verksamhet"),
        Field(
            "handläggare",
            _("The young person's handler, or whoever makes the batch"),
            "Sara Ek",
        ),
        Field("telefon", _("The phone number given for the batch"), "08-123 456 78"),
        Field("epost", _("The e-mail address given for the batch"), "kaa@kommun.se"),
        Field(GUARDIAN, _("The guardian's name (guardian letters only)"), "Anna Lind"),
        Field(
            ADDRESS,
            _("The name and postal address, as in the envelope window"),
            "Alva Lind\nStorgatan 1\n172 31 SUNDBYBERG",
        ),
    )
}

TOKEN = re.compile(r"\{([^{}]*)\}")
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def swedish_date(day: date) -> str:
    """24 november 2026: letters are written in Swedish whatever the screen language."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _key(raw: str) -> str:
    # NFC: an å pasted from some editors arrives as a + combining ring.
    return unicodedata.normalize("NFC", raw).strip().lower()


def fields_in(text: str) -> list[str]:
    """The field names used in ``text``, in order, as written (normalised)."""
    return [_key(m.group(1)) for m in TOKEN.finditer(text)]


def check(text: str, *, allow_guardian: bool, allow_address: bool = True) -> None:
    """Raise ValidationError unless every merge field in ``text`` is known and allowed."""
    if "{{" in text or "}}" in text:
        raise ValidationError(
            _("Write merge fields with single braces, for example {förnamn}."),
            code="double_braces",
        )
    if "{" in TOKEN.sub("", text) or "}" in TOKEN.sub("", text):
        raise ValidationError(
            _("A { or } is missing its pair. Merge fields are written {förnamn}."),
            code="unbalanced",
        )
    used = fields_in(text)
    unknown = list(dict.fromkeys(name for name in used if name not in FIELDS))
    if unknown:
        raise ValidationError(
            ngettext(
                "Unknown merge field %(fields)s. You can use: %(known)s.",
                "Unknown merge fields %(fields)s. You can use: %(known)s.",
                len(unknown),
            ),
            code="unknown_field",
            params={
                "fields": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in FIELDS),
            },
        )
    if GUARDIAN in used and not allow_guardian:
        raise ValidationError(
            _("{vårdnadshavare} can only be used in a letter to guardians."),
            code="guardian_only",
        )
    if ADDRESS in used and not allow_address:
        raise ValidationError(
            _("{adress} can only be used in the text of the letter, not in the subject."),
            code="address_not_here",
        )


def render(text: str, values: dict[str, str], *, keep: tuple[str, ...] = ()) -> str:
    """``text`` with each field replaced by its value.

    Fields named in ``keep`` are left as ``{name}`` (normalised), to be filled
    in later: the address is filled in only when the letter is printed, so
    that no address is stored outside the person's own row. ``text`` must have
    passed :func:`check`; a field without a value becomes empty.
    """

    def replace(match: re.Match) -> str:
        name = _key(match.group(1))
        if name in keep:
            return "{" + name + "}"
        return values.get(name, "")

    return TOKEN.sub(replace, text)


def examples() -> dict[str, str]:
    return {name: field.example for name, field in FIELDS.items()}
