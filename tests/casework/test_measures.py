"""Measures: the catalogue, offering a measure to a young person, and documenting it."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from casework.actions import measures as measure_actions
from casework.models import Answer, Measure, MeasureEnd, PersonMeasure, Responsible
from organisations.models import Municipality, kaa_unit_of
from tests.factories import (
    MeasureFactory,
    PartnerFactory,
    PersonMeasureFactory,
    UnitFactory,
)

TODAY = timezone.localdate


def days(n: int) -> str:
    return (TODAY() + timedelta(days=n)).isoformat()


def english(client):
    """Pages in English, so the assertions hold whatever the Swedish translation says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def error_codes(response, field: str) -> list[str]:
    errors = response.context["form"].errors.as_data()
    return [e.code for e in errors.get(field, [])]


@pytest.fixture
def measure(db):
    return MeasureFactory(name="Studiemotivation", min_age=16, max_age=20)


@pytest.fixture
def haninge_measure(db):
    return MeasureFactory(municipality=Municipality.objects.by_code("0136"), name="Praktik")


def offer_data(measure, **overrides):
    data = {
        "measure": measure.pk,
        "offered_on": days(0),
        "responsible": "municipality",
        "responsible_organisation": "",
        "note": "",
    }
    return data | overrides


def document_data(offer, **overrides):
    data = {
        "answer": offer.answer,
        "answered_on": offer.answered_on.isoformat() if offer.answered_on else "",
        "start": offer.start.isoformat() if offer.start else "",
        "end": offer.end.isoformat() if offer.end else "",
        "end_reason": offer.end_reason,
        "responsible": offer.responsible,
        "responsible_organisation": offer.responsible_organisation_id or "",
        "note": offer.note,
    }
    return data | overrides


def catalogue_data(**overrides):
    data = {
        "name": "Praktik i kommunen",
        "kind": "internship",
        "owner": kaa_unit_of(Municipality.objects.by_code("0183").pk).pk,
        "description": "",
        "min_age": 16,
        "max_age": 24,
        "capacity": "",
    }
    return data | overrides


# The catalogue --------------------------------------------------------------------


def test_a_unit_manager_adds_a_measure_to_the_catalogue(manager, client_for):
    client = client_for(manager)
    response = client.post("/administration/measures/new/", catalogue_data(capacity="8"))

    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.name, measure.kind, measure.capacity, measure.active) == (
        "Praktik i kommunen",
        "internship",
        8,
        True,
    )
    assert measure.municipality == Municipality.objects.by_code("0183")
    event = AuditEvent.objects.get(action="measure.create")
    assert (event.user, event.kind, event.object_id) == (manager, "write", str(measure.pk))
    page = client.get("/administration/measures/").content.decode()
    assert "Praktik i kommunen" in page


def test_the_catalogue_shows_how_many_are_in_each_measure_and_when_it_is_full(manager, client_for):
    full = MeasureFactory(name="Jobbcoachning", capacity=2)
    for _ in range(2):
        PersonMeasureFactory(measure=full, answer=Answer.ACCEPTED, start=TODAY())
    PersonMeasureFactory(measure=full, answer=Answer.ACCEPTED, start=days(-9), end=days(-1))
    page = english(client_for(manager)).get("/administration/measures/").content.decode()
    row = re.search(r"Jobbcoachning.*?</tr>", page, re.S).group(0)
    assert "<td>2</td>" in row  # places
    assert "<td>2 <span" in row  # in it now: the ended one does not count
    assert "full" in row


def test_a_measure_is_full_when_everyone_in_it_now_takes_every_place(db):
    measure = MeasureFactory(capacity=2)
    PersonMeasureFactory(measure=measure, answer=Answer.ACCEPTED, start=TODAY())
    PersonMeasureFactory(measure=measure, answer=Answer.ACCEPTED, start=days(-9), end=days(-1))
    assert not Measure.objects.filter(pk=measure.pk).with_participants().get().is_full
    PersonMeasureFactory(measure=measure, answer=Answer.ACCEPTED, start=TODAY())
    assert Measure.objects.filter(pk=measure.pk).with_participants().get().is_full
    unlimited = MeasureFactory(capacity=None)
    assert not Measure.objects.filter(pk=unlimited.pk).with_participants().get().is_full


