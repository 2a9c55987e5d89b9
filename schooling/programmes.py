"""Code lists for upper-secondary programmes (gymnasieskolans program).

Plain constants so that readers, forms and reports share one source. Codes are
Skolverket's programme codes as schools report them; names are the official
Swedish names.
"""

from __future__ import annotations

import re

__all__ = [
    "NATIONAL_PROGRAMMES",
    "INTRODUCTION_PROGRAMMES",
    "CURRENT_INTRODUCTION_PROGRAMMES",
    "ANPASSAD_GYMNASIESKOLA_CODE",
    "is_national_programme",
    "is_introduction_programme",
    "is_gymnasieskola_programme",
    "is_anpassad_gymnasieskola_code",
    "programme_name",
]

NATIONAL_PROGRAMMES: dict[str, str] = {
    "BA": "Bygg- och anläggningsprogrammet",
    "BF": "Barn- och fritidsprogrammet",
    "EE": "El- och energiprogrammet",
    "EK": "Ekonomiprogrammet",
    "ES": "Estetiska programmet",
    "FT": "Fordons- och transportprogrammet",
    "HA": "Handels- och administrationsprogrammet",
    "HU": "Humanistiska programmet",
    "HT": "Hotell- och turismprogrammet",
    "HV": "Hantverksprogrammet",
    "IN": "Industritekniska programmet",
    "NA": "Naturvetenskapsprogrammet",
    "NB": "Naturbruksprogrammet",
    "RL": "Restaurang- och livsmedelsprogrammet",
    "SA": "Samhällsvetenskapsprogrammet",
    "TE": "Teknikprogrammet",
    "VF": "VVS- och fastighetsprogrammet",
    "VO": "Vård- och omsorgsprogrammet",
}
"""The 18 national programmes of gymnasieskolan (Gy11): code -> Swedish name."""

CURRENT_INTRODUCTION_PROGRAMMES: dict[str, str] = {
    "IMA": "Individuellt alternativ",
    "IMS": "Språkintroduktion",
    "IMV": "Programinriktat val",
    "IMY": "Yrkesintroduktion",
}
"""The four introduction programmes in force since 1 July 2019: code -> name."""

INTRODUCTION_PROGRAMMES: dict[str, str] = {
    **CURRENT_INTRODUCTION_PROGRAMMES,
    # Codes from before the 2019 reform. Enrolments that started then still
    # turn up in school files and in the register's history, so they stay valid.
    "IMPRE": "Preparandutbildning",
    "IMIND": "Individuellt alternativ",
    "IMYRK": "Yrkesintroduktion",
    "IMSPR": "Språkintroduktion",
    "IMPRO": "Programinriktat individuellt val",
}
"""All introduction programme codes accepted, current and pre-2019: code -> name."""

ANPASSAD_GYMNASIESKOLA_CODE = re.compile(r"[A-Z0-9]{2,5}")
"""The form of a programme code in anpassad gymnasieskola.

Samverka does not keep a list of the anpassad gymnasieskola programme codes,
so any code of 2-5 upper-case ASCII letters or digits is accepted there (and
for the other school forms that may carry a code). Use ``fullmatch``.
"""


def is_national_programme(code: str) -> bool:
    """True for one of the 18 national programme codes, e.g. ``"NA"``."""
    return code in NATIONAL_PROGRAMMES


def is_introduction_programme(code: str) -> bool:
    """True for an introduction programme code: any code starting with ``"IM"``.

    The prefix, not the list, decides, so that local variants of the codes
    (which schools sometimes report) still count as introduction programmes.
    """
    return code.startswith("IM")


def is_gymnasieskola_programme(code: str) -> bool:
    """True for a code listed here: a national or an introduction programme."""
    return code in NATIONAL_PROGRAMMES or code in INTRODUCTION_PROGRAMMES


def is_anpassad_gymnasieskola_code(code: str) -> bool:
    """True when ``code`` has the form of a programme code (2-5 of A-Z, 0-9)."""
    return ANPASSAD_GYMNASIESKOLA_CODE.fullmatch(code) is not None


def programme_name(code: str) -> str | None:
    """The Swedish name of a national or introduction programme, or None."""
    return NATIONAL_PROGRAMMES.get(code) or INTRODUCTION_PROGRAMMES.get(code)
