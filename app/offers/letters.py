"""The decision letters and the visa invitation letter as PDFs, on the centre's letterhead
and in the applicant's language (fpdf2 through app/core/pdf.py: Arabic is shaped and set
right to left, Korean comes from the CJK font). They are made from plain facts, never ORM
objects, so the letters job and a download make the same letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf.enums import Align, XPos, YPos

from app.core.countries import country_name
from app.core.formats import format_day
from app.core.i18n import is_language
from app.core.pdf import PDF, right_to_left, start_pdf
from app.core.zones import format_local, local_time

INK = (28, 52, 74)
ACCENT = (20, 110, 120)


@dataclass(frozen=True)
class Letterhead:
    name: str
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""


@dataclass(frozen=True)
class LetterFacts:
    kind: str  # acceptance, waitlist or regret
    applicant_name: str
    call_title: str
    letterhead: Letterhead
    timezone: str  # the call's: the deadline is shown on its clock
    dated: datetime
    link: str  # the applicant's offer page
    intake_title: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    respond_by: datetime | None = None
    waitlist_rank: int | None = None


@dataclass(frozen=True)
class VisaFacts:
    name_in_passport: str
    passport_number: str
    nationality: str | None
    date_of_birth: date | None
    passport_expires_on: date | None
    intake_title: str
    starts_on: date | None
    ends_on: date | None
    place: str  # where the training is held: the centre's name and address
    letterhead: Letterhead
    dated: datetime
    timezone: str


def language_of(tag: str | None) -> str:
    return tag if tag and is_language(tag) else "en"


def _day(value: date | None, locale: str) -> str:
    if value is None:
        return ""
    return format_day(datetime.combine(value, time(12), UTC), locale)


class _Letter:
    """A page with the letterhead, and paragraphs aligned to the language's start."""

    def __init__(self, head: Letterhead, locale: str, dated: datetime, timezone: str,
                 title: str) -> None:
        self.locale = locale
        self.start = Align.R if right_to_left(locale) else Align.L
        self.pdf = start_pdf(PDF, format="A4")
        self.pdf.set_title(title)
        self.pdf.set_author(head.name)
        self.pdf.set_creation_date(dated)
        self.pdf.set_margins(22, 20, 22)
        self.pdf.add_page()
        self.pdf.set_text_color(*ACCENT)
        self.pdf.set_font("DejaVu", "B", 16)
        self.line(head.name, 9)
        self.pdf.set_font("DejaVu", "", 9)
        self.pdf.set_text_color(*INK)
        for part in (head.address, " · ".join(p for p in (head.email, head.phone,
                                                         head.website) if p)):
            if part:
                self.paragraph(part, 4.6)
        self.pdf.set_draw_color(*ACCENT)
        self.pdf.set_line_width(0.6)
        y = self.pdf.get_y() + 3
        self.pdf.line(22, y, self.pdf.w - 22, y)
        self.pdf.set_y(y + 6)
        self.pdf.set_font("DejaVu", "", 10)
        self.line(format_day(local_time(dated, timezone), locale), 6)
        self.pdf.ln(4)
        self.pdf.set_font("DejaVu", "B", 14)
        self.paragraph(title, 8)
        self.pdf.ln(3)
        self.pdf.set_font("DejaVu", "", 11)

    def line(self, text: str, height: float) -> None:
        self.pdf.cell(0, height, text, align=self.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, height: float = 6.2) -> None:
        self.pdf.multi_cell(0, height, text, align=self.start, new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)

    def gap(self) -> None:
        self.pdf.ln(3)

    def signed(self, name: str) -> bytes:
        self.pdf.ln(6)
        self.paragraph(_("With kind regards,"))
        self.pdf.set_font("DejaVu", "B", 11)
        self.paragraph(name)
        return bytes(self.pdf.output())


TITLES = {
    "acceptance": lambda: _("Offer of a place"),
    "waitlist": lambda: _("Your place on the waitlist"),
    "regret": lambda: _("The outcome of your application"),
}


