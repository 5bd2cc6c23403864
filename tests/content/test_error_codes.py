"""Every problem a course file can have carries a stable code, registered in `specs.CODES`
and explained in docs/authoring.md's "Error codes": messages stay English, the code is what
an instructor who reads another language first looks up."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from app.content.loader import load_courses
from app.content.specs import CODES, Problem
from tests.course_files import module_md

ROOT = Path(__file__).resolve().parent.parent.parent
BROKEN = Path(__file__).parent / "broken"  # the course of test_broken_course.py
# What creates a problem: these classes, a `report` callback, `<...>problems.add/warn` and a
# block reader's `error`. Each must say which kind of problem it is, with `code=`.
EMITTERS = {"Problem", "FieldError", "Finding", "SplitError", "report"}
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _is_emitter(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in EMITTERS
    if not isinstance(func, ast.Attribute):
        return False
    receiver = func.value
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return (func.attr in ("add", "warn") and name.endswith("problems")) or (
        func.attr == "error" and name in ("reader", "self"))


def _imports_another_problem(tree: ast.Module) -> bool:
    """A module whose `Problem` is not a course file's (the calls' rules have their own,
    app/calls/problems.py, with a message and its values but no code)."""
    return any(isinstance(node, ast.ImportFrom) and node.module != "app.content.specs"
               and any(alias.name == "Problem" for alias in node.names)
               for node in ast.walk(tree))


def _emitting_calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        other = _imports_another_problem(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_emitter(node) and not (
                    other and isinstance(node.func, ast.Name) and node.func.id == "Problem"):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def _emitted_codes() -> dict[str, str]:
    """Each code written as a literal `code="..."`, with where it is written."""
    codes: dict[str, str] = {}
    for where, call in _emitting_calls():
        for keyword in call.keywords:
            if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                codes.setdefault(str(keyword.value.value), where)
    return codes


def _documented() -> dict[str, tuple[str, str, str]]:
    """The rows of the guide's "Error codes" table: code -> (kind, meaning, fix)."""
    guide = (ROOT / "docs" / "authoring.md").read_text()
    section = guide.split("## 11. Error codes", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str, str]] = {}
    for line in section.splitlines():
        row = re.match(r"^\| `([^`]+)` \| (error|warning) \| (.+) \| (.+) \|$", line)
        if row:
            assert row.group(1) not in rows, f"{row.group(1)} is in the table twice"
            rows[row.group(1)] = (row.group(2), row.group(3), row.group(4))
    return rows


def test_every_place_that_reports_a_problem_names_its_code() -> None:
    calls = _emitting_calls()
    assert len(calls) > 80  # the scan sees the validator
    internal = {"app/content/specs.py"}  # Problems.add and .warn pass theirs on
    missing = [where for where, call in calls if where.split(":")[0] not in internal
               and not any(keyword.arg == "code" for keyword in call.keywords)]
    assert missing == []


def test_every_code_is_registered_and_explained_in_the_guide() -> None:
    emitted = _emitted_codes()
    assert {code: where for code, where in emitted.items() if code not in CODES} == {}
    assert all(_KEBAB.match(code) for code in CODES)
    documented = _documented()
    assert sorted(set(CODES) - set(documented)) == [], "add them to docs/authoring.md"
    assert sorted(set(documented) - set(CODES)) == [], "not codes of specs.CODES"
    assert {code: meaning for code, (_, meaning, _) in documented.items()
            if meaning != CODES[code]} == {}, "the table's meanings are specs.CODES's"
    # Registered codes that nothing emits any more are dropped from the registry and guide.
    assert sorted(set(CODES) - set(emitted)) == []


def test_a_problem_reads_with_its_code() -> None:
    problem = Problem("course.md", 3, 'unknown key "titel" in course.md', code="unknown-key")
    assert str(problem) == 'course.md:3: error: unknown key "titel" in course.md [unknown-key]'


