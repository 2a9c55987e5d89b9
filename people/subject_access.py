"""Everything Samverka holds about one person (GDPR art. 15), as data, JSON and PDF.

The right to object (art. 21) does not apply to the KAA register:
förordning 2006:39 2 b § excludes it. Rectification goes through normal
editing and, for register data, through Skatteverket (Navet) or the school.
"""

from datetime import date, datetime

from django.apps import apps
from django.utils import timezone

from audit.models import AuditEvent
from samverka.pdf import Document

from .models import Person


def _rows(queryset, fields: list[str]) -> list[dict]:
    return [dict(zip(fields, row, strict=True)) for row in queryset.values_list(*fields)]


def collect(person: Person) -> dict:
    """Every row about the person, from every table that holds their data."""
    return {
        "produced_at": timezone.now().isoformat(timespec="seconds"),
        "controller": person.municipality.name,
        "person": {
            "identity_number": person.identity_number,
            "first_name": person.first_name,
            "middle_name": person.middle_name,
            "last_name": person.last_name,
            "birth_date": person.birth_date,
            "address": person.address_lines(),
            "email": person.email,
            "phone": person.phone,
            "protected_identity": person.is_protected,
            "immigration_date": person.immigration_date,
            "deregistration_reason": person.get_deregistration_reason_display(),
            "deregistration_date": person.deregistration_date,
            "source": "Navet (Skatteverket)",
        },
        "residences": _rows(
            person.residences.order_by("start"), ["municipality_code", "start", "end"]
        ),
        "guardians": _rows(
            person.guardians.all(), ["first_name", "last_name", "valid_from", "valid_to"]
        ),
        "enrolments": _rows(
            person.enrolments.order_by("start_date"),
            [
                "school_unit__code",
                "school_unit__name",
                "school_form",
                "programme_code",
                "start_date",
                "end_date",
                "end_reason",
            ],
        ),
        "school_notifications": _rows(
            person.school_notifications.order_by("event_date"),
            ["school_unit__name", "event", "event_date"],
        ),
        "responsibility": _rows(
            person.responsibility_periods.order_by("start"),
            ["kind", "start", "start_reason", "end", "end_reason"],
        ),
        "opened_to": _rows(
            person.access_grants.order_by("valid_from"),
            [
                "organisation__name",
                "permissions",
                "reason",
                "valid_from",
                "valid_until",
                "withdrawn_at",
            ],
        ),
        **_casework(person),
        **_coordination(person),
        # Who has read the data: by organisation, not by the staff member's name.
        "access_log": _rows(
            AuditEvent.objects.filter(person_id=person.pk).order_by("at"),
            ["at", "kind", "action", "channel"],
        ),
    }


def _casework(person: Person) -> dict:
    """The team's work with the person: contacts, occupation, measures, plans and letters.

    Staff are not named, as in the access log: the extract says what the
    municipality did, and the unit answers for it. (casework and letters build
    on this app, so their rows are reached through the person's relations.)
    """
    return {
        "contacts": _rows(
            person.contacts.order_by("at", "id"), ["at", "channel", "outcome", "note"]
        ),
        "occupations": _rows(
            person.occupations.order_by("start", "id"),
            ["kind__name", "source", "start", "review_by"],
        ),
        "measures": _rows(
            person.measures.order_by("offered_on", "id"),
            [
                "measure__name",
                "measure__owner__name",
                "offered_on",
                "answer",
                "answered_on",
                "start",
                "end",
                "end_reason",
                "responsible",
                "responsible_organisation__name",
                "note",
            ],
        ),
        # Every version of every plan, as the young person was given them.
        "plans": _rows(
            apps.get_model("casework", "PlanRevision")
            .objects.filter(plan__person=person)
            .order_by("plan__created_at", "plan_id", "number"),
            [
                "number",
                "goal",
                "own_words",
                "measures",
                "follow_up_on",
                "evaluate_on",
                "written_at",
                "plan__closed_on",
            ],
        ),
        "letters": _rows(
            person.letters.order_by("batch__letter_date", "id"),
            ["batch__letter_date", "guardian_name", "subject", "body"],
        ),
    }


