"""Language versions of a course: `01-why-gxp.fr.md` beside `01-why-gxp.md`, `course.fr.md`
beside `course.md`.

A version translates the texts of the module it stands beside and nothing else: settings,
answer keys, points and the structure of its quizzes and checklists are the module's own.
Here are the rules that hold a version to that (each problem with its line and a stable
code), the texts an import stores of a version, how a version's texts replace the
original's in a question as an attempt gives it, and which version a reader is shown.
Pure: no Flask, no database.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from babel import Locale, UnknownLocaleError

from app.content.fields import Report
from app.content.specs import (
    ChecklistSpec,
    CourseSpec,
    ModuleSpec,
    ModuleVersionSpec,
    QuestionSpec,
    QuizSpec,
)

# `01-why-gxp.fr.md`: the module's number and id, then the language tag.
VERSION_FILE = re.compile(
    r"^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$")
COURSE_VERSION_FILE = re.compile(r"^course\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$")

# What a version's front matter may say; every other module key comes from the original.
MODULE_VERSION_KEYS = ("title", "objectives", "language")
COURSE_VERSION_KEYS = ("title", "summary", "language")



def normalize_tag(tag: str) -> str | None:
    """The tag as TrainHub stores it ("pt-br" -> "pt-BR"), or None when it names no language
    that CLDR knows."""
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    parts = [locale.language]
    if locale.script:
        parts.append(locale.script)
    if locale.territory:
        parts.append(locale.territory)
    return "-".join(parts)


def same_language(first: str, second: str) -> bool:
    return first.lower() == second.lower()


def check_tag(tag: str, own: str, report: Report) -> str | None:
    """The version's normalized tag, or None after reporting why it cannot be one."""
    normal = normalize_tag(tag)
    if normal is None:
        report(1, f'"{tag}" in the file name is not a language tag (write it like "fr" or '
               '"pt-BR")', code="version-language-invalid")
        return None
    if same_language(normal, normalize_tag(own) or own):
        report(1, f'"{tag}" is the course\'s own language: the original files are the '
               f"{own} version", code="version-language-is-original")
        return None
    return normal


def check_front_keys(lines: dict[str, int], allowed: Sequence[str], original: str,
                     report: Report) -> None:
    """Keys a version may not set: it takes them from the file it translates."""
    for key, line in sorted(lines.items(), key=lambda item: item[1]):
        if key not in allowed:
            report(line, f'"{key}" cannot be set in a language version: set it in {original}; '
                   "a language version takes it from the module it translates",
                   code="version-key-forbidden")


def check_declared_language(declared: str | None, tag: str, line: int, report: Report) -> None:
    """`language:` in a version's front matter, when given, says what its file name says."""
    if declared is not None and not same_language(normalize_tag(declared) or declared, tag):
        report(line, f'language: {declared} does not match the file name, which says {tag}',
               code="version-language-mismatch")


# --- the structure a version must keep -------------------------------------------------------


def check_module_version(original: ModuleSpec, version: ModuleVersionSpec,
                         report: Report) -> None:
    """Every way the version's structure differs from the module's, each at the version's
    line: objectives, quizzes and questions, checklists."""
    _check_objectives(original, version, report)
    _check_quizzes(original.quizzes, version.quizzes, original.filename,
                   version.line_of.get("title", 1), report)
    _check_checklists(original.checklists, version.checklists, original.filename,
                      version.line_of.get("title", 1), report)


def _check_objectives(original: ModuleSpec, version: ModuleVersionSpec, report: Report) -> None:
    line = version.line_of.get("objectives", 1)
    ours, theirs = original.objective_specs, version.objective_specs
    if not theirs and "objectives" not in version.line_of:
        return  # the original's objectives are shown untranslated
    if len(ours) != len(theirs):
        report(line, f"the version lists {len(theirs)} objective(s) and {original.filename} "
               f"{len(ours)}: translate each one, in the same order",
               code="version-objectives-mismatch")
        return
    for mine, other in zip(ours, theirs, strict=True):
        if mine.id != other.id:
            report(other.line, f'objective "{other.id}" should be "{mine.id}", as in '
                   f"{original.filename} (same ids, same order)",
                   code="version-objectives-mismatch")


def _check_quizzes(ours: list[QuizSpec], theirs: list[QuizSpec], filename: str,
                   first_line: int, report: Report) -> None:
    if [q.slug for q in ours] != [q.slug for q in theirs]:
        line = next((q.line for q, o in zip(theirs, ours, strict=False) if q.slug != o.slug),
                    theirs[-1].line if theirs else first_line)
        report(line, "the quizzes differ from " + filename + ": it has "
               + (_ids(ours) or "none") + ", the version " + (_ids(theirs) or "none")
               + " (the same quizzes, in the same order, with the same ids)",
               code="version-quiz-mismatch")
        return
    for mine, other in zip(ours, theirs, strict=True):
        _check_quiz(mine, other, filename, report)


def _ids(blocks: Iterable[QuizSpec | ChecklistSpec]) -> str:
    return ", ".join(f'"{block.slug}"' for block in blocks)


