"""The warnings of validation: objectives never applied, objectives a draw can leave out,
questions without feedback, credit hours against durations, and assessments open to guessing.
Each rule pure first, then at its line through the loader and the CLI."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.content.loader import load_courses
from app.content.models import Question
from app.content.rules import (
    course_findings,
    guessable,
    hours_gap,
    lacks_feedback,
    unapplied_objectives,
    unreachable_objectives,
)
from app.content.specs import (
    Choice,
    CourseSpec,
    ModuleSpec,
    NumericAnswer,
    ObjectiveSpec,
    QuestionSpec,
    QuizSpec,
    RubricCriterion,
    TextAnswer,
)
from app.extensions import db

# --- pure rules ------------------------------------------------------------------------


def question(*objectives: str, asks: str = "recall", explain: str = "x") -> QuestionSpec:
    return QuestionSpec(key="q", position=1, kind="short_text", prompt_html="?", line=1,
                        explain_html=explain, objectives=list(objectives), asks=asks)


def assessment(*questions: QuestionSpec, pick: int | None = None, per_objective: bool = False,
               attempts: int = 3, pass_mark: int | None = 80) -> QuizSpec:
    return QuizSpec(slug="final", position=1, line=7, pass_mark=pass_mark, attempts=attempts,
                    pick=pick, pick_per_objective=per_objective, questions=list(questions))


def module(slug: str, *objective_ids: str, quizzes: tuple[QuizSpec, ...] = (),
           optional: bool = False, minutes: int | None = 60) -> ModuleSpec:
    return ModuleSpec(slug=slug, position=1, filename=f"01-{slug}.md", title=slug,
                      optional=optional, duration_minutes=minutes, quizzes=list(quizzes),
                      objective_specs=[ObjectiveSpec(o, f"Objective {o}", 4 + n)
                                       for n, o in enumerate(objective_ids)])


def course(*modules: ModuleSpec, hours: float | None = None) -> CourseSpec:
    return CourseSpec(slug="c", title="C", summary="S", hours=hours, modules=list(modules))


def test_coverage_wants_an_apply_question_naming_each_objective_of_required_modules() -> None:
    final = assessment(question("why/yield", asks="apply"), question("why/records"),
                       question("why/records", "opt/extra", asks="apply"))
    why = module("why", "yield", "records", "2")
    optional = module("opt", "extra", "other", optional=True)
    end = module("end", "case", quizzes=(final,))
    left = unapplied_objectives(course(why, optional, end))
    # "records" is named by an apply question (its first objective need not be it); "2" and
    # "case" by none; the optional module's objectives are not required.
    assert [(m.slug, o.id) for m, o in left] == [("why", "2"), ("end", "case")]


def test_a_recall_question_or_an_unnamed_objective_does_not_cover() -> None:
    check = assessment(question("why/yield"), question(asks="apply"), pass_mark=None)
    assert [o.id for _, o in unapplied_objectives(
        course(module("why", "yield", quizzes=(check,))))] == ["yield"]


def test_reach_names_objectives_a_plain_pick_can_leave_out() -> None:
    questions = [question("m/a"), question("m/a"), question("m/a"), question("m/b"),
                 question("m/c", "m/a")]
    # Pick 2 of 5: a (4 questions) is always drawn; b and c (1 each) can be left out.
    assert unreachable_objectives(assessment(*questions, pick=2)) == ["m/b", "m/c"]
    # Pick 4 of 5: leaving out b or c still leaves 4 to draw, so both can be left out.
    assert unreachable_objectives(assessment(*questions, pick=4)) == ["m/b", "m/c"]
    # Without pick, with pick as large as the block, or per objective: every draw has all.
    assert unreachable_objectives(assessment(*questions)) == []
    assert unreachable_objectives(assessment(*questions, pick=5)) == []
    assert unreachable_objectives(assessment(*questions, pick=1, per_objective=True)) == []
    # A knowledge check is not graded: its draws are not judged.
    assert unreachable_objectives(assessment(*questions, pick=2, pass_mark=None)) == []


def test_reach_is_silent_when_no_draw_can_miss_an_objective() -> None:
    questions = [question("m/a"), question("m/a", "m/b"), question("m/b"), question("m/a")]
    # Pick 3 of 4: each objective is named by 2 or 3 questions, more than the 1 left out.
    assert unreachable_objectives(assessment(*questions, pick=3)) == []
    # Pick 2 of 4: b (2 questions) can be left out, a (3) cannot.
    assert unreachable_objectives(assessment(*questions, pick=2)) == ["m/b"]


def test_feedback_is_explain_or_feedback_on_a_right_answer() -> None:
    bare = question(explain="")
    assert lacks_feedback(bare)
    assert not lacks_feedback(question(explain="<p>Because.</p>"))
    # Feedback on a wrong answer alone does not say why the right one is right.
    single = QuestionSpec(key="q", position=1, kind="single", prompt_html="?", line=1, choices=[
        Choice("a", True), Choice("b", False, feedback_html="No: b is the loss.")])
    assert lacks_feedback(single)
    single.choices[0].feedback_html = "Yes: a is the yield."
    assert not lacks_feedback(single)
    numeric = QuestionSpec(key="q", position=1, kind="numeric", prompt_html="?", line=1,
                           numeric_answers=[NumericAnswer(1, 1, "1")],
                           wrong_answers=[NumericAnswer(2, 2, "2", "That is the loss.")])
    assert lacks_feedback(numeric)
    numeric.numeric_answers[0].feedback_html = "Right."
    assert not lacks_feedback(numeric)
    text = QuestionSpec(key="q", position=1, kind="short_text", prompt_html="?", line=1,
                        text_answers=[TextAnswer("annex 11"), TextAnswer("11", feedback_html="!")])
    assert not lacks_feedback(text)


def test_an_essays_rubric_is_its_feedback() -> None:
    essay = QuestionSpec(key="q", position=1, kind="essay", prompt_html="?", line=1,
                         rubric=[RubricCriterion(2, "Informs QA")])
    assert not lacks_feedback(essay)


def test_hours_may_differ_from_the_required_durations_by_a_quarter_hour() -> None:
    modules = (module("a", minutes=120), module("b", minutes=90),
               module("c", minutes=600, optional=True), module("d", minutes=None))
    assert hours_gap(course(*modules)) is None  # no hours: the durations are summed
    assert hours_gap(course(*modules, hours=3.5)) is None
    assert hours_gap(course(*modules, hours=3.75)) is None
    assert hours_gap(course(*modules, hours=3.25)) is None
    gap = hours_gap(course(*modules, hours=4))
    assert gap is not None and (gap.hours, gap.documented, gap.undated) == (4, 3.5, 1)
    assert gap.message() == (
        "hours: 4 differs from the 3.5 h that the required modules take (their durations, "
        "live sessions included); certificates print these hours, so make them match; "
        "1 required module gives no duration")
    gap = hours_gap(course(module("a", minutes=500), hours=10))
    assert gap is not None and gap.message().startswith("hours: 10 differs from the 8.33 h ")
    assert "gives no duration" not in gap.message()


def test_a_graded_assessment_with_unlimited_attempts_can_be_guessed() -> None:
    assert guessable(assessment(attempts=0))
    assert not guessable(assessment(attempts=1))
    assert not guessable(assessment(attempts=0, pass_mark=None))  # a knowledge check


def test_course_findings_say_which_file_and_line() -> None:
    final = assessment(question("why/yield", asks="apply", explain=""), attempts=0)
    final.line_of = {"attempts": 9}
    why = module("why", "yield", "records", quizzes=(final,))
    found = course_findings(course(why, hours=5))
    assert sorted((f.module.slug if f.module else "course.md", f.line, f.message.split(":")[0])
                  for f in found) == [
        ("course.md", 1, "hours"),
        ("why", 1, "question 1 has no feedback"),
        ("why", 5, 'no question asks to apply objective "why/records"'),
        ("why", 9, 'quiz "final" is a graded assessment with unlimited attempts, which a '
                   "learner can pass by guessing again and again")]


# --- through the loader and the CLI -----------------------------------------------------

COURSE_HOURS = "hours: 3\n"
MODULE = """---
title: Yield
duration: 1 h
objectives:
  - yield: Calculate a batch yield
  - Say when a yield needs an investigation