def _coordination(person: Person) -> dict:
    """Consents, referrals and SIPs (the coordination app builds on this one, so its
    models are looked up by name)."""
    Consent = apps.get_model("coordination", "Consent")
    consents = []
    for c in Consent.objects.filter(person=person).prefetch_related("organisations"):
        consents.append(
            {
                "given_by": c.given_by,
                "method": c.method,
                "organisations": sorted(o.name for o in c.organisations.all()),
                "purposes": [p.value for p in c.purposes],
                "permissions": c.permissions,
                "valid_from": c.valid_from,
                "valid_until": c.valid_until,
                "withdrawn_at": c.withdrawn_at,
            }
        )
    return {
        "consents": consents,
        "referrals": _rows(
            person.referrals.order_by("sent_at"),
            [
                "from_organisation__name",
                "to_organisation__name",
                "reason__name",
                "status",
                "sent_at",
                "outcome",
                "outcome_on",
            ],
        ),
        "sips": _rows(
            person.sips.order_by("created_at"),
            [
                "initiated_by_organisation__name",
                "status",
                "established_on",
                "closed_on",
                "follow_up_on",
                "version",
            ],
        ),
    }


def _text(value) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value) or "-"
    if isinstance(value, dict):
        # A plan's measures as they stood: name and who is responsible is what a reader needs.
        return " ".join(
            _text(value.get(k)) for k in ("name", "responsible", "organisation") if value.get(k)
        )
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


SECTIONS = [
    ("residences", "Folkbokföring"),
    ("guardians", "Vårdnadshavare"),
    ("enrolments", "Skolgång"),
    ("school_notifications", "Anmälningar från skolor"),
    ("responsibility", "Aktivitetsansvar och uppsökande verksamhet"),
    ("contacts", "Kontakter och kontaktförsök"),
    ("occupations", "Sysselsättning"),
    ("measures", "Insatser"),
    ("plans", "Individuella planer (alla versioner)"),
    ("letters", "Brev"),
    ("opened_to", "Öppnat för andra enheter och aktörer"),
    ("consents", "Samtycken"),
    ("referrals", "Remisser"),
    ("sips", "Samordnade individuella planer (SIP)"),
    ("access_log", "Vem som har läst uppgifterna (när och hur)"),
]


def render_pdf(data: dict) -> bytes:
    """A plain, readable PDF in Swedish for the young person."""
    pdf = Document()
    pdf.set_title("Registerutdrag")
    pdf.set_lang("sv")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.use("B", 16)
    pdf.multi_cell(0, 9, "Registerutdrag: det här har vi sparat om dig", new_x="LMARGIN")
    pdf.use("", 10)
    pdf.multi_cell(
        0,
        5,
        f"Personuppgiftsansvarig: {data['controller']}. Framtaget {data['produced_at'][:10]}. "
        "Uppgifterna kommer från folkbokföringen (Navet), skolor och kommunens arbete med "
        "aktivitetsansvaret. Rätten att invända gäller inte registret över aktivitetsansvaret "
        "(förordning 2006:39 2 b §). Är något fel? Kontakta kommunen så rättar vi.",
        new_x="LMARGIN",
    )
    pdf.ln(3)
    pdf.use("B", 12)
    pdf.cell(0, 7, "Person", new_x="LMARGIN", new_y="NEXT")
    pdf.use("", 10)
    for key, value in data["person"].items():
        pdf.multi_cell(0, 5, f"{key.replace('_', ' ')}: {_text(value)}", new_x="LMARGIN")
    for key, title in SECTIONS:
        pdf.ln(2)
        pdf.use("B", 12)
        pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        pdf.use("", 10)
        rows = data[key]
        if not rows:
            pdf.multi_cell(0, 5, "Inga uppgifter.", new_x="LMARGIN")
        for row in rows:
            pdf.multi_cell(
                0,
                5,
                "; ".join(f"{k.split('__')[-1]}: {_text(v)}" for k, v in row.items()),
                new_x="LMARGIN",
            )
    return bytes(pdf.output())
