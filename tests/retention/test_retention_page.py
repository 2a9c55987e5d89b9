"""The administrator's gallring page: /administration/retention/."""

from datetime import date

import pytest

from audit.models import AuditEvent
from people.models import Person
from retention.models import RetentionRun, RetentionSettings
from schooling.models import Enrolment

from .builders import frozen_on, outreach_period, rules, with_kaa_history, young_person

pytestmark = pytest.mark.django_db

PAGE = "/administration/retention/"
RUN = "/administration/retention/run/"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def planned_rows(response) -> dict[str, int]:
    return {str(label): count for label, count in response.context["planned"]}


def test_the_page_shows_what_the_next_run_would_delete(administrator, client_for):
    gone = with_kaa_history(young_person(date(2005, 7, 14)))
    in_outreach = with_kaa_history(young_person(date(2005, 7, 14), index=1))
    outreach_period(in_outreach, "2026-09-01")
    with_kaa_history(young_person(date(2006, 7, 14)))  # kept until 2027-12-31
    with frozen_on("2027-01-01"):
        response = client_for(administrator).get(PAGE, **ENGLISH)
    assert response.status_code == 200
    assert planned_rows(response) == {
        "Persons deleted entirely": 1,
        "Persons whose KAA data is deleted": 1,
        "Persons whose outreach data is deleted": 0,
    }
    page = response.content.decode()
    assert '<th scope="row">Persons deleted entirely</th><td>1</td>' in page
    # A preview deletes nothing, and names nobody.
    assert Person.objects.filter(pk=gone.pk).exists()
    assert gone.identity_number not in page and gone.last_name not in page


def test_the_administrator_saves_the_rules_and_the_change_is_audited(administrator, client_for):
    response = client_for(administrator).post(
        PAGE,
        {
            "kaa_months_after_scope": "6",
            "outreach_months_after_end": "3",
            "import_rejections_days": "30",
        },
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    saved = RetentionSettings.objects.get(municipality__code="0183")
    assert (
        saved.kaa_months_after_scope,
        saved.outreach_months_after_end,
        saved.import_rejections_days,
    ) == (6, 3, 30)
    event = AuditEvent.objects.get(action="retention_settings.change")
    assert (event.user, event.kind, event.municipality.code) == (
        administrator,
        AuditEvent.Kind.WRITE,
        "0183",
    )
    assert event.detail["kaa_months_after_scope"] == 6


def test_emptying_the_earlier_rule_goes_back_to_the_legal_deadline(administrator, client_for):
    rules(kaa_months_after_scope=6)
    client_for(administrator).post(
        PAGE,
        {
            "kaa_months_after_scope": "",
            "outreach_months_after_end": "12",
            "import_rejections_days": "90",
        },
    )
    assert RetentionSettings.objects.get(municipality__code="0183").kaa_months_after_scope is None


def test_a_negative_number_of_months_is_refused(administrator, client_for):
    response = client_for(administrator).post(
        PAGE,
        {
            "kaa_months_after_scope": "-1",
            "outreach_months_after_end": "12",
            "import_rejections_days": "90",
        },
    )
    assert response.status_code == 200
    assert "kaa_months_after_scope" in response.context["form"].errors
    assert not RetentionSettings.objects.exists()
    assert not AuditEvent.objects.filter(action="retention_settings.change").exists()


def test_the_saved_rules_change_the_preview(administrator, client_for):
    with_kaa_history(young_person(date(2006, 7, 14)))  # 20 on 2026-07-14
    with frozen_on("2026-10-15"):
        client = client_for(administrator)  # the session lives 30 idle minutes: log in "now"
        before = planned_rows(client.get(PAGE, **ENGLISH))
        client.post(
            PAGE,
            {
                "kaa_months_after_scope": "3",
                "outreach_months_after_end": "12",
                "import_rejections_days": "90",
            },
        )
        after = planned_rows(client.get(PAGE, **ENGLISH))
    assert before["Persons deleted entirely"] == 0
    assert after["Persons deleted entirely"] == 1


def test_run_now_deletes_and_shows_the_run_in_the_history(administrator, client_for):
    gone = with_kaa_history(young_person(date(2005, 7, 14)))
    kept = with_kaa_history(young_person(date(2006, 7, 14)))
    with frozen_on("2027-01-01"):
        client = client_for(administrator)
        response = client.post(RUN)
        assert response.status_code == 302 and response["Location"] == PAGE
        history = client.get(PAGE, **ENGLISH)
    assert not Person.objects.filter(pk=gone.pk).exists()
    assert Enrolment.objects.filter(person=kept).exists()
    run = RetentionRun.objects.get()
    assert (run.dry_run, run.as_of, run.started_by) == (False, date(2027, 1, 1), administrator)
    assert list(history.context["runs"]) == [run]
    assert "planned_delete_person: 1" in history.content.decode()
    event = AuditEvent.objects.get(action="retention.run")
    assert (event.user, event.kind, event.channel) == (
        administrator,
        AuditEvent.Kind.DELETE,
        "task",
    )


def test_run_now_needs_a_post(administrator, client_for):
    with_kaa_history(young_person(date(2005, 7, 14)))
    with frozen_on("2027-01-01"):
        assert client_for(administrator).get(RUN).status_code == 405
    assert Person.objects.exists() and not RetentionRun.objects.exists()


@pytest.mark.parametrize("persona", ["counsellor", "analyst", "ambassador"])
def test_the_page_is_refused_to_everybody_but_the_administrator(persona, request, client_for):
    person = with_kaa_history(young_person(date(2005, 7, 14)))
    with frozen_on("2027-01-01"):
        client = client_for(request.getfixturevalue(persona))
        assert client.get(PAGE).status_code == 403
        assert (
            client.post(
                PAGE,
                {
                    "kaa_months_after_scope": "1",
                    "outreach_months_after_end": "1",
                    "import_rejections_days": "1",
                },
            ).status_code
            == 403
        )
        assert client.post(RUN).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()
    assert not RetentionSettings.objects.exists()
    assert not RetentionRun.objects.exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).count() == 3


def test_an_administrator_of_another_municipality_runs_gallring_only_there(client_for):
    from organisations.permissions import Role
    from tests.factories import UserFactory, member

    haninge_admin = member(UserFactory(username="admin.haninge"), "0136", Role.ADMINISTRATOR)
    ours = with_kaa_history(young_person(date(2005, 7, 14)))
    with frozen_on("2027-01-01"):
        client_for(haninge_admin).post(RUN)
    assert Person.objects.filter(pk=ours.pk).exists()
    assert RetentionRun.objects.get().municipality.code == "0136"


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
