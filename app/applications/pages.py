"""What the applying views answer, built here so that each view stays a few lines: the
application's page with its checklist and eligibility, the answers to a save (JSON for the
autosave script, a page or a redirect for the form), and reading what a form sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from app.applications import queries, words
from app.applications.services import (
    FROZEN,
    NotSubmittable,
    SaveOutcome,
    Sent,
    StaleSave,
    file_fields,
    personal_of,
    personal_values,
    save_application,
    what_is_missing,
)
from app.applications.standard import (
    GENDERS,
    NOT_SAID,
    ORGANISATION_TYPES,
    PERSONAL_KEYS,
    standard_keys,
)
from app.calls.hooks import APPLICANT_LINKS
from app.calls.models import Application, ApplicationPersonal, Call
from app.calls.problems import Problem
from app.calls.rules import applicant_status, call_phase
from app.core.boundary import keep_writes
from app.core.countries import country_choices
from app.core.errors import ValidationError
from app.core.time import now
from app.core.zones import format_local

SAVED = _l("Saved at %(time)s.")


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def clock_time(moment: Any) -> str:
    """"14:02" on the viewer's own clock."""
    zone = getattr(current_user, "timezone", None) or "UTC"
    return format_local(moment, zone, with_zone=False).rsplit(" ", 1)[-1]


def deadline(call: Call) -> dict[str, str]:
    """The deadline in the call's zone and, when it differs, on the viewer's own clock."""
    own = getattr(current_user, "timezone", None)
    shown = {"call": format_local(call.closes_at, call.timezone)}
    if own and own != call.timezone:
        shown["own"] = format_local(call.closes_at, own)
    return shown


def read_sent(call: Call) -> tuple[Sent, int | None, dict[str, tuple[str, bytes]]]:
    """The answers, standard questions and travel details a form sent, its version, and its
    chosen files (read whole: the request's size is bounded by MAX_CONTENT_LENGTH)."""
    form = request.form
    raw: dict[str, Any] = {}
    for name in form:
        values = form.getlist(name)
        given = [value for value in values if value.strip()]
        raw[name] = given if len(given) > 1 else (given[0] if given else "")
    answers = {name[2:]: value for name, value in raw.items() if name.startswith("q-")}
    standard = {key: raw[key] for key in standard_keys(call.kind) if key in raw}
    personal = {key: raw[key] for key in PERSONAL_KEYS if key in raw}
    uploads = {}
    for key in file_fields(call):
        upload = request.files.get(f"q-{key}")
        if upload is not None and upload.filename:
            uploads[key] = (upload.filename, upload.read())
    version = form.get("version", type=int)
    return Sent(answers, standard, personal), version, uploads


def _stored_values(application: Application, call: Call,
                   personal_row: ApplicationPersonal | None) -> dict[str, Any]:
    values: dict[str, Any] = {key: getattr(application, key) for key in standard_keys(call.kind)}
    if call.kind != "centre":
        values["gender"] = application.gender or NOT_SAID  # optional: unsaid until given
    values.update({f"q-{key}": value for key, value in (application.answers or {}).items()})
    if call.asks_travel_details:
        personal = personal_values(personal_row)
        personal["passport_nationality"] = personal.pop("nationality", None)
        values.update(personal)
    return {key: (value.isoformat() if isinstance(value, date) else value)
            for key, value in values.items()}


def _typed_values() -> dict[str, Any]:
    """What the form sent, to show it again as typed."""
    return {name: (request.form.getlist(name) if len(request.form.getlist(name)) > 1
                   else request.form.get(name)) for name in request.form}


def _problems_by_name(problems: Sequence[Problem]) -> dict[str, str]:
    return {problem.key: _(problem.message, **problem.values) for problem in problems}


def side_panels(application: Application, call: Call,
                personal_row: ApplicationPersonal | None) -> dict[str, Any]:
    """The checklist and the eligibility verdict: on the page, and sent back by each
    save."""
    files = queries.file_rows(application.id)
    missing = what_is_missing(application, call, set(files), personal_row)
    return {"missing": [(item, words.missing_label(call.kind, item)) for item in missing],
            "reasons": [words.reason_text(reason) for reason in application.ineligible_reasons],
            "eligible": application.eligible, "files": files}


