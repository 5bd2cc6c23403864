"""Pages of programmes and intakes: a centre's list, a programme's and an intake's forms, the
intake's page, deadlines, live sessions, the CSV import and the progress board."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app.centres.models import Centre
from app.centres.scope import staff_centre_ids
from app.core.auth import authorize_or_403, can
from app.core.boundary import run_service
from app.core.time import now
from app.extensions import db
from app.intakes import bp
from app.intakes.access import MANAGERS
from app.intakes.forms import DeadlinesForm, IntakeForm, ProgrammeForm
from app.intakes.models import Intake, IntakeDeadline, IntakeStaff, Programme
from app.intakes.programmes import (
    centre_courses,
    change_programme,
    create_programme,
    programme_lines,
)
from app.intakes.queries import centre_intakes, centre_programmes, progress_board
from app.intakes.reading import (
    fill_intake_form,
    fill_programme_form,
    intake_plan,
    programme_plan,
    read_courses,
    read_days,
    read_staff,
)
from app.intakes.rules import day_date, length_in_days
from app.intakes.services import (
    centre_staff,
    change_intake,
    create_intake,
    member_count,
    programme_modules,
    set_deadlines,
)
from app.intakes.sessions import intake_sessions


@bp.route("/")
@login_required
def index() -> str:
    """The centres whose programmes and intakes the viewer manages."""
    ids = staff_centre_ids(current_user, *MANAGERS)
    query = select(Centre).order_by(Centre.name)
    if ids is not None:
        query = query.where(Centre.id.in_(ids))
    return render_template("intakes/index.html", centres=db.session.scalars(query).all())


@bp.route("/centres/<int:centre_id>/")
@login_required
def centre(centre_id: int) -> str:
    centre = db.get_or_404(Centre, centre_id)
    authorize_or_403("intakes.manage_centre", centre.id)
    return render_template("intakes/centre.html", centre=centre,
                           programmes=centre_programmes(centre.id),
                           intakes=centre_intakes(centre.id))


@bp.route("/programmes/new/<int:centre_id>", methods=["GET", "POST"])
@login_required
def new_programme(centre_id: int) -> str | WerkzeugResponse:
    centre = db.get_or_404(Centre, centre_id)
    authorize_or_403("intakes.manage_centre", centre.id)
    return _programme_page(centre, None)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_programme(programme_id: int) -> str | WerkzeugResponse:
    programme = db.get_or_404(Programme, programme_id)
    authorize_or_403("intakes.manage_centre", programme.centre_id)
    return _programme_page(db.get_or_404(Centre, programme.centre_id), programme)


def _programme_page(centre: Centre, programme: Programme | None) -> str | WerkzeugResponse:
    courses = centre_courses(centre.id)
    form = ProgrammeForm()
    lines, positions = read_courses(courses) if request.method == "POST" else (
        programme_lines(programme.id) if programme else [], None)
    if request.method == "GET" and programme is not None:
        fill_programme_form(form, programme)
    if form.validate_on_submit() and positions is not None and positions.ok:
        plan = programme_plan(form, lines)
        done = run_service(form, lambda: change_programme(current_user, programme, plan, now())
                           if programme else create_programme(current_user, centre, plan, now()))
        if done is not None:
            flash(_("The programme is saved."), "success")
            return redirect(url_for("intakes.centre", centre_id=centre.id))
    return render_template("intakes/programme_form.html", centre=centre, programme=programme,
                           form=form, courses=courses, lines=lines,
                           errors=positions.errors if positions else {})


@bp.route("/programmes/<int:programme_id>/intakes/new", methods=["GET", "POST"])
@login_required
def new_intake(programme_id: int) -> str | WerkzeugResponse:
    programme = db.get_or_404(Programme, programme_id)
    authorize_or_403("intakes.manage_centre", programme.centre_id)
    return _intake_page(programme, None)


@bp.route("/<int:intake_id>/edit", methods=["GET", "POST"])
@login_required
def edit_intake(intake_id: int) -> str | WerkzeugResponse:
    intake = db.get_or_404(Intake, intake_id)
    authorize_or_403("intake.manage", intake)
    return _intake_page(db.get_or_404(Programme, intake.programme_id), intake)


def _intake_page(programme: Programme, intake: Intake | None) -> str | WerkzeugResponse:
    staff = centre_staff(programme.centre_id)
    form = IntakeForm()
    team = read_staff(staff)
    if request.method == "GET" and intake is not None:
        fill_intake_form(form, intake)
    elif request.method == "GET":
        form.timezone.data = db.get_or_404(Centre, programme.centre_id).timezone
    if form.validate_on_submit() and team.ok:
        plan = intake_plan(form, team.values)
        done = run_service(form, lambda: change_intake(current_user, intake, plan, now())
                           if intake else create_intake(current_user, programme, plan, now()))
        if done is not None:
            flash(_("The intake is saved."), "success")
            return redirect(url_for("intakes.intake_page", intake_id=done.id))
    roles = team.values if request.method == "POST" else _team(intake)
    return render_template("intakes/intake_form.html", programme=programme, intake=intake,
                           form=form, staff=staff, roles=roles, errors=team.errors)


def _team(intake: Intake | None) -> dict[int, str]:
    if intake is None:
        return {}
    return {row.user_id: row.role for row in db.session.scalars(
        select(IntakeStaff).where(IntakeStaff.intake_id == intake.id))}


@bp.route("/<int:intake_id>/")
@login_required
def intake_page(intake_id: int) -> str:
    intake = db.get_or_404(Intake, intake_id)
    authorize_or_403("intake.follow", intake)
    programme = db.get_or_404(Programme, intake.programme_id)
    return render_template(
        "intakes/intake.html", intake=intake, programme=programme,
        members=member_count(intake.id), sessions=intake_sessions(intake.id),
        may_manage=can(current_user, "intake.manage", intake),
        days=length_in_days(intake.starts_on, intake.ends_on))


@bp.route("/<int:intake_id>/deadlines", methods=["GET", "POST"])
@login_required
def deadlines(intake_id: int) -> str | WerkzeugResponse:
    intake = db.get_or_404(Intake, intake_id)
    authorize_or_403("intake.manage", intake)
    modules, form = programme_modules(intake.programme_id), DeadlinesForm()
    days = read_days(modules)
    if form.validate_on_submit() and days.ok and run_service(form, lambda: set_deadlines(
            current_user, intake, days.values, now())) is not None:
        flash(_("The deadlines are saved."), "success")
        return redirect(url_for("intakes.intake_page", intake_id=intake.id))
    given = days.values if request.method == "POST" else {
        row.module_id: row.due_day for row in db.session.scalars(
            select(IntakeDeadline).where(IntakeDeadline.intake_id == intake.id))}
    return render_template("intakes/deadlines.html", intake=intake, modules=modules,
                           form=form, given=given, errors=days.errors, day_date=day_date)


@bp.route("/<int:intake_id>/board")
@login_required
def board(intake_id: int) -> str:
    intake = db.get_or_404(Intake, intake_id)
    authorize_or_403("intake.follow", intake)
    return render_template("intakes/board.html", intake=intake,
                           board=progress_board(intake, now()))
