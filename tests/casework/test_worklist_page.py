"""A list page's HTML: the template escapes every cell, the links keep the valid
filters, and the filters are Django's own widgets."""

import html
import re

from django.urls import reverse

from organisations.permissions import Role
from tests.casework.conftest import in_kaa
from tests.casework.worklist_data import case, names
from tests.factories import PersonFactory, UserFactory, member
from worklists.queries import PAGE_SIZE

NEVER = "/worklists/never-contacted/"


def links(page: str, rel: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(rf'<a href="([^"]*)" rel="{rel}">', page)]


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


def test_the_valid_filters_survive_in_the_pages_links(counsellor, client_for):
    for i in range(PAGE_SIZE + 5):
        in_kaa(PersonFactory(first_name="Person", last_name=f"Nummer{i:03d}"))
    client = client_for(counsellor)
    # An age that is not a number is explained and left out of every link.
    given = {"sort": "-name", "age_min": "x", "handler": "none", "kind": "kaa"}
    first = client.get(NEVER, given).content.decode()
    assert 'id="id_age_min_error"' in first
    kept = "kind=kaa&handler=none&sort=-name"
    assert links(first, "next") == [f"?{kept}&page=2"]
    assert links(first, "prev") == []
    assert f'href="?{kept.replace("&", "&amp;")}&amp;page=2"' in first  # escaped in HTML

    second = client.get(f"{NEVER}{links(first, 'next')[0]}").content.decode()
    assert names(second) == [f"Person Nummer{i:03d}" for i in range(4, -1, -1)]
    assert links(second, "prev") == [f"?{kept}&page=1"]
    assert links(second, "next") == []


def test_the_export_links_carry_the_valid_filters(counsellor, client_for):
    in_kaa(PersonFactory())
    page = client_for(counsellor).get(NEVER, {"kind": "kaa", "age_max": "99"}).content.decode()
    export = reverse("worklist_never_contacted_export")
    for file_format in ("xlsx", "csv"):
        assert f'href="{export}?kind=kaa&amp;format={file_format}"' in page
    plain = client_for(counsellor).get(NEVER).content.decode()
    assert f'href="{export}?format=csv"' in plain


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
