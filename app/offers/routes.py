"""The offer pages: the applicant's decision with its letters, confirming and declining,
the officers' list of a call's offers, and a centre created from a centre application.
Everything here is private (`no-store`, app/core/headers.py); the PDFs are downloads."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.calls.access import call_run_by_viewer
from app.calls.models import Application
from app.core.auth import authorize_or_403
from app.core.boundary import ran_service, run_service
from app.core.countries import country_name
from app.core.time import now
from app.offers import bp
from app.offers.centres import centre_details_from, create_centre_from_application
from app.offers.forms import AnswerForm, CentreFromApplicationForm
from app.offers.queries import offer_lines
from app.offers.services import confirm_offer, decision_letter, decline_offer, visa_letter
from app.offers.views import (
    applicant_of,
    application_and_call,
    letter_download,
    offer_page,
    pdf_download,
)


@bp.route("/<int:application_id>")
@login_required
def offer(application_id: int) -> str:
    application, call = application_and_call(application_id)
    authorize_or_403("offer.see", (application, call))
    return render_template("offers/offer.html", page=offer_page(
        application, call, current_user, now()), form=AnswerForm())


@bp.route("/<int:application_id>/letter.pdf")
@login_required
def letter(application_id: int) -> Response:
    application, call = application_and_call(application_id)
    authorize_or_403("offer.see", (application, call))
    return letter_download(application, decision_letter(application, call, now()))


@bp.route("/<int:application_id>/visa-letter.pdf")
@login_required
def visa(application_id: int) -> Response:
    application, call = application_and_call(application_id)
    authorize_or_403("offer.see", (application, call))
    authorize_or_403("application.personal", (application, call))
    return pdf_download(visa_letter(application, call, now()),
                        f"visa-invitation-{application.id}.pdf")


def _answer(application_id: int, kind: str) -> str | Response:
    application, call = application_and_call(application_id)
    authorize_or_403("offer.answer", application)
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400)
    if form.sure.data != "yes":
        return render_template("offers/answer.html", application=application, call=call,
                               kind=kind, form=form)
    service = confirm_offer if kind == "confirm" else decline_offer
    if ran_service(None, lambda: service(current_user, application, now())):
        flash(_("You have confirmed your place. Welcome!") if kind == "confirm"
              else _("You have declined the place."), "success")
    return redirect(url_for("offers.offer", application_id=application.id))


@bp.route("/<int:application_id>/confirm", methods=["POST"])
@login_required
def confirm(application_id: int) -> str | Response:
    return _answer(application_id, "confirm")


@bp.route("/<int:application_id>/decline", methods=["POST"])
@login_required
def decline(application_id: int) -> str | Response:
    return _answer(application_id, "decline")


@bp.route("/call/<int:call_id>")
@login_required
def call_offers(call_id: int) -> str:
    call = call_run_by_viewer(call_id)
    lines = offer_lines(call.id)
    return render_template("offers/call.html", call=call, lines=lines,
                           country_name=country_name)


def _centre_form(application: Application) -> CentreFromApplicationForm:
    if request.method == "GET":
        return CentreFromApplicationForm(obj=centre_details_from(
            application, applicant_of(application)))
    return CentreFromApplicationForm()


@bp.route("/<int:application_id>/centre", methods=["GET", "POST"])
@login_required
def centre(application_id: int) -> str | Response:
    application, call = application_and_call(application_id)
    authorize_or_403("centre.manage")
    if call.kind != "centre":
        abort(404)
    form = _centre_form(application)
    if form.validate_on_submit():
        created = run_service(form, lambda: create_centre_from_application(
            current_user, application, call, form.details(),
            make_admin=bool(form.make_admin.data), now=now()))
        if created is not None:
            flash(_("Centre %(name)s created.", name=created.name), "success")
            return redirect(url_for("centres.centre", code=created.code))
    return render_template("offers/centre.html", application=application, call=call,
                           form=form)
