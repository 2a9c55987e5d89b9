"""Working a worklist: filters, sorting, pages, saved views, handlers and closing cases."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from casework.actions import cases
from casework.models import Case, OccupationKind
from organisations.models import Municipality
from responsibility.models import Kind
from samverka.dates import add_years
from schooling.models import Enrolment, SchoolUnit
from tests.casework.conftest import in_kaa
from tests.casework.worklist_data import attempt, case, names, occupation, period, today
from tests.factories import PersonFactory
from worklists import actions
from worklists.models import SavedView
from worklists.queries import PAGE_SIZE

NEVER = "/worklists/never-contacted/"
ENDED = "/worklists/ended/"


def aged(years: int, first: str, **kwargs):
    """In KAA, turned ``years`` ten days ago."""
    birth = add_years(today() - timedelta(days=10), -years)
    return in_kaa(PersonFactory(first_name=first, last_name="Lind", birth_date=birth, **kwargs))


# Filters ----------------------------------------------------------------------


def test_filter_by_age(counsellor, client_for):
    aged(16, "Ada"), aged(17, "Bo"), aged(19, "Cia")
    client = client_for(counsellor)
    assert names(client.get(NEVER, {"age_min": 17})) == ["Bo Lind", "Cia Lind"]
    assert names(client.get(NEVER, {"age_max": 17})) == ["Ada Lind", "Bo Lind"]
    assert names(client.get(NEVER, {"age_min": 17, "age_max": 17})) == ["Bo Lind"]


def test_an_impossible_age_range_is_explained_and_the_upper_age_ignored(counsellor, client_for):
    aged(16, "Ada"), aged(19, "Cia")
    page = client_for(counsellor).get(NEVER, {"age_min": 18, "age_max": 17}).content.decode()
    assert names(page) == ["Cia Lind"]
    assert 'id="id_age_max_error"' in page


def test_filter_by_kind(counsellor, client_for):
    in_kaa(PersonFactory(first_name="Ada", last_name="Lind"))
    period(PersonFactory(first_name="Bo", last_name="Lind"), kind=Kind.OUTREACH)
    client = client_for(counsellor)
    assert names(client.get(NEVER, {"kind": "kaa"})) == ["Ada Lind"]
    assert names(client.get(NEVER, {"kind": "outreach"})) == ["Bo Lind"]
    assert names(client.get(NEVER)) == ["Ada Lind", "Bo Lind"]


def test_filter_by_handler(counsellor, manager, client_for):
    case(in_kaa(PersonFactory(first_name="Ada", last_name="Lind")), handler=counsellor)
    case(in_kaa(PersonFactory(first_name="Bo", last_name="Lind")), handler=manager)
    case(in_kaa(PersonFactory(first_name="Cia", last_name="Lind")))  # a case, nobody handling
    in_kaa(PersonFactory(first_name="Dan", last_name="Lind"))  # no case yet
    client = client_for(counsellor)
    assert names(client.get(NEVER, {"handler": "me"})) == ["Ada Lind"]
    assert names(client.get(NEVER, {"handler": manager.pk})) == ["Bo Lind"]
    assert names(client.get(NEVER, {"handler": "none"})) == ["Cia Lind", "Dan Lind"]


def test_filter_by_school_today(counsellor, client_for):
    cache.clear()  # the schools to choose from are kept for ten minutes
    school = SchoolUnit.objects.create(code="87654321", name="Komvux Sundbyberg")
    day = today()
    for first, end in (("Ada", None), ("Bo", day - timedelta(days=1))):
        person = in_kaa(PersonFactory(first_name=first, last_name="Lind"))
        Enrolment.objects.create(
            municipality=person.municipality,
            person=person,
            school_unit=school,
            school_form="komvux",
            start_date=day - timedelta(days=100),
            end_date=end,
            source="csv",
        )
    in_kaa(PersonFactory(first_name="Cia", last_name="Lind"))
    page = client_for(counsellor).get(NEVER, {"school": school.pk})
    assert names(page) == ["Ada Lind"]
    assert "Komvux Sundbyberg" in page.content.decode()


def test_filter_by_occupation(counsellor, client_for):
    occupation(in_kaa(PersonFactory(first_name="Ada", last_name="Lind")), code="komvux")
    occupation(in_kaa(PersonFactory(first_name="Bo", last_name="Lind")), code="internship")
    in_kaa(PersonFactory(first_name="Cia", last_name="Lind"))
    komvux = OccupationKind.objects.get(code="komvux")
    client = client_for(counsellor)
    assert names(client.get(NEVER, {"occupation": komvux.pk})) == ["Ada Lind"]
    assert names(client.get(NEVER, {"occupation": "none"})) == ["Cia Lind"]


def test_filter_by_case_status(counsellor, client_for):
    case(in_kaa(PersonFactory(first_name="Ada", last_name="Lind")), closed_on=today())
    # Closed before the current period started: the case is open again.
    case(
        in_kaa(PersonFactory(first_name="Bo", last_name="Lind")),
        closed_on=today().replace(day=1) - timedelta(days=30),
    )
    in_kaa(PersonFactory(first_name="Cia", last_name="Lind"))
    client = client_for(counsellor)
    assert names(client.get(NEVER, {"status": "closed"})) == ["Ada Lind"]
    assert names(client.get(NEVER, {"status": "open"})) == ["Bo Lind", "Cia Lind"]


# Sorting and pages --------------------------------------------------------------


def test_sorting(counsellor, client_for):
    day = today()
    old = aged(19, "Öja")
    young = aged(16, "Ada")
    middle = aged(17, "Bo")
    for person, days_ago in ((old, 300), (young, 10), (middle, 100)):
        person.responsibility_periods.update(start=day - timedelta(days=days_ago))
    attempt(young, at=timezone.now() - timedelta(days=1))
    attempt(middle, at=timezone.now() - timedelta(days=5))
    client = client_for(counsellor)

    def order(sort):
        return [n.split()[0] for n in names(client.get(NEVER, {"sort": sort}))]

    assert order("name") == ["Ada", "Bo", "Öja"]
    assert order("-name") == ["Öja", "Bo", "Ada"]
    assert order("since") == ["Öja", "Bo", "Ada"]
    assert order("-since") == ["Ada", "Bo", "Öja"]
    assert order("age") == ["Ada", "Bo", "Öja"]  # youngest first
    assert order("-age") == ["Öja", "Bo", "Ada"]
    assert order("last_contact") == ["Öja", "Bo", "Ada"]  # never contacted first
    assert order("-last_contact") == ["Ada", "Bo", "Öja"]
    assert order("nonsense") == ["Ada", "Bo", "Öja"]  # by name, with a message


def test_fifty_rows_a_page_and_only_those_read(counsellor, client_for):
    for i in range(PAGE_SIZE + 5):
        in_kaa(PersonFactory(first_name="Person", last_name=f"Nummer{i:03d}"))
    client = client_for(counsellor)
    first = client.get(NEVER).content.decode()
    assert len(names(first)) == PAGE_SIZE
    assert f"{PAGE_SIZE + 5} young people" in first or f"{PAGE_SIZE + 5} ungdomar" in first
    assert AuditEvent.objects.filter(kind="read").count() == PAGE_SIZE
    second = client.get(NEVER, {"page": 2})
    assert names(second) == [f"Person Nummer{i:03d}" for i in range(PAGE_SIZE, PAGE_SIZE + 5)]
    assert names(client.get(NEVER, {"page": 99})) == names(second)  # past the end: the last
    assert names(client.get(NEVER, {"page": "x"})) == names(first)


# Saved views ----------------------------------------------------------------------


def test_save_list_and_open_a_view(counsellor, client_for):
    aged(16, "Ada"), aged(17, "Bo")
    client = client_for(counsellor)
    response = client.post(
        f"{NEVER}?age_min=17&sort=-name&attempts=x&page=2",
        {"op": "save_view", "name": "  Mina   17-åringar "},
    )
    assert response.status_code == 302
    view = SavedView.objects.get(user=counsellor)
    assert (view.name, view.worklist, view.query) == (
        "Mina 17-åringar",
        "never-contacted",
        "age_min=17&sort=-name",  # attempts belongs to another list, the page to no view
    )
    link = f'href="{NEVER}?age_min=17&amp;sort=-name"'
    assert link in client.get(NEVER).content.decode()
    assert link in client.get("/worklists/").content.decode()
    assert names(client.get(f"{NEVER}?{view.query}")) == ["Bo Lind"]


def test_a_view_needs_a_new_name(counsellor, client_for):
    SavedView.objects.create(user=counsellor, name="Mina", worklist="ended", query="")
    client = client_for(counsellor)
    for name in ("mina", ""):
        page = client.post(NEVER, {"op": "save_view", "name": name})
        assert page.status_code == 200
        assert 'id="id_name_error"' in page.content.decode()
    assert SavedView.objects.count() == 1


def test_own_views_only(counsellor, other_counsellor, client_for):
    mine = SavedView.objects.create(user=counsellor, name="Mina", worklist="ended", query="")
    theirs = SavedView.objects.create(
        user=other_counsellor, name="Hanninges", worklist="ended", query=""
    )
    client = client_for(counsellor)
    assert "Hanninges" not in client.get("/worklists/").content.decode()
    assert client.post(f"/worklists/views/{theirs.pk}/delete/").status_code == 404
    assert SavedView.objects.filter(pk=theirs.pk).exists()
    response = client.post(f"/worklists/views/{mine.pk}/delete/", {"next": ENDED})
    assert (response.status_code, response["Location"]) == (302, ENDED)
    assert not SavedView.objects.filter(pk=mine.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.delete_view(by=counsellor, view=theirs)


# Handlers -------------------------------------------------------------------------


def test_assign_one_person_creates_the_case(person, counsellor, manager, client_for):
    response = client_for(counsellor).post(
        f"{NEVER}?sort=since", {"op": "assign", "person": [person.pk], "handler": manager.pk}
    )
    assert (response.status_code, response["Location"]) == (302, f"{NEVER}?sort=since")
    found = Case.objects.get(person=person)
    assert (found.handler, found.assigned_by, found.municipality_id) == (
        manager,
        counsellor,
        person.municipality_id,
    )
    event = AuditEvent.objects.get(action="case.assign")
    assert (event.person_id, event.kind, event.detail) == (
        person.pk,
        "write",
        {"handler": manager.pk, "previous": None},
    )
    assert manager.last_name in client_for(counsellor).get(NEVER).content.decode()


def test_bulk_reassignment(counsellor, manager, client_for):
    people = [in_kaa(PersonFactory(first_name=n, last_name="Lind")) for n in ("Ada", "Bo", "Cia")]
    case(people[0], handler=counsellor)
    case(people[1], handler=manager)  # already the chosen handler: unchanged, no event
    client_for(counsellor).post(
        NEVER, {"op": "assign", "person": [p.pk for p in people], "handler": manager.pk}
    )
    assert set(Case.objects.values_list("handler", flat=True)) == {manager.pk}
    assert AuditEvent.objects.filter(action="case.assign").count() == 2
    client_for(counsellor).post(
        NEVER, {"op": "assign", "person": [people[2].pk], "handler": "none"}
    )
    assert Case.objects.get(person=people[2]).handler is None


def test_a_bad_handler_is_refused_and_nothing_changes(
    person, counsellor, other_counsellor, ambassador, client_for
):
    page = client_for(counsellor).post(
        NEVER, {"op": "assign", "person": [person.pk], "handler": other_counsellor.pk}
    )
    assert page.status_code == 200
    assert 'id="assign_handler_error"' in page.content.decode()
    for handler in (other_counsellor, ambassador):
        with pytest.raises(ValidationError) as refused:
            cases.assign_cases(by=counsellor, persons=[person], handler=handler)
        assert refused.value.code == "handler"
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action="case.assign").exists()


def test_nothing_chosen_is_explained(person, counsellor, client_for):
    page = client_for(counsellor).post(NEVER, {"op": "assign", "handler": counsellor.pk})
    assert page.status_code == 200
    assert 'id="bulk-error"' in page.content.decode()
    assert not Case.objects.exists()


def test_another_municipalitys_person_is_not_found(person, counsellor, client_for):
    theirs = in_kaa(PersonFactory(municipality=Municipality.objects.by_code("0136")))
    response = client_for(counsellor).post(
        NEVER, {"op": "assign", "person": [person.pk, theirs.pk], "handler": counsellor.pk}
    )
    assert response.status_code == 404
    assert not Case.objects.exists()
    assert AuditEvent.objects.filter(kind="denied", user=counsellor).exists()


def test_the_ambassador_may_not_assign(person, ambassador, counsellor, client_for):
    response = client_for(ambassador).post(
        NEVER, {"op": "assign", "person": [person.pk], "handler": counsellor.pk}
    )
    assert response.status_code == 403
    assert 'name="person"' not in client_for(ambassador).get(NEVER).content.decode()


# Closing a case -------------------------------------------------------------------


def test_close_the_cases_of_those_who_left(counsellor, client_for):
    yesterday = today() - timedelta(days=1)
    start = today() - timedelta(days=300)
    ada = period(PersonFactory(first_name="Ada", last_name="Lind"), start=start, end=yesterday)
    bo = period(PersonFactory(first_name="Bo", last_name="Lind"), start=start, end=yesterday)
    case(bo, handler=counsellor)
    client = client_for(counsellor)
    response = client.post(ENDED, {"op": "close", "person": [ada.pk, bo.pk]})
    assert response.status_code == 302
    assert set(Case.objects.values_list("closed_on", flat=True)) == {today()}
    assert Case.objects.get(person=bo).handler == counsellor  # the handler stays on record
    assert AuditEvent.objects.filter(action="case.close").count() == 2
    assert names(client.get(ENDED)) == []


def test_a_case_is_not_closed_while_in_responsibility(person, counsellor, client_for):
    page = client_for(counsellor).post(ENDED, {"op": "close", "person": [person.pk]})
    assert page.status_code == 200
    assert 'id="bulk-error"' in page.content.decode()
    assert not Case.objects.exists()
    with pytest.raises(ValidationError) as refused:
        cases.close_case(by=counsellor, person=person)
    assert refused.value.code == "in_responsibility"


def test_closing_twice_is_refused(counsellor):
    yesterday = today() - timedelta(days=1)
    ada = period(PersonFactory(), start=yesterday - timedelta(days=30), end=yesterday)
    cases.close_case(by=counsellor, person=ada)
    with pytest.raises(ValidationError) as refused:
        cases.close_case(by=counsellor, person=ada)
    assert refused.value.code == "already_closed"


def test_cases_are_closed_from_the_ended_list_only(person, counsellor, ambassador, client_for):
    assert client_for(counsellor).post(NEVER, {"op": "close"}).status_code == 403
    assert client_for(ambassador).post(ENDED, {"op": "close"}).status_code == 403
    assert client_for(counsellor).post(NEVER, {"op": "nonsense"}).status_code == 400