---
Text.

```quiz
id: yield-final
pass_mark: 80%
pick: 1
1.  Theoretical yield 10000 vials, 9850 released. Yield in %?
    objective: yield
    asks: apply
    = 98.5
        > 9850 / 10000 = 98.5 %.
2.  What is the yield called?
    objective: 2
    = yield
```
"""
WARNINGS = [
    ("01-yield.md", 6, 'no question asks to apply objective "yield/2": add a case, a '
                       'calculation or a decision with "asks: apply" that names it in '
                       '"objective:"'),
    ("01-yield.md", 10, 'quiz "yield-final" is a graded assessment with unlimited attempts, '
                        "which a learner can pass by guessing again and again: set "
                        '"attempts:", for example 3'),
    ("01-yield.md", 13, 'quiz "yield-final": a draw of 1 of its 2 questions can leave out '
                        'objectives "yield/yield", "yield/2"; use "pick: N per objective"'),
    ("01-yield.md", 19, 'question 2 has no feedback: add "explain:" or a ">" line under its '
                        "right answer that says why it is right"),
    ("course.md", 4, "hours: 3 differs from the 1 h that the required modules take (their "
                     "durations, live sessions included); certificates print these hours, so "
                     "make them match"),
]


def test_each_warning_is_at_its_line_and_no_error(write_course) -> None:
    folder = write_course({"01-yield.md": MODULE}, course_extra=COURSE_HOURS)
    courses, problems = load_courses([folder])
    assert not problems and courses
    found = [(Path(p.path).name, p.line, p.message) for p in problems.warnings()]
    assert found == WARNINGS


def test_a_course_that_heeds_them_gets_no_warning(write_course) -> None:
    heeded = (MODULE.replace("pick: 1\n", "attempts: 3\npick: 1 per objective\n")
              .replace("    objective: 2\n    = yield\n",
                       "    objective: 2\n    asks: apply\n    = yield\n"
                       "        > Yield: what was released against what was planned.\n"))
    folder = write_course({"01-yield.md": heeded}, course_extra="hours: 1.25\n")
    _, problems = load_courses([folder])
    assert problems.sorted() == []


def test_validate_prints_the_warnings_and_exits_0(runner, write_course) -> None:
    folder = write_course({"01-yield.md": MODULE}, course_extra=COURSE_HOURS)
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 0, result.output
    for name, line, message in WARNINGS:
        assert f"{folder}/{name}:{line}: warning: {message} [" in result.stderr
    assert result.stdout == ("ok  aseptic-basics: 1 module, 1 quiz (1 graded), 2 questions, "
                             "0 checklists\n")
    assert "5 warnings in 2 files; warnings do not stop an import." in result.stderr
    assert ": error: " not in result.output


def test_import_prints_the_warnings_and_imports(runner, write_course) -> None:
    folder = write_course({"01-yield.md": MODULE}, course_extra=COURSE_HOURS)
    result = runner.invoke(args=["courses", "import", str(folder)])
    assert result.exit_code == 0, result.output
    for name, line, message in WARNINGS:
        assert f"{folder}/{name}:{line}: warning: {message} [" in result.stderr
    assert "aseptic-basics: added; modules 1 added" in result.stdout
    assert "5 warnings in 2 files; imported all the same." in result.stderr
    assert db.session.scalar(select(func.count()).select_from(Question)) == 2
    # Importing the same files again reads nothing, so it has nothing to warn about.
    again = runner.invoke(args=["courses", "import", str(folder)])
    assert again.exit_code == 0 and again.output == "aseptic-basics: unchanged\n"


def test_import_with_errors_lists_errors_and_imports_nothing(runner, write_course) -> None:
    broken = MODULE.replace("objective: 2", "objective: 3")
    folder = write_course({"01-yield.md": broken}, course_extra=COURSE_HOURS)
    result = runner.invoke(args=["courses", "import", str(folder)])
    assert result.exit_code == 1
    assert (f'{folder}/01-yield.md:20: error: objective "3" names no objective of this module'
            in result.stderr)
    assert "1 error in 1 file; nothing was imported." in result.stderr
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
