"""A plan as a PDF for the young person: in Swedish, plain, print-ready.

Like the register extract (people.subject_access) the document is always in
Swedish, whatever language the caseworker's screen is in, so its text is
written here in Swedish rather than through gettext. It holds the
municipality, the name, the goal, the young person's own words, the measures
with who is responsible, the dates and the version; never an address or an
identity number (a printed plan may be left lying about).
"""

from datetime import date

from django.utils import timezone

from casework.models import Plan, PlanRevision, Responsible
from casework.queries.plans import MeasureLine, measure_lines
from casework.queries.timeline import user_name
from samverka.pdf import Document

# Tests turn compression off to read the text in the file.
COMPRESS = True

MONTHS = (
    "januari februari mars april maj juni juli augusti september oktober november december"
).split()

WHO = {
    Responsible.YOUNG_PERSON: "Du själv",
    Responsible.MUNICIPALITY: "Kommunen",
    Responsible.OTHER_ACTOR: "En annan aktör",
}


def swedish_date(value: date | str | None) -> str:
    """15 december 2026, as a letter to a young person writes it."""
    if not value:
        return "-"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def who(line: MeasureLine) -> str:
    if line.responsible == Responsible.OTHER_ACTOR and line.organisation:
        return line.organisation
    label = WHO.get(line.responsible, "-")
    return f"{label} ({line.organisation})" if line.organisation else label


class _PlanDocument(Document):
    """The register extract's A4 page and fonts (DejaVu, so å, ä, ö and any name
    print), with the version and page number at the foot of every page."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.use("", 8)
        self.cell(0, 5, f"{self.footer_text} · sida {self.page_no()} av {{nb}}", align="C")


def render_plan_pdf(plan: Plan, revision: PlanRevision, municipality_name: str) -> bytes:
    pdf = _PlanDocument()
    pdf.set_compression(COMPRESS)
    pdf.set_title("Min plan")
    pdf.set_lang("sv")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.footer_text = f"Individuell plan, version {revision.number}"
    pdf.add_page()

    def heading(text: str) -> None:
        pdf.ln(4)
        pdf.use("B", 13)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.use("", 11)

    def paragraph(text: str) -> None:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    pdf.use("B", 20)
    pdf.multi_cell(0, 10, "Min plan", new_x="LMARGIN", new_y="NEXT")
    pdf.use("", 11)
    person = plan.person
    paragraph(f"Namn: {person.full_name or '-'}")
    paragraph(f"Kommun: {municipality_name}")
    written = timezone.localtime(revision.written_at).date()
    by = user_name(revision.written_by)
    paragraph(
        f"Version {revision.number}, skriven {swedish_date(written)}" + (f" av {by}" if by else "")
    )
    if revision.number != plan.version:
        paragraph(f"Det här är en äldre version. Den senaste är version {plan.version}.")
    if plan.closed_on:
        paragraph(f"Planen avslutades {swedish_date(plan.closed_on)}.")

    heading("Ditt mål")
    paragraph(revision.goal)
    heading("Med dina egna ord")
    paragraph(revision.own_words or "Inget skrivet ännu.")

    heading("Insatser och vem som ansvarar")
    lines = measure_lines(revision)
    if not lines:
        paragraph("Inga insatser hör till planen ännu.")
    else:
        pdf.use("", 10)
        with pdf.table(
            col_widths=(54, 44, 36, 36), text_align="LEFT", line_height=6, padding=1.5
        ) as table:
            header = table.row()
            for title in ("Insats", "Vem ansvarar", "Start", "Slut"):
                header.cell(title)
            for line in lines:
                row = table.row()
                row.cell(line.name)
                row.cell(who(line))
                row.cell(swedish_date(line.start))
                row.cell(swedish_date(line.end))
        pdf.use("", 11)

    heading("Datum")
    paragraph(f"Vi följer upp planen: {swedish_date(revision.follow_up_on)}")
    paragraph(f"Vi utvärderar planen: {swedish_date(revision.evaluate_on)}")
    pdf.ln(4)
    paragraph(
        "Planen är din och vi skriver den tillsammans. Vill du ändra något, eller har du "
        "frågor? Hör av dig till din kontaktperson i kommunen."
    )
    return bytes(pdf.output())