# Quiz settings a version repeats or leaves out; `title` alone is translated.
_QUIZ_SETTINGS = (("pass_mark", "pass_mark"), ("attempts", "attempts"), ("shuffle", "shuffle"),
                  ("pick", "pick"), ("pick", "pick_per_objective"),
                  ("time_limit", "time_limit_minutes"), ("show_answers", "show_answers"))


def _check_quiz(mine: QuizSpec, other: QuizSpec, filename: str, report: Report) -> None:
    for setting, attribute in _QUIZ_SETTINGS:
        if setting in other.line_of and getattr(mine, attribute) != getattr(other, attribute):
            report(other.line_of[setting], f'quiz "{mine.slug}": {setting} differs from '
                   f"{filename}; only the title is translated (leave the setting out, or "
                   "give the same value)", code="version-quiz-settings")
    if len(mine.questions) != len(other.questions):
        report(other.line, f'quiz "{mine.slug}" has {len(other.questions)} question(s) here '
               f"and {len(mine.questions)} in {filename}", code="version-question-mismatch")
        return
    for ours, theirs in zip(mine.questions, other.questions, strict=True):
        _check_question(mine.slug, ours, theirs, filename, report)


def _check_question(quiz: str, ours: QuestionSpec, theirs: QuestionSpec, filename: str,
                    report: Report) -> None:
    where = f'quiz "{quiz}", question {theirs.number}'
    if ours.key != theirs.key:
        report(theirs.line, f'{where}: its id is "{theirs.key}" and "{ours.key}" in {filename}',
               code="version-question-mismatch")
        return
    if not same_kind(ours, theirs):
        report(theirs.line, f"{where} is {_kind(theirs.kind)} here and {_kind(ours.kind)} in "
               f"{filename}", code="version-question-mismatch")
        return
    if ours.points != theirs.points:
        report(theirs.line, f"{where} is worth {theirs.points:g} point(s) here and "
               f"{ours.points:g} in {filename}", code="version-points-mismatch")
    for name, mine, other in (("scoring", ours.scoring, theirs.scoring),
                              ("unit", ours.unit, theirs.unit),
                              ("words", ours.words, theirs.words),
                              ("asks", ours.asks, theirs.asks),
                              ("objective", ours.objective_refs, theirs.objective_refs)):
        if mine != other:
            report(theirs.line, f'{where}: "{name}" differs from {filename}, where it is the '
                   "same in every language", code="version-question-settings")
    if [c.correct for c in ours.choices] != [c.correct for c in theirs.choices]:
        if len(ours.choices) != len(theirs.choices):
            report(theirs.line, f"{where} has {len(theirs.choices)} choices here and "
                   f"{len(ours.choices)} in {filename}", code="version-choices-mismatch")
        else:
            report(theirs.line, f"{where}: the right answers are choice(s) "
                   f"{_places(theirs)} here and {_places(ours)} in {filename}",
                   code="version-choices-mismatch")
    if [(a.low, a.high) for a in ours.numeric_answers] != [
            (a.low, a.high) for a in theirs.numeric_answers]:
        report(theirs.line, f"{where}: the accepted numbers differ from {filename} (the same "
               "numbers in every language)", code="version-numeric-mismatch")
    if [c.points for c in ours.rubric] != [c.points for c in theirs.rubric]:
        report(theirs.line, f"{where}: the rubric's points are "
               f"{_points(theirs)} here and {_points(ours)} in {filename}",
               code="version-points-mismatch")


def same_kind(original: QuestionSpec, version: QuestionSpec) -> bool:
    """A version asks the same kind of question as its original. A true-or-false question is
    known by its English labels, True and False; in another language the same two choices
    read as a single choice, which translates it."""
    if original.kind == version.kind:
        return True
    return original.kind == "true_false" and version.kind == "single" \
        and len(version.choices) == 2


def _kind(kind: str) -> str:
    return {"single": "single choice", "true_false": "true or false",
            "multiple": "multiple answer", "numeric": "a number", "short_text": "short answer",
            "essay": "an essay"}.get(kind, kind)


def _places(question: QuestionSpec) -> str:
    return ", ".join(str(n) for n, c in enumerate(question.choices, start=1) if c.correct) \
        or "none"


def _points(question: QuestionSpec) -> str:
    return ", ".join(f"{c.points:g}" for c in question.rubric) or "none"


def _check_checklists(ours: list[ChecklistSpec], theirs: list[ChecklistSpec], filename: str,
                      first_line: int, report: Report) -> None:
    if [c.slug for c in ours] != [c.slug for c in theirs]:
        line = theirs[0].line if theirs else first_line
        report(line, "the checklists differ from " + filename + ": it has "
               + (_ids(ours) or "none") + ", the version " + (_ids(theirs) or "none"),
               code="version-checklist-mismatch")
        return
    for mine, other in zip(ours, theirs, strict=True):
        if (mine.pass_percent, mine.attempts) != (other.pass_percent, other.attempts):
            report(other.line, f'checklist "{mine.slug}": its settings differ from {filename}',
                   code="version-checklist-mismatch")
        if _shape(mine) != _shape(other):
            report(other.line, f'checklist "{mine.slug}": the groups, items or critical items '
                   f"differ from {filename} (the same number of items under the same "
                   "headings, {critical} on the same items)", code="version-checklist-mismatch")


