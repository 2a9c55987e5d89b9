"""A list page's HTML: the template escapes every cell, and the filters are
Django's own widgets."""

import re

from django.urls import reverse

from organisations.permissions import Role
from tests.casework.conftest import in_kaa
from tests.casework.worklist_data import case, names
from tests.factories import PersonFactory, UserFactory, member

NEVER = "/worklists/never-contacted/"


def test_a_name_with_markup_is_escaped_in_every_cell(counsellor, client_for):
    person = in_kaa(PersonFactory(first_name="<script>alert(1)</script>", last_name="Ek & Son"))
    handler = member(
        UserFactory(username="kim", first_name="<i>Kim</i>", last_name="Ås & Co"),
        "0183",
        Role.COUNSELLOR,
    )
    case(person, handler=handler)
    page = client_for(counsellor).get(NEVER).content.decode()
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; Ek &amp; Son"
    assert names(page) == [escaped]
    assert "<script>alert(1)" not in page
    # The name, the checkbox's label and the hidden end of "Log a contact".
    assert page.count(escaped) == 3
    assert f'<span class="visually-hidden">: {escaped}</span>' in page
    assert "<td>&lt;i&gt;Kim&lt;/i&gt; Ås &amp; Co</td>" in page
    assert "<i>Kim</i>" not in page.split("<tbody>")[1]


def test_each_row_links_to_the_case_and_the_quick_contact(person, counsellor, client_for):
    page = client_for(counsellor).get(NEVER).content.decode()
    assert f'<a href="{reverse("case", args=[person.pk])}">Alva Lind</a>' in page
    assert f'<a href="{reverse("quick_contact", args=[person.pk])}">' in page
    assert f'<input type="checkbox" name="person" value="{person.pk}" id="pick-' in page


def test_the_filters_are_djangos_widgets_with_their_values(counsellor, client_for):
    in_kaa(PersonFactory())
    page = client_for(counsellor).get(NEVER, {"kind": "kaa", "age_min": "17"}).content.decode()
    select = re.search(r'<select name="kind" id="id_kind">(.*?)</select>', page, re.S)
    assert select is not None
    assert re.search(r'<option value="kaa" selected>', select.group(1))
    assert len(re.findall(r"<option ", select.group(1))) == 3
    assert re.search(r'<input type="number" name="age_min" value="17"[^>]* id="id_age_min">', page)
    assert '<label for="id_kind">' in page
    assert '<label for="assign_handler">' in page
    assert '<select name="handler" required id="assign_handler">' in page
    assert re.search(r'<input type="text" name="name" maxlength="\d+"', page)
