"""What the call pages' views share: the call form's page (new and edit), the public
page's words, and the links other features hang on a call's pages. Views stay thin; the
rules are in `checking.py` and the services."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from app.calls import wording
from app.calls.access import OFFICERS
from app.calls.checking import publish_problems
from app.calls.fields import field_kinds
from app.calls.forms import CallForm
from app.calls.hooks import CALL_LINKS, PUBLIC_CALL_LINKS, CallLink
from app.calls.labels import (
    FIELD_KIND_LABELS,
    PHASE_LABELS,
    STATE_LABELS,
    STATUS_LABELS,
    problem_text,
)
from app.calls.models import APPLICATION_STATES, Call
from app.calls.queries import (
    centre_intakes,
    hub_id,
    officer_calls,
    officer_centres,
    state_counts,
)
from app.calls.reading import (
    EMPTY_ROWS,
    criterion_rows,
    fill_form,
    form_has_errors,
    place_problems,
    question_rows,
    read_call,
)
from app.calls.rules import call_phase
from app.calls.services import change_call, check_plan, create_call
from app.calls.starters import centre_form, centre_rubric
from app.centres.models import Centre
from app.centres.scope import staff_centre_ids
from app.core.boundary import run_service
from app.core.time import now


def officer_centre_ids() -> frozenset[int] | None:
    """The centres whose calls the viewer writes (None: all); 403 for someone who writes
    none."""
    ids = staff_centre_ids(current_user, *OFFICERS)
    if ids is not None and not ids:
        abort(403)
    return ids


def writes_calls() -> bool:
    """Whether the viewer writes the calls of any centre."""
    return current_user.is_authenticated and staff_centre_ids(current_user, *OFFICERS) != \
        frozenset()


def _set_choices(form: CallForm, call: Call | None) -> list[Centre]:
    centres = officer_centres(officer_centre_ids())
    form.centre_id.choices = [(centre.id, centre.name) for centre in centres]
    form.intake_id.choices = [SelectChoice("", _("None")), *(
        SelectChoice(row["id"], f"{row['title']} ({row['code']})",
                     render_kw={"data-centre": row["centre_id"]}, optgroup=row["centre_name"])
        for row in centre_intakes([centre.id for centre in centres]))]
    return centres


def _start(form: CallForm, call: Call | None, kind: str, centres: list[Centre]
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows a page opens with: the call's own, a centre call's ready ones, or none."""
    if call is not None:
        fill_form(form, call)
        return question_rows(call.form), criterion_rows(call.rubric)
    if kind == "centre":
        hub = next((centre for centre in centres if centre.id == hub_id()), None)
        if hub is None:
            abort(403)  # only the network administrator and the hub's officers
        form.kind.data, form.centre_id.data, form.timezone.data = "centre", hub.id, hub.timezone
        return question_rows(centre_form()), criterion_rows(centre_rubric())
    form.centre_id.data = centres[0].id if centres else None
    if centres:
        form.timezone.data = centres[0].timezone
    return [], []