def _shape(checklist: ChecklistSpec) -> list[tuple[int, bool]]:
    """Each item as (its group's place, critical): what a translation keeps."""
    groups: list[str] = []
    shape = []
    for item in checklist.items:
        if not groups or groups[-1] != item.section:
            groups.append(item.section)
        shape.append((len(groups), item.critical))
    return shape


# --- what an import stores of a version -------------------------------------------------------


def question_texts(question: QuestionSpec) -> dict[str, Any]:
    """A question's texts in a version: what replaces the original's in an attempt."""
    return {
        "prompt_html": question.prompt_html, "hint_html": question.hint_html,
        "explain_html": question.explain_html,
        "choices": [{"text_html": c.text_html, "feedback_html": c.feedback_html}
                    for c in question.choices],
        "numeric_feedback": [a.feedback_html for a in question.numeric_answers],
        "text_answers": [asdict(a) for a in question.text_answers],
        "wrong_answers": [asdict(a) for a in question.wrong_answers],
        "rubric": [c.text for c in question.rubric],
    }


def quiz_texts(quizzes: Iterable[QuizSpec]) -> dict[str, Any]:
    """{quiz id: {"title", "questions": {question key: texts}}}."""
    return {quiz.slug: {"title": quiz.title,
                        "questions": {q.key: question_texts(q) for q in quiz.questions}}
            for quiz in quizzes}


def checklist_texts(checklists: Iterable[ChecklistSpec]) -> dict[str, Any]:
    """{checklist id: {"title", "items": {item key: {"section", "text_html"}}}}."""
    return {c.slug: {"title": c.title, "items": {
        i.key: {"section": i.section, "text_html": i.text_html} for i in c.items}}
        for c in checklists}


def translate_question(prompt_html: str, data: dict[str, Any], texts: dict[str, Any] | None
                       ) -> tuple[str, dict[str, Any]]:
    """A question's prompt and answer data with a version's texts in place of the original's.

    The answer key stays the original's; short answers accept the version's answers first,
    then the original's (whose feedback, in the original's language, is left out)."""
    if not texts:
        return prompt_html, data
    data = copy.deepcopy(data)
    data["hint_html"] = texts.get("hint_html", "")
    data["explain_html"] = texts.get("explain_html", "")
    for choice, translated in zip(data.get("choices", []), texts.get("choices", []),
                                  strict=False):
        choice["text_html"] = translated["text_html"]
        choice["feedback_html"] = translated["feedback_html"]
    for answer, feedback in zip(data.get("numeric_answers", []),
                                texts.get("numeric_feedback", []), strict=False):
        answer["feedback_html"] = feedback
    if data.get("text_answers"):
        original = [{**answer, "feedback_html": ""} for answer in data["text_answers"]]
        data["text_answers"] = [*texts.get("text_answers", []), *original]
    if "wrong_answers" in texts:
        data["wrong_answers"] = texts["wrong_answers"]
    for criterion, text in zip(data.get("rubric", []), texts.get("rubric", []), strict=False):
        criterion["text"] = text
    return texts.get("prompt_html") or prompt_html, data


# --- which version a reader sees --------------------------------------------------------------


def pick_version(available: Sequence[str], own: str, *, asked: str | None = None,
                 remembered: str | None = None, interface: str | None = None) -> str:
    """The language to show: the one asked for (`?version=`), else the one remembered for the
    course, else the interface's, when the module has it; else the course's own. A tag
    matches a version of the same language ("pt" finds "pt-BR") when none is exact."""
    for wanted in (asked, remembered, interface):
        found = _match(wanted, available, own)
        if found is not None:
            return found
    return own


def _match(wanted: str | None, available: Sequence[str], own: str) -> str | None:
    if not wanted:
        return None
    tags = [own, *available]
    exact = next((tag for tag in tags if same_language(tag, wanted)), None)
    if exact is not None:
        return exact
    base = wanted.replace("_", "-").split("-")[0].lower()
    return next((tag for tag in tags if tag.split("-")[0].lower() == base), None)


# --- what an author sees of a course's versions -----------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """One file of a course and its versions: the languages it has, and those of the
    course's set it lacks ("missing: fr")."""

    path: str
    languages: tuple[str, ...]
    missing: tuple[str, ...]


def coverage(course: CourseSpec) -> list[Coverage]:
    """course.md and each module against the languages the course has versions in."""
    wanted = course.version_languages
    files = [("course.md", sorted(course.versions))] + [
        (module.filename, sorted(module.versions)) for module in course.modules]
    return [Coverage(path, tuple(have), tuple(tag for tag in wanted if tag not in have))
            for path, have in files]