def test_only_active_measures_of_the_municipality_are_offerable(db, measure, haninge_measure):
    retired = MeasureFactory(name="Nedlagd", active=False)
    offerable = Measure.objects.offerable(measure.municipality_id)
    assert list(offerable) == [measure]
    catalogue = Measure.objects.catalogue(measure.municipality_id)
    assert list(catalogue) == [measure, retired]  # in use first


@pytest.mark.parametrize(
    ("answer", "end", "current"),
    [
        (Answer.PENDING, None, True),
        (Answer.ACCEPTED, None, True),
        (Answer.DECLINED, None, False),
        (Answer.ACCEPTED, date(2026, 1, 5), False),
    ],
)
def test_an_offer_is_current_until_declined_or_ended(answer, end, current):
    assert PersonMeasure(answer=answer, end=end).is_current is current


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name": "studiemotivation"}, "name", "duplicate"),  # any case
        ({"min_age": 20, "max_age": 18}, "max_age", "ages"),
        ({"capacity": "0"}, "capacity", "capacity"),
    ],
)
def test_bad_catalogue_input_is_refused_and_nothing_changes(
    manager, client_for, measure, overrides, field, code
):
    response = client_for(manager).post(
        "/administration/measures/new/", catalogue_data(**overrides)
    )

    assert response.status_code == 200
    assert code in error_codes(response, field)
    assert Measure.objects.count() == 1
    assert not AuditEvent.objects.filter(action="measure.create").exists()


def test_the_same_name_is_allowed_in_another_municipality(manager, haninge_measure):
    measure = measure_actions.add_measure(
        by=manager,
        municipality=Municipality.objects.by_code("0183"),
        name="Praktik",
        kind="internship",
        owner=PartnerFactory(),
    )
    assert measure.name == haninge_measure.name


def test_a_measure_cannot_be_run_by_another_municipalitys_unit(manager):
    haninge_unit = UnitFactory(parent=Municipality.objects.by_code("0136"))
    with pytest.raises(ValidationError) as raised:
        measure_actions.add_measure(
            by=manager,
            municipality=Municipality.objects.by_code("0183"),
            name="Samtal",
            kind="motivational",
            owner=haninge_unit,
        )
    assert raised.value.error_dict["owner"][0].code == "owner"
    assert not Measure.objects.exists()


