"""The follow-up pages: the figures, their definitions, the KAA statistics and its codes."""

import csv
import io

from audit.models import AuditEvent
from followup.models import StatisticsCode
from organisations.models import Membership, Municipality, Organisation
from organisations.permissions import Role
from tests.factories import UserFactory

FOLLOWUP = "/followup/"


def test_a_counsellor_sees_the_municipality_s_own_figures(world, counsellor, client_for):
    page = client_for(counsellor).get(FOLLOWUP, {"period": "2026T1"}).content.decode()
    assert "Sundbybergs kommun, 2026T1" in page
    assert "5 of 7" in page or "5 av 7" in page  # contacted, unsuppressed
    assert "&lt;5" not in page  # own figures are not suppressed


def test_a_bad_period_says_so_and_shows_the_last_tertial(world, counsellor, client_for):
    page = client_for(counsellor).get(FOLLOWUP, {"period": "2026T9"}).content.decode()
    assert 'aria-invalid="true"' in page
    assert "2026T9" in page
    assert "2026T2" in page  # the last complete tertial on the day the test runs, or later


def test_a_roll_up_is_suppressed_and_explained(world, counsellor, client_for):
    page = (
        client_for(counsellor)
        .get(FOLLOWUP, {"scope": "county:01", "period": "2026T1"})
        .content.decode()
    )
    assert "Stockholms län" in page
    assert "&lt;5" in page
    assert "Sundbybergs kommun" in page  # a row of the county's table


def test_nobody_sees_another_municipality_s_own_figures(world, other_counsellor, client_for):
    page = (
        client_for(other_counsellor)
        .get(FOLLOWUP, {"scope": "municipality:0183", "period": "2026T1"})
        .content.decode()
    )
    assert "Haninge kommun, 2026T1" in page
    assert "Sundbybergs kommun, 2026T1" not in page


def test_an_analyst_of_a_samordningsforbund_sees_only_its_roll_up(world, client_for):
    forbund = Organisation.objects.create(
        kind=Organisation.Kind.SAMORDNINGSFORBUND, name="Samordningsförbundet Östra Södertörn"
    )
    forbund.member_municipalities.set(Municipality.objects.filter(code__in=["0136", "0192"]))
    analyst = UserFactory(username="analys.sof")
    Membership.objects.create(user=analyst, organisation=forbund, role=Role.ANALYST)
    client = client_for(analyst)
    assert client.get("/")["Location"] == FOLLOWUP
    page = client.get(FOLLOWUP, {"period": "2026T1"}).content.decode()
    assert "Samordningsförbundet Östra Södertörn, 2026T1" in page
    assert "municipality:0183" not in page
    refused = client.get(FOLLOWUP, {"scope": "municipality:0136", "period": "2026T1"})
    assert "Samordningsförbundet Östra Södertörn, 2026T1" in refused.content.decode()


def test_the_definitions_page_lists_every_indicator(db, ambassador, client_for):
    page = client_for(ambassador).get("/followup/indicators/").content.decode()
    for indicator_id in ("kaa_total", "kaa_offered_share", "unemployment_20_24"):
        assert f'id="{indicator_id}"' in page


def test_the_statistics_report_lists_persons_to_check_and_audits_them(
    world, counsellor, client_for
):
    client = client_for(counsellor)
    page = client.get("/followup/kaa-statistics/", {"half_year": "2026H1"}).content.decode()
    assert "Sundbybergs kommun, 2026H1" in page
    assert "/case/" in page
    reads = AuditEvent.objects.filter(user=counsellor, action="followup.kaa_statistics.report")
    assert reads.count() == 7  # everybody but A has something to check


def test_the_statistics_file_downloads_and_is_audited(world, counsellor, client_for):
    response = client_for(counsellor).get(
        "/followup/kaa-statistics/download/", {"half_year": "2026H1"}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="kaa-statistik-0183-2026H1.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 8
    assert AuditEvent.objects.filter(
        user=counsellor, action="followup.kaa_statistics", kind=AuditEvent.Kind.EXPORT
    ).exists()
    assert (
        AuditEvent.objects.filter(user=counsellor, action="followup.kaa_statistics.export").count()
        == 8
    )


def test_an_administrator_sets_a_code_from_a_date(db, administrator, client_for):
    client = client_for(administrator)
    url = "/followup/kaa-statistics/codes/"
    response = client.post(
        url, {"value": "occupation:internship", "code": "1", "valid_from": "2026-07-01"}
    )
    assert response.status_code == 302
    own = StatisticsCode.objects.get(municipality__code="0183", value="internship")
    assert (own.code, own.valid_from.isoformat()) == ("1", "2026-07-01")
    assert AuditEvent.objects.filter(action="followup.statistics_code").exists()

    again = client.post(
        url, {"value": "occupation:internship", "code": "4", "valid_from": "2026-01-01"}
    )
    assert again.status_code == 200
    assert "already has a code for this value from 2026-07-01" in again.content.decode()
    bad = client.post(url, {"value": "occupation:internship", "code": "a,b", "valid_from": ""})
    assert bad.status_code == 200
    assert StatisticsCode.objects.filter(municipality__code="0183").count() == 1
