"""The assessor's queue and the grading screen."""

from __future__ import annotations

from typing import Any

from flask import Response as FlaskResponse
from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.models import User
from app.centres.scope import staff_centre_ids
from app.content.models import Course, Quiz
from app.content.queries import course_or_404
from app.core.auth import authorize_or_403, role_required
from app.core.boundary import ran_service, run_service
from app.core.formats import format_number
from app.core.forms import BadItem, EmptyForm, Items, attach_domain_error, read_items
from app.core.i18n import current_language
from app.core.roles import Role
from app.core.spreadsheet import csv_response
from app.core.time import now
from app.core.urls import query_int
from app.extensions import db
from app.grading import bp
from app.grading.queries import (
    attempts_by_language,
    gradebook,
    gradebook_csv_rows,
    gradebook_quizzes,
    gradebook_rows,
    item_analysis,
)
from app.grading.rules import question_numbers, rubric_levels
from app.grading.services import (
    RELEASE_MEANING,
    EssayGrade,
    awaiting_release,
    essay_items,
    grade_attempt,
    grading_queue,
    latest_grades,
    next_to_grade,
    regrade_quiz,
    release_grades,
)
from app.quizzes.models import Attempt
from app.quizzes.services import latest_answers
from app.quizzes.types import word_count
from app.records.forms import SignatureForm
from app.records.signatures import Refused

# A century: the queue's age filter asks for nothing older, and a date before year 1 does not
# exist (timedelta overflows).
OLDEST_DAYS = 36_500

# The item analysis's flags (app.grading.analysis), as the page names them.
FLAG_LABELS = {"everyone right": _l("everyone right"), "nobody right": _l("nobody right"),
               "weaker learners do better": _l("weaker learners do better")}


@bp.route("/")
@role_required(Role.ASSESSOR, Role.ADMIN)
def queue() -> str:
    course_id, quiz_id = query_int("course"), query_int("quiz")
    older = query_int("older_than_days", maximum=OLDEST_DAYS)
    items = grading_queue(current_user, course_id=course_id, quiz_id=quiz_id,
                          older_than_days=older, now=now())
    return render_template("grading/queue.html", items=items, course_id=course_id,
                           quiz_id=quiz_id, older=older, release=awaiting_release(current_user),
                           form=SignatureForm(), meaning=RELEASE_MEANING)


@bp.route("/release", methods=["POST"])
@role_required(Role.ASSESSOR, Role.ADMIN)
def release() -> str | Response:
    form = SignatureForm()
    if form.validate_on_submit():
        ids = {int(v) for v in request.form.getlist("attempt") if v.isdigit()}
        chosen = [item.attempt for item in awaiting_release(current_user)
                  if item.attempt.id in ids]
        released = run_service(form, lambda: release_grades(
            current_user, chosen, password=form.password.data or "", now=now()))
        if isinstance(released, Refused):
            attach_domain_error(form, released.error)  # kept on record by the commit
        elif released is not None:
            flash(ngettext("%(num)d grade released to the learners.",
                           "%(num)d grades released to the learners.", len(chosen)), "success")
            return redirect(url_for("grading.queue"))
    return render_template("grading/queue.html", items=grading_queue(current_user, now=now()),
                           course_id=None, quiz_id=None, older=None,
                           release=awaiting_release(current_user), form=form,
                           meaning=RELEASE_MEANING)


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@role_required(Role.ASSESSOR, Role.ADMIN)
def grade(attempt_id: int) -> str | Response:
    attempt = db.get_or_404(Attempt, attempt_id)
    authorize_or_403("attempt.grade", attempt)
    learner = db.session.get(User, attempt.user_id)
    form, items = EmptyForm(), essay_items(attempt)
    read: Items[str, EssayGrade] = Items()
    if form.validate_on_submit():
        read = _grades(items)
        if read.ok and ran_service(
                form, lambda: grade_attempt(current_user, attempt, read.values, now())):
            return _graded(attempt, learner)
    return _grading_page(attempt, learner, items, form, read)


def _graded(attempt: Attempt, learner: User | None) -> Response:
    """Say what was saved; with "Save and next", open the next script of the queue."""
    flash(_("Graded: %(percent)s%% for %(name)s. Release it from the queue when you are ready.",
            percent=format_number(attempt.percent or 0, current_language()),
            name=learner.name if learner else ""), "success")
    if request.form.get("then") == "next":
        following = next_to_grade(current_user, attempt)
        if following is not None:
            return redirect(url_for("grading.grade", attempt_id=following))
        flash(_("No other script waits for a grade."), "success")
    return redirect(url_for("grading.queue"))