def test_a_manager_edits_and_deactivates_a_measure(manager, client_for, measure, person):
    client = client_for(manager)
    edited = catalogue_data(name="Studiemotivation och coachning", kind="motivational")
    response = client.post(
        f"/administration/measures/{measure.pk}/edit/", edited | {"active": "on"}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.name == "Studiemotivation och coachning"
    assert AuditEvent.objects.filter(action="measure.change", object_id=str(measure.pk)).exists()

    client.post(f"/administration/measures/{measure.pk}/edit/", edited)  # active unticked
    measure.refresh_from_db()
    assert measure.active is False
    assert AuditEvent.objects.filter(action="measure.deactivate").count() == 1

    # A deactivated measure is no longer offered.
    offer_page = client.get(f"/persons/{person.pk}/measures/new/").content.decode()
    assert "Studiemotivation och coachning" not in offer_page
    with pytest.raises(ValidationError) as raised:
        measure_actions.offer_measure(
            by=manager,
            person=person,
            measure=measure,
            offered_on=TODAY(),
            responsible="municipality",
        )
    assert raised.value.error_dict["measure"][0].code == "measure"


def test_an_edit_keeps_its_own_name(manager, client_for, measure):
    """The duplicate check leaves out the measure being edited."""
    data = catalogue_data(name="Studiemotivation", active="on")
    response = client_for(manager).post(f"/administration/measures/{measure.pk}/edit/", data)
    assert response.status_code == 302


def test_caseworkers_do_not_manage_the_catalogue(counsellor, client_for, measure):
    client = client_for(counsellor)
    assert client.get("/administration/measures/").status_code == 403
    assert client.post("/administration/measures/new/", catalogue_data()).status_code == 403
    response = client.post(f"/administration/measures/{measure.pk}/edit/", catalogue_data())
    assert response.status_code == 403
    assert Measure.objects.get().name == "Studiemotivation"
    with pytest.raises(PermissionDenied):
        measure_actions.change_measure(by=counsellor, measure=measure, **_values(measure))


def _values(measure):
    return {
        "name": "Ny",
        "kind": measure.kind,
        "owner": measure.owner,
        "min_age": measure.min_age,
        "max_age": measure.max_age,
    }


def test_another_municipalitys_measure_is_not_found(manager, client_for, haninge_measure):
    client = client_for(manager)
    url = f"/administration/measures/{haninge_measure.pk}/edit/"
    assert client.get(url).status_code == 404
    assert client.post(url, catalogue_data()).status_code == 404
    haninge_measure.refresh_from_db()
    assert haninge_measure.name == "Praktik"


# Offering a measure -----------------------------------------------------------------


def test_a_counsellor_offers_a_measure(person, counsellor, client_for, measure):
    client = client_for(counsellor)
    page = client.get(f"/persons/{person.pk}/measures/new/")
    assert page.status_code == 200
    assert "förordning 2006:39, 5 §" in page.content.decode()  # the contact form's reminder

    response = client.post(
        f"/persons/{person.pk}/measures/new/",
        offer_data(measure, note="Vill prata om komvux."),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.pk}/case/"
    offer = PersonMeasure.objects.get()
    assert (offer.person, offer.measure, offer.offered_by) == (person, measure, counsellor)
    assert (offer.answer, offer.responsible, offer.first_offer) == ("pending", "municipality", True)
    assert offer.municipality_id == person.municipality_id
    event = AuditEvent.objects.get(action="person_measure.offer")
    assert (event.person_id, event.user, event.kind) == (person.pk, counsellor, "write")
    assert event.detail["first_offer"] is True
    assert "komvux" not in str(event.detail)  # never a note in the audit log


def test_another_actor_is_responsible(person, counsellor, client_for, measure):
    social_services = UnitFactory(name="Socialtjänsten Sundbyberg")
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/measures/new/",
        offer_data(measure, responsible="other_actor", responsible_organisation=social_services.pk),
    )
    assert response.status_code == 302
    offer = PersonMeasure.objects.get()
    assert (offer.responsible, offer.responsible_organisation) == ("other_actor", social_services)


def test_the_organisation_is_kept_only_for_another_actor(person, counsellor, measure):
    offer = measure_actions.offer_measure(
        by=counsellor,
        person=person,
        measure=measure,
        offered_on=TODAY(),
        responsible=Responsible.YOUNG_PERSON,
        responsible_organisation=PartnerFactory(),
    )
    assert offer.responsible_organisation is None


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"offered_on": days(1)}, "offered_on", "future"),
        ({"responsible": "other_actor"}, "responsible_organisation", "responsible_organisation"),
    ],
)
def test_bad_offers_are_refused_and_nothing_changes(
    person, counsellor, client_for, measure, overrides, field, code
):
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/measures/new/", offer_data(measure, **overrides)
    )
    assert response.status_code == 200
    assert code in error_codes(response, field)
    assert not PersonMeasure.objects.exists()
    assert not AuditEvent.objects.filter(kind="write").exists()


def test_another_municipalitys_measure_cannot_be_offered(
    person, counsellor, client_for, haninge_measure
):
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/measures/new/", offer_data(haninge_measure)
    )
    assert response.status_code == 200
    assert error_codes(response, "measure") == ["invalid_choice"]  # not even in the list
    with pytest.raises(ValidationError) as raised:
        measure_actions.offer_measure(
            by=counsellor,
            person=person,
            measure=haninge_measure,
            offered_on=TODAY(),
            responsible="municipality",
        )
    assert raised.value.error_dict["measure"][0].code == "measure"
    assert not PersonMeasure.objects.exists()


def test_another_municipalitys_unit_cannot_be_the_responsible_actor(person, counsellor, measure):
    haninge_unit = UnitFactory(parent=Municipality.objects.by_code("0136"))
    with pytest.raises(ValidationError) as raised:
        measure_actions.offer_measure(
            by=counsellor,
            person=person,
            measure=measure,
            offered_on=TODAY(),
            responsible=Responsible.OTHER_ACTOR,
            responsible_organisation=haninge_unit,
        )
    assert raised.value.error_dict["responsible_organisation"][0].code == "responsible_organisation"


