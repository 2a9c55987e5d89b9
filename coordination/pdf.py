"""Printouts for the young person, always in Swedish: their consent, and the SIP.

Like the register extract (people.subject_access) and the individual plan, the
text is written here in Swedish rather than through gettext, whatever language
the caseworker's screen is in. A printout holds names, dates and what was
agreed; never an address or an identity number (paper is left lying about).
"""

from datetime import date, datetime

from django.utils import timezone, translation

from organisations.permissions import PERMISSION_LABELS, Permission
from samverka.pdf import Document

from .models import Consent, GivenBy, GuardiansInvolvement, Method, Purpose

# Tests turn compression off to read the text in the file.
COMPRESS = True

MONTHS = (
    "januari februari mars april maj juni juli augusti september oktober november december"
).split()

PURPOSES_SV = {
    Purpose.REFERRAL: "att du skickas vidare (remitteras) till dem",
    Purpose.SIP: "en samordnad individuell plan (SIP)",
    Purpose.OCCUPATION: "vad du gör just nu (studier, arbete eller annan sysselsättning)",
    Purpose.PLAN: "din individuella plan",
}
METHODS_SV = {
    Method.WRITTEN: "skriftligt",
    Method.ORAL: "muntligt",
    Method.DIGITAL: "digitalt",
}


def swedish_date(value: date | None) -> str:
    """15 december 2026, as a letter to a young person writes it."""
    if not value:
        return "-"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


