"""The certificate as a one-page PDF (fpdf2) with a QR code (segno) for its verify page, in
the language of the request that downloads it."""

from __future__ import annotations

import io

import segno
from flask_babel import gettext as _
from flask_babel import ngettext
from fpdf.enums import Align, XPos, YPos

from app.certificates.models import Certificate
from app.content.labels import modality_name
from app.core.formats import format_number
from app.core.pdf import PDF, right_to_left, start_pdf
from app.core.zones import format_date, format_local

INK = (28, 52, 74)
ACCENT = (20, 110, 120)


def qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    return buffer


def credit_hours_text(hours: float, locale: str = "en") -> str:
    """'9 credit hours', '1 credit hour', '1.5 credit hours' (French '1,5'), agreeing in
    every language."""
    hours = float(hours)  # a column read back, or an int a caller passed
    if hours.is_integer():
        return ngettext("%(hours)s credit hour", "%(hours)s credit hours", int(hours),
                        hours=format_number(hours, locale))
    # Translators: a number of hours with decimals, "1.5 credit hours".
    return _("%(hours)s credit hours", hours=format_number(hours, locale))


def course_line(line: dict[str, object], locale: str = "en") -> str:
    """A programme certificate's course: its title, and its hours when it has them."""
    hours = line.get("hours")
    if not isinstance(hours, int | float):
        return str(line["title"])
    return f"{line['title']} ({credit_hours_text(hours, locale)})"


def certificate_pdf(certificate: Certificate, verify_url: str, locale: str = "en") -> bytes:
    """The certificate in `locale`'s formats; right-aligned where it reads right to left."""
    start = Align.R if right_to_left(locale) else Align.L
    pdf = start_pdf(PDF, orientation="landscape", format="A4")
    pdf.set_title(_("Certificate: %(course)s", course=certificate.course_title))
    pdf.set_author("TrainHub")
    pdf.set_subject(_("Certificate %(code)s", code=certificate.display_code))
    pdf.set_creation_date(certificate.issued_at)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width, height = pdf.w, pdf.h
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, width - 26, height - 26)

    pdf.set_text_color(*INK)
    pdf.set_y(32)
    pdf.set_font("DejaVu", "B", 12)
    # Translators: printed in capitals after "TRAINHUB ·" at the top of the certificate.
    banner = _("Biomanufacturing workforce training").upper()
    pdf.cell(0, 8, f"TRAINHUB · {banner}", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 30)
    pdf.cell(0, 18, _("Certificate of completion"), align=Align.C,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 13)
    # Translators: the certificate's sentence runs over three lines: "This certifies that" /
    # the learner's name / "has completed the course" / the course's title.
    pdf.cell(0, 10, _("This certifies that"), align=Align.C, new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 24)
    pdf.cell(0, 14, certificate.learner_name, align=Align.C,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 10, _("has completed the programme") if certificate.intake_id is not None
             else _("has completed the course"), align=Align.C,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 18)
    pdf.set_x(30)
    pdf.multi_cell(width - 60, 10, certificate.course_title, align=Align.C,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    facts = [_("Completed on %(date)s",
               date=format_date(certificate.completed_at, "UTC", locale=locale))]
    if certificate.hours:
        facts.append(credit_hours_text(certificate.hours, locale))
    if certificate.modalities:
        facts.append(_("Modalities: %(modalities)s", modalities=", ".join(
            modality_name(m) for m in certificate.modalities)))
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 7, " · ".join(facts), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if certificate.courses:
        pdf.set_x(40)
        pdf.multi_cell(width - 80, 6, _("Courses: %(courses)s", courses="; ".join(
            course_line(line, locale) for line in certificate.courses)),
            align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if certificate.competencies:
        pdf.set_x(40)
        pdf.multi_cell(width - 80, 6, _("Competencies: %(codes)s",
                                        codes=", ".join(certificate.competencies)),
                       align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    qr_size = 38
    qr_x, qr_y = width - 22 - qr_size, height - 22 - qr_size
    pdf.image(qr_png(verify_url), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    pdf.set_xy(22, height - 44)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(qr_x - 30, 6, _("Verification code: %(code)s", code=certificate.display_code),
             align=start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(22)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(qr_x - 30, 5, _("Check that this certificate is genuine and has not been "
                                   "revoked: scan the QR code or open %(url)s", url=verify_url),
                   align=start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(22)
    pdf.cell(qr_x - 30, 5, _("Issued %(when)s", when=format_local(certificate.issued_at, "UTC",
                                                                  locale=locale)),
             align=start)
    return bytes(pdf.output())
