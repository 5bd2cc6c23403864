"""Training record exports: CSV and PDF, each stating whether the chain verified."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf.enums import XPos, YPos

from app.core.countries import country_name
from app.core.pdf import PDF, right_to_left, start_pdf
from app.core.zones import format_local
from app.records.directory import Person
from app.records.models import Event
from app.records.queries import RecordEntry
from app.records.services import Verification


def verification_line(result: Verification, when: datetime) -> str:
    stamp = format_local(when, "UTC")
    if result.ok:
        return _("Audit chain verified at export on %(when)s: %(count)s events, head "
                 "%(head)s.", when=stamp, count=result.checked, head=result.last_hash[:16])
    # The chain's own message stays in English, as the audit trail does.
    return _("AUDIT CHAIN NOT VERIFIED at export on %(when)s: %(problem)s.", when=stamp,
             problem=result.message)


def describe(details: dict[str, Any]) -> str:
    """Details as a person reads them: `field: old -> new`, or `key: value`."""
    parts = []
    for key, value in sorted(details.items()):
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            parts.append(f"{key}: {_plain(value['old'])} -> {_plain(value['new'])}")
        else:
            parts.append(f"{key}: {_plain(value)}")
    return "; ".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        # Translators: an empty value in an audit event's details ("roles: none -> admin").
        return ", ".join(map(str, value)) or _("none")
    return _("none") if value is None or value == "" else str(value)


# Every row of the record CSV has the header's width, so that a spreadsheet's columns and
# any program reading the file line up: the learner and the verification lines too. The
# headers are in the reader's language (the event log's CSV keeps the audit trail's English).
RECORD_COLUMNS = [_l("time (UTC)"), _l("entry"), _l("course"), _l("centre"), _l("details"),
                  _l("signature")]


def _full_width(values: list[Any]) -> list[Any]:
    return values + [""] * (len(RECORD_COLUMNS) - len(values))


def record_csv(learner: Person, entries: list[RecordEntry], verification: str
               ) -> Iterator[list[Any]]:
    """The training record as CSV rows: the learner, the entries, the verification."""
    yield _full_width([_("learner"), learner.name, learner.email])
    yield [str(column) for column in RECORD_COLUMNS]
    for e in entries:
        yield [f"{e.occurred_at:%Y-%m-%d %H:%M:%S}", e.label, e.course, e.centre,
               describe(e.details), e.signature]
    yield _full_width([verification])


def events_csv(events: Iterator[Event], course_slugs: dict[int, str]) -> Iterator[list[Any]]:
    """The event log as CSV rows, one per event: streamed, never built in memory."""
    yield ["seq", "time (UTC)", "actor", "action", "subject", "course", "details", "reason",
           "hash", "previous hash"]
    for event in events:
        course_slug = course_slugs.get(event.course_id) if event.course_id else None
        yield [event.seq, f"{event.occurred_at:%Y-%m-%d %H:%M:%S.%f}", event.actor_name,
               event.action, f"{event.subject_type}:{event.subject_id}", course_slug or "",
               describe(event.details), event.reason, event.hash, event.prev_hash]


class _RecordPDF(PDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=8)
        self.set_text_color(80)
        page = _("Page %(page)s/%(pages)s", page=self.page_no(), pages="{nb}")
        self.cell(0, 5, f"{self.footer_text}   {page}", align="C")


def record_pdf(learner: Person, entries: list[RecordEntry], verification: str,
               generated_at: datetime, locale: str = "en") -> bytes:
    """The record in `locale`'s formats; right-aligned where it reads right to left."""
    start = "R" if right_to_left(locale) else "L"
    pdf = start_pdf(_RecordPDF, format="A4")
    pdf.footer_text = _("TrainHub training record of %(name)s", name=learner.name)
    pdf.set_title(_("Training record: %(name)s", name=learner.name))
    pdf.set_author("TrainHub")
    pdf.set_creation_date(generated_at)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, _("Training record"), align=start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", size=10)
    identity = [(_("Name"), learner.name), (_("E-mail"), learner.email),
                (_("Country"), country_name(learner.country) or "-"),
                (_("Organisation"), learner.organisation or "-"),
                (_("Generated"), format_local(generated_at, "UTC", locale=locale))]
    for label, value in identity:
        if start == "R":  # the label first, on the right
            pdf.set_x(pdf.w - pdf.r_margin - 35)
            pdf.cell(35, 6, label, align=start)
            pdf.set_x(pdf.l_margin)
            pdf.cell(pdf.epw - 35, 6, value, align=start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.cell(35, 6, label)
            pdf.cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    if entries:
        with pdf.table(col_widths=(26, 34, 36, 30, 64),
                       text_align="RIGHT" if start == "R" else "LEFT", line_height=5) as table:
            table.row([_("Time (UTC)"), _("Entry"), _("Course"), _("Centre"),
                       _("Details and signature")])
            for entry in entries:
                text = "\n".join(filter(None, [entry.signature, describe(entry.details)]))
                table.row([format_local(entry.occurred_at, "UTC", with_zone=False, locale=locale),
                           entry.label, entry.course, entry.centre, text])
    else:
        pdf.multi_cell(0, 6, _("No training has been recorded yet."), align=start)
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 6, verification, align=start)
    return bytes(pdf.output())
