"""The call pages: the public list and a call's public page (anyone), and the programme
officers' pages: their calls, the call form, the preview, the overview, publish and close."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from app.calls import bp
from app.calls.access import call_run_by_viewer, is_reviewer, may_run_call
from app.calls.labels import PHASE_LABELS
from app.calls.models import Call
from app.calls.pages import (
    call_form_page,
    manage_page,
    officer_centre_ids,
    overview_page,
    public_page,
    writes_calls,
)
from app.calls.queries import call_with_places, public_calls
from app.calls.rules import call_phase
from app.calls.services import close_call, publish_call
from app.calls.wording import moment
from app.core.boundary import run_service
from app.core.errors import found_or_404
from app.core.forms import EmptyForm
from app.core.time import now
from app.extensions import db


@bp.route("/")
def index() -> str:
    """The published calls: open now, opening soon, and recently closed."""
    at = now()
    zone = current_user.timezone if current_user.is_authenticated else None
    calls = [(row, call_phase(row["status"], row["opens_at"], row["closes_at"], at),
              moment(row["opens_at"], row["timezone"], zone),
              moment(row["closes_at"], row["timezone"], zone)) for row in public_calls(at)]
    return render_template("calls/index.html", calls=calls, phase_labels=PHASE_LABELS,
                           may_manage=writes_calls())


@bp.route("/manage")
@login_required
def manage() -> str:
    """The calls of the viewer's centres, with their applications by state."""
    return manage_page(officer_centre_ids())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> str | WerkzeugResponse:
    return call_form_page(None, "centre" if request.args.get("kind") == "centre"
                          else "trainee")


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@login_required
def edit(call_id: int) -> str | WerkzeugResponse:
    call = call_run_by_viewer(call_id)
    return call_form_page(call, call.kind)


@bp.route("/<int:call_id>/overview")
@login_required
def overview(call_id: int) -> str:
    """The call's officers' home for it; its reviewers see it too, without the officers'
    buttons, to reach the pages about the call that other features link."""
    call = db.get_or_404(Call, call_id)
    officer = may_run_call(current_user, call)
    if not officer and not is_reviewer(current_user, call):
        abort(403)
    return overview_page(found_or_404(call_with_places(call_id)), EmptyForm(),
                         officer=officer)


@bp.route("/<int:call_id>/preview")
@login_required
def preview(call_id: int) -> str:
    call_run_by_viewer(call_id)
    return public_page(found_or_404(call_with_places(call_id)), preview=True)


@bp.route("/<int:call_id>/publish", methods=["POST"])
@login_required
def publish(call_id: int) -> str | WerkzeugResponse:
    call, form = call_run_by_viewer(call_id), EmptyForm()
    if form.validate_on_submit() and run_service(form, lambda: publish_call(
            current_user, call, now())) is not None:
        flash(_("The call is published: anyone can read it at its public page."), "success")
        return redirect(url_for("calls.overview", call_id=call.id))
    return overview_page(found_or_404(call_with_places(call_id)), form, officer=True)


@bp.route("/<int:call_id>/close", methods=["GET", "POST"])
@login_required
def close(call_id: int) -> str | WerkzeugResponse:
    """A confirmation step, then the call closes now."""
    call, form = call_run_by_viewer(call_id), EmptyForm()
    if form.validate_on_submit() and run_service(form, lambda: close_call(
            current_user, call, now())) is not None:
        flash(_("The call is closed: it takes no more applications."), "success")
        return redirect(url_for("calls.overview", call_id=call.id))
    return render_template("calls/close.html", call=call, form=form,
                           closes=moment(call.closes_at, call.timezone, None))


@bp.route("/<int:call_id>")
def call_page(call_id: int) -> str:
    """The public page of a published call; a draft is not there for the public."""
    row = found_or_404(call_with_places(call_id))
    if row.Call.status == "draft":
        abort(404)
    return public_page(row, preview=False)