def test_a_person_outside_the_users_responsibility_is_not_found(
    other_counsellor, client_for, person, measure
):
    offer = PersonMeasureFactory(person=person, measure=measure)
    client = client_for(other_counsellor)
    assert client.get(f"/persons/{person.pk}/measures/new/").status_code == 404
    response = client.post(f"/persons/{person.pk}/measures/new/", offer_data(measure))
    assert response.status_code == 404
    assert client.get(f"/persons/{person.pk}/measures/{offer.pk}/edit/").status_code == 404
    assert PersonMeasure.objects.count() == 1


def test_another_persons_offer_is_not_found(person, counsellor, client_for, measure):
    someone_else = PersonMeasureFactory(measure=measure)
    url = f"/persons/{person.pk}/measures/{someone_else.pk}/edit/"
    assert client_for(counsellor).get(url).status_code == 404


def test_the_ambassador_may_not_offer_or_see_measures(person, ambassador, client_for, measure):
    offer = PersonMeasureFactory(person=person, measure=measure)
    client = client_for(ambassador)
    assert client.get(f"/persons/{person.pk}/measures/new/").status_code == 403
    response = client.post(f"/persons/{person.pk}/measures/new/", offer_data(measure))
    assert response.status_code == 403
    assert client.get(f"/persons/{person.pk}/measures/{offer.pk}/edit/").status_code == 403
    assert PersonMeasure.objects.count() == 1
    with pytest.raises(PermissionDenied):
        measure_actions.offer_measure(
            by=ambassador,
            person=person,
            measure=measure,
            offered_on=TODAY(),
            responsible="municipality",
        )
    case = client.get(f"/persons/{person.pk}/case/").content.decode()
    assert "entry-measure" not in case
    assert "Studiemotivation" not in case
    assert f"/persons/{person.pk}/measures/new/" not in case


def test_an_offer_outside_the_target_ages_is_saved_with_a_warning(person, counsellor, client_for):
    adults = MeasureFactory(name="Vuxenpraktik", min_age=20, max_age=24)
    response = english(client_for(counsellor)).post(
        f"/persons/{person.pk}/measures/new/", offer_data(adults), follow=True
    )
    assert PersonMeasure.objects.filter(measure=adults).exists()
    warnings = [m for m in response.context["messages"] if m.level == message_levels.WARNING]
    assert len(warnings) == 1
    assert "meant for ages 20–24" in str(warnings[0])


def test_a_full_measure_is_shown_as_full_and_can_still_be_offered(person, counsellor, client_for):
    full = MeasureFactory(name="Sommarjobb", capacity=1)
    PersonMeasureFactory(measure=full, answer=Answer.ACCEPTED, start=TODAY())
    client = english(client_for(counsellor))
    page = client.get(f"/persons/{person.pk}/measures/new/").content.decode()
    assert re.search(r"<option [^>]*>Sommarjobb \(ages 16–24\) – full</option>", page)

    response = client.post(f"/persons/{person.pk}/measures/new/", offer_data(full), follow=True)
    assert PersonMeasure.objects.filter(person=person, measure=full).exists()
    warnings = [str(m) for m in response.context["messages"] if m.level == message_levels.WARNING]
    assert warnings == ["The measure is full: 1 of 1 places are taken."]


# The first offer ----------------------------------------------------------------------


def offer(person, user, measure, offered_on=None):
    return measure_actions.offer_measure(
        by=user,
        person=person,
        measure=measure,
        offered_on=offered_on or TODAY(),
        responsible="municipality",
    )


def test_a_declined_first_offer_stays_the_first(person, counsellor, measure):
    first = offer(person, counsellor, measure, TODAY() - timedelta(days=10))
    measure_actions.document_measure(
        by=counsellor,
        person=person,
        offer=first,
        answer=Answer.DECLINED,
        answered_on=TODAY() - timedelta(days=9),
        start=None,
        end=None,
        end_reason="",
        responsible="municipality",
    )
    second = offer(person, counsellor, MeasureFactory())

    first.refresh_from_db()
    assert (first.first_offer, first.answer) == (True, "declined")
    assert second.first_offer is False
    assert AuditEvent.objects.filter(action="person_measure.offer").latest("id").detail == {
        "measure": second.measure_id,
        "responsible": "municipality",
        "first_offer": False,
    }


