"""Certificate pages: the learner's list and PDF, public verification, revocation."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select, or_, select, true
from werkzeug.wrappers import Response as WerkzeugResponse

from app.centres.scope import in_centres, staff_centre_ids
from app.certificates import bp
from app.certificates.forms import LookupForm, RevokeForm
from app.certificates.models import Certificate, normalise_code
from app.certificates.pdf import certificate_pdf
from app.certificates.services import revoke_certificate
from app.core.auth import authorize_or_403
from app.core.boundary import ran_service
from app.core.i18n import current_language
from app.core.time import now
from app.extensions import db, limiter
from app.learning.models import Enrolment


def _by_code(code: str) -> Select[Certificate]:
    return select(Certificate).where(Certificate.code == normalise_code(code))


def verify_url(certificate: Certificate) -> str:
    return url_for("certificates.verify", code=certificate.display_code, _external=True)


@bp.route("/")
@login_required
def mine() -> str:
    certificates = db.session.scalars(select(Certificate).where(
        Certificate.user_id == current_user.id).order_by(Certificate.issued_at.desc())).all()
    return render_template("certificates/mine.html", certificates=certificates)


@bp.route("/<code>.pdf")
@login_required
def download(code: str) -> Response:
    certificate = db.first_or_404(_by_code(code))
    authorize_or_403("certificate.download", certificate)
    body = certificate_pdf(certificate, verify_url(certificate), current_language())
    filename = f"certificate-{certificate.display_code}.pdf"
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/verify/")
def lookup() -> str | WerkzeugResponse:
    form = LookupForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("certificates.verify", code=(form.code.data or "").strip()))
    return render_template("certificates/lookup.html", form=form)


@bp.route("/verify/<code>")
@limiter.limit("30 per minute")
def verify(code: str) -> tuple[str, int]:
    """Public: says whether the certificate is valid, and only what it printed."""
    certificate = db.session.scalar(_by_code(code))
    return (render_template("certificates/verify.html", certificate=certificate, code=code),
            200 if certificate is not None else 404)


@bp.route("/manage")
@login_required
def manage() -> str:
    authorize_or_403("certificate.revoke", None)
    text = request.args.get("q", "").strip()
    # A centre administrator: the certificates of learners who enrolled through their centre.
    centres = staff_centre_ids(current_user, "centre_admin")
    query = select(Certificate).order_by(Certificate.issued_at.desc()).where(
        Certificate.enrolment_id.in_(select(Enrolment.id).where(
            in_centres(Enrolment.centre_id, centres))) if centres is not None else true())
    if text:
        like = f"%{text}%"
        query = query.where(or_(Certificate.learner_name.ilike(like),
                                Certificate.course_title.ilike(like),
                                Certificate.code == normalise_code(text)))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("certificates/manage.html", page=page, text=text)


@bp.route("/<code>/revoke", methods=["GET", "POST"])
@login_required
def revoke(code: str) -> str | WerkzeugResponse:
    certificate = db.first_or_404(_by_code(code))
    authorize_or_403("certificate.revoke", certificate)
    form = RevokeForm()
    if form.validate_on_submit() and ran_service(form, lambda: revoke_certificate(
            current_user, certificate, form.reason.data or "", now())):
        flash(_("Certificate %(code)s is revoked.", code=certificate.display_code), "success")
        return redirect(url_for("certificates.manage"))
    return render_template("certificates/revoke.html", certificate=certificate, form=form)
