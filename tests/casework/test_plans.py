"""Individual plans: the rules, each bad input, versions, conflicts, the PDF and who may do what."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from casework import pdf as plan_pdf
from casework.actions import plans as plan_actions
from casework.models import Plan, PlanRevision, Responsible
from organisations.models import Municipality
from tests.factories import PartnerFactory, PersonFactory, PersonMeasureFactory, PlanFactory


@pytest.fixture
def client_for(client_for):
    """Pages in English, so that the assertions hold whether or not the Swedish
    catalogue has the new texts yet."""

    def login(user):
        client = client_for(user)
        client.cookies["django_language"] = "en"
        return client

    return login


def today():
    return timezone.localdate()


def iso(days: int) -> str:
    return (today() + timedelta(days=days)).isoformat()


def plan_data(**overrides) -> dict:
    data = {
        "goal": "Börja på gymnasiets elprogram i augusti.",
        "own_words": "Jag vill bli elektriker som min morbror.",
        "follow_up_on": iso(14),
        "evaluate_on": iso(60),
    }
    data.update(overrides)
    return data


def content(**overrides) -> dict:
    """What the actions take."""
    values = {
        "goal": "Börja på gymnasiet.",
        "own_words": "",
        "measures": [],
        "follow_up_on": today() + timedelta(days=14),
        "evaluate_on": today() + timedelta(days=60),
    }
    values.update(overrides)
    return values


@pytest.fixture
def measures(person):
    af = PartnerFactory(name="Arbetsförmedlingen Sundbyberg")
    return [
        PersonMeasureFactory(
            person=person, measure__name="Motiverande samtal", responsible=Responsible.MUNICIPALITY
        ),
        PersonMeasureFactory(
            person=person,
            measure__name="Praktik i butik",
            responsible=Responsible.OTHER_ACTOR,
            responsible_organisation=af,
        ),
    ]


def write(client, person, **data):
    return client.post(f"/persons/{person.pk}/plans/new/", plan_data(**data))


# Writing a plan ---------------------------------------------------------------


def test_a_caseworker_writes_a_plan_with_measures(person, counsellor, client_for, measures):
    client = client_for(counsellor)
    assert client.get(f"/persons/{person.pk}/plans/new/").status_code == 200

    response = write(client, person, measures=[m.pk for m in measures])

    plan = Plan.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.pk}/plans/{plan.pk}/"
    assert plan.version == 1
    assert plan.municipality_id == person.municipality_id
    assert set(plan.measures.all()) == set(measures)
    revision = plan.revisions.get()
    assert revision.number == 1
    assert revision.goal == "Börja på gymnasiets elprogram i augusti."
    assert [(m["name"], m["responsible"], m["organisation"]) for m in revision.measures] == [
        ("Motiverande samtal", "municipality", ""),
        ("Praktik i butik", "other_actor", "Arbetsförmedlingen Sundbyberg"),
    ]
    event = AuditEvent.objects.get(action="plan.create")
    assert (event.user, event.person_id, event.kind) == (counsellor, person.pk, "write")
    assert event.detail == {"version": 1}  # never the goal or the young person's words

    page = client.get(response["Location"]).content.decode()
    assert "Börja på gymnasiets elprogram i augusti." in page
    assert "Jag vill bli elektriker som min morbror." in page
    assert "Praktik i butik" in page
    assert "Another actor: Arbetsförmedlingen Sundbyberg" in page


def test_the_form_offers_the_persons_measures_with_who_is_responsible(
    person, counsellor, client_for, measures
):
    someone_else = PersonMeasureFactory(measure__name="Någon annans insats")
    page = client_for(counsellor).get(f"/persons/{person.pk}/plans/new/").content.decode()
    assert "Praktik i butik" in page
    assert "responsible: Another actor: Arbetsförmedlingen Sundbyberg" in page
    assert "Någon annans insats" not in page
    assert f'value="{someone_else.pk}"' not in page


def test_a_plan_without_a_goal_gets_a_specific_message(person, counsellor, client_for):
    response = write(client_for(counsellor), person, goal="   \n  ")
    assert response.status_code == 200
    assert "A plan without a goal cannot be saved" in response.content.decode()
    assert not Plan.objects.exists()
    assert not AuditEvent.objects.filter(action="plan.create").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"follow_up_on": iso(-1)}, "The follow-up date has passed"),
        ({"evaluate_on": iso(-1), "follow_up_on": iso(-2)}, "The evaluation date has passed"),
        ({"follow_up_on": iso(30), "evaluate_on": iso(29)}, "The evaluation cannot come before"),
        ({"follow_up_on": ""}, "Give the date of the next follow-up."),
        ({"evaluate_on": "not a date"}, "Enter a valid date."),
    ],
)
def test_each_bad_date_gets_its_message_and_nothing_is_saved(
    person, counsellor, client_for, data, message
):
    response = write(client_for(counsellor), person, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Plan.objects.exists()


def test_all_problems_show_at_once_next_to_their_fields(person, counsellor, client_for):
    page = write(
        client_for(counsellor), person, goal="", follow_up_on=iso(-3), evaluate_on=iso(-4)
    ).content.decode()
    assert "A plan without a goal" in page
    assert "The follow-up date has passed" in page
    assert "The evaluation date has passed" in page
    # Each message is tied to its field (Django's aria-describedby / aria-invalid).
    assert re.search(r'<textarea[^>]*name="goal"[^>]*aria-invalid="true"', page)


def test_today_is_allowed_for_both_dates(person, counsellor, client_for):
    write(client_for(counsellor), person, follow_up_on=iso(0), evaluate_on=iso(0))
    assert Plan.objects.get(person=person).evaluate_on == today()


def test_a_measure_of_another_person_is_refused(person, counsellor, client_for):
    other = PersonMeasureFactory()
    response = write(client_for(counsellor), person, measures=[other.pk])
    assert response.status_code == 200
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"goal": ""}, "no_goal"),
        ({"goal": "x" * 1001}, "goal_too_long"),
        ({"own_words": "x" * 2001}, "own_words_too_long"),
        ({"follow_up_on": today() - timedelta(days=1)}, "follow_up_past"),
        ({"evaluate_on": today() - timedelta(days=1)}, "evaluate_past"),
        (
            {
                "follow_up_on": today() + timedelta(days=10),
                "evaluate_on": today() + timedelta(days=9),
            },
            "evaluate_before_follow_up",
        ),
    ],
)
def test_the_action_refuses_bad_input_with_a_code(person, counsellor, overrides, code):
    with pytest.raises(ValidationError) as refused:
        plan_actions.write_plan(by=counsellor, person=person, **content(**overrides))
    assert [e.code for e in refused.value.error_list] == [code]
    assert not Plan.objects.exists()
    assert not PlanRevision.objects.exists()


def test_the_action_refuses_a_measure_of_another_person(person, counsellor):
    with pytest.raises(ValidationError) as refused:
        plan_actions.write_plan(
            by=counsellor, person=person, **content(measures=[PersonMeasureFactory()])
        )
    assert [e.code for e in refused.value.error_list] == ["measure"]
    assert not Plan.objects.exists()


def test_the_action_checks_permission_itself(person, ambassador):
    with pytest.raises(PermissionDenied):
        plan_actions.write_plan(by=ambassador, person=person, **content())
    assert not Plan.objects.exists()


def test_a_young_person_has_one_open_plan_at_a_time(person, counsellor, client_for):
    plan = PlanFactory(person=person)
    client = client_for(counsellor)
    response = client.get(f"/persons/{person.pk}/plans/new/")
    assert response["Location"] == f"/persons/{person.pk}/plans/{plan.pk}/"
    with pytest.raises(ValidationError) as refused:
        plan_actions.write_plan(by=counsellor, person=person, **content())
    assert refused.value.code == "open_plan"
    assert Plan.objects.count() == 1

    plan_actions.close_plan(by=counsellor, plan=plan)
    assert client.get(f"/persons/{person.pk}/plans/new/").status_code == 200


# Revising ---------------------------------------------------------------------


def revise(client, plan, **data):
    data = plan_data(**data)
    data.setdefault("version", plan.version)
    return client.post(f"/persons/{plan.person_id}/plans/{plan.pk}/edit/", data)


def test_a_revision_keeps_every_version(person, counsellor, client_for, measures):
    client = client_for(counsellor)
    write(client, person, goal="Första målet", measures=[measures[0].pk])
    plan = Plan.objects.get()
    edit = client.get(f"/persons/{person.pk}/plans/{plan.pk}/edit/").content.decode()
    assert "Första målet" in edit
    assert 'name="version" value="1"' in edit

    response = revise(client, plan, goal="Andra målet", measures=[m.pk for m in measures])

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan.goal == "Andra målet"
    assert list(plan.revisions.values_list("number", "goal")) == [
        (2, "Andra målet"),
        (1, "Första målet"),
    ]
    assert AuditEvent.objects.filter(action="plan.revise", detail={"version": 2}).count() == 1

    old = client.get(f"/persons/{person.pk}/plans/{plan.pk}/revisions/1/").content.decode()
    assert "Första målet" in old
    assert "Andra målet" not in old
    assert "This is an earlier version" in old
    assert "Praktik i butik" not in old  # the measures as they were in version 1
    current = client.get(f"/persons/{person.pk}/plans/{plan.pk}/").content.decode()
    assert "Andra målet" in current
    assert "Praktik i butik" in current
    assert f"/persons/{person.pk}/plans/{plan.pk}/revisions/1/" in current
    assert client.get(f"/persons/{person.pk}/plans/{plan.pk}/revisions/3/").status_code == 404


def test_an_old_version_shows_the_measures_as_they_were(person, counsellor, client_for, measures):
    client = client_for(counsellor)
    write(client, person, measures=[measures[0].pk])
    plan = Plan.objects.get()
    # The measure changes afterwards (the measures pages do this through their actions).
    measures[0].responsible = Responsible.YOUNG_PERSON
    measures[0].save()

    page = client.get(f"/persons/{person.pk}/plans/{plan.pk}/revisions/1/").content.decode()
    assert "The municipality" in page
    assert "The young person" not in page


def test_a_save_that_changes_nothing_writes_no_version(person, counsellor, client_for):
    client = client_for(counsellor)
    write(client, person)
    plan = Plan.objects.get()
    response = revise(client, plan)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 1
    assert plan.revisions.count() == 1
    assert not AuditEvent.objects.filter(action="plan.revise").exists()


def test_a_revision_with_a_bad_date_changes_nothing(person, counsellor, client_for):
    client = client_for(counsellor)
    write(client, person, goal="Målet")
    plan = Plan.objects.get()
    response = revise(client, plan, goal="Nytt mål", follow_up_on=iso(-1))
    assert response.status_code == 200
    assert "The follow-up date has passed" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.version, plan.goal) == (1, "Målet")


def test_two_users_edit_the_same_version_and_the_second_gets_the_conflict(
    person, counsellor, manager, client_for
):
    first, second = client_for(counsellor), client_for(manager)
    write(first, person, goal="Målet från början")
    plan = Plan.objects.get()
    # Both open the form on version 1.
    edit = f"/persons/{person.pk}/plans/{plan.pk}/edit/"
    for client in (first, second):
        assert 'name="version" value="1"' in client.get(edit).content.decode()

    assert revise(first, plan, goal="Sara sparade först", version=1).status_code == 302
    response = revise(second, plan, goal="Olas text som inte får försvinna", version=1)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Somebody else saved this plan while you were writing" in page
    assert 'role="alert"' in page
    assert "Sara sparade först" in page  # the plan as it is now
    assert re.search(r"<textarea[^>]*>\s*Olas text som inte får försvinna</textarea>", page)
    assert 'name="version" value="2"' in page  # saving again builds on what they have now seen
    plan.refresh_from_db()
    assert (plan.version, plan.goal) == (2, "Sara sparade först")
    assert plan.revisions.count() == 2
    assert AuditEvent.objects.filter(action="plan.revise", user=manager).count() == 0

    # Having seen the current text, the second user saves on version 2.
    again = revise(second, plan, goal="Olas text som inte får försvinna", version=2)
    assert again.status_code == 302
    plan.refresh_from_db()
    assert (plan.version, plan.goal) == (3, "Olas text som inte får försvinna")


def test_the_action_refuses_a_save_on_an_old_version(person, counsellor, manager):
    plan = plan_actions.write_plan(by=counsellor, person=person, **content(goal="Ett"))
    plan_actions.revise_plan(by=counsellor, plan=plan, based_on=1, **content(goal="Två"))
    with pytest.raises(ValidationError) as refused:
        plan_actions.revise_plan(by=manager, plan=plan, based_on=1, **content(goal="Tre"))
    assert refused.value.code == "conflict"
    plan.refresh_from_db()
    assert (plan.version, plan.goal) == (2, "Två")
    assert plan.revisions.count() == 2


# Closing ----------------------------------------------------------------------


def test_closing_a_plan_keeps_it_readable_but_unchangeable(person, counsellor, client_for):
    client = client_for(counsellor)
    write(client, person, goal="Avslutas snart")
    plan = Plan.objects.get()

    response = client.post(f"/persons/{person.pk}/plans/{plan.pk}/close/")

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.closed_on == today()
    assert plan.updated_by == counsellor
    assert AuditEvent.objects.filter(action="plan.close", person_id=person.pk).count() == 1
    page = client.get(f"/persons/{person.pk}/plans/{plan.pk}/").content.decode()
    assert "Avslutas snart" in page
    assert "Closed on" in page
    assert f"/persons/{person.pk}/plans/{plan.pk}/edit/" not in page
    edit = client.get(f"/persons/{person.pk}/plans/{plan.pk}/edit/")
    assert edit["Location"] == f"/persons/{person.pk}/plans/{plan.pk}/"
    assert revise(client, plan, goal="Ändrat ändå", version=1).status_code == 302
    with pytest.raises(ValidationError) as refused:
        plan_actions.revise_plan(by=counsellor, plan=plan, based_on=1, **content())
    assert refused.value.code == "closed"
    with pytest.raises(ValidationError) as again:
        plan_actions.close_plan(by=counsellor, plan=plan)
    assert again.value.code == "closed"
    plan.refresh_from_db()
    assert (plan.goal, plan.version) == ("Avslutas snart", 1)


def test_closing_needs_a_post(person, counsellor, client_for):
    plan = PlanFactory(person=person)
    response = client_for(counsellor).get(f"/persons/{person.pk}/plans/{plan.pk}/close/")
    assert response.status_code == 405
    plan.refresh_from_db()
    assert plan.closed_on is None


# The case page ----------------------------------------------------------------


def test_the_case_page_shows_the_plans_and_the_timeline_their_history(
    person, counsellor, client_for
):
    client = client_for(counsellor)
    page = client.get(f"/persons/{person.pk}/case/").content.decode()
    assert "The young person has no open plan." in page
    assert f'href="/persons/{person.pk}/plans/new/"' in page

    write(client, person, goal="Det första målet")
    old = Plan.objects.get()
    client.post(f"/persons/{person.pk}/plans/{old.pk}/close/")
    write(client, person, goal="Det andra målet")
    current = Plan.objects.get(closed_on__isnull=True)
    revise(client, current, goal="Det andra målet, reviderat")

    page = client.get(f"/persons/{person.pk}/case/").content.decode()
    assert "Current plan" in page
    assert "Det andra målet, reviderat" in page
    assert "Earlier and closed plans" in page
    assert f'href="/persons/{person.pk}/plans/{old.pk}/"' in page
    assert f'href="/persons/{person.pk}/plans/new/"' not in page
    kinds = re.findall(r'class="entry-plan">\s*<td>[^<]*</td>\s*<th scope="row">([^<]*)</th>', page)
    assert kinds == ["Plan revised (version 2)", "Plan written", "Plan closed", "Plan written"]


def test_the_ambassador_sees_no_plans_on_the_case_page(person, ambassador, client_for):
    PlanFactory(person=person, goal="Hemligt för ambassadören")
    page = client_for(ambassador).get(f"/persons/{person.pk}/case/").content.decode()
    assert "plans-heading" not in page
    assert "Hemligt för ambassadören" not in page
    assert "entry-plan" not in page


def test_the_case_page_runs_the_same_queries_for_one_plan_or_many(person, counsellor, client_for):
    client = client_for(counsellor)

    def queries_on_case_page() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/persons/{person.pk}/case/").status_code == 200
        return len(ctx.captured_queries)

    PlanFactory(person=person, closed_on=today())
    one = queries_on_case_page()
    for _ in range(8):
        PlanFactory(person=person, closed_on=today())
    assert queries_on_case_page() == one


# Who may ----------------------------------------------------------------------


def test_the_ambassador_may_not_write_or_read_plans(person, ambassador, client_for):
    plan = PlanFactory(person=person)
    client = client_for(ambassador)
    assert client.get(f"/persons/{person.pk}/plans/new/").status_code == 403
    assert write(client, person).status_code == 403
    for suffix in ("", "edit/", "revisions/1/", "pdf/"):
        assert client.get(f"/persons/{person.pk}/plans/{plan.pk}/{suffix}").status_code == 403
    assert client.post(f"/persons/{person.pk}/plans/{plan.pk}/close/").status_code == 403
    assert Plan.objects.get().closed_on is None


def test_another_municipality_gets_not_found(person, other_counsellor, client_for):
    plan = PlanFactory(person=person)
    client = client_for(other_counsellor)
    assert client.get(f"/persons/{person.pk}/plans/new/").status_code == 404
    for suffix in ("", "edit/", "revisions/1/", "pdf/"):
        assert client.get(f"/persons/{person.pk}/plans/{plan.pk}/{suffix}").status_code == 404
    assert client.post(f"/persons/{person.pk}/plans/{plan.pk}/close/").status_code == 404


def test_a_plan_is_only_found_under_its_own_person(person, counsellor, client_for):
    someone_else = PlanFactory()
    client = client_for(counsellor)
    for suffix in ("", "edit/", "revisions/1/", "pdf/"):
        url = f"/persons/{person.pk}/plans/{someone_else.pk}/{suffix}"
        assert client.get(url).status_code == 404
    assert client.post(f"/persons/{person.pk}/plans/{someone_else.pk}/close/").status_code == 404
    assert Plan.objects.get().closed_on is None


# The PDF ----------------------------------------------------------------------


@pytest.fixture
def readable_pdf(settings, monkeypatch):
    """Uncompressed, with the core Helvetica font: the text can be read in the bytes."""
    monkeypatch.setattr(plan_pdf, "COMPRESS", False)
    settings.SAMVERKA_PDF_FONT = "/no/such/font.ttf"


def test_the_pdf_is_a_pdf_and_an_audited_read(person, counsellor, client_for):
    plan = PlanFactory(person=person)
    response = client_for(counsellor).get(f"/persons/{person.pk}/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"DejaVu" in response.content  # the Unicode font is embedded
    view = AuditEvent.objects.filter(person_id=person.pk, action="person.view", user=counsellor)
    assert view.count() == 1
    export = AuditEvent.objects.get(person_id=person.pk, action="plan.pdf")
    assert (export.kind, export.user, export.detail) == ("export", counsellor, {"version": 1})


def test_the_pdf_holds_the_plan_in_swedish_and_no_address(
    readable_pdf, counsellor, client_for, measures, person
):
    person.street = "Storgatan 1"
    person.save()
    client = client_for(counsellor)
    write(client, person, goal="Plugga klart gymnasiet", own_words="Jag vill jobba med el.")
    plan = Plan.objects.get()
    revise(
        client,
        plan,
        goal="Bli elektriker",
        own_words="Jag vill jobba med el.",
        measures=[m.pk for m in measures],
    )

    current = client.get(f"/persons/{person.pk}/plans/{plan.pk}/pdf/").content
    assert b"Min plan" in current
    assert b"Bli elektriker" in current
    assert b"Jag vill jobba med el." in current
    assert b"Motiverande samtal" in current
    assert b"Kommunen" in current
    assert b"Version 2" in current
    assert b"Storgatan" not in current
    assert person.identity_number.encode() not in current

    old = client.get(f"/persons/{person.pk}/plans/{plan.pk}/pdf/", {"revision": 1}).content
    assert b"Plugga klart gymnasiet" in old
    assert b"Bli elektriker" not in old
    assert b"Version 1" in old


def test_a_missing_version_of_the_pdf_is_not_found(person, counsellor, client_for):
    plan = PlanFactory(person=person)
    client = client_for(counsellor)
    for wanted in ("2", "0", "x"):
        url = f"/persons/{person.pk}/plans/{plan.pk}/pdf/"
        assert client.get(url, {"revision": wanted}).status_code == 404
    assert not AuditEvent.objects.filter(action="plan.pdf").exists()


def test_any_name_prints(counsellor, client_for):
    person = PersonFactory(first_name="Łucja Åsa", last_name="Dăscălescu Öberg")
    client = client_for(counsellor)
    write(client, person, goal="Målet är att gå ut gymnasiet – med ”ö” och ”ä”.")
    plan = Plan.objects.get()
    response = client.get(f"/persons/{person.pk}/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_a_protected_persons_pdf_has_no_address(readable_pdf, counsellor, client_for):
    person = PersonFactory(skyddad_folkbokforing=True, street="Hemliga gränd 7", city="SOLNA")
    plan = PlanFactory(person=person, municipality=Municipality.objects.by_code("0183"))
    client = client_for(counsellor)
    client.post(f"/persons/{person.pk}/purpose/", {"purpose": "Skriva ut planen"})
    response = client.get(f"/persons/{person.pk}/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert b"Hemliga" not in response.content
    assert b"SOLNA" not in response.content
    export = AuditEvent.objects.get(action="plan.pdf")
    assert export.protected_identity is True