class Printout(Document):
    """The register extract's A4 page and fonts, with a footer on every page."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.use("", 8)
        self.cell(0, 5, f"{self.footer_text} · sida {self.page_no()} av {{nb}}", align="C")

    def start(self, title: str, footer: str) -> None:
        self.set_compression(COMPRESS)
        self.set_title(title)
        self.set_lang("sv")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 18, 20)
        self.footer_text = footer
        self.add_page()
        self.use("B", 20)
        self.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        self.use("", 11)

    def heading(self, text: str) -> None:
        self.ln(4)
        self.use("B", 13)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.use("", 11)

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    def bullets(self, items: list[str]) -> None:
        if not items:
            self.paragraph("-")
        for item in items:
            self.multi_cell(0, 6, f"• {item}", new_x="LMARGIN", new_y="NEXT")


def permission_labels_sv(permissions: list[str]) -> list[str]:
    with translation.override("sv"):
        return [str(PERMISSION_LABELS[Permission(p)]) for p in permissions if p in Permission]


def render_consent_pdf(consent: Consent) -> bytes:
    pdf = Printout()
    pdf.start("Ditt samtycke", f"Samtycke registrerat {swedish_date(consent.recorded_at.date())}")
    person = consent.person
    pdf.paragraph(f"Namn: {person.full_name or '-'}")
    pdf.paragraph(f"Kommun: {consent.municipality.name}")
    if consent.given_by == GivenBy.GUARDIANS:
        who = "Dina vårdnadshavare har gett samtycket, eftersom du var under 15 år."
    else:
        who = "Du har själv gett samtycket."
        if consent.guardians_involvement == GuardiansInvolvement.INVOLVED:
            who += " Dina vårdnadshavare var med i beslutet."
        elif consent.guardians_involvement == GuardiansInvolvement.NOT_INVOLVED:
            who += " Dina vårdnadshavare var inte med i beslutet."
    pdf.paragraph(f"{who} Samtycket gavs {METHODS_SV.get(consent.method, '-')}.")

    pdf.heading("Vilka kommunen får dela uppgifter med")
    pdf.bullets([o.name for o in consent.organisations.order_by("name")])
    pdf.heading("Till vad")
    pdf.bullets([PURPOSES_SV[p] for p in consent.purposes])
    pdf.heading("Vilka uppgifter")
    pdf.bullets(permission_labels_sv(consent.permissions))
    pdf.heading("Hur länge")
    pdf.paragraph(
        f"Från {swedish_date(consent.valid_from)} till och med {swedish_date(consent.valid_until)}."
    )
    if consent.withdrawn_at is not None:
        withdrawn = timezone.localtime(consent.withdrawn_at).date()
        pdf.paragraph(
            f"Du tog tillbaka samtycket {swedish_date(withdrawn)}. Sedan dess delar vi inget mer."
        )
    pdf.ln(4)
    pdf.paragraph(
        "Det är frivilligt att samtycka. Du kan när som helst ta tillbaka ditt samtycke, helt "
        "eller för en del av det: hör av dig till din kontaktperson i kommunen. Då slutar vi "
        "dela dina uppgifter direkt. Det du redan har fått hjälp med påverkas inte."
    )
    return bytes(pdf.output())


STATUS_SV = {
    "initiated": "Planen håller på att tas fram.",
    "established": "Planen är fastställd.",
    "closed": "Planen är avslutad.",
}


def _iso_date(value: str | None) -> str:
    return swedish_date(date.fromisoformat(value)) if value else "-"


def render_sip_pdf(sip, content: dict, number: int) -> bytes:
    """The SIP as it stood in version ``number`` (``content`` is that revision's)."""
    pdf = Printout()
    pdf.start("Din samordnade individuella plan (SIP)", f"SIP, version {number}")
    pdf.paragraph(f"Namn: {sip.person.full_name or '-'}")
    pdf.paragraph(f"Kommun: {sip.municipality.name}")
    pdf.paragraph(f"Version {number}. {STATUS_SV.get(content.get('status'), '')}")
    if number != sip.version:
        pdf.paragraph(f"Det här är en äldre version. Den senaste är version {sip.version}.")
    if content.get("meeting_at"):
        meeting = datetime.fromisoformat(content["meeting_at"])
        place = f", {content['meeting_place']}" if content.get("meeting_place") else ""
        pdf.paragraph(f"Möte: {swedish_date(meeting.date())} kl. {meeting:%H.%M}{place}")

    pdf.heading("Vilka insatser som behövs")
    pdf.paragraph(content.get("needs") or "Inget skrivet ännu.")
    pdf.heading("Mål")
    pdf.paragraph(content.get("goals") or "Inget skrivet ännu.")
    pdf.heading("Det här tycker du")
    pdf.paragraph(content.get("own_views") or "Inget skrivet ännu.")

    taking_part = [p for p in content.get("participants", []) if p["status"] == "accepted"]
    for principal, title in (
        (True, "Insatser som kommunen och regionen ansvarar för"),
        (False, "Insatser som andra aktörer gör"),
    ):
        pdf.heading(title)
        parts = [p for p in taking_part if p["principal"] == principal]
        if not parts:
            pdf.paragraph("Inga.")
        for part in parts:
            pdf.use("B", 11)
            pdf.paragraph(part["organisation"])
            pdf.use("", 11)
            pdf.paragraph(part["measures"] or "Inget skrivet ännu.")
    pdf.heading("Vem som har det övergripande ansvaret")
    pdf.paragraph(content.get("overall_responsible") or "Inte bestämt ännu.")
    pdf.heading("Vilka som deltar")
    names = [p["organisation"] for p in taking_part]
    if content.get("took_part"):
        names.append(content["took_part"])
    pdf.bullets(names)
    pdf.heading("Uppföljning och utvärdering")
    pdf.paragraph(f"Nästa uppföljning: {_iso_date(content.get('follow_up_on'))}")
    pdf.paragraph(f"Utvärdering: {_iso_date(content.get('evaluate_on'))}")
    for follow_up in content.get("follow_ups", []):
        note = f": {follow_up['note']}" if follow_up.get("note") else ""
        pdf.paragraph(f"Uppföljning {_iso_date(follow_up['held_on'])}{note}")
    pdf.ln(4)
    pdf.paragraph(
        "Planen är din och görs tillsammans med dig. Alla som deltar ser bara det du har "
        "samtyckt till. Du kan när som helst ta tillbaka ditt samtycke: hör av dig till din "
        "kontaktperson i kommunen."
    )
    return bytes(pdf.output())