def _programme(facts: LetterFacts, locale: str) -> str:
    if facts.starts_on and facts.ends_on:
        return _("%(intake)s, from %(start)s to %(end)s",
                 intake=facts.intake_title or facts.call_title,
                 start=_day(facts.starts_on, locale), end=_day(facts.ends_on, locale))
    return facts.intake_title or facts.call_title


def _body(letter: _Letter, facts: LetterFacts, locale: str) -> None:
    if facts.kind == "acceptance":
        letter.paragraph(_("We are pleased to offer you a place in %(programme)s, following "
                           "your application to \"%(call)s\".",
                           programme=_programme(facts, locale), call=facts.call_title))
        letter.gap()
        letter.paragraph(_("Please confirm or decline the place by %(deadline)s, on your "
                           "offer page:", deadline=format_local(
                               facts.respond_by, facts.timezone, locale=locale)))
        letter.paragraph(facts.link)
        letter.gap()
        letter.paragraph(_("If you do not answer by then, the place is offered to the next "
                           "applicant on the waitlist."))
    elif facts.kind == "waitlist":
        letter.paragraph(_("Thank you for applying to \"%(call)s\". The places have been "
                           "offered, and you are on the waitlist: number %(rank)s in line.",
                           call=facts.call_title, rank=facts.waitlist_rank or "\u2013"))
        letter.gap()
        letter.paragraph(_("If a place is given back, it is offered to the next one on the "
                           "waitlist who keeps to the call's quotas, and you will receive an "
                           "e-mail at once. Your offer page shows where you stand:"))
        letter.paragraph(facts.link)
    else:
        letter.paragraph(_("Thank you for applying to \"%(call)s\". We received many strong "
                           "applications for few places, and we regret that we cannot offer "
                           "you a place this time.", call=facts.call_title))
        letter.gap()
        letter.paragraph(_("We hope you will apply to a future call."))


def letter_pdf(facts: LetterFacts, language: str | None) -> bytes:
    """The decision letter in `language` (the applicant's; English when unknown)."""
    locale = language_of(language)
    with force_locale(locale):
        letter = _Letter(facts.letterhead, locale, facts.dated, facts.timezone,
                         TITLES[facts.kind]())
        letter.paragraph(_("Dear %(name)s,", name=facts.applicant_name))
        letter.gap()
        _body(letter, facts, locale)
        return letter.signed(facts.letterhead.name)


def visa_letter_pdf(facts: VisaFacts, language: str | None) -> bytes:
    """The invitation letter for a visa, with the details the applicant entered."""
    locale = language_of(language)
    with force_locale(locale):
        letter = _Letter(facts.letterhead, locale, facts.dated, facts.timezone,
                         _("Invitation letter for a visa application"))
        letter.paragraph(_("To the consular officer,"))
        letter.gap()
        letter.paragraph(_("We invite the person named below to attend %(intake)s at "
                           "%(place)s, from %(start)s to %(end)s. They were selected "
                           "through a public call for applications and offered a place.",
                           intake=facts.intake_title, place=facts.place,
                           start=_day(facts.starts_on, locale),
                           end=_day(facts.ends_on, locale)))
        letter.gap()
        for label, value in (
                (_("Name as in passport"), facts.name_in_passport),
                (_("Passport number"), facts.passport_number),
                (_("Passport valid until"), _day(facts.passport_expires_on, locale)),
                (_("Nationality"), country_name(facts.nationality, locale)),
                (_("Date of birth"), _day(facts.date_of_birth, locale))):
            letter.paragraph(f"{label}: {value}")
        letter.gap()
        letter.paragraph(_("Please contact us with any question about this invitation: "
                           "%(contact)s.", contact=" · ".join(
                               p for p in (facts.letterhead.email, facts.letterhead.phone)
                               if p) or facts.letterhead.name))
        return letter.signed(facts.letterhead.name)
