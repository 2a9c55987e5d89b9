"""The dashboard: a trend chart per goal with its table and text, the people behind a
number, targets, and the board report."""

import io
import re

from openpyxl import load_workbook

from audit.models import AuditEvent
from followup import charts, dashboard, indicators
from followup.models import Comment, Target
from organisations.permissions import Role
from tests.factories import UserFactory, member

FOLLOWUP = "/followup/"


def manager():
    return member(UserFactory(username="chef"), "0183", Role.UNIT_MANAGER)


def test_each_goal_has_a_chart_its_table_and_a_text(world, counsellor, client_for):
    page = client_for(counsellor).get(FOLLOWUP, {"period": "2026T1"}).content.decode()
    assert page.count('role="img"') == 5
    for goal in indicators.goals():
        assert f'aria-labelledby="chart-{goal.id}-title chart-{goal.id}-desc"' in page
    # The trend table: six tertials ending with the one asked for.
    for label in ("2024T2", "2024T3", "2025T1", "2025T2", "2025T3", "2026T1"):
        assert f'<th scope="row">{label}</th>' in page
    # Offered: 2 of 7 in 2026T1; in 2025T3 A (offered in October) of A, C, F and N.
    assert "28.6 % in 2026T1. Up from 25.0 % in 2025T3, which is better." in page
    assert "3 in 2026T1. Up from 1 in 2025T3, which is worse." in page  # interruptions


def test_a_number_opens_the_people_behind_it(world, counsellor, client_for):
    client = client_for(counsellor)
    page = client.get(FOLLOWUP, {"period": "2026T1"}).content.decode()
    link = (
        "/followup/people/?indicator=kaa_offered_share&amp;part=numerator&amp;period=2026T1"
        "&amp;municipality=0183"
    )
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    names = re.findall(r'<th scope="row"><a href="/persons/\d+/case/">([^<]+)</a>', listed)
    assert len(names) == 2  # A and F were offered a measure
    assert AuditEvent.objects.filter(user=counsellor, action="followup.people").count() == 2


def test_analysts_see_numbers_but_not_the_people(world, analyst, client_for):
    client = client_for(analyst)
    page = client.get(FOLLOWUP, {"period": "2026T1"}).content.decode()
    assert "/followup/people/" not in page
    response = client.get(
        "/followup/people/", {"indicator": "kaa_total", "part": "value", "period": "2026T1"}
    )
    assert response.status_code == 403


def test_the_manager_sets_a_target_and_the_dashboard_measures_against_it(world, client_for):
    client = client_for(manager())
    response = client.post(
        "/followup/targets/",
        {
            "indicator": "kaa_offered_share",
            "period": "2026T1",
            "value": "90",
            "municipality": "0183",
        },
    )
    assert response.status_code == 302
    assert Target.objects.get(indicator="kaa_offered_share").value == 90
    page = client.get(response["Location"]).content.decode()
    assert "The target 90.0 % is not reached." in page
    assert 'class="target"' in page  # the dashed target line

    too_much = client.post(
        "/followup/targets/",
        {"indicator": "kaa_offered_share", "period": "2026T1", "value": "120"},
    )
    assert "A share is given in per cent: at most 100." in too_much.content.decode()
    bad_period = client.post(
        "/followup/targets/", {"indicator": "interruptions", "period": "T1", "value": "3"}
    )
    assert "is not a period" in bad_period.content.decode()
    assert Target.objects.count() == 1


def test_a_counsellor_cannot_set_targets(world, counsellor, client_for):
    response = client_for(counsellor).post(
        "/followup/targets/", {"indicator": "interruptions", "period": "2026T1", "value": "3"}
    )
    assert response.status_code == 403


def test_the_board_report_as_pdf_and_excel_with_the_comments(world, client_for):
    client = client_for(manager())
    url = "/followup/board-report/?municipality=0183&period=2026T1"
    saved = client.post(url, {"comment-interruptions": "Färre avbrott än väntat."})
    assert saved.status_code == 302
    assert Comment.objects.get(indicator="interruptions").text == "Färre avbrott än väntat."
    page = client.get(url).content.decode()
    assert "Färre avbrott än väntat." in page

    pdf = client.get("/followup/board-report/download/?period=2026T1&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    xlsx = client.get("/followup/board-report/download/?period=2026T1&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Färre avbrott än väntat." in values
    assert 3 in values  # three interruptions in 2026T1


def test_the_board_report_is_for_a_tertial_or_a_year(world, counsellor, client_for):
    page = client_for(counsellor).get("/followup/board-report/", {"period": "2026H1"})
    assert "The board report is for a tertial (2026T2) or a year (2026)." in page.content.decode()


def test_the_short_text_says_which_way_and_the_target():
    indicator = indicators.get("interruptions")
    points = [
        charts.Point("2026T1", 5, None, "5"),
        charts.Point("2026T2", 3, 4, "3"),
    ]
    assert dashboard.short_text(indicator, points) == (
        "3 in 2026T2. Down from 5 in 2026T1, which is better. The target 4 is reached."
    )
    assert dashboard.short_text(indicator, [charts.Point("2026T1", None)]) == (
        "No figure for these periods."
    )


def test_the_chart_escapes_its_texts_and_leaves_gaps_for_hidden_values():
    svg = charts.svg(
        "c",
        "A <b> title",
        "desc & more",
        [charts.Point("T1", 5), charts.Point("T2", None), charts.Point("T3", 7)],
        "%",
        "Värde",
        "Mål",
    )
    assert "A &lt;b&gt; title" in svg
    assert "desc &amp; more" in svg
    assert svg.count('class="value"') == 3  # two one-point segments and the legend
