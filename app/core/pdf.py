"""The one way a PDF is started: the shipped fonts, and text shaped as each script needs.

Without shaping, fpdf2 orders right-to-left text for display but sets each letter in its
isolated form, so Arabic comes out unjoined, and a copy or a text extraction reads it
backwards. HarfBuzz (through uharfbuzz) joins the letters, places the marks of scripts
such as Vietnamese, and keeps the logical order in the text layer. Every PDF TrainHub
makes (training records, certificates) starts here, so that none can forget it.

Shaping costs: a 300-line training record took 1.46 s shaped and 0.41 s unshaped (on the
2-core CI machine), and Latin text, Vietnamese included (its letters are precomposed), comes
out the same either way. So `PDF` shapes only the cells whose text needs it.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from fpdf import FPDF

# Characters set the same with or without shaping: Latin (with Vietnamese's precomposed
# letters), general punctuation and currency signs.
_PLAIN = ((0x0000, 0x024F), (0x1E00, 0x1EFF), (0x2000, 0x20CF))


def needs_shaping(text: str) -> bool:
    """Whether HarfBuzz changes how `text` is set: right-to-left and other complex scripts,
    and combining marks (a name typed decomposed)."""
    return any(not any(low <= ord(char) <= high for low, high in _PLAIN)
               or unicodedata.combining(char) for char in text)


class PDF(FPDF):
    """An FPDF that turns shaping on for the cells that need it and off for the rest."""

    def _shape_for(self, text: str) -> None:
        wanted = needs_shaping(text)
        if wanted != bool(self.text_shaping):
            self.set_text_shaping(wanted)
        if self._fallback_font_ids:
            # fpdf2 2.8.9 takes a cell set wholly in a fallback font (a Korean name) for the
            # page's font, and the next cell then shows text with no font at all (blank
            # in viewers): name the font again in every cell.
            self.current_font_is_set_on_page = False

    def cell(self, w: Any = None, h: Any = None, text: str = "", *args: Any,
             **kwargs: Any) -> Any:
        self._shape_for(text)
        return super().cell(w, h, text, *args, **kwargs)

    def multi_cell(self, w: Any, h: Any = None, text: str = "", *args: Any,
                   **kwargs: Any) -> Any:
        self._shape_for(text)
        return super().multi_cell(w, h, text, *args, **kwargs)

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"  # DejaVu Sans covers Latin with Vietnamese, Cyrillic, Greek and Arabic
# DejaVu has no Hangul: Korean comes from Debian's fonts-nanum (`make fonts`), found on the
# system, never fetched. PDF_CJK_FONT names another TrueType file (its bold: PDF_CJK_FONT_BOLD).
CJK_FONT = "Nanum"
CJK_DEFAULT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
CJK_BOLD_DEFAULT = Path("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf")

log = logging.getLogger(__name__)

Document = TypeVar("Document", bound=FPDF)


@cache
def cjk_fonts() -> tuple[Path, Path] | None:
    """The regular and bold files of the font for Korean, or None (warned once) when the
    system has none: the PDFs are still made, Latin and Arabic, with Hangul left out."""
    regular = Path(os.environ.get("PDF_CJK_FONT") or CJK_DEFAULT)
    bold = Path(os.environ.get("PDF_CJK_FONT_BOLD") or
                (CJK_BOLD_DEFAULT if regular == CJK_DEFAULT else regular))
    # Nanum's VTT hinting sources (TSI* tables) are dropped from every subset: not news.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    if not regular.is_file():
        log.warning("No font for Korean at %s (make fonts installs fonts-nanum): PDFs will "
                    "leave Hangul out", regular)
        return None
    return regular, bold if bold.is_file() else regular


def right_to_left(locale: str | None) -> bool:
    """Whether a PDF in `locale` reads right to left, so its text lines up on the right."""
    from app.core.i18n import RIGHT_TO_LEFT

    return (locale or "en").replace("-", "_").split("_")[0] in RIGHT_TO_LEFT


def start_pdf(document: type[Document], **options: Any) -> Document:
    """A new `document` (`PDF` or a subclass, built with `options`) with the fonts added
    and text shaping on (a `PDF` then keeps it for the cells that need it). Characters
    DejaVu lacks (Hangul) come from the CJK font, in any cell."""
    pdf = document(**options)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    fonts = cjk_fonts()
    if fonts is not None:
        pdf.add_font(CJK_FONT, "", str(fonts[0]))
        pdf.add_font(CJK_FONT, "B", str(fonts[1]))
        pdf.set_fallback_fonts([CJK_FONT])
    pdf.set_text_shaping(True)
    return pdf
