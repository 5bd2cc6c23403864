"""Whether an uploaded document is a PDF TrainHub keeps: a real one (its magic bytes, and
it parses), within the field's size, readable without a password, with at least one page
and no active content. Pure: neither Flask nor the database.

Active content is anything a reader runs rather than shows: JavaScript, an action on
opening or on an event (/OpenAction with an action, /AA), launching a program, embedded
files, rich media (Flash, video) and XFA forms. An /OpenAction that only says which page to
show first is a destination, not an action, and is kept: word processors write one.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from app.calls.problems import N_, Problem

MAGIC = b"%PDF-"
MAX_OBJECTS = 200_000  # a walk that long is a file built to exhaust the checker

# What each kind of active content is called, in the applicant's words.
ACTIVE = {
    "javascript": N_("This PDF contains JavaScript. Save or print it again as a plain PDF "
                     "(\"Print to PDF\"), then upload it."),
    "open_action": N_("This PDF runs an action when it is opened. Save or print it again as a "
                      "plain PDF (\"Print to PDF\"), then upload it."),
    "event_action": N_("This PDF runs actions on events (opening a page, clicking a field). "
                       "Save or print it again as a plain PDF, then upload it."),
    "launch": N_("This PDF can start other programs. Save or print it again as a plain PDF, "
                 "then upload it."),
    "embedded_file": N_("This PDF carries other files inside it. Upload a PDF without "
                        "attachments."),
    "rich_media": N_("This PDF contains rich media (Flash or video). Upload a PDF of text "
                     "and images only."),
    "xfa": N_("This PDF is an XFA form. Print it to a plain PDF, then upload it."),
}
# A dictionary key that is active content in itself.
ACTIVE_KEYS = {"/JS": "javascript", "/JavaScript": "javascript", "/AA": "event_action",
               "/Launch": "launch", "/EmbeddedFile": "embedded_file",
               "/EmbeddedFiles": "embedded_file", "/RichMedia": "rich_media",
               "/RichMediaContent": "rich_media", "/XFA": "xfa"}
# A name value (an action's /S, an annotation's /Subtype, a stream's /Type) that is.
ACTIVE_NAMES = {"/JavaScript": "javascript", "/Launch": "launch",
                "/EmbeddedFile": "embedded_file", "/FileAttachment": "embedded_file",
                "/RichMedia": "rich_media"}


@dataclass(frozen=True)
class CheckedPdf:
    size: int
    pages: int
    sha256: str


def check_pdf(content: bytes, *, max_bytes: int) -> CheckedPdf | Problem:
    """The checked document, or the one plain reason it is refused (key "")."""
    if not content:
        return Problem("", N_("The file is empty. Choose the PDF again."))
    if len(content) > max_bytes:
        return Problem("", N_("This file is %(size)s MB; the most this document may be is "
                              "%(limit)s MB."),
                       {"size": f"{len(content) / 1048576:.1f}", "limit": max_bytes // 1048576})
    if not content.startswith(MAGIC):
        return Problem("", N_("This file is not a PDF. Save the document as PDF, then upload "
                              "it."))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdf warns of small defects it reads past
        try:
            reader = PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted:
                return Problem("", N_("This PDF is protected by a password or encrypted. "
                                      "Upload a copy without protection."))
            pages = len(reader.pages)
            found = active_content(reader)
        except Exception:
            return Problem("", N_("This PDF cannot be read: it may be damaged. Save it again "
                                  "as PDF, then upload it."))
    if pages < 1:
        return Problem("", N_("This PDF has no pages."))
    if found is not None:
        return Problem("", ACTIVE[found])
    return CheckedPdf(len(content), pages, hashlib.sha256(content).hexdigest())


def active_content(reader: PdfReader) -> str | None:
    """The first kind of active content found in every object the trailer reaches."""
    root = reader.trailer.get("/Root")
    catalog = root.get_object() if root is not None else None
    if isinstance(catalog, DictionaryObject):
        action = catalog.get("/OpenAction")
        if action is not None and isinstance(action.get_object(), DictionaryObject):
            return "open_action"
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject | None] = [reader.trailer]
    walked = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        walked += 1
        if walked > MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return ACTIVE_KEYS[key]
                if key in ("/S", "/Subtype", "/Type") and str(value) in ACTIVE_NAMES:
                    return ACTIVE_NAMES[str(value)]
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None