def _shown(form: CallForm, problems: dict[str, list[str]], questions: list[dict[str, Any]],
           criteria: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The problems the builders show by their rows; any other goes above the form."""
    places = {"form", "rubric", *(f"form:{row['key']}" for row in questions),
              *(f"rubric:{row['key']}" for row in criteria)}
    for where, messages in problems.items():
        if where not in places:
            form.form_errors.extend(messages)
    return {where: messages for where, messages in problems.items() if where in places}


def call_form_page(call: Call | None, kind: str) -> str | WerkzeugResponse:
    """The one form of a call, new or edited: every problem at once, next to its setting
    or row; a refused form keeps everything its author typed."""
    form = CallForm()
    centres = _set_choices(form, call)
    problems: dict[str, list[str]] = {}
    if request.method != "POST":
        questions, criteria = _start(form, call, kind, centres)
    else:
        reading = read_call(form, request.form)
        questions, criteria = reading.questions, reading.criteria
        valid = form.validate_on_submit()
        problems = _shown(form, place_problems(form, [*reading.problems,
                                                     *check_plan(reading.plan)]),
                          questions, criteria)
        if valid and not problems and not form_has_errors(form):
            version = int(form.version.data) if (form.version.data or "").isdigit() else None
            done = run_service(form, lambda: change_call(
                current_user, call, reading.plan, version, now()) if call is not None
                else create_call(current_user, reading.plan, now()))
            if done is not None:
                flash(_("The call is saved."), "success")
                return redirect(url_for("calls.overview", call_id=done.id))
            if call is not None:  # refused: a second save is the author's own choice
                form.version.data = str(call.version)
    return render_template(
        "calls/form.html", form=form, call=call, problems=problems,
        refused=request.method == "POST" and (bool(problems) or form_has_errors(form)),
        questions=[*questions, *([{}] * (EMPTY_ROWS + (0 if questions else 1)))],
        criteria=[*criteria, *([{}] * (EMPTY_ROWS + (0 if criteria else 1)))],
        field_kinds=[(name, FIELD_KIND_LABELS[name]) for name in field_kinds().names()])


def links_of(hooks: Any, call: Call) -> list[CallLink]:
    """The links every feature hangs on a call's page for the viewer, smaller order first."""
    return sorted((link for hook in hooks.all() for link in hook(call, current_user)),
                  key=lambda link: link.order)


def public_page(row: Any, *, preview: bool) -> str:
    """The call's public page, as an applicant sees it (`preview`: with its banner)."""
    call: Call = row.Call
    viewer_zone = current_user.timezone if current_user.is_authenticated else None
    moment = now()
    return render_template(
        "calls/call.html", call=call, centre_name=row.centre_name,
        intake_title=row.intake_title, preview=preview,
        phase=call_phase(call.status, call.opens_at, call.closes_at, moment),
        phase_labels=PHASE_LABELS,
        eligibility=wording.who_may_apply(call.eligibility, call.kind),
        documents=wording.documents(call.form), questions=wording.questions(call.form),
        languages=wording.languages(call.languages),
        opens=wording.moment(call.opens_at, call.timezone, viewer_zone),
        closes=wording.moment(call.closes_at, call.timezone, viewer_zone),
        actions=links_of(PUBLIC_CALL_LINKS, call))


def overview_page(row: Any, form: Any, *, officer: bool) -> str:
    """The officer's home for one call: status, phase, applications by state, what is
    missing before publishing, and the other features' pages about it."""
    call: Call = row.Call
    counts = state_counts([call.id]).get(call.id, {})
    viewer_zone = current_user.timezone
    return render_template(
        "calls/overview.html", call=call, centre_name=row.centre_name,
        intake_title=row.intake_title, form=form, officer=officer,
        phase=call_phase(call.status, call.opens_at, call.closes_at, now()),
        phase_labels=PHASE_LABELS, state_labels=STATE_LABELS,
        opens=wording.moment(call.opens_at, call.timezone, viewer_zone),
        closes=wording.moment(call.closes_at, call.timezone, viewer_zone),
        counts=[(state, counts.get(state, 0)) for state in APPLICATION_STATES],
        total=sum(counts.values()),
        missing=[problem_text(p.problem) for p in publish_problems(call)]
        if officer and call.status == "draft" else [],
        links=links_of(CALL_LINKS, call))


def manage_page(ids: frozenset[int] | None) -> str:
    calls = officer_calls(ids)
    at, hub = now(), hub_id()
    return render_template(
        "calls/manage.html", calls=[(row, call_phase(row["status"], row["opens_at"],
                                                      row["closes_at"], at)) for row in calls],
        counts=state_counts(row["id"] for row in calls), phase_labels=PHASE_LABELS,
        status_labels=STATUS_LABELS, state_labels=STATE_LABELS,
        writes_centre_calls=hub is not None and (ids is None or hub in ids))
