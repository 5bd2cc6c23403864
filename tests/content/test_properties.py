"""Arbitrary text never crashes the parser: it yields specs or problems, nothing else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.content.checklist_blocks import read_checklist
from app.content.loader import load_courses
from app.content.quiz_blocks import read_quiz
from app.content.render import inline_renderer
from app.content.specs import Problems

# Text made of the characters the format gives meaning to, so that generated input often
# looks like front matter, markers and settings rather than noise.
FORMAT_ALPHABET = st.sampled_from(list(
    "-:#()[]x =!>_/\\.|*`{}%+\n\t 0123456789abcdefghijklmnopqrstuvwxyz±é中"))
LINES = st.lists(st.sampled_from([
    "---", "title: T", "title:", "modality: virtual", "duration: 1:30", "version: no",
    "session:", "  capacity: x", "prerequisites: [a, b", "```quiz", "```checklist", "```",
    "::: facilitator", "::: note", ":::", "1.  Q", "2. Q", "    (x) a", "    ( ) b",
    "    [x] c", "    = 5 +- 1", "    = /(/", "    != 3", "        > fb", "    ___",
    "    rubric:", "    - 2: c", "    points: -1", "pass_mark: 150%", "pick: 9", "id: q",
    "- [ ] item {critical}", "### group", "![i](media/x.png)", "[^1]", "[^1]: note",
    "| a | b |", "|---|---|", "term", ": definition", "",
]), max_size=40).map("\n".join)
TEXT = st.one_of(st.text(max_size=400), st.text(FORMAT_ALPHABET, max_size=400), LINES)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(course_md=TEXT, module=TEXT, name=st.sampled_from(["01-a.md", "a.md", "02-b-c.md"]))
def test_any_course_text_gives_specs_or_problems(tmp_path: Path, course_md: str, module: str,
                                                 name: str) -> None:
    folder = tmp_path / "course"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    (folder / "course.md").write_text(course_md, encoding="utf-8")
    (folder / name).write_text(module, encoding="utf-8")
    courses, problems = load_courses([folder])
    assert isinstance(problems, Problems)
    assert len(courses) == 1
    for problem in problems.sorted():
        assert problem.line >= 1 and problem.message


@settings(max_examples=300, deadline=None)
@given(block=TEXT, first_line=st.integers(min_value=1, max_value=10_000))
def test_any_block_text_gives_specs_or_problems(block: str, first_line: int) -> None:
    problems = Problems()
    quiz = read_quiz(block, first_line, path="m.md", position=1, default_slug="q",
                     inline=inline_renderer("m.md", {}, problems),
                     problems=problems)
    checklist = read_checklist(block, first_line, path="m.md", position=1,
                               inline=inline_renderer("m.md", {}, problems),
                               problems=problems)
    assert quiz.slug and checklist.slug
    assert all(p.line >= 1 for p in problems.sorted())
