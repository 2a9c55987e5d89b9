"""Recording occupation: the code list, the review-by date and the refusals."""

from datetime import timedelta

from django.utils import timezone

from audit.models import AuditEvent
from casework.models import Occupation, OccupationKind
from organisations.models import Municipality
from tests.factories import PersonFactory


def kind(code="komvux") -> OccupationKind:
    return OccupationKind.objects.get(code=code)


def test_the_code_list_is_seeded(db):
    codes = set(OccupationKind.objects.values_list("code", flat=True))
    assert {
        "upper_secondary",
        "komvux",
        "folkhogskola",
        "other_studies",
        "work_full_time",
        "work_part_time",
        "internship",
        "employment_service_programme",
        "other_activity",
        "none",
        "unknown",
    } <= codes


def test_a_counsellor_records_occupation_reviewed_after_90_days(person, counsellor, client_for):
    start = timezone.localdate() - timedelta(days=3)
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/occupations/new/",
        {"kind": kind().pk, "source": "school", "start": start.isoformat()},
    )
    assert response.status_code == 302
    occupation = Occupation.objects.get()
    assert occupation.review_by == start + timedelta(days=90)
    assert (occupation.recorded_by, occupation.municipality_id) == (
        counsellor,
        person.municipality_id,
    )
    assert AuditEvent.objects.filter(
        action="occupation.create", person_id=person.pk, kind="write"
    ).exists()


def test_an_administrator_added_kind_can_be_chosen(person, counsellor, client_for):
    added = OccupationKind.objects.create(code="sfi", name="Sfi", order=35)
    page = client_for(counsellor).get(f"/persons/{person.pk}/occupations/new/").content.decode()
    assert f'value="{added.pk}"' in page


def test_a_start_in_the_future_is_refused(person, counsellor, client_for):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/occupations/new/",
        {"kind": kind().pk, "source": "school", "start": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert "Sysselsättningen kan inte börja i framtiden" in response.content.decode()
    assert not Occupation.objects.exists()
    assert not AuditEvent.objects.filter(kind="write").exists()


def test_a_review_date_before_the_start_is_refused(person, counsellor, client_for):
    today = timezone.localdate()
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/occupations/new/",
        {
            "kind": kind().pk,
            "source": "young_person",
            "start": today.isoformat(),
            "review_by": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Datumet för uppföljning kan inte ligga före datumet då sysselsättningen började" in (
        response.content.decode()
    )
    assert not Occupation.objects.exists()


def test_haninge_gets_404_for_a_sundbyberg_person(person, other_counsellor, client_for):
    response = client_for(other_counsellor).post(
        f"/persons/{person.pk}/occupations/new/",
        {"kind": kind().pk, "source": "school", "start": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    assert not Occupation.objects.exists()


def test_an_administrator_adds_an_occupation_for_their_municipality_only(
    administrator, counsellor, other_counsellor, client_for
):
    client = client_for(administrator)
    assert client.get("/administration/occupations/").status_code == 200
    response = client.post("/administration/occupations/", {"name": "Sfi"})
    assert response.status_code == 302
    added = OccupationKind.objects.get(name="Sfi")
    assert added.municipality.code == "0183"
    assert AuditEvent.objects.filter(
        action="occupation_kind.create", user=administrator, kind="write"
    ).exists()

    sundbyberg = PersonFactory()
    haninge = PersonFactory(municipality=Municipality.objects.by_code("0136"))
    own_form = client_for(counsellor).get(f"/persons/{sundbyberg.pk}/occupations/new/")
    assert "Sfi" in own_form.content.decode()
    other = client_for(other_counsellor)
    assert "Sfi" not in other.get(f"/persons/{haninge.pk}/occupations/new/").content.decode()
    # Nor can it be posted there.
    response = other.post(
        f"/persons/{haninge.pk}/occupations/new/",
        {"kind": added.pk, "source": "school", "start": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert not Occupation.objects.exists()


def test_the_same_occupation_twice_is_refused(administrator, client_for):
    client = client_for(administrator)
    response = client.post("/administration/occupations/", {"name": " komvux "})
    assert response.status_code == 200
    assert "Listan har redan den här sysselsättningen." in response.content.decode()
    assert OccupationKind.objects.filter(name__iexact="komvux").count() == 1


def test_caseworkers_cannot_change_the_list(counsellor, client_for):
    client = client_for(counsellor)
    assert client.get("/administration/occupations/").status_code == 403
    assert client.post("/administration/occupations/", {"name": "Sfi"}).status_code == 403
    assert not OccupationKind.objects.filter(name="Sfi").exists()
