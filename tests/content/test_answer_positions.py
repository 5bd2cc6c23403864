"""Right answers crowding one choice position: a warning from the loader and `validate`,
never an error. That the shipped courses keep theirs mixed is in test_shipped_courses.py."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.content.loader import load_courses
from app.content.models import Quiz
from app.extensions import db
from tests.course_files import module_md

# The quiz block starts on line 6 of the module file: front matter (4 lines), body, blank.
# Limited attempts and feedback everywhere: the crowded positions are all there is to warn of.
HABIT = """
```quiz
id: habit-check
pass_mark: 80%
attempts: 3
1.  Which grade is the critical zone?
    (x) Grade A
    ( ) Grade B
    ( ) Grade D
    explain: Grade A is where sterile product is exposed.
2.  Which annex covers sterile products?
    (x) Annex 1
    ( ) Annex 11
    ( ) Annex 15
    explain: Annex 1 covers the manufacture of sterile medicinal products.
3.  Which is an ALCOA+ attribute?
    [x] Attributable
    [ ] Affordable
    explain: Attributable: the record says who did what.
4.  Particle limit for Grade A?
    = 3520
        > 3520 particles of 0.5 µm or more per cubic metre.
```
"""
QUIZ_LINE = 6


def test_the_loader_warns_at_the_quiz_line_and_it_is_no_error(write_course) -> None:
    folder = write_course({"01-a.md": module_md("A", body=HABIT)})
    courses, problems = load_courses([folder])
    assert not problems and problems.errors() == []
    (warning,) = problems.warnings()
    assert (Path(warning.path).name, warning.line, warning.severity) == ("01-a.md", QUIZ_LINE,
                                                                         "warning")
    assert str(warning).endswith(
        f'01-a.md:{QUIZ_LINE}: warning: quiz "habit-check": the right answer is choice 1 in 3 '
        "of 3 questions; mix the positions (learners notice) [answer-positions]")
    assert courses and courses[0].modules[0].quizzes[0].slug == "habit-check"


def test_validate_prints_the_warning_and_exits_0_and_import_goes_on(runner, write_course
                                                                    ) -> None:
    folder = write_course({"01-a.md": module_md("A", body=HABIT)})
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert (f'{folder}/01-a.md:{QUIZ_LINE}: warning: quiz "habit-check": the right answer is '
            "choice 1 in 3 of 3 questions") in result.stderr
    assert "ok  aseptic-basics: 1 module" in result.stdout
    assert "1 warning in 1 file; warnings do not stop an import." in result.stderr
    assert ": error: " not in result.output
    imported = runner.invoke(args=["courses", "import", str(folder)])
    assert imported.exit_code == 0, imported.output
    assert db.session.scalar(select(func.count()).select_from(Quiz)) == 1


def test_errors_and_warnings_are_counted_apart(runner, write_course) -> None:
    folder = write_course({"01-a.md": module_md("A", body=HABIT, extra="modality: online\n")})
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 1
    assert "01-a.md:4: error: modality:" in result.stderr
    assert f"01-a.md:{QUIZ_LINE + 1}: warning: quiz" in result.stderr
    assert "1 error and 1 warning in 1 file; nothing was imported." in result.stderr


def test_mixed_positions_give_no_warning(runner, write_course) -> None:
    mixed = HABIT.replace("    (x) Annex 1\n    ( ) Annex 11\n    ( ) Annex 15\n",
                          "    ( ) Annex 11\n    ( ) Annex 15\n    (x) Annex 1\n").replace(
                          "    [x] Attributable\n    [ ] Affordable\n",
                          "    [ ] Affordable\n    [x] Attributable\n")
    assert mixed.count("(x)") + mixed.count("[x]") == 3 and mixed != HABIT
    folder = write_course({"01-a.md": module_md("A", body=mixed)})
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 0 and "warning" not in result.output, result.output
