"""Pages of hands-on assessments: the assessor's overview, marking and signing, the
learner's view and request."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.models import User
from app.centres.scope import staff_centre_ids
from app.content.models import Checklist, Course, Module
from app.content.queries import course_or_404
from app.core.auth import authorize_or_403, can, role_required
from app.core.boundary import ran_service, run_service
from app.core.errors import found_or_404
from app.core.forms import BadItem, EmptyForm, Items, attach_domain_error, read_items
from app.core.roles import Role
from app.core.time import now
from app.extensions import db
from app.learning.queries import staff_roles_by_course
from app.practicals import bp
from app.practicals.queries import (
    AssessmentPage,
    assessment_page,
    course_overview,
    requests_for,
)
from app.practicals.rules import MARKS
from app.practicals.services import (
    ItemMark,
    assessment_outcome,
    current_marks,
    open_assessment,
    request_assessment,
    save_marks,
    sign_assessment,
    standing,
)
from app.records.forms import SignatureForm
from app.records.meanings import meaning_shown
from app.records.signatures import Refused

# The requests page lists this many learners at most, the longest waiting first.
REQUESTS_SHOWN = 100

# Translators: the marks an assessor gives each item of a hands-on checklist.
MARK_LABELS = {"met": _l("Met"), "not_met": _l("Not met"), "na": _l("Not applicable")}


def _live_checklist(course: Course, checklist_slug: str) -> Checklist:
    return db.first_or_404(select(Checklist).where(
        Checklist.course_id == course.id, Checklist.slug == checklist_slug,
        Checklist.archived_at.is_(None)))


@bp.route("/requests")
@role_required(Role.ASSESSOR)
def requests_page() -> str:
    """Every learner asking to be assessed in the courses the viewer assesses, the longest
    waiting first, each with the button that starts the assessment."""
    courses = {course for course, roles in staff_roles_by_course(current_user.id).items()
               if "assessor" in roles}
    lines = requests_for(courses, REQUESTS_SHOWN, staff_centre_ids(current_user)) \
        if courses else []
    return render_template("practicals/requests.html", lines=lines, shown=REQUESTS_SHOWN,
                           assesses=bool(courses), form=EmptyForm())


@bp.route("/courses/<course_slug>/")
@login_required
def course_overview_page(course_slug: str) -> str:
    course = course_or_404(course_slug)
    authorize_or_403("practical.assess", course)
    return render_template("practicals/overview.html", course=course,
                           overviews=course_overview(course, staff_centre_ids(current_user)),
                           form=EmptyForm())


@bp.route("/courses/<course_slug>/<checklist_slug>/learners/<int:user_id>/open",
          methods=["POST"])
@login_required
def open_for(course_slug: str, checklist_slug: str, user_id: int) -> Response:
    course = course_or_404(course_slug)
    authorize_or_403("practical.assess", course)
    checklist = _live_checklist(course, checklist_slug)
    learner = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        assessment = run_service(None, lambda: open_assessment(current_user, checklist, learner,
                                                               now()))
        if assessment is not None:
            return redirect(url_for("practicals.assessment", assessment_id=assessment.id))
    return redirect(url_for("practicals.course_overview_page", course_slug=course_slug))


@bp.route("/courses/<course_slug>/<checklist_slug>/mine", methods=["GET", "POST"])
@login_required
def mine(course_slug: str, checklist_slug: str) -> str | Response:
    """The learner's attempts at a checklist, and asking for an assessment."""
    course = course_or_404(course_slug)
    checklist = _live_checklist(course, checklist_slug)
    module = db.session.get(Module, checklist.module_id)
    assert module is not None
    form = EmptyForm()
    if form.validate_on_submit():
        if ran_service(None, lambda: request_assessment(current_user, checklist, now())):
            flash(_("Your request is with the course's assessors: they will arrange the "
                    "observation with you."), "success")
        return redirect(url_for("practicals.mine", course_slug=course_slug,
                                checklist_slug=checklist_slug))
    return render_template("practicals/mine.html", course=course, checklist=checklist,
                           module=module, standing=standing(current_user.id, checklist, module),
                           form=form)


def _page_or_404(assessment_id: int) -> AssessmentPage:
    page = found_or_404(assessment_page(assessment_id))
    authorize_or_403("practical.view", page.assessment)
    return page


def _marks_from_form(page: AssessmentPage) -> Items[str, ItemMark]:
    # "Save, the others met": every item the assessor left without a mark is met; they
    # change the exceptions afterwards, before signing.
    others_met = request.form.get("others") == "met"

    def parse(key: str, values: list[str]) -> ItemMark | None:
        value = values[0] if values else ""
        if not value:
            return ItemMark("met", request.form.get(f"note-{key}", "")) if others_met else None
        if value not in MARKS:
            raise BadItem(_("Mark this item met, not met or not applicable."))
        return ItemMark(value, request.form.get(f"note-{key}", ""))

    return read_items(request.form, "mark-", [item["key"] for item in page.assessment.items],
                      parse)


def _render(page: AssessmentPage, form: EmptyForm, signing: SignatureForm,
            item_errors: dict[str, str] | None = None) -> str:
    marks = current_marks(page.assessment)
    return render_template(
        "practicals/assessment.html", page=page, marks=marks,
        outcome=assessment_outcome(page.assessment, marks), labels=MARK_LABELS,
        may_assess=can(current_user, "practical.assess", page.course), form=form,
        signing=signing, item_errors=item_errors or {},
        posted=request.form if item_errors is not None else None)


@bp.route("/<int:assessment_id>/", methods=["GET", "POST"])
@login_required
def assessment(assessment_id: int) -> str | Response:
    page = _page_or_404(assessment_id)
    form = EmptyForm()
    if request.method == "POST":
        authorize_or_403("practical.assess", page.course)
        if not form.validate_on_submit():
            return _render(page, form, SignatureForm(formdata=None))
        read = _marks_from_form(page)
        if read.ok and ran_service(form, lambda: save_marks(
                current_user, page.assessment, read.values, now())):
            flash(_("Marks saved."), "success")
            return redirect(url_for("practicals.assessment", assessment_id=assessment_id))
        return _render(page, form, SignatureForm(formdata=None), read.errors)
    return _render(page, form, SignatureForm(formdata=None))


@bp.route("/<int:assessment_id>/sign", methods=["POST"])
@login_required
def sign(assessment_id: int) -> str | Response:
    page = _page_or_404(assessment_id)
    authorize_or_403("practical.assess", page.course)
    signing = SignatureForm()
    if signing.validate_on_submit():
        result = run_service(signing, lambda: sign_assessment(
            current_user, page.assessment, password=signing.password.data or "", now=now()))
        if isinstance(result, Refused):
            attach_domain_error(signing, result.error)  # kept on record by the commit
        elif result is not None:
            flash(_("Signed: %(meaning)s.", meaning=meaning_shown(result.meaning)), "success")
            return redirect(url_for("practicals.assessment", assessment_id=assessment_id))
    return _render(page, EmptyForm(formdata=None), signing)
