"""The certificate as a one-page PDF (fpdf2) with a QR code (segno) for its verify page."""

from __future__ import annotations

import io

import segno
from fpdf.enums import Align, XPos, YPos

from app.certificates.models import Certificate
from app.core.pdf import PDF, start_pdf
from app.core.zones import format_date, format_local

INK = (28, 52, 74)
ACCENT = (20, 110, 120)


def qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    return buffer


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    pdf = start_pdf(PDF, orientation="landscape", format="A4")
    pdf.set_title(f"Certificate: {certificate.course_title}")
    pdf.set_author("TrainHub")
    pdf.set_subject(f"Certificate {certificate.display_code}")
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
    pdf.cell(0, 8, "TRAINHUB · BIOMANUFACTURING WORKFORCE TRAINING", align=Align.C,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 30)
    pdf.cell(0, 18, "Certificate of completion", align=Align.C,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 10, "This certifies that", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 24)
    pdf.cell(0, 14, certificate.learner_name, align=Align.C,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 10, "has completed the course", align=Align.C,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 18)
    pdf.set_x(30)
    pdf.multi_cell(width - 60, 10, certificate.course_title, align=Align.C,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    facts = [f"Completed on {format_date(certificate.completed_at, 'UTC')}"]
    if certificate.hours:
        facts.append(f"{certificate.hours:g} credit hours")
    if certificate.modalities:
        facts.append("Modalities: " + ", ".join(certificate.modalities))
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 7, " · ".join(facts), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if certificate.competencies:
        pdf.set_x(40)
        pdf.multi_cell(width - 80, 6, "Competencies: " + ", ".join(certificate.competencies),
                       align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    qr_size = 38
    qr_x, qr_y = width - 22 - qr_size, height - 22 - qr_size
    pdf.image(qr_png(verify_url), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    pdf.set_xy(22, height - 44)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 6, f"Verification code: {certificate.display_code}",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(22)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(qr_x - 30, 5, "Check that this certificate is genuine and has not been "
                   f"revoked: scan the QR code or open {verify_url}", align=Align.L,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(22)
    pdf.cell(0, 5, f"Issued {format_local(certificate.issued_at, 'UTC')}")
    return bytes(pdf.output())
