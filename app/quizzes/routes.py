"""Quiz attempts: start, answer (saved as you go), submit, review."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.content.models import Course, Module, Quiz
from app.core.boundary import keep_writes, run_service
from app.core.db import begin_write
from app.core.errors import DomainError
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
    FINISHED_AT_LIMIT,
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
    # Two entities in one statement: `first_or_404` is typed for one.
    row = db.session.execute(
        select(Course, Quiz).join(Quiz, Quiz.course_id == Course.id)
        .where(Course.slug == course_slug, Quiz.slug == quiz_slug)).first()
    if row is None:
        abort(404)
    return row.Course, row.Quiz


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
    attempt = run_service(None, lambda: start_attempt(current_user, quiz, now(), view=view))
    if attempt is None:
        return redirect(url_for("learning.module", course_slug=course_slug,
                                module_slug=module.slug))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> str | Response:
    current = own_attempt(current_user, attempt_id)
    if current.open and current.deadline_at is not None and now() >= current.deadline_at:
        begin_write()
        current = own_attempt(current_user, attempt_id)
        finish_if_overdue(current, now())
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
    current = answer_sheet(current_user, attempt_id)
    seq = request.form.get("seq", type=int) or 0
    moment = now()
    try:
        result = save_answers(current_user, current, _raw_answers(current), seq, moment)
    except StaleSave as error:
        return _say(attempt_id, [error.message], "error", 409)
    if result.finished:
        keep_writes()  # the attempt was submitted at its limit: that stays
        return _say(attempt_id, [FINISHED_AT_LIMIT], "info", 409, finished=True)
    if result.refused:
        keep_writes()  # the readable answers are saved all the same
        return _say(attempt_id, _refusals(current, result), "error", 422,
                    refused=sorted(result.refused), saved=result.saved)
    if _wants_json():
        return jsonify(saved=result.saved, saved_at=moment.strftime("%H:%M:%S UTC"))
    flash(f"Your answers are saved ({moment:%H:%M:%S} UTC).", "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))


def _say(attempt_id: int, messages: list[str], category: str, status: int,
         **details: object) -> Response | tuple[Response, int]:
    """A save that did not go as asked: JSON with `status` for the autosave script, or the
    messages flashed over the attempt (or, once it is finished, its review) for a form."""
    if _wants_json():
        return jsonify(error=" ".join(messages), **details), status
    for message in messages:
        flash(message, category)
    endpoint = "quizzes.review" if details.get("finished") else "quizzes.attempt"
    return redirect(url_for(endpoint, attempt_id=attempt_id))


def _refusals(attempt: SavedAttempt, result: SaveResult) -> list[str]:
    """One message per refused answer, naming the question by its number on the page."""
    positions = {key: n for n, key in enumerate(answer_items(attempt), start=1)}
    kept = " Your other answers are saved." if result.saved else ""
    return [f"Question {positions[key]}: {message}{kept}"
            for key, message in sorted(result.refused.items(), key=lambda kv: positions[kv[0]])]


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@login_required
def submit(attempt_id: int) -> Response:
    current = own_attempt(current_user, attempt_id)  # CSRFProtect checked the token, as for save
    moment = now()
    refusals = _save_before_submit(current, moment) if current.open else []
    answers = latest_answers(current) if current.open and not refusals else None
    problems = answer_problems(current, answers) if answers is not None else {}
    if refusals or problems:
        # The readable answers are saved (the boundary commits them); nothing is submitted.
        positions = {item["key"]: n for n, item in enumerate(current.snapshot, start=1)}
        for message in refusals or [f"Question {positions[key]}: {' '.join(messages)}"
                                    for key, messages in problems.items()]:
            flash(message, "error")
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    # This POST's transaction holds the write lock (SQLite) since it began, so the answers
    # just read are the ones the submit scores.
    submit_attempt(current_user, current, moment, answers=answers)
    return redirect(url_for("quizzes.review", attempt_id=attempt_id))


def _save_before_submit(current: Attempt, moment: datetime) -> list[str]:
    """Save the answers a submit carries; what was refused (then nothing is submitted)."""
    seq = request.form.get("seq", type=int) or 0
    try:
        result = save_answers(current_user, current, _raw_answers(current), seq, moment)
    except DomainError:
        return []  # stale: raised before anything was written, so submit what is stored
    if result.finished:
        flash(FINISHED_AT_LIMIT, "info")
    return _refusals(current, result) if result.refused else []


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> str | Response:
    current = own_attempt(current_user, attempt_id)
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
