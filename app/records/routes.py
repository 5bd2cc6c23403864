"""Training records and the event log."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from app.core.auth import Actor, authorize_or_403, can, role_required
from app.core.countries import country_name
from app.core.errors import found_or_404
from app.core.forms import attach_domain_error
from app.core.i18n import current_language
from app.core.roles import Role
from app.core.spreadsheet import csv_response
from app.core.time import now
from app.core.urls import page_number, query_int
from app.records import bp
from app.records.actions import ACTIONS, KNOWN_ACTIONS
from app.records.directory import Person, find_person
from app.records.exports import (
    describe,
    events_csv,
    record_csv,
    record_pdf,
    verification_line,
)
from app.records.forms import EventFilterForm, SignatureForm
from app.records.queries import (
    EventFilter,
    RecordEntry,
    course_choices,
    course_slugs,
    events_page,
    events_stream,
    training_record,
)
from app.records.services import verify_chain
from app.records.signatures import Refused, sign

REVIEW_MEANING = "Reviewed: training record complete and accurate"


# Who may view a learner's record ("records.view_learner") is decided by the learning
# feature, which knows who teaches whom: see app/learning/services.py.


def may_review_record(actor: Actor, learner: Person) -> bool:
    return actor.has_role(Role.ADMIN) and actor.id != learner.id


def _learner_or_404(user_id: int) -> Person:
    return found_or_404(find_person(user_id))


@bp.route("/learners/<int:user_id>", methods=["GET", "POST"])
@login_required
def learner_record(user_id: int) -> str | WerkzeugResponse:
    learner = _learner_or_404(user_id)
    authorize_or_403("records.view_learner", learner)
    may_review = can(current_user, "records.review_learner", learner)
    form = SignatureForm()
    entries = training_record(learner.id)
    if request.method == "POST":
        if not may_review:
            abort(403)
        signed = _sign_review(form, learner, entries) if form.validate_on_submit() else None
        if signed is not None:
            return signed
    return render_template("records/learner.html", learner=learner, entries=entries, form=form,
                           may_review=may_review, meaning=REVIEW_MEANING,
                           country_name=country_name, describe=describe)


def _sign_review(form: SignatureForm, learner: Person, entries: list[RecordEntry]
                 ) -> WerkzeugResponse | None:
    """The reviewer's signature over every event of the record: the redirect after it, or
    None when it was refused (kept on record by the commit, and said next to the password)."""
    signed = sign(current_user, password=form.password.data or "", meaning=REVIEW_MEANING,
                  subject_type="training_record", subject_id=learner.id,
                  content=[entry.event_id for entry in entries], now=now(),
                  learner_id=learner.id)
    if isinstance(signed, Refused):
        attach_domain_error(form, signed.error)
        return None
    flash(_("Your review signature is recorded."), "success")
    return redirect(url_for("records.learner_record", user_id=learner.id))


def _record_export(user_id: int) -> tuple[Person, list[RecordEntry], str, datetime]:
    learner = _learner_or_404(user_id)
    authorize_or_403("records.view_learner", learner)
    moment = now()
    return learner, training_record(learner.id), verification_line(verify_chain(), moment), moment


@bp.route("/learners/<int:user_id>/record.csv")
@login_required
def learner_record_csv(user_id: int) -> Response:
    learner, entries, verification, moment = _record_export(user_id)
    return csv_response(record_csv(learner, entries, verification),
                        _filename(learner, moment, "csv"))


@bp.route("/learners/<int:user_id>/record.pdf")
@login_required
def learner_record_pdf(user_id: int) -> Response:
    learner, entries, verification, moment = _record_export(user_id)
    return Response(record_pdf(learner, entries, verification, moment, current_language()),
                    mimetype="application/pdf",
                    headers={"Content-Disposition":
                             f'attachment; filename="{_filename(learner, moment, "pdf")}"'})


def _filename(learner: Person, moment: datetime, extension: str) -> str:
    return f"training-record-{learner.id}-{moment:%Y%m%d-%H%M}.{extension}"


def _event_filter(form: EventFilterForm) -> EventFilter:
    def day_start(value: object) -> datetime | None:
        return datetime.combine(value, time(), tzinfo=UTC) if value else None  # type: ignore[arg-type]

    until = day_start(form.until.data)
    return EventFilter(
        actor=form.actor.data or "",
        action=form.action.data if form.action.data in ACTIONS else "",
        course_id=query_int("course"),
        since=day_start(form.since.data),
        until=until + timedelta(days=1) if until else None,
    )


def _filter_form() -> EventFilterForm:
    args = request.args.copy()
    # A link made before an action was renamed still filters on that action.
    if args.get("action") in KNOWN_ACTIONS:
        args["action"] = KNOWN_ACTIONS[args["action"]].name
    form = EventFilterForm(args)
    form.action.choices = [SelectChoice("", _("Any action")),
                           *(SelectChoice(name, _("%(name)s: %(label)s (formerly %(former)s)",
                                                  name=name, label=a.label,
                                                  former=", ".join(a.former_names))
                                          if a.former_names else
                                          _("%(name)s: %(label)s", name=name, label=a.label))
                             for name, a in sorted(ACTIONS.items()))]
    form.course.choices = [SelectChoice("", _("Any course")),
                           *(SelectChoice(str(cid), title) for cid, title in course_choices())]
    form.validate()
    return form


@bp.route("/events")
@role_required(Role.ADMIN)
def events() -> str:
    form = _filter_form()
    per_page = current_app.config["EVENTS_PER_PAGE"]
    page = events_page(_event_filter(form), page_number(per_page), per_page)
    filter_args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template("records/events.html", form=form, page=page, actions=KNOWN_ACTIONS,
                           describe=describe, filter_args=filter_args,
                           course_slugs=course_slugs())


@bp.route("/events.csv")
@role_required(Role.ADMIN)
def events_export() -> Response:
    filters = _event_filter(_filter_form())
    return csv_response(events_csv(events_stream(filters), course_slugs()),
                        f"trainhub-events-{now():%Y%m%d-%H%M}.csv")
