"""Quiz attempts: start, answer (saved as you go), submit, review."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache, wraps
from typing import Any

from babel import Locale
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.content.models import Course, Module, Quiz
from app.core.boundary import keep_writes, run_service
from app.core.caches import AppCache
from app.core.db import begin_write
from app.core.errors import ValidationError, render_error
from app.core.forms import EmptyForm
from app.core.i18n import current_language
from app.core.time import now
from app.core.zones import local_time
from app.extensions import db
from app.learning.outline import ModuleInfo
from app.learning.queries import CourseView, course_view
from app.learning.versions import shown_version
from app.quizzes import bp
from app.quizzes.models import AnswerStep, Attempt
from app.quizzes.queries import attempt_grades
from app.quizzes.rules import answers_visible, score_attempt
from app.quizzes.services import (
    ALREADY_FINISHED,
    FINISHED_AT_LIMIT,
    SavedAttempt,
    SaveResult,
    StaleSave,
    answer_items,
    answer_problems,
    answer_sheet,
    answers_locale,
    attempt_quiz,
    attempts_left,
    finish_if_overdue,
    latest_answers,
    own_attempt,
    posted_answers,
    save_answers,
    start_attempt,
    submit_attempt,
    titles_in,
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
    attempt, unconfirmed = _start_or_ask(quiz, view,
                                         request.form.get("confirm_pending") == "yes",
                                         shown_version(view.course, module.languages))
    if unconfirmed:
        return redirect(url_for("learning.module", course_slug=course_slug,
                                module_slug=module.slug, confirm=quiz.slug,
                                _anchor=f"start-{quiz.slug}"))
    if attempt is None:
        return redirect(url_for("learning.module", course_slug=course_slug,
                                module_slug=module.slug))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _start_or_ask(quiz: Quiz, view: CourseView, confirmed: bool, language: str
                  ) -> tuple[Attempt | None, bool]:
    """Start an attempt for the form; `(None, True)` when a pending result asks for the
    learner's confirmation first (nothing was written: the box is asked for, beside it)."""
    unconfirmed = False

    def begin() -> Attempt | None:
        nonlocal unconfirmed
        try:
            return start_attempt(current_user, quiz, now(), view=view,
                                 confirmed_pending=confirmed, language=language,
                                 typed_in=current_language())
        except ValidationError as error:
            if error.field != "confirm_pending":
                raise
            unconfirmed = True
            return None

    return run_service(None, begin), unconfirmed


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> tuple[str, int] | Response:
    current = own_attempt(current_user, attempt_id)
    if current.open and current.deadline_at is not None and now() >= current.deadline_at:
        begin_write()
        current = own_attempt(current_user, attempt_id)
        finish_if_overdue(current, now())
        flash(_("The time limit has passed: your attempt was submitted with your saved "
                "answers."), "info")
    if not current.open:
        return redirect(url_for("quizzes.review", attempt_id=current.id))
    return _attempt_page(current, latest_answers(current))


def _attempt_page(current: Attempt, answers: dict[str, dict[str, Any]], *,
                  errors: Mapping[str, list[str]] | None = None, notice: str | None = None,
                  status: int = 200) -> tuple[str, int]:
    """The attempt's page with these answers filled in: the saved ones, or a form's that
    could not be saved or submitted, with the errors beside their questions."""
    quiz, quiz_title = attempt_quiz(current)
    moment = now()
    remaining = (max(0, int((current.deadline_at - moment).total_seconds()))
                 if current.deadline_at is not None else None)
    login_again = url_for("auth.login", next=url_for("quizzes.attempt", attempt_id=current.id))
    return render_template(
        "quizzes/attempt.html", attempt=current, quiz=quiz, quiz_title=quiz_title,
        answers=answers,
        types=QUESTION_TYPES, form=EmptyForm(), seq=_next_seq(current),
        errors=errors or {}, notice=notice, remaining=remaining, login_again=login_again,
        deadline_clock=_clock(current.deadline_at) if current.deadline_at else None,
        loaded_at=_clock(moment), zone=_zone().replace("_", " "),
        script_strings=autosave_strings()), status


@cache
def _plural_samples(language: str) -> dict[str, int]:
    """A number of each plural category of the language (CLDR's: 'one', 'few', 'other'...)."""
    rule = Locale.parse(language).plural_form
    samples: dict[str, int] = {}
    for number in range(200):
        samples.setdefault(rule(number), number)
    return samples


def _plurals(message: Callable[[int], str]) -> dict[str, str]:
    """A message with a count (`message(count)`, its `%(count)s` left for the script) in each
    plural form of the page's language, by CLDR category: the script picks one with the
    browser's `Intl.PluralRules`."""
    return {category: message(sample)
            for category, sample in _plural_samples(current_language()).items()}


# The script's words are the same on every attempt page in one locale: each worker words
# them once per interface locale (docs/performance.md).
AUTOSAVE_STRINGS: AppCache[str, dict[str, Any]] = AppCache("autosave script's words", size=50)


