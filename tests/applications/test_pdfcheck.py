"""The PDF checker, on good and bad PDFs built here with pypdf."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from app.applications.pdfcheck import ACTIVE, CheckedPdf, check_pdf
from app.calls.problems import Problem
from tests.calls.world import pdf_bytes

MB = 1024 * 1024


def _written(change: Callable[[PdfWriter], None], pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _action(kind: str, **values: object) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in values.items():
        action[NameObject(f"/{key}")] = TextStringObject(str(value))
    return action


def _refused(content: bytes, max_bytes: int = 2 * MB) -> str:
    outcome = check_pdf(content, max_bytes=max_bytes)
    assert isinstance(outcome, Problem), outcome
    return outcome.message


def test_a_plain_pdf_is_kept_with_its_pages_and_digest() -> None:
    content = pdf_bytes(pages=3)
    outcome = check_pdf(content, max_bytes=2 * MB)
    assert isinstance(outcome, CheckedPdf)
    assert (outcome.pages, outcome.size) == (3, len(content))
    assert len(outcome.sha256) == 64


def test_an_open_action_that_only_shows_a_page_is_kept() -> None:
    def destination(writer: PdfWriter) -> None:
        page = writer.pages[0].indirect_reference
        writer._root_object[NameObject("/OpenAction")] = ArrayObject(
            [page, NameObject("/Fit")])

    assert isinstance(check_pdf(_written(destination), max_bytes=MB), CheckedPdf)


def test_not_a_pdf_by_its_magic_bytes() -> None:
    assert "not a PDF" in _refused(b"GIF89a fake")
    assert "not a PDF" in _refused(b"<html><script>alert(1)</script></html>")


def test_empty_and_damaged_files() -> None:
    assert "empty" in _refused(b"")
    assert "cannot be read" in _refused(b"%PDF-1.7\nthis is not a pdf at all")


def test_too_big_for_the_field() -> None:
    message = _refused(pdf_bytes(), max_bytes=100)
    assert "MB" in message


def test_javascript_is_refused() -> None:
    def script(writer: PdfWriter) -> None:
        names = ArrayObject([TextStringObject("hello"), writer._add_object(
            _action("/JavaScript", JS="app.alert('hi');"))])
        writer._root_object[NameObject("/Names")] = DictionaryObject({
            NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})})

    assert _refused(_written(script)) == ACTIVE["javascript"]


def test_an_open_action_is_refused() -> None:
    def open_action(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = _action("/URI", URI="https://x.test")

    assert _refused(_written(open_action)) == ACTIVE["open_action"]


def test_page_actions_are_refused() -> None:
    def page_action(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): _action("/URI", URI="https://x.test")})

    assert _refused(_written(page_action)) == ACTIVE["event_action"]


def test_launching_a_program_is_refused() -> None:
    def launch(writer: PdfWriter) -> None:
        annotation = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/A"): _action("/Launch", F="cmd.exe")})
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    assert _refused(_written(launch)) == ACTIVE["launch"]


def test_embedded_files_are_refused() -> None:
    def attach(writer: PdfWriter) -> None:
        writer.add_attachment("run.exe", b"MZ...")

    assert _refused(_written(attach)) == ACTIVE["embedded_file"]


def test_rich_media_and_xfa_are_refused() -> None:
    def rich(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(DictionaryObject(
            {NameObject("/Type"): NameObject("/Annot"),
             NameObject("/Subtype"): NameObject("/RichMedia")}))])

    def xfa(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): ArrayObject()})

    assert _refused(_written(rich)) == ACTIVE["rich_media"]
    assert _refused(_written(xfa)) == ACTIVE["xfa"]


@pytest.mark.parametrize("password", ["secret", ""])
def test_an_encrypted_pdf_is_refused(password: str) -> None:
    assert "password" in _refused(_written(lambda w: w.encrypt(password, "owner")))
