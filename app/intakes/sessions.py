"""Pages of an intake's own live sessions and its CSV import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from app.auth.models import User
from app.classroom.models import ClassSession
from app.classroom.services import Schedule
from app.content.labels import modality_name
from app.content.models import Course, Module
from app.core.auth import authorize_or_403
from app.core.boundary import run_service
from app.core.time import now
from app.core.zones import to_utc
from app.extensions import db
from app.intakes import bp
from app.intakes.forms import ConfirmImportForm, ImportForm, IntakeSessionForm
from app.intakes.importing import import_trainees, plan_import
from app.intakes.models import Intake, IntakeStaff, ProgrammeCourse
from app.intakes.services import schedule_intake_session

MAX_CSV_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class SessionLine:
    id: int
    starts_at: datetime
    ends_at: datetime
    module: str
    course: str
    cancelled: bool


def intake_sessions(intake_id: int) -> list[SessionLine]:
    """The intake's sessions in time order: one statement."""
    return [SessionLine(r.id, r.starts_at, r.ends_at, r.title, r.course, r.cancelled_at is not None)
            for r in db.session.execute(
                select(ClassSession.id, ClassSession.starts_at, ClassSession.ends_at,
                       ClassSession.cancelled_at, Module.title, Course.title.label("course"))
                .join(Module, Module.id == ClassSession.module_id)
                .join(Course, Course.id == ClassSession.course_id)
                .where(ClassSession.intake_id == intake_id).order_by(ClassSession.starts_at))]


def _live_modules(intake: Intake) -> list[Module]:
    return list(db.session.scalars(
        select(Module).join(ProgrammeCourse, ProgrammeCourse.course_id == Module.course_id)
        .where(ProgrammeCourse.programme_id == intake.programme_id,
               Module.archived_at.is_(None), Module.session.is_not(None))
        .order_by(ProgrammeCourse.position, Module.position)))


def _team(intake: Intake) -> list[User]:
    return list(db.session.scalars(select(User).where(User.id.in_(
        select(IntakeStaff.user_id).where(IntakeStaff.intake_id == intake.id)))
        .order_by(User.name)))


def _session_form(intake: Intake, modules: list[Module], team: list[User]) -> IntakeSessionForm:
    form = IntakeSessionForm()
    form.module.choices = [SelectChoice(m.id, _("%(module)s (%(modality)s)", module=m.title,
                                                modality=modality_name(m.modality)))
                           for m in modules]
    form.facilitator.choices = [SelectChoice(u.id, u.name) for u in team]
    if request.method == "GET":
        form.timezone.data, form.capacity.data = intake.timezone, intake.seats
    return form


def _plan(form: IntakeSessionForm, modules: list[Module], team: list[User]) -> Schedule:
    zone = form.timezone.data or "UTC"
    day = form.date.data
    assert day is not None and form.start.data is not None and form.end.data is not None
    return Schedule(
        module=next(m for m in modules if m.id == form.module.data),
        starts_at=to_utc(datetime.combine(day, form.start.data), zone),
        ends_at=to_utc(datetime.combine(day, form.end.data), zone), timezone=zone,
        capacity=form.capacity.data, facilitator=next(u for u in team
                                                      if u.id == form.facilitator.data),
        location=form.location.data or "", join_url=form.join_url.data or "")


@bp.route("/<int:intake_id>/sessions/new", methods=["GET", "POST"])
@login_required
def schedule(intake_id: int) -> str | WerkzeugResponse:
    intake = db.get_or_404(Intake, intake_id)
    authorize_or_403("intake.manage", intake)
    modules, team = _live_modules(intake), _team(intake)
    form = _session_form(intake, modules, team)
    if form.validate_on_submit():
        plan = _plan(form, modules, team)
        course = db.get_or_404(Course, plan.module.course_id)
        if run_service(form, lambda: schedule_intake_session(current_user, intake, course, plan,
                                                             now())) is not None:
            flash(_("The session is scheduled and the intake's learners registered."), "success")
            return redirect(url_for("intakes.intake_page", intake_id=intake.id))
    return render_template("intakes/schedule.html", intake=intake, form=form)


@bp.route("/<int:intake_id>/import", methods=["GET", "POST"])
@login_required
def import_file(intake_id: int) -> str | WerkzeugResponse:
    """Upload a CSV file: the dry run's page, which says what the import will do."""
    intake = db.get_or_404(Intake, intake_id)
    authorize_or_403("intake.manage", intake)
    form = ImportForm()
    if form.validate_on_submit():
        data = request.files["file"].read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            form.file.errors = [_("The file is larger than 2 MB: split it.")]
        else:
            confirm = ConfirmImportForm(csv_text=data.decode("utf-8", "replace"))
            return render_template("intakes/dry_run.html", intake=intake,
                                   plan=plan_import(intake, data), confirm=confirm)
    return render_template("intakes/import.html", intake=intake, form=form)


@bp.route("/<int:intake_id>/import/confirm", methods=["POST"])
@login_required
def confirm_import(intake_id: int) -> str | WerkzeugResponse:
    intake = db.get_or_404(Intake, intake_id)
    authorize_or_403("intake.manage", intake)
    form = ConfirmImportForm()
    data = (form.csv_text.data or "").encode() if form.validate_on_submit() else b""
    plan = run_service(form, lambda: import_trainees(current_user, intake, data, now()))
    if plan is not None and plan.ok and data:
        flash(ngettext("%(num)d trainee joined the intake.", "%(num)d trainees joined the "
                       "intake.", plan.joining), "success")
        return redirect(url_for("intakes.board", intake_id=intake.id))
    return render_template("intakes/dry_run.html", intake=intake, plan=plan or plan_import(
        intake, data), confirm=form)