def autosave_strings() -> dict[str, Any]:
    """The words of the attempt page's script (autosave.js) in the page's language, with
    `%(name)s` placeholders that the script fills in."""
    return AUTOSAVE_STRINGS.get(str(get_locale()), _autosave_strings)


def _autosave_strings() -> dict[str, Any]:
    time, link, count, low, high = "%(time)s", "%(link)s", "%(count)s", "%(low)s", "%(high)s"
    return {
        "language": current_language(),
        "restored": _("The answers you typed on this device are filled in again. Saving "
                      "them…"),
        # Translators: `time` is the clock time of the last save, such as "14:02".
        "restoredSince": _("The answers you typed on this device since %(time)s are filled "
                           "in again. Saving them…", time=time),
        "saving": _("Saving…"),
        "saved": _("Saved at %(time)s.", time=time),
        # Translators: `link` is the link "Log in again in a new tab".
        "sessionEnded": _("Your session has ended: your answers since %(time)s are kept on "
                          "this device. %(link)s, then come back to save.", time=time,
                          link=link),
        "logInAgain": _("Log in again in a new tab"),
        "notSaved": _("Not saved. Use the Save button."),
        "unavailable": _("Not saved yet: TrainHub cannot reach its database for a moment. "
                         "Your answers are kept on this device and saved again in a few "
                         "seconds."),
        "notSavedRetrying": _("Not saved yet: the server did not answer. Your answers are "
                              "kept on this device and saved again in a few seconds."),
        "offline": _("Not saved: no connection. Your answers are kept on this device; they "
                     "are saved when you next type, or use Save."),
        # Translators: an essay's word count as the learner types; `low` and `high` are
        # the numbers of words asked for.
        "wordsBelow": _plurals(lambda n: ngettext(
            "%(count)s word: write at least %(low)s.", "%(count)s words: write at least %(low)s.",
            n, count=count, low=low)),
        "wordsAbove": _plurals(lambda n: ngettext(
            "%(count)s word: write at most %(high)s.", "%(count)s words: write at most %(high)s.",
            n, count=count, high=high)),
        "wordsWithin": _plurals(lambda n: ngettext(
            "%(count)s word (%(low)s–%(high)s asked).",  # noqa: RUF001
            "%(count)s words (%(low)s–%(high)s asked).",  # noqa: RUF001
            n, count=count, low=low, high=high)),
        "fiveMinutesLeft": _("5 minutes left."),
        "oneMinuteLeft": _("1 minute left. Your saved answers are submitted when the time is "
                           "up."),
        # Translators: the countdown of a timed attempt; `time` is like "04:59".
        "timeLeft": _("%(time)s left", time=time),
        "timeUp": _("Time is up: your saved answers are being submitted."),
    }


def _zone() -> str:
    return (current_user.timezone if current_user.is_authenticated else None) or "UTC"


def _clock(moment: datetime) -> str:
    """'14:02' on the learner's own clock: their profile's time zone, not the browser's."""
    return local_time(moment, _zone()).strftime("%H:%M")


def _next_seq(attempt: Attempt) -> int:
    return (db.session.scalar(select(func.max(AnswerStep.seq)).where(
        AnswerStep.attempt_id == attempt.id)) or 0) + 1


def _raw_answers(attempt: SavedAttempt) -> dict[str, list[str]]:
    form = request.form
    return {key: form.getlist(f"q-{key}") for key in answer_items(attempt)
            if f"q-{key}" in form or f"q-{key}-present" in form}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _session_ended(attempt_id: int) -> tuple[Response | str, int]:
    """A save or submit from a page whose session has ended (logged out elsewhere, expired):
    401 with words the autosave script shows, or a page for a form sent without it."""
    if _wants_json():
        return jsonify(error=str(SESSION_ENDED), session_ended=True), 401
    login_again = url_for("auth.login", next=url_for("quizzes.attempt", attempt_id=attempt_id))
    return render_template("quizzes/session_ended.html", login_again=login_again), 401


