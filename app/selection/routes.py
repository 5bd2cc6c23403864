"""Pages of selecting: the board, one application's line with the committee's override, and
the signed decision."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.calls.access import call_run_by_viewer
from app.calls.models import Application, Call, CallDecision
from app.calls.rules import call_phase
from app.core.boundary import run_service
from app.core.forms import EmptyForm, attach_domain_error
from app.core.time import now
from app.core.urls import page_number
from app.extensions import db
from app.records.forms import SignatureForm
from app.records.models import Signature
from app.records.signatures import Refused
from app.selection import bp, wording
from app.selection.board import Board, read_board
from app.selection.forms import OverrideForm
from app.selection.pages import FILTERS, PER_PAGE, board_page
from app.selection.queries import APPLICATION_OVERRIDES, APPLICATION_SCORES
from app.selection.services import (
    MEANING_APPROVED,
    board_application,
    decide_selection,
    may_decide,
    override_selection,
    remove_override,
)


def _render(template: str, call: Call, board: Board, **values: object) -> str:
    return render_template(template, call=call, board=board, words=wording,
                           phase=call_phase(call.status, call.opens_at, call.closes_at, now()),
                           names={r.application_id: r.name for r in board.rows}, **values)


@bp.route("/call/<int:call_id>")
@login_required
def board(call_id: int) -> str:
    """Every application ranked, the proposal and the final list; a page of the table."""
    call = call_run_by_viewer(call_id)
    board = read_board(call)
    table = board_page(board, request.args.get("show", "all"),
                       request.args.get("country", ""), page_number(PER_PAGE))
    return _render("selection/board.html", call, board, table=table, filters=FILTERS,
                   remove=EmptyForm(formdata=None))


def _application_page(call: Call, application: Application, form: OverrideForm) -> str:
    board = read_board(call)
    params = {"application_id": application.id}
    return _render("selection/application.html", call, board,
                   row=board.row(application.id), form=form, remove=EmptyForm(formdata=None),
                   scores=db.session.execute(APPLICATION_SCORES, params).all(),
                   history=db.session.execute(APPLICATION_OVERRIDES, params).all())


@bp.route("/call/<int:call_id>/applications/<int:application_id>", methods=["GET", "POST"])
@login_required
def application(call_id: int, application_id: int) -> str | Response:
    """One application's line on the board, its reviews, and the override form."""
    call = call_run_by_viewer(call_id)
    application = board_application(call, application_id)
    form = OverrideForm()
    if form.validate_on_submit() and run_service(form, lambda: override_selection(
            current_user, call, application, outcome=form.outcome.data or "",
            reason=form.reason.data or "", now=now())):
        flash(_("Override saved: the final list has changed."), "success")
        return redirect(url_for("selection.board", call_id=call.id))
    return _application_page(call, application, form)


@bp.route("/call/<int:call_id>/applications/<int:application_id>/remove-override",
          methods=["POST"])
@login_required
def remove(call_id: int, application_id: int) -> Response:
    call = call_run_by_viewer(call_id)
    application = board_application(call, application_id)
    form = EmptyForm()
    if form.validate_on_submit() and run_service(None, lambda: remove_override(
            current_user, call, application, now=now())):
        flash(_("Override removed: the proposal decides again."), "success")
    return redirect(url_for("selection.application", call_id=call.id,
                            application_id=application.id))


def _decide_page(call: Call, signing: SignatureForm) -> str:
    decision = db.session.scalar(select(CallDecision).where(CallDecision.call_id == call.id))
    signature = db.session.get(Signature, decision.signature_id) if decision else None
    board = read_board(call)
    return _render("selection/decide.html", call, board, signing=signing,
                   decision=decision, signature=signature, may_decide=may_decide(call, now()),
                   by_id={r.application_id: r for r in board.rows},
                   meaning=MEANING_APPROVED)


@bp.route("/call/<int:call_id>/decide", methods=["GET", "POST"])
@login_required
def decide(call_id: int) -> str | Response:
    """The final list in summary, signed with the meaning "Selection approved"."""
    call = call_run_by_viewer(call_id)
    signing = SignatureForm()
    if signing.validate_on_submit():
        result = run_service(signing, lambda: decide_selection(
            current_user, call, password=signing.password.data or "", now=now()))
        if isinstance(result, Refused):
            attach_domain_error(signing, result.error)  # kept on record by the commit
        elif result is not None:
            flash(_("Selection signed: every applicant now has a decision."), "success")
            return redirect(url_for("selection.board", call_id=call.id))
    return _decide_page(call, signing)
