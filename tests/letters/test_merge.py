"""Merge fields: a fixed set, a simple syntax, and a clear error naming what is wrong."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from letters import merge


def test_known_fields_are_replaced_however_they_are_spaced_or_capitalised():
    text = "Hej {förnamn}! { Efternamn } och {NAMN}, {datum}."
    merge.check(text, allow_guardian=False)
    values = {"förnamn": "Alva", "efternamn": "Lind", "namn": "Alva Lind", "datum": "1 maj 2026"}
    assert merge.render(text, values) == "Hej Alva! Lind och Alva Lind, 1 maj 2026."


def test_a_decomposed_a_ring_from_a_pasted_text_is_the_same_field():
    decomposed = "{fo\u0308rnamn}"  # ö written as o + combining diaeresis
    merge.check(decomposed, allow_guardian=False)
    assert merge.render(decomposed, {"förnamn": "Alva"}) == "Alva"


def test_an_unknown_field_is_named_in_the_error():
    with pytest.raises(ValidationError) as error:
        merge.check("Hej {förnamn} {smeknamn} och {skola}!", allow_guardian=False)
    assert error.value.code == "unknown_field"
    message = error.value.messages[0]
    assert "{smeknamn}" in message and "{skola}" in message
    assert "{förnamn}" in message  # the list of fields one can use


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hej {{ förnamn }}", "double_braces"),
        ("Hej {förnamn", "unbalanced"),
        ("Hej förnamn}", "unbalanced"),
    ],
)
def test_braces_without_a_field_are_refused(text, code):
    with pytest.raises(ValidationError) as error:
        merge.check(text, allow_guardian=False)
    assert error.value.code == code


def test_the_guardians_name_only_in_a_letter_to_guardians():
    merge.check("Hej {vårdnadshavare}", allow_guardian=True)
    with pytest.raises(ValidationError) as error:
        merge.check("Hej {vårdnadshavare}", allow_guardian=False)
    assert error.value.code == "guardian_only"


def test_the_address_only_in_the_text():
    with pytest.raises(ValidationError) as error:
        merge.check("Till {adress}", allow_guardian=False, allow_address=False)
    assert error.value.code == "address_not_here"


def test_the_address_can_be_kept_for_printing():
    text = "Hej {förnamn}, vi skriver till {Adress}."
    assert merge.render(text, {"förnamn": "Alva"}, keep=("adress",)) == (
        "Hej Alva, vi skriver till {adress}."
    )


def test_the_date_is_written_in_swedish():
    assert merge.swedish_date(date(2026, 11, 24)) == "24 november 2026"
    assert merge.swedish_date(date(2027, 3, 1)) == "1 mars 2027"