# (file, line, code) of each error in the broken course (its messages: test_broken_course).
BROKEN_CODES = [
    ("01-front.md", 3, "bad-yaml"), ("02-untitled.md", 2, "unknown-option"),
    ("02-untitled.md", 2, "missing-key"), ("02-untitled.md", 3, "unknown-key"),
    ("02-untitled.md", 5, "file-outside-media"), ("02-untitled.md", 7, "file-outside-media"),
    ("04-intro.md", 1, "duplicate-module-id"), ("05-cycle-a.md", 3, "prerequisite-cycle"),
    ("06-cycle-b.md", 3, "unknown-prerequisite"), ("07-quiz.md", 8, "percentage-out-of-range"),
    ("07-quiz.md", 9, "pick-too-large"), ("07-quiz.md", 10, "unknown-setting"),
    ("07-quiz.md", 12, "single-choice-needs-one"), ("07-quiz.md", 15, "single-choice-needs-one"),
    ("07-quiz.md", 18, "mixed-choice-markers"), ("07-quiz.md", 21, "no-answer"),
    ("07-quiz.md", 24, "feedback-without-answer"), ("07-quiz.md", 27, "essay-without-rubric"),
    ("07-quiz.md", 29, "bad-regex"), ("07-quiz.md", 31, "bad-numeric-answer"),
    ("07-quiz.md", 33, "unknown-setting"), ("07-quiz.md", 37, "duplicate-block-id"),
    ("07-quiz.md", 43, "assessment-without-id"), ("07-quiz.md", 52, "bad-checklist-item"),
    ("08-objectives.md", 6, "duplicate-objective-id"),
    ("08-objectives.md", 7, "duplicate-objective-id"),
    ("08-objectives.md", 8, "bad-objective-id"),
    ("08-objectives.md", 16, "objective-group-too-small"),
    ("08-objectives.md", 25, "unknown-objective"),
    ("08-objectives.md", 27, "question-without-objective"),
    ("08-objectives.md", 31, "unknown-option"), ("08-objectives.md", 34, "bad-objective-ref"),
    ("08-objectives.md", 37, "unknown-objective"), ("08-objectives.md", 42, "bad-pick"),
    ("course.md", 4, "unknown-key"), ("course.md", 5, "unknown-course-prerequisite"),
]


def test_the_broken_course_reports_each_error_with_its_code() -> None:
    _, problems = load_courses([BROKEN])
    found = sorted((Path(p.path).name, p.line, p.code) for p in problems.errors())
    assert found == sorted(BROKEN_CODES)
    assert all(p.code in CODES for p in problems.sorted())  # its warnings too


def test_bad_files_give_the_codes_of_their_mistakes(write_course) -> None:
    written = 0

    def _codes(files: dict[str, str | bytes]) -> set[str]:
        nonlocal written
        written += 1  # a course folder of its own each time: media/ files stay behind
        _, problems = load_courses([write_course(files, slug=f"course-{written}")])
        return {problem.code for problem in problems.sorted()}

    assert _codes({"01-a.md": "# No front matter\n"}) == {"no-front-matter"}
    assert _codes({"01-a.md": "---\ntitle: A\n"}) == {"front-matter-not-closed"}
    assert _codes({"01-a.md": module_md("A", extra="duration: 0 min\n")}) == {
        "duration-not-positive"}
    assert _codes({"01-a.md": module_md("A", body="caf\xe9").encode("latin-1")}) == {
        "not-utf8"}
    assert _codes({"01-a.md": module_md("A"), "media/notes.docx": b"x"}) == {"media-type"}
    assert _codes({"Welcome.md": module_md("A"), "01-a.md": module_md("A")}) == {
        "bad-module-file-name"}
    assert _codes({"01-a.md": module_md("A", body=":::\n\n::: tipp\nText.\n")}) == {
        "stray-block-close", "unknown-callout", "unclosed-block"}
    assert _codes({"01-a.md": module_md("A", body="```checklist\ntitle: Gowning\n```\n")}
                  ) == {"checklist-without-id", "empty-checklist"}
    assert _codes({"01-a.md": module_md("A", body="```Quiz\n1. Q?\n   (x) Yes\n```\n")}
                  ) == {"unknown-block-type"}


def test_warnings_have_codes_too(write_course) -> None:
    body = ("```quiz\nid: final\npass_mark: 80%\n1. Is it?\n    (x) Yes\n    > Yes, it is.\n"
            "    ( ) No\n```\n")
    _, problems = load_courses([write_course({"01-a.md": module_md("A", body=body)})])
    assert not problems
    assert {(w.severity, w.code) for w in problems.warnings()} == {
        ("warning", "unlimited-attempts")}


def test_validate_prints_each_code(runner, write_course) -> None:
    folder = write_course({"01-a.md": module_md("A", extra="modality: online\n")})
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 1
    assert (f'{folder}/01-a.md:4: error: modality: "online" is not one of virtual, classroom, '
            "hands-on [unknown-option]\n") in result.stderr
