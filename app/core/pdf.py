"""The one way a PDF is started: the shipped fonts, and text shaped as each script needs.

Without shaping, fpdf2 orders right-to-left text for display but sets each letter in its
isolated form, so Arabic comes out unjoined, and a copy or a text extraction reads it
backwards. HarfBuzz (through uharfbuzz) joins the letters, places the marks of scripts
such as Vietnamese, and keeps the logical order in the text layer. Every PDF TrainHub
makes (training records, certificates) starts here, so that none can forget it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"  # DejaVu Sans covers Latin with Vietnamese, Cyrillic, Greek and Arabic

Document = TypeVar("Document", bound=FPDF)


def start_pdf(document: type[Document], **options: Any) -> Document:
    """A new `document` (FPDF or a subclass, built with `options`) with the fonts added
    and text shaping on."""
    pdf = document(**options)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_text_shaping(True)
    return pdf
