"""Roll-ups to a samordningsförbund, a county and the nation, with small numbers suppressed."""

from datetime import date

import pytest

from followup import indicators, rollup
from followup.periods import parse_period
from followup.publication import Publication, shown
from organisations.models import Municipality, Organisation
from tests.followup import builders as b

P = parse_period("2026T1")
AS_OF = date(2026, 11, 30)


def in_kaa(code: str, count: int, reached: int) -> None:
    for index in range(count):
        p = b.person(date(2009, 1 + index % 12, 1), female=index % 2 == 0, code=code)
        b.kaa(p, date(2025, 12, 1))
        if index < reached:
            b.contact(p, date(2026, 2, 1))


@pytest.fixture
def forbund(db):
    forbund = Organisation.objects.create(
        kind=Organisation.Kind.SAMORDNINGSFORBUND, name="Samordningsförbundet Östra Södertörn"
    )
    forbund.member_municipalities.set(
        Municipality.objects.filter(code__in=["0136", "0192", "0138"])
    )
    in_kaa("0136", 12, 11)  # Haninge
    in_kaa("0192", 3, 1)  # Nynäshamn: few
    in_kaa("0138", 20, 15)  # Tyresö
    return forbund


def table_of(items, indicator_id):
    item = next(i for i in items if i.indicator.id == indicator_id)
    table = item.tables[0]
    rows = {label: [c.text for c in cells] for label, cells in table.rows}
    return item, rows, [c.text for c in table.total[1]]


def test_a_forbund_sees_its_municipalities_with_small_numbers_hidden(forbund):
    scope = rollup.forbund_scope(rollup.find_forbund("Östra Södertörn"))
    found = rollup.figures(scope, P, as_of=AS_OF)
    publication = Publication(found.rows, found.total, suppress=True)
    items = shown(publication, {r.key: r.name for r in scope.rows})

    item, rows, total = table_of(items, "kaa_total")
    assert rows == {
        "Haninge kommun": [".."],  # hidden so that Nynäshamn's cannot be worked out
        "Tyresö kommun": ["20"],
        "Nynäshamns kommun": ["<5"],
    }
    assert total == ["35"]
    assert item.headline.text == "35"

    item, rows, total = table_of(items, "kaa_contacted_share")
    assert rows["Nynäshamns kommun"] == ["<5", "<5", ".."]
    assert rows["Haninge kommun"] == ["..", "..", ".."]
    assert rows["Tyresö kommun"] == ["15", "20", "75.0 %"]
    assert total == ["27", "35", "77.1 %"]


def test_a_municipality_sees_its_own_figures_unsuppressed(forbund):
    scope = rollup.municipality_scope(Municipality.objects.by_code("0192"))
    found = rollup.figures(scope, P, as_of=AS_OF)
    publication = Publication(found.rows, None, suppress=False)
    items = shown(publication, {r.key: r.name for r in scope.rows})
    item = next(i for i in items if i.indicator.id == "kaa_contacted_share")
    assert item.headline.text == "33.3 %"
    assert item.detail == "1 of 3"


def test_the_nation_is_shown_by_county(forbund):
    scope = rollup.nation_scope()
    assert len(scope.rows) == 21
    found = rollup.figures(scope, P, as_of=AS_OF)
    stockholm = found.rows["01"]
    assert stockholm["kaa_total"].value == 35
    assert found.total["kaa_total"].value == 35
    publication = Publication(found.rows, found.total, suppress=True)
    assert publication.count_cell(indicators.get("kaa_total"), "01").text == "35"


def test_a_county_scope_lists_its_municipalities(forbund):
    county = Organisation.objects.get(kind=Organisation.Kind.COUNTY, code="01")
    scope = rollup.county_scope(county)
    assert len(scope.rows) == 26
    found = rollup.figures(scope, P, as_of=AS_OF)
    assert found.total["kaa_total"].value == 35


def test_finding_a_forbund_by_name(forbund):
    assert rollup.find_forbund("samordningsförbundet östra södertörn") == forbund
    with pytest.raises(LookupError, match="No samordningsförbund"):
        rollup.find_forbund("Västra")
