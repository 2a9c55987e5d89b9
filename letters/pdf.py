"""The printed letters: one A4 page per letter, the address in the envelope window.

The address block sits where the right-hand window (H2) of the usual Swedish
C5/E65 and C4 window envelopes shows it when an A4 sheet is folded in three:
110 mm from the left edge and 48 mm from the top, at most six lines in
85 × 35 mm. Check with a test print before a large mailing; the constants
below are the only place to change it.
"""

from dataclasses import dataclass

from samverka.pdf import Document

from . import merge

ADDRESS_X_MM = 110
ADDRESS_Y_MM = 48
ADDRESS_WIDTH_MM = 85
ADDRESS_MAX_LINES = 6
MARGIN_MM = 20
SUBJECT_Y_MM = 95
BOTTOM_MM = 277  # 20 mm above the bottom edge of A4 (297 mm)
LINE_MM = 5
BODY_PT = 10.5


@dataclass(frozen=True)
class Page:
    sender: list[str]  # the unit and the municipality, top left
    letter_date: str
    address: list[str]  # the name first, then the postal address
    subject: str
    body: str  # any {adress} is filled in from ``address``


class _Letters(Document):
    """The house page (DejaVu Sans, which has every letter of a Swedish or foreign name)."""

    def __init__(self):
        super().__init__()
        self.set_auto_page_break(False)
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_lang("sv")

    def text_height(self, subject: str, body: str) -> float:
        """How many millimetres the subject, the gap and the text take, after wrapping."""
        width = self.w - 2 * MARGIN_MM
        self.use("B", 12)
        subject_lines = self.multi_cell(width, 6, subject, dry_run=True, output="LINES")
        self.use("", BODY_PT)
        body_lines = self.multi_cell(width, LINE_MM, body, dry_run=True, output="LINES")
        return len(subject_lines) * 6 + LINE_MM + len(body_lines) * LINE_MM


def fill_address(body: str, address: list[str]) -> str:
    return body.replace("{" + merge.ADDRESS + "}", "\n".join(address))


def fits_on_one_page(subject: str, body: str) -> bool:
    """Whether a letter with these texts, filled with long example values, fits one page."""
    long_values = {name: "Xxxxxxxxxxxxxxxxxxxxxxxxx" for name in merge.FIELDS}
    long_values["datum"] = "30 september 2026"
    long_values[merge.ADDRESS] = "\n".join(["Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"] * ADDRESS_MAX_LINES)
    pdf = _Letters()
    pdf.add_page()
    height = pdf.text_height(merge.render(subject, long_values), merge.render(body, long_values))
    return SUBJECT_Y_MM + height <= BOTTOM_MM


def render(pages: list[Page], *, title: str) -> bytes:
    pdf = _Letters()
    pdf.set_title(title)
    pdf.set_creator("Samverka")
    width = pdf.w - 2 * MARGIN_MM
    for page in pages:
        pdf.add_page()
        pdf.set_xy(MARGIN_MM, MARGIN_MM)
        pdf.use("B", 10)
        pdf.multi_cell(ADDRESS_X_MM - MARGIN_MM - 5, 5, page.sender[0], new_x="LMARGIN")
        pdf.use("", 10)
        for line in page.sender[1:]:
            pdf.multi_cell(ADDRESS_X_MM - MARGIN_MM - 5, 5, line, new_x="LMARGIN")
        pdf.set_xy(ADDRESS_X_MM, MARGIN_MM)
        pdf.cell(ADDRESS_WIDTH_MM, 5, page.letter_date)
        pdf.use("", 11)
        for i, line in enumerate(page.address[:ADDRESS_MAX_LINES]):
            pdf.set_xy(ADDRESS_X_MM, ADDRESS_Y_MM + i * 5)
            pdf.cell(ADDRESS_WIDTH_MM, 5, line)
        pdf.set_xy(MARGIN_MM, SUBJECT_Y_MM)
        pdf.use("B", 12)
        pdf.multi_cell(width, 6, page.subject, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(LINE_MM)
        pdf.use("", BODY_PT)
        pdf.multi_cell(width, LINE_MM, fill_address(page.body, page.address), new_x="LMARGIN")
    return bytes(pdf.output())