def test_an_earlier_offer_written_down_late_becomes_the_first(person, counsellor, measure):
    today = offer(person, counsellor, measure)
    earlier = offer(person, counsellor, MeasureFactory(), TODAY() - timedelta(days=30))
    today.refresh_from_db()
    assert (earlier.first_offer, today.first_offer) == (True, False)
    same_day = offer(person, counsellor, MeasureFactory(), TODAY() - timedelta(days=30))
    assert same_day.first_offer is False  # on the same day, the one written down first
    assert PersonMeasure.objects.filter(first_offer=True).count() == 1


def test_the_first_offer_is_counted_per_municipality(person, counsellor, other_counsellor, measure):
    offer(person, counsellor, measure, TODAY() - timedelta(days=30))
    # The young person moves to Haninge, which makes its own first offer.
    haninge = Municipality.objects.by_code("0136")
    person.municipality = haninge
    person.save()
    in_haninge = offer(person, other_counsellor, MeasureFactory(municipality=haninge))
    assert in_haninge.first_offer is True
    assert PersonMeasure.objects.filter(person=person, first_offer=True).count() == 2


# Documenting -------------------------------------------------------------------------


@pytest.fixture
def offered(person, counsellor, measure):
    return offer(person, counsellor, measure, TODAY() - timedelta(days=20))


def test_a_counsellor_documents_answer_start_and_end(
    person, counsellor, manager, client_for, offered
):
    url = f"/persons/{person.pk}/measures/{offered.pk}/edit/"
    client = client_for(counsellor)
    assert client.get(url).status_code == 200
    accepted = document_data(offered, answer="accepted", answered_on=days(-18))
    assert client.post(url, accepted).status_code == 302
    started = accepted | {"start": days(-15)}
    assert client_for(manager).post(url, started).status_code == 302
    ended = started | {"end": days(-1), "end_reason": "studies"}
    assert client.post(url, ended).status_code == 302

    offered.refresh_from_db()
    assert (offered.answer, offered.end_reason) == ("accepted", MeasureEnd.STUDIES)
    assert offered.end == TODAY() - timedelta(days=1)
    assert offered.answer_recorded_by == counsellor
    assert offered.start_recorded_by == manager
    assert offered.end_recorded_by == counsellor
    events = AuditEvent.objects.filter(action="person_measure.document", person_id=person.pk)
    assert [e.detail["changed"] for e in events.order_by("id")] == [
        ["answer", "answered_on"],
        ["start"],
        ["end", "end_reason"],
    ]
    # Saving again without a change writes nothing.
    client.post(url, ended)
    assert events.count() == 3


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"answer": "accepted", "answered_on": days(-21)}, "answered_on", "answer_before_offer"),
        ({"answer": "accepted", "answered_on": days(1)}, "answered_on", "future"),
        ({"answer": "accepted", "answered_on": ""}, "answered_on", "answered_on_required"),
        ({"answered_on": days(-5)}, "answered_on", "answered_on_without_answer"),
        (
            {"answer": "declined", "answered_on": days(-5), "start": days(-4)},
            "start",
            "start_not_accepted",
        ),
        (
            {"answer": "accepted", "answered_on": days(-5), "start": days(-25)},
            "start",
            "start_before_offer",
        ),
        (
            {"answer": "accepted", "answered_on": days(-5), "start": days(1)},
            "start",
            "future",
        ),
        (
            {
                "answer": "accepted",
                "answered_on": days(-5),
                "start": days(-4),
                "end": days(-6),
                "end_reason": "work",
            },
            "end",
            "end_before_start",
        ),
        (
            {"answer": "accepted", "answered_on": days(-5), "start": days(-4), "end": days(-2)},
            "end_reason",
            "end_reason_required",
        ),
        (
            {
                "answer": "accepted",
                "answered_on": days(-5),
                "start": days(-4),
                "end": days(1),
                "end_reason": "work",
            },
            "end",
            "future",
        ),
        (
            {"answer": "accepted", "answered_on": days(-5), "end": days(-2), "end_reason": "work"},
            "end",
            "end_without_start",
        ),
        (
            {"answer": "accepted", "answered_on": days(-5), "end_reason": "work"},
            "end_reason",
            "end_reason_without_end",
        ),
        ({"responsible": "other_actor"}, "responsible_organisation", "responsible_organisation"),
    ],
)
def test_bad_documentation_is_refused_and_nothing_changes(
    person, counsellor, client_for, offered, overrides, field, code
):
    before = PersonMeasure.objects.values().get(pk=offered.pk)
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/measures/{offered.pk}/edit/", document_data(offered, **overrides)
    )
    assert response.status_code == 200
    assert code in error_codes(response, field)
    assert PersonMeasure.objects.values().get(pk=offered.pk) == before
    assert not AuditEvent.objects.filter(action="person_measure.document").exists()


