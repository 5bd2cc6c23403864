"""Quiz attempts: start, answer (saved as you go), submit, review."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.content.models import Course, Module, Quiz
from app.core.db import begin_write
from app.core.errors import DomainError, PermissionDenied
from app.core.forms import EmptyForm
from app.core.time import now
from app.extensions import db
from app.learning.outline import ModuleInfo
from app.learning.queries import CourseView, course_view
from app.quizzes import bp
from app.quizzes.models import AnswerStep, Attempt
from app.quizzes.queries import attempt_grades
from app.quizzes.rules import answers_visible, score_attempt
from app.quizzes.services import (
    SavedAttempt,
    SaveResult,
    StaleSave,
    answer_items,
    answer_problems,
    answer_sheet,
    attempts_left,
    finish_if_overdue,
    latest_answers,
    own_attempt,
    save_answers,
    start_attempt,
    submit_attempt,
)
from app.quizzes.types import QUESTION_TYPES


def _quiz_or_404(course_slug: str, quiz_slug: str) -> tuple[Course, Quiz]:
    row = db.session.execute(
        select(Course, Quiz).join(Quiz, Quiz.course_id == Course.id)
        .where(Course.slug == course_slug, Quiz.slug == quiz_slug)).first()
    if row is None:
        abort(404)
    return row[0], row[1]


def _enrolled_view(course: Course, quiz: Quiz) -> tuple[CourseView, ModuleInfo]:
    view = course_view(course.slug, current_user)
    assert view is not None
    module = next((m for m in view.modules if m.id == quiz.module_id), None)
    if module is None or not view.enrolled:
        abort(403)
    return view, module


@bp.route("/<course_slug>/<quiz_slug>/start", methods=["POST"])
@login_required
def start(course_slug: str, quiz_slug: str) -> Response:
    course, quiz = _quiz_or_404(course_slug, quiz_slug)
    view, module = _enrolled_view(course, quiz)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = start_attempt(current_user, quiz, now(), view=view)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("learning.module", course_slug=course_slug,
                                module_slug=module.slug))
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _attempt_or_403(attempt_id: int) -> Attempt:
    try:
        return own_attempt(current_user, attempt_id)
    except PermissionDenied:
        abort(403)


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> str | Response:
    current = _attempt_or_403(attempt_id)
    if current.open and current.deadline_at is not None and now() >= current.deadline_at:
        begin_write()
        current = _attempt_or_403(attempt_id)
        finish_if_overdue(current, now())
        db.session.commit()
        flash("The time limit has passed: your attempt was submitted with your saved "
              "answers.", "info")
    if not current.open:
        return redirect(url_for("quizzes.review", attempt_id=current.id))
    quiz = db.session.get(Quiz, current.quiz_id)
    assert quiz is not None
    answers = latest_answers(current)
    return render_template("quizzes/attempt.html", attempt=current, quiz=quiz,
                           answers=answers, types=QUESTION_TYPES, form=EmptyForm(),
                           seq=_next_seq(current))


def _next_seq(attempt: Attempt) -> int:
    return (db.session.scalar(select(func.max(AnswerStep.seq)).where(
        AnswerStep.attempt_id == attempt.id)) or 0) + 1


def _raw_answers(attempt: SavedAttempt) -> dict[str, list[str]]:
    form = request.form
    return {key: form.getlist(f"q-{key}") for key in answer_items(attempt)
            if f"q-{key}" in form or f"q-{key}-present" in form}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@login_required
def save(attempt_id: int) -> Response | tuple[Response, int]:
    # CSRFProtect has checked the token before the view (every POST); autosave is the most
    # frequent request of an exam, so it builds no form to check it twice.
    try:
        current = answer_sheet(current_user, attempt_id)
    except PermissionDenied:
        abort(403)
    seq = request.form.get("seq", type=int) or 0
    moment = now()
    try:
        result = save_answers(current_user, current, _raw_answers(current), seq, moment)
    except StaleSave as error:
        db.session.rollback()
        if _wants_json():
            return jsonify(error=error.message), 409
        flash(error.message, "error")
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    except DomainError as error:
        db.session.commit()  # an overdue attempt was finished: keep that
        if _wants_json():
            return jsonify(error=error.message, finished=True), 409
        flash(error.message, "info")
        return redirect(url_for("quizzes.review", attempt_id=attempt_id))
    db.session.commit()
    if result.refused:
        messages = _refusals(current, result)
        if _wants_json():
            return jsonify(error=" ".join(messages), refused=sorted(result.refused),
                           saved=result.saved), 422
        for message in messages:
            flash(message, "error")
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    if _wants_json():
        return jsonify(saved=result.saved, saved_at=moment.strftime("%H:%M:%S UTC"))
    flash(f"Your answers are saved ({moment:%H:%M:%S} UTC).", "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))


def _refusals(attempt: SavedAttempt, result: SaveResult) -> list[str]:
    """One message per refused answer, naming the question by its number on the page."""
    positions = {key: n for n, key in enumerate(answer_items(attempt), start=1)}
    kept = " Your other answers are saved." if result.saved else ""
    return [f"Question {positions[key]}: {message}{kept}"
            for key, message in sorted(result.refused.items(), key=lambda kv: positions[kv[0]])]


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@login_required
def submit(attempt_id: int) -> Response:
    current = _attempt_or_403(attempt_id)  # CSRFProtect has checked the token, as for save
    moment = now()
    seq = request.form.get("seq", type=int) or 0
    try:
        if current.open:
            result = save_answers(current_user, current, _raw_answers(current), seq, moment)
            if result.refused:
                db.session.commit()  # the readable answers are kept; nothing is submitted
                for message in _refusals(current, result):
                    flash(message, "error")
                return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    except DomainError:
        db.session.rollback()  # stale or overdue: submit what is stored
        current = _attempt_or_403(attempt_id)
    answers = latest_answers(current) if current.open else None
    problems = answer_problems(current, answers) if answers is not None else {}
    if problems:
        db.session.commit()  # the answers are saved; the attempt stays open
        positions = {item["key"]: n for n, item in enumerate(current.snapshot, start=1)}
        for key, messages in problems.items():
            flash(f"Question {positions[key]}: {' '.join(messages)}", "error")
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    # This POST's transaction holds the write lock (SQLite) since it began, so the answers
    # just read are the ones the submit scores.
    submit_attempt(current_user, current, moment, answers=answers)
    db.session.commit()
    return redirect(url_for("quizzes.review", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> str | Response:
    current = _attempt_or_403(attempt_id)
    if current.open:
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    quiz = db.session.get(Quiz, current.quiz_id)
    module = db.session.get(Module, quiz.module_id) if quiz else None
    course = db.session.get(Course, quiz.course_id) if quiz else None
    assert quiz is not None and module is not None and course is not None
    answers = latest_answers(current)
    left = attempts_left(current_user, quiz)
    show = answers_visible(quiz.show_answers,
                           finished=current.state == "graded" and bool(current.released_at),
                           passed_now=current.passed, attempts_left=left)
    result = score_attempt(current.snapshot, answers) if show else None
    grades = attempt_grades(current) if current.state == "graded" else {}
    return render_template("quizzes/review.html", attempt=current, quiz=quiz, module=module,
                           course=course, answers=answers, show=show, result=result,
                           types=QUESTION_TYPES, attempts_left=left, grades=grades)
