"""Objectives with ids, the questions that name them, and `pick: N per objective`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest
from sqlalchemy import select

from app.content.importer import import_courses
from app.content.loader import load_courses
from app.content.models import Module, Question, Quiz
from app.content.quiz_blocks import read_quiz
from app.content.render import inline_renderer
from app.content.specs import ObjectiveSpec, Problems, QuizSpec
from app.extensions import db

# Line 4 onwards of the module file: its objectives.
WHY = """---
title: Why GxP
objectives:
  - yield: Calculate a batch yield and say whether it needs an investigation
  - Explain why GMP exists
  - records-2: Correct a paper record
---
Text.
"""

FINAL = """---
title: Final assessment
objectives:
  - Apply the course to a case
---
Text.

```quiz
id: final
pass_mark: 80%
attempts: 3
{settings}
1.  Theoretical yield 10000 vials, 9850 released. Yield in %?
    objective: why-gxp/yield, 1
    asks: apply
    = 98.5
        > 9850 / 10000 = 98.5 %.
2.  Why does GMP exist?
    objective: why-gxp/2
    = to protect patients
        > Patients cannot test a vaccine themselves.
3.  Which correction is acceptable?
    objective: why-gxp/records-2, why-gxp/yield, why-gxp/records-2
    asks: recall
    (x) A single line through, initials, date and reason
        > The original stays legible.
    ( ) Correction fluid
```
"""


def quiz(text: str) -> tuple[QuizSpec, list[tuple[int, str]]]:
    """A quiz block read on its own, its first line being line 10 of its file."""
    problems = Problems()
    spec = read_quiz(dedent(text).strip("\n"), 10, path="m.md", position=1,
                     default_slug="m-quiz-1", inline=inline_renderer("m.md", {}, problems),
                     problems=problems)
    return spec, [(p.line, p.message) for p in problems.sorted() if p.is_error]


def _course(write_course: Callable[..., Path], settings: str = "", final: str = FINAL) -> Path:
    return write_course({"01-why-gxp.md": WHY, "02-final.md": final.format(settings=settings)})


def _load(folder: Path):
    courses, problems = load_courses([folder])
    return courses, [(Path(p.path).name, p.line, p.message) for p in problems.errors()]


def test_objectives_get_their_ids_or_their_place_and_keep_their_text(write_course) -> None:
    (course,), errors = _load(_course(write_course))
    assert errors == []
    why = course.modules[0]
    assert why.objective_specs == [
        ObjectiveSpec("yield", "Calculate a batch yield and say whether it needs an investigation",
                      4),
        ObjectiveSpec("2", "Explain why GMP exists", 5),
        ObjectiveSpec("records-2", "Correct a paper record", 6)]
    # What learners see is the text alone, as before ids.
    assert why.objectives == ["Calculate a batch yield and say whether it needs an investigation",
                              "Explain why GMP exists", "Correct a paper record"]


def test_questions_name_objectives_course_wide_once_each(write_course) -> None:
    (course,), errors = _load(_course(write_course))
    assert errors == []
    questions = course.modules[1].quizzes[0].questions
    assert [q.objectives for q in questions] == [
        ["why-gxp/yield", "final/1"], ["why-gxp/2"], ["why-gxp/records-2", "why-gxp/yield"]]
    assert [q.asks for q in questions] == ["apply", "recall", "recall"]


def test_a_bare_id_names_an_objective_of_the_questions_own_module(write_course) -> None:
    final = FINAL.replace("objective: why-gxp/2", "objective: 1")
    (course,), errors = _load(_course(write_course, final=final))
    assert errors == []
    assert course.modules[1].quizzes[0].questions[1].objectives == ["final/1"]


def test_import_stores_what_each_question_assesses_apart_from_its_answer_key(
        app, clock, write_course) -> None:
    courses, problems = load_courses([_course(write_course, "pick: 1 per objective\n"
                                                            "shuffle: all")])
    assert not problems
    import_courses(courses, now=clock())
    rows = db.session.scalars(select(Question).order_by(Question.position)).all()
    assert [(q.objectives, q.asks) for q in rows] == [
        (["why-gxp/yield", "final/1"], "apply"), (["why-gxp/2"], "recall"),
        (["why-gxp/records-2", "why-gxp/yield"], "recall")]
    assert all(not {"objectives", "objective_refs", "asks"} & set(q.answer_data) for q in rows)
    stored = db.session.scalar(select(Quiz))
    assert stored is not None and (stored.pick, stored.pick_per_objective) == (1, True)
    module = db.session.scalar(select(Module).where(Module.slug == "why-gxp"))
    assert module is not None and module.objectives[0].startswith("Calculate a batch yield")


@pytest.mark.parametrize(("objective", "message"), [
    ("yeild", 'objective "yeild" names no objective of this module (write '
              '"<module-id>/<objective-id>" for another module\'s); did you mean nothing'),
    ("yield", 'objective "yield" names no objective of this module (write '
              '"<module-id>/<objective-id>" for another module\'s); did you mean '
              '"why-gxp/yield"?'),
    ("why-gxp/yeild", 'objective "why-gxp/yeild" names no objective of module "why-gxp"; '
                      'did you mean "why-gxp/yield"?'),
    ("why-gpx/yield", 'objective "why-gpx/yield": there is no module "why-gpx" in this course; '
                      'did you mean "why-gxp"?'),
    ("why-gxp/4", 'objective "why-gxp/4" names no objective of module "why-gxp"; did you mean '
                  '"why-gxp/2"?'),
])
def test_an_objective_that_leads_nowhere_is_an_error_at_its_line(write_course, objective: str,
                                                                  message: str) -> None:
    final = FINAL.replace("objective: why-gxp/2", f"objective: {objective}")
    _, errors = _load(_course(write_course, final=final))
    # Front matter (5 lines), body (2), the fence, four settings with a blank one, then
    # question 1 (5 lines): question 2's objective is on line 19.
    expected = message.replace("; did you mean nothing", "")
    assert errors == [("02-final.md", 19, expected)]


def test_objective_ids_are_unique_in_their_module_only(write_course) -> None:
    twice = WHY.replace("records-2: Correct", "yield: Correct")
    folder = write_course({"01-why-gxp.md": twice,
                           "02-other.md": WHY.replace("Why GxP", "Other")})
    _, errors = _load(folder)
    assert errors == [("01-why-gxp.md", 6, 'objective id "yield" is used at line 4 too')]


def test_an_objective_map_of_more_than_one_line_is_an_error(write_course) -> None:
    odd = WHY.replace("  - Explain why GMP exists\n",
                      "  - {a: Explain, b: why GMP exists}\n  - x: [a, list]\n")
    _, errors = _load(write_course({"01-why-gxp.md": odd}))
    assert errors == [
        ("01-why-gxp.md", 5, 'objectives: each objective is one line: "text" or "id: text"'),
        ("01-why-gxp.md", 6, 'objectives: objective "x" must be one line of text')]


def test_objective_and_asks_settings_are_checked_where_they_are_written() -> None:
    spec, problems = quiz("""
        1.  Q?
            objective: yield,
            asks: applies
            = 1
        2.  Q?
            objective: Why/GxP
            = 2
        3.  Q?
            objective:
            = 3
        """)
    # A comma at the end is forgiven: "yield," names yield.
    assert spec.questions[0].objective_refs == ["yield"]
    assert problems == [
        (12, 'asks: "applies" is not one of recall, apply; did you mean "apply"?'),
        (15, 'objective: "Why/GxP" is not an objective: write its id, or '
             '"<module-id>/<objective-id>" for another module\'s, with commas between several'),
        (18, "objective: must not be empty")]


@pytest.mark.parametrize(("value", "pick", "per_objective"), [
    ("3", 3, False), ("2 per objective", 2, True), ("1  per   objective", 1, True)])
def test_pick_reads_a_number_or_a_number_per_objective(value: str, pick: int,
                                                       per_objective: bool) -> None:
    spec, problems = quiz(f"""
        pick: {value}
        1.  Q?
            objective: a
            = 1
        2.  Q?
            objective: a
            = 2
        3.  Q?
            objective: b
            = 3
        """)
    assert problems == []
    assert (spec.pick, spec.pick_per_objective, spec.line_of["pick"]) == (pick, per_objective,
                                                                          10)


@pytest.mark.parametrize(("value", "message"), [
    ("2 per module", 'pick: "2 per module": questions can be drawn per objective only; write '
                     'it like "2 per objective"'),
    ("0 per objective", "pick: must be at least 1"),
    ("two per objective", 'pick: "two" is not a whole number'),
])
def test_a_pick_that_cannot_be_read_is_an_error(value: str, message: str) -> None:
    _, problems = quiz(f"pick: {value}\n1.  Q?\n    = 1")
    assert problems == [(10, message)]


def test_per_objective_needs_an_objective_on_every_question() -> None:
    spec, problems = quiz("""
        pick: 1 per objective
        1.  Q?
            objective: a
            = 1
        2.  Q?
            = 2
        """)
    assert problems == [(14, 'question 2 has no "objective:": a quiz with "pick: N per '
                             "objective\" draws each question from its objective's group")]
    # N per objective is not compared with the number of questions in the whole block.
    assert spec.pick == 1


def test_per_objective_groups_by_the_first_objective_and_each_needs_n(write_course) -> None:
    _, errors = _load(_course(write_course, "pick: 2 per objective"))
    # Groups: why-gxp/yield (question 1), why-gxp/2 (2), why-gxp/records-2 (3): one each.
    assert errors == sorted(("02-final.md", 12, f'pick: 2 per objective, but objective "{group}" '
                             "is the first objective of only 1 question(s) in the quiz")
                            for group in ("why-gxp/yield", "why-gxp/2", "why-gxp/records-2"))
    _, errors = _load(_course(write_course, "pick: 1 per objective"))
    assert errors == []


def test_the_quiz_settings_keep_their_lines() -> None:
    spec, _ = quiz(dedent("""
        id: final
        pass_mark: 80%
        attempts: 0
        1.  Q?
            = 1
        """))
    assert spec.line_of == {"id": 10, "pass_mark": 11, "attempts": 12}