def application_page(application: Application, call: Call, *, status: int = 200,
                     typed: bool = False, problems: Mapping[str, str] | None = None,
                     message: str | None = None, version: int | None = None,
                     not_submitted: NotSubmittable | None = None) -> tuple[str, int]:
    phase = call_phase(call.status, call.opens_at, call.closes_at, now())
    personal_row = personal_of(application) if call.asks_travel_details else None
    values = _stored_values(application, call, personal_row)
    if typed:
        values.update(_typed_values())
    shown_status = applicant_status(application.state, phase,
                                    application.state != "draft"
                                    and queries.review_started(application.id))
    links = [] if application.state == "draft" else sorted(
        (link for hook in APPLICANT_LINKS.all() for link in hook(application, call)),
        key=lambda link: link.order)
    return render_template(
        "applications/form.html", application=application, call=call, phase=phase,
        values=values, problems=problems or {}, message=message,
        version=version if version is not None else application.version,
        status=shown_status, links=links, deadline=deadline(call), words=words,
        countries=country_choices(), organisation_types=ORGANISATION_TYPES, genders=GENDERS,
        not_said=NOT_SAID, not_submitted=not_submitted, standard_keys=standard_keys(call.kind),
        personal_keys=PERSONAL_KEYS, script_words=words.script_words(),
        editable=application.state == "draft" and phase == "open",
        own_personal=personal_values(personal_row) if call.asks_travel_details else None,
        **side_panels(application, call, personal_row)), status


def panels_html(application: Application, call: Call) -> str:
    personal_row = personal_of(application) if call.asks_travel_details else None
    return render_template("applications/panels.html", call=call, words=words,
                           **side_panels(application, call, personal_row))


def saved_answer(application: Application, call: Call, outcome: SaveOutcome
                 ) -> Response | tuple[Response | str, int]:
    problems = _problems_by_name(outcome.problems)
    if problems:
        keep_writes()  # the valid answers are saved all the same
    if wants_json():
        return jsonify(saved_at=clock_time(outcome.saved_at), version=outcome.version,
                       problems=problems, panels=panels_html(application, call)), (
            422 if problems else 200)
    if problems:
        return application_page(application, call, status=422, typed=True, problems=problems,
                                message=_("Some answers could not be saved: see the messages "
                                          "next to them. Your other answers are saved."))
    flash(str(SAVED) % {"time": clock_time(outcome.saved_at)}, "success")
    return redirect(url_for("applications.form", application_id=application.id))


def stale_answer(application: Application, call: Call, error: StaleSave
                 ) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify(stale=True, error=error.message, version=error.current_version), 409
    return application_page(application, call, status=409, typed=True, message=error.message,
                            version=error.current_version)


def refused_answer(application: Application, message: str) -> Response | tuple[Response, int]:
    if wants_json():
        return jsonify(error=message, closed=True), 409
    flash(message, "error")
    return redirect(url_for("applications.form", application_id=application.id))


def not_submitted_answer(application: Application, call: Call, error: NotSubmittable
                         ) -> tuple[str, int]:
    keep_writes()  # what the form saved on the way stays saved
    return application_page(application, call, status=422, not_submitted=error,
                            message=error.message)


def frozen_message() -> str:
    return str(FROZEN)


def upload_refused(application: Application, key: str, message: str
                   ) -> Response | tuple[Response, int]:
    if wants_json():
        return jsonify(error=message, field=f"q-{key}"), 422
    flash(message, "error")
    return redirect(url_for("applications.form", application_id=application.id,
                            _anchor=f"field-q-{key}"))


def uploaded_answer(application: Application, call: Call, key: str) -> Response:
    files = queries.file_rows(application.id)
    if wants_json():
        row = files[key]
        return jsonify(filename=row.filename, pages=row.pages,
                       url=url_for("applications.document", application_id=application.id,
                                   file_key=key),
                       panels=panels_html(application, call))
    flash(_("%(file)s is uploaded.", file=files[key].filename), "success")
    return redirect(url_for("applications.form", application_id=application.id))


def save_before_submit(application: Application, call: Call
                       ) -> Response | tuple[Response | str, int] | None:
    """A form handed in without the script saves what it sends first: None when that went
    through (or nothing was sent), else the answer that says why not."""
    sent, version, uploads = read_sent(call)
    if not (sent.answers or sent.standard or sent.personal or uploads):
        return None
    try:
        outcome = save_application(current_user, application, call, sent, version, now(),
                                   uploads)
    except StaleSave as error:
        return stale_answer(application, call, error)
    except ValidationError as error:
        return refused_answer(application, error.message)
    if outcome.problems:
        keep_writes()
        return application_page(application, call, status=422, typed=True,
                                problems=_problems_by_name(outcome.problems),
                                message=_("Not handed in: some answers are not right yet. "
                                          "See the messages next to them."))
    return None


def personal_shown(application: Application, call: Call, allowed: bool
                   ) -> dict[str, Any] | None:
    """The travel details for whoever may see them, else None."""
    if not call.asks_travel_details or not allowed:
        return None
    return personal_values(personal_of(application))
