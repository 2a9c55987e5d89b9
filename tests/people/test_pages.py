import pytest

from audit.models import AuditEvent
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client):
    response = client.get("/persons/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_search_page_finds_by_identity_number(counsellor, client_for):
    person = PersonFactory(first_name="Ebba", last_name="Sjöberg")
    page = client_for(counsellor).get("/persons/", {"q": person.identity_number})
    assert "Ebba Sjöberg" in page.content.decode()


def test_person_page_of_another_municipality_is_not_found(other_counsellor, client_for):
    person = PersonFactory()
    assert client_for(other_counsellor).get(f"/persons/{person.pk}/").status_code == 404


def test_person_page_is_audited_as_a_read(counsellor, client_for):
    person = PersonFactory()
    client_for(counsellor).get(f"/persons/{person.pk}/")
    event = AuditEvent.objects.get(action="person.view")
    assert (event.user, event.person_id, event.channel) == (counsellor, person.pk, "web")


def test_protected_identity_address_is_not_on_the_page(counsellor, client_for):
    person = PersonFactory(skyddad_folkbokforing=True, street="Hemliga vägen 3")
    page = client_for(counsellor).get(f"/persons/{person.pk}/").content.decode()
    assert "Hemliga" not in page


def test_ambassador_sees_contact_details_but_not_schooling(ambassador, client_for):
    person = PersonFactory()
    page = client_for(ambassador).get(f"/persons/{person.pk}/").content.decode()
    assert "Storgatan 1" in page
    assert 'id="school-heading"' not in page


def test_administrator_sees_no_person(administrator, client_for):
    person = PersonFactory()
    assert client_for(administrator).get(f"/persons/{person.pk}/").status_code == 404


def test_login_and_failed_login_are_audited(counsellor, client):
    client.post("/login/", {"username": "syv", "password": "wrong"})
    client.post("/login/", {"username": "syv", "password": "Testlösenord-2026"})
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["login_failed", "login"]


def test_the_menu_shows_only_what_the_user_may_use(ambassador, administrator, client_for):
    ambassador_page = client_for(ambassador).get("/persons/").content.decode()
    admin_page = client_for(administrator).get("/imports/").content.decode()
    assert 'href="/imports/"' not in ambassador_page and 'href="/persons/"' in ambassador_page
    assert 'href="/imports/"' in admin_page and 'href="/persons/"' not in admin_page


def test_the_person_page_names_the_municipality_of_each_residence(counsellor, client_for):
    person = PersonFactory()
    page = client_for(counsellor).get(f"/persons/{person.pk}/").content.decode()
    assert "Sundbybergs kommun (0183)" in page
