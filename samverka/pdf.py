"""The house PDF page: A4 with a Unicode font, shared by every document Samverka prints."""

import unicodedata
from pathlib import Path

from django.conf import settings
from fpdf import FPDF


class Document(FPDF):
    """A4 with a Unicode font where the system has one (names such as Łucja or
    Dăscălescu); otherwise Helvetica, with what Latin-1 lacks spelled without accents."""

    def __init__(self):
        super().__init__(format="A4")
        self.family = "Helvetica"
        regular = Path(settings.SAMVERKA_PDF_FONT)
        bold = regular.with_name(regular.stem + "-Bold" + regular.suffix)
        if regular.is_file() and bold.is_file():
            self.add_font("Body", "", str(regular))
            self.add_font("Body", "B", str(bold))
            self.family = "Body"

    def use(self, style: str, size: int) -> None:
        self.set_font(self.family, style, size)

    def normalize_text(self, text):
        if self.family == "Helvetica":
            text = "".join(
                c
                if ord(c) < 256
                else unicodedata.normalize("NFKD", c)[0]
                .encode("latin-1", "replace")
                .decode("latin-1")
                for c in text
            )
        return super().normalize_text(text)
