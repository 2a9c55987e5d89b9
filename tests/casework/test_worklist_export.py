"""Exporting a worklist to CSV and Excel: content, audit, protected identities, refusals."""

import csv
import io
from datetime import timedelta

from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from organisations.models import Municipality
from samverka.dates import add_years
from tests.casework.conftest import in_kaa
from tests.casework.worklist_data import attempt, today
from tests.factories import PersonFactory

EXPORT = "/worklists/never-contacted/export/"
SECRET_STREET = "Hemliga gränd 7"


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_has_every_filtered_row(counsellor, client_for):
    birth = add_years(today() - timedelta(days=10), -17)
    ada = in_kaa(PersonFactory(first_name="Ada", last_name="Lind", birth_date=birth))
    attempt(ada, at=timezone.now() - timedelta(hours=1))
    in_kaa(PersonFactory(first_name="Bo", last_name="Berg"))  # not 17: filtered out

    response = client_for(counsellor).get(EXPORT, {"age_min": 17, "age_max": 17})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="never-contacted-')
    header, *rows = csv_rows(response)
    assert len(header) == 9  # name … occupation, handler
    assert rows == [
        [
            "Ada Lind",
            ada.formatted_identity_number,
            "KAA",
            "17",
            today().replace(day=1).isoformat(),
            timezone.localtime(ada.contacts.get().at).strftime("%Y-%m-%d %H:%M"),
            "1",
            "",
            "",
        ]
    ]


def test_the_excel_file_has_the_same_rows(counsellor, client_for):
    for i in range(55):  # more than a page: the export has them all
        in_kaa(PersonFactory(first_name="Person", last_name=f"Nummer{i:02d}"))
    response = client_for(counsellor).get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 56
    assert values[1][0] == "Person Nummer00"


def test_an_export_is_audited_per_person_and_once_as_a_whole(person, counsellor, client_for):
    client_for(counsellor).get(EXPORT, {"format": "csv", "kind": "kaa"})
    event = AuditEvent.objects.get(person_id=person.pk)
    assert (event.kind, event.action, event.user) == (
        "export",
        "casework.worklist.never_contacted.export",
        counsellor,
    )
    whole = AuditEvent.objects.get(action="worklist.export")
    assert whole.kind == "export"
    assert whole.detail == {
        "worklist": "never-contacted",
        "format": "csv",
        "rows": 1,
        "filters": "kind=kaa",
    }


def test_no_address_or_contact_details_are_ever_exported(counsellor, client_for):
    in_kaa(
        PersonFactory(
            last_name="Skyddad",
            sekretessmarkering=True,
            street=SECRET_STREET,
            phone="070-9988776",
            email="hemlig@example.se",
        )
    )
    in_kaa(PersonFactory(last_name="Öppen", street="Storgatan 1", phone="070-1112223"))
    client = client_for(counsellor)
    for file_format in ("csv", "xlsx"):
        response = client.get(EXPORT, {"format": file_format})
        content = response.content
        if file_format == "xlsx":
            sheet = load_workbook(io.BytesIO(content)).active
            content = repr(list(sheet.values)).encode()
        text = content.decode("utf-8-sig")
        assert "Skyddad" in text and "Öppen" in text
        for secret in (SECRET_STREET, "070-9988776", "hemlig@example.se", "Storgatan", "070-111"):
            assert secret not in text
    assert AuditEvent.objects.filter(kind="export", protected_identity=True).count() == 2


def test_only_the_users_own_register_is_exported(person, other_counsellor, client_for):
    rows = csv_rows(client_for(other_counsellor).get(EXPORT))
    assert rows[1:] == []
    assert Municipality.objects.by_code("0136").pk != person.municipality_id


def test_a_formula_in_a_name_is_written_as_text(counsellor, client_for):
    in_kaa(PersonFactory(first_name="=HYPERLINK(1)", last_name=""))
    rows = csv_rows(client_for(counsellor).get(EXPORT))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_export_needs_the_permission(person, ambassador, analyst, client_for):
    for user in (ambassador, analyst):
        assert client_for(user).get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(kind="export").exists()
    page = client_for(ambassador).get("/worklists/never-contacted/").content.decode()
    assert "/export/" not in page


def test_an_unknown_format_is_refused(person, counsellor, client_for):
    response = client_for(counsellor).get(EXPORT, {"format": "pdf"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(kind="export").exists()