def _grading_page(attempt: Attempt, learner: User | None, items: list[dict[str, Any]],
                  form: EmptyForm, read: Items[str, EssayGrade]) -> str:
    """The attempt's answers beside each essay's rubric, with what was typed and its errors
    after a refused submission."""
    quiz = db.session.get(Quiz, attempt.quiz_id)
    assert quiz is not None
    return render_template("grading/grade.html", attempt=attempt, quiz=quiz,
                           course=db.session.get(Course, quiz.course_id), learner=learner,
                           items=items, answers=latest_answers(attempt),
                           numbers=question_numbers(attempt.snapshot), levels=rubric_levels,
                           word_count=word_count,
                           grades=latest_grades(attempt), form=form,
                           error=" ".join(form.form_errors), item_errors=read.errors,
                           posted=request.form if request.method == "POST" else None)


def _grades(items: list[dict[str, Any]]) -> Items[str, EssayGrade]:
    """The grade of each essay as posted: a level per rubric criterion (`points-<essay>-<n>`,
    one radio group each), a note per criterion, a comment. A criterion left without a
    level, or points that are not a number or off its scale, are that essay's error, naming
    the criterion."""
    rubrics = {item["key"]: item["data"].get("rubric", []) for item in items}

    def parse(key: str, _values: list[str]) -> EssayGrade:
        rubric = rubrics[key]
        points = [_criterion_points(number, request.form.get(f"points-{key}-{number - 1}", ""),
                                    criterion["points"])
                  for number, criterion in enumerate(rubric, 1)]
        notes = [*request.form.getlist(f"note-{key}"), *[""] * len(rubric)][:len(rubric)]
        return EssayGrade(points, notes, request.form.get(f"comment-{key}", ""))

    return read_items(request.form, "points-", list(rubrics), parse)


def _criterion_points(number: int, typed: str, top_points: float) -> float:
    text, top = typed.strip(), f"{top_points:g}"
    if not text:
        raise BadItem(_("Criterion %(number)s: choose the points, from 0 to %(top)s.",
                        number=number, top=top))
    try:
        # A decimal comma is how much of the world writes 2,5.
        value = float(text.replace(",", ".", 1))
    except ValueError:
        raise BadItem(_("Criterion %(number)s: the points must be a number from 0 to %(top)s, "
                        "like 2 or 2.5 (not \u201c%(typed)s\u201d).",
                        number=number, top=top, typed=text)) from None
    if not 0 <= value <= top_points:
        raise BadItem(_("Criterion %(number)s: the points must be between 0 and %(top)s.",
                        number=number, top=top))
    return value


def _managed_course(course_slug: str) -> Course:
    course = course_or_404(course_slug)
    authorize_or_403("course.manage", course)
    return course


def _managed_quiz(course_slug: str, quiz_slug: str) -> tuple[Course, Quiz]:
    course = _managed_course(course_slug)
    return course, db.first_or_404(select(Quiz).where(Quiz.course_id == course.id,
                                                      Quiz.slug == quiz_slug))


@bp.route("/<course_slug>/gradebook")
@login_required
def course_gradebook(course_slug: str) -> str:
    course = _managed_course(course_slug)
    quizzes, rows = gradebook(course, staff_centre_ids(current_user))
    return render_template("grading/gradebook.html", course=course, quizzes=quizzes,
                           rows=rows)


@bp.route("/<course_slug>/gradebook.csv")
@login_required
def course_gradebook_csv(course_slug: str) -> FlaskResponse:
    course = _managed_course(course_slug)
    quizzes = gradebook_quizzes(course)
    return csv_response(gradebook_csv_rows(quizzes, gradebook_rows(
        course, quizzes, staff_centre_ids(current_user))),
                        f"gradebook-{course.slug}.csv")


@bp.route("/<course_slug>/quizzes/<quiz_slug>/analysis")
@login_required
def quiz_analysis(course_slug: str, quiz_slug: str) -> str:
    course, quiz = _managed_quiz(course_slug, quiz_slug)
    languages = attempts_by_language(quiz)
    language = request.args.get("language", "")
    language = language if language in languages else ""
    questions, stats, attempts = item_analysis(quiz, language or None, course.language,
                                              staff_centre_ids(current_user))
    return render_template("grading/analysis.html", course=course, quiz=quiz,
                           rows=list(zip(questions, stats, strict=True)), attempts=attempts,
                           flag_labels=FLAG_LABELS, form=EmptyForm(), languages=languages,
                           language=language)


@bp.route("/<course_slug>/quizzes/<quiz_slug>/regrade", methods=["POST"])
@login_required
def regrade(course_slug: str, quiz_slug: str) -> Response:
    _, quiz = _managed_quiz(course_slug, quiz_slug)
    if EmptyForm().validate_on_submit():
        summary = regrade_quiz(current_user, quiz, now())
        # Translators: two sentences' halves, "3 attempts checked ...; 1 score changed (...)".
        checked = ngettext("%(num)d attempt checked against the current answer keys;",
                           "%(num)d attempts checked against the current answer keys;",
                           summary.attempts)
        changed = ngettext("%(num)d score changed (the old one stays in the audit trail).",
                           "%(num)d scores changed (the old ones stay in the audit trail).",
                           summary.changed)
        flash(f"{checked} {changed}", "success")
    return redirect(url_for("grading.quiz_analysis", course_slug=course_slug,
                            quiz_slug=quiz_slug))