def learner_session_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """`login_required` for the attempt's saves and submits: no redirect to a log-in page
    that would drop what the learner sent, but the session-ended answer."""

    @wraps(view)
    def wrapped(attempt_id: int) -> Any:
        if not current_user.is_authenticated:
            return _session_ended(attempt_id)
        return view(attempt_id)

    return wrapped


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@learner_session_required
def save(attempt_id: int) -> Response | tuple[Response, int]:
    # CSRFProtect has checked the token before the view (every POST); autosave is the most
    # frequent request of an exam, so it builds no form to check it twice.
    # A save sent twice (a proxy's retry) gets the first one's answer: save_answers.
    current = answer_sheet(current_user, attempt_id)
    seq = request.form.get("seq", type=int) or 0
    try:
        result = save_answers(current_user, current, _raw_answers(current), seq, now())
    except StaleSave as error:  # `stale`: the script tells an overtaken save by it
        return _say(attempt_id, [error.message], "error", 409, stale=True)
    if result.finished:
        keep_writes()  # the attempt was submitted at its limit (maybe just now): that stays
        said = FINISHED_AT_LIMIT if result.finished_by == "server" else ALREADY_FINISHED
        return _say(attempt_id, [str(said)], "info", 409, finished=True)
    if result.refused:
        keep_writes()  # the readable answers are saved all the same
        return _say(attempt_id, _refusals(current, result), "error", 422,
                    refused=sorted(result.refused), saved=result.saved)
    saved_at = _clock(result.saved_at or now())
    if _wants_json():
        return jsonify(saved=result.saved, saved_at=saved_at)
    flash(_("Your answers are saved (at %(time)s your time).", time=saved_at), "success")
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
    # Translators: `message` says what is wrong with the answer to question `number`.
    said = (_l("Question %(number)s: %(message)s Your other answers are saved.") if result.saved
            else _l("Question %(number)s: %(message)s"))
    return [said % {"number": positions[key], "message": message}
            for key, message in sorted(result.refused.items(), key=lambda kv: positions[kv[0]])]


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@learner_session_required
def submit(attempt_id: int) -> Response | tuple[str, int]:
    # CSRFProtect checked the token, as for save. Locked: a submit sent twice at once (a
    # proxy's retry) waits for the first, finds the attempt finished, and redirects alike.
    current = own_attempt(current_user, attempt_id, lock=True)
    moment = now()
    refused = _save_before_submit(current, moment) if current.open else {}
    answers = latest_answers(current) if current.open and not refused else None
    problems = (answer_problems(current, answers, locale=current_language())
                if answers is not None else {})
    if refused or problems:
        # The readable answers are saved (kept with the 422); nothing is submitted. Every
        # question that stops the submit says why, beside it.
        keep_writes()
        errors = {key: [message] for key, message in refused.items()} or problems
        return _attempt_page(current, latest_answers(current), errors=errors, status=422)
    # The attempt's row is locked (PostgreSQL), and this POST's transaction holds the write
    # lock (SQLite) since it began, so the answers just read are the ones the submit scores.
    submit_attempt(current_user, current, moment, answers=answers, locale=current_language())
    return redirect(url_for("quizzes.review", attempt_id=attempt_id))


def _save_before_submit(current: Attempt, moment: datetime) -> dict[str, str]:
    """Save the answers a submit carries; what was refused, by question (then nothing is
    submitted)."""
    seq = request.form.get("seq", type=int) or 0
    try:
        result = save_answers(current_user, current, _raw_answers(current), seq, moment)
    except StaleSave:
        return {}  # raised before anything was written, so submit what is stored
    if result.finished:
        flash(str(FINISHED_AT_LIMIT), "info")
    return result.refused


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
    result = (score_attempt(current.snapshot, answers, answers_locale(current, current_language()))
              if show else None)
    grades = attempt_grades(current) if current.state == "graded" else {}
    quiz_title, module_title = titles_in(quiz, module.title, current.language, course.language)
    return render_template("quizzes/review.html", attempt=current, quiz=quiz, module=module,
                           quiz_title=quiz_title, module_title=module_title, course=course,
                           answers=answers, show=show, result=result,
                           types=QUESTION_TYPES, attempts_left=left, grades=grades)


SESSION_ENDED = _l("Your session has ended: your answers since your last save are kept on "
                   "this device. Log in again in a new tab, then come back to save.")
PAGE_EXPIRED = _l("This page has expired, so your answers were not saved. They are kept on "
                  "this device: reload the page to save them.")
SEND_AGAIN = _l("Your answers could not be sent: the page had expired. Nothing was saved or "
                "submitted. Your answers are filled in below as you sent them: check them, "
                "then save or submit again.")


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[Response | str, int]:
    """A save or submit whose form token failed: nothing is written (the check failed), and
    no bare 400 page either; the answers the learner sent are shown again to send again."""
    attempt_id = (request.view_args or {}).get("attempt_id")
    if request.endpoint not in ("quizzes.save", "quizzes.submit") or attempt_id is None:
        return render_error(400, error.description)
    if not current_user.is_authenticated:
        return _session_ended(attempt_id)
    if _wants_json():
        return jsonify(error=str(PAGE_EXPIRED), expired=True), 400
    current = db.session.get(Attempt, attempt_id)
    if current is None or current.user_id != current_user.id:
        # Not the learner's attempt: the plain refusal, which says nothing of the attempt.
        return render_error(400, error.description)
    if not current.open:
        return redirect(url_for("quizzes.review", attempt_id=attempt_id)), 303
    answers = {**latest_answers(current), **posted_answers(current, _raw_answers(current))}
    return _attempt_page(current, answers, notice=str(SEND_AGAIN), status=400)