def test_the_measure_and_offer_date_cannot_be_changed_when_documenting(
    person, counsellor, client_for, offered
):
    data = document_data(offered, measure=MeasureFactory().pk, offered_on=days(-100))
    client_for(counsellor).post(f"/persons/{person.pk}/measures/{offered.pk}/edit/", data)
    changed = PersonMeasure.objects.get(pk=offered.pk)
    assert (changed.measure_id, changed.offered_on) == (offered.measure_id, offered.offered_on)


# The case page and the timeline ----------------------------------------------------------


def test_the_case_page_lists_current_and_past_measures_and_the_timeline_has_each_step(
    person, counsellor, client_for, offered
):
    measure_actions.document_measure(
        by=counsellor,
        person=person,
        offer=offered,
        answer=Answer.ACCEPTED,
        answered_on=TODAY() - timedelta(days=18),
        start=TODAY() - timedelta(days=15),
        end=TODAY() - timedelta(days=1),
        end_reason=MeasureEnd.WORK,
        responsible="municipality",
    )
    current = offer(person, counsellor, MeasureFactory(name="Vägledning"))
    page = english(client_for(counsellor)).get(f"/persons/{person.pk}/case/").content.decode()

    current_table, past_table = re.findall(r"<caption>(?:Current|Past).*?</table>", page, re.S)
    assert "Vägledning" in current_table and "Studiemotivation" not in current_table
    assert "Studiemotivation" in past_table and "Started work" in past_table
    assert f"/persons/{person.pk}/measures/{current.pk}/edit/" in current_table
    assert f"/persons/{person.pk}/measures/{offered.pk}/edit/" in past_table
    assert f'href="/persons/{person.pk}/measures/new/"' in page
    titles = re.findall(r'class="entry-measure">\s*<td>[^<]*</td>\s*<th scope="row">([^<]*)', page)
    assert titles == [
        "Measure offered: Vägledning",
        "Measure ended: Studiemotivation",
        "Measure started: Studiemotivation",
        "Measure accepted: Studiemotivation",
        "Measure offered: Studiemotivation",
    ]
    assert page.count(counsellor.get_full_name()) >= 5  # who wrote each step down


def add_measures(person, user, n: int) -> None:
    """``n`` documented measures, written directly (no audit events, quick)."""
    for i in range(n):
        PersonMeasureFactory(
            person=person,
            offered_on=TODAY() - timedelta(days=30),
            offered_by=user,
            answer=Answer.ACCEPTED,
            answered_on=TODAY() - timedelta(days=29),
            answer_recorded_by=user,
            start=TODAY() - timedelta(days=28),
            start_recorded_by=user,
            end=TODAY() - timedelta(days=i % 3) if i % 2 else None,
            end_reason=MeasureEnd.COMPLETED if i % 2 else "",
            end_recorded_by=user if i % 2 else None,
            responsible=Responsible.OTHER_ACTOR,
            responsible_organisation=PartnerFactory(),
        )


def test_the_case_page_runs_the_same_number_of_queries_for_1_and_20_measures(
    person, counsellor, client_for, django_assert_num_queries
):
    client = client_for(counsellor)
    url = f"/persons/{person.pk}/case/"
    add_measures(person, counsellor, 1)
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as at_one:
        assert client.get(url).status_code == 200

    add_measures(person, counsellor, 19)
    with django_assert_num_queries(len(at_one)):
        response = client.get(url)
    assert response.content.decode().count('class="measure-row"') == 20
