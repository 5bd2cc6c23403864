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
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from fpdf import FPDF
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from app.certificates.models import Certificate
from app.certificates.pdf import certificate_pdf
from app.core.pdf import PDF, cjk_fonts, needs_shaping, start_pdf
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


# --- Korean, and the direction of the page -------------------------------------------------

# Korean needs Debian's fonts-nanum, which `make test` installs (as root) before the tests.
KOREAN_FONT = pytest.mark.skipif(cjk_fonts() is None, reason="no font for Korean: make fonts")
LEARNERS = [pytest.param("ko", "김민준", marks=KOREAN_FONT), ("ar", "أمينة يوسف"),
            ("fr", "Chloé Dubois")]
SCREENSHOTS = Path(__file__).parents[1] / "e2e" / "screenshots"  # not in git


def _certificate(name: str) -> Certificate:
    moment = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    return Certificate(learner_name=name, course_title="GxP standard practice",
                       completed_at=moment, issued_at=moment, hours=7.5,
                       modalities=["virtual"], competencies=[], code="A" * 24)


@pytest.mark.parametrize(("locale", "name"), LEARNERS)
def test_a_certificate_sets_every_script_in_its_reading_order(locale: str, name: str) -> None:
    data = certificate_pdf(_certificate(name), "http://localhost/certificates/verify/AAAA",
                           locale)
    text = _text(data)
    assert name in text and name[::-1] not in text
    # The day in the language's words (the extraction moves an Arabic line's digits about
    # within it, so the Arabic words are asked for one by one).
    completed = {"ko": ["2026년 3월 9일 (월)"], "ar": ["الاثنين", "مارس"],
                 "fr": ["lun. 9 mars 2026"]}[locale]
    assert all(words in text for words in completed)
    assert ("7,5" if locale == "fr" else "7.5") in text


@KOREAN_FONT
def test_the_training_record_of_a_korean_learner_in_korean(client, make_user) -> None:
    learner = make_user("minjun@example.org", name="김민준", country="KR")
    login(client, "minjun@example.org")
    response = client.get(f"/records/learners/{learner.id}/record.pdf",
                          headers={"Accept-Language": "ko"})
    assert response.status_code == 200
    assert "김민준" in _text(response.data)


def _left_edges(data: bytes) -> dict[str, float]:
    """Where each line of page 1 starts, from its text matrix: {text: x}."""
    edges: dict[str, float] = {}

    def visit(text: str, _cm: object, tm: list[float], *_: object) -> None:
        if text.strip():
            edges.setdefault(text.strip(), tm[4])

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return edges


def test_an_arabic_record_lines_up_on_the_right(client, make_user) -> None:
    learner = make_user("amina@example.org", name="أمينة يوسف", country="NG")
    login(client, "amina@example.org")
    arabic = client.get(f"/records/learners/{learner.id}/record.pdf",
                        headers={"Accept-Language": "ar"}).data
    english = client.get(f"/records/learners/{learner.id}/record.pdf").data
    # The title, the first line drawn, starts far from the left margin when the page reads
    # right to left.
    assert next(iter(_left_edges(english))) == "Training record"
    assert next(iter(_left_edges(english).values())) < 60  # points: 10 mm of margin
    assert next(iter(_left_edges(arabic).values())) > 300


def test_without_a_korean_font_the_pdf_is_still_made(monkeypatch, caplog) -> None:
    from app.core import pdf as pdf_module

    monkeypatch.setenv("PDF_CJK_FONT", "/nonexistent/font.ttf")
    pdf_module.cjk_fonts.cache_clear()
    try:
        first = certificate_pdf(_certificate("Chloé Dubois"), "http://localhost/v", "fr")
        certificate_pdf(_certificate("김민준"), "http://localhost/v", "ko")
    finally:
        pdf_module.cjk_fonts.cache_clear()
    assert "Chloé Dubois" in _text(first)
    warnings = [r for r in caplog.records if "No font for Korean" in r.getMessage()]
    assert len(warnings) == 1


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
@pytest.mark.parametrize(("locale", "name"), LEARNERS)
def test_a_certificate_renders_to_a_picture(app, locale: str, name: str, tmp_path) -> None:
    """Page 1, in the learner's language, as a PNG under the e2e screenshots folder, for a
    person to look at."""
    with app.test_request_context(headers={"Accept-Language": locale}):
        data = certificate_pdf(_certificate(name), "http://localhost/v", locale)
    assert "Certificate of completion" not in _text(data)  # the words are the language's
    source = tmp_path / "certificate.pdf"
    source.write_bytes(data)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"certificate-{locale}"
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
                    str(source), str(target)], check=True, timeout=60)
    assert (SCREENSHOTS / f"certificate-{locale}.png").stat().st_size > 10_000
