"""Every PDF sets names in any script as their readers write them: Arabic joined and in
its logical order, Vietnamese with its marks.

Without text shaping fpdf2 writes right-to-left letters in display order, each in its
isolated form (the font's glyph for the plain letter, `uni0644`): a text extraction (and a
screen reader, a copy, a search) then reads "نسحلا ىليل", and a reader sees the letters
unjoined. With HarfBuzz the letters are the font's joining forms (Arabic Presentation
Forms-B, `uniFEDF`...) and the extraction gives back the name as it was typed.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from fontTools.ttLib import TTFont
from fpdf import FPDF
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from app.certificates.models import Certificate
from app.certificates.pdf import certificate_pdf
from app.core.pdf import PDF, needs_shaping, start_pdf
from tests.conftest import login

ARABIC = "ليلى الحسن"
NAMES = [ARABIC, "Nguyễn Thị Ánh"]


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _joining_forms(data: bytes) -> set[str]:
    """The glyphs of the embedded fonts that are Arabic joining (presentation) forms."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        fonts = resources["/Font"].get_object()
        assert isinstance(fonts, DictionaryObject)
        for ref in fonts.values():
            descendant = ref.get_object()["/DescendantFonts"][0].get_object()
            program = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            names |= {name for name in TTFont(io.BytesIO(program)).getGlyphOrder()
                      if name.startswith("uniFE")}
    return names


@pytest.mark.parametrize("name", NAMES)
def test_the_training_record_pdf_keeps_the_name_as_written(client, make_user, name) -> None:
    learner = make_user("layla@example.org", name=name, country="JO")
    login(client, "layla@example.org")
    response = client.get(f"/records/learners/{learner.id}/record.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    assert name in text
    assert name[::-1] not in text
    if name == ARABIC:
        assert _joining_forms(response.data), "the Arabic letters are not joined"


@pytest.mark.parametrize("name", NAMES)
def test_the_certificate_keeps_the_name_as_written(name: str) -> None:
    moment = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    certificate = Certificate(learner_name=name, course_title="GxP standard practice",
                              completed_at=moment, issued_at=moment, hours=9,
                              modalities=["virtual"], competencies=[], code="A" * 24)
    data = certificate_pdf(certificate, "http://localhost/certificates/verify/AAAA")
    assert name in _text(data)
    if name == ARABIC:
        assert _joining_forms(data), "the Arabic letters are not joined"


def test_the_assertions_see_what_an_unshaped_pdf_does() -> None:
    """What fpdf2 does without shaping, as the training record did: reversed, unjoined."""
    pdf = start_pdf(FPDF)
    pdf.set_text_shaping(False)
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.cell(0, 10, ARABIC)
    data = bytes(pdf.output())
    assert ARABIC not in _text(data) and ARABIC[::-1] in _text(data)
    assert not _joining_forms(data)


@pytest.mark.parametrize(("text", "shaped"), [
    ("Amina Yusuf", False), ("Nguyễn Thị Ánh", False),
    ("2026-03-02 09:00 \u00b7 \u20ac5 \u2013 ok", False),
    ("ليلى الحسن", True), ("Nguye\u0302\u0303n", True), ("अमित", True), ("Mixed ليلى", True),
])
def test_only_text_that_needs_it_is_shaped(text: str, shaped: bool) -> None:
    assert needs_shaping(text) is shaped


def test_a_record_pdf_shapes_the_cells_that_need_it_and_no_others() -> None:
    pdf = start_pdf(PDF)
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    seen = []
    for text in ("Training record", ARABIC, "Completed"):
        pdf.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
        seen.append(bool(pdf.text_shaping))
    assert seen == [False, True, False]
    data = bytes(pdf.output())
    assert ARABIC in _text(data) and _joining_forms(data)
