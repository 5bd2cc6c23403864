"""A folder of deliberately broken files: each error at its line, all in one run."""

from pathlib import Path

from app.content.loader import load_courses

BROKEN = Path(__file__).parent / "broken"

# (file, line, part of the message): every error the authoring format lists, and a few more.
EXPECTED = [
    ("01-front.md", 3, "front matter does not parse"),
    ("02-untitled.md", 2, 'modality: "virtual-reality" is not one of virtual, classroom, hands-on'),
    ("02-untitled.md", 2, 'needs "title"'),
    ("02-untitled.md", 3, 'unknown key "duraton" in the module front matter; did you mean '
                          '"duration"?'),
    ("02-untitled.md", 5, 'image "https://example.org/x.png" is not in this course\'s media/'),
    ("02-untitled.md", 7, 'image "media/missing.png" is not in this course\'s media/'),
    ("04-intro.md", 1, 'module id "intro" is used by 03-intro.md too'),
    ("05-cycle-a.md", 3, "prerequisites form a cycle: cycle-a -> cycle-b -> cycle-a"),
    ("06-cycle-b.md", 3, 'prerequisite "nowhere" names no module of this course'),
    ("07-quiz.md", 8, "pass_mark: 120% is outside 0-100%"),
    ("07-quiz.md", 9, "pick: 12 is more than the 9 question(s)"),
    ("07-quiz.md", 10, 'unknown quiz setting "shufle"; did you mean "shuffle"?'),
    ("07-quiz.md", 12, "question 1 is single choice and needs exactly one (x); it has 0"),
    ("07-quiz.md", 15, "question 2 is single choice and needs exactly one (x); it has 2"),
    ("07-quiz.md", 18, "question 3 mixes ( ) and [ ] choices"),
    ("07-quiz.md", 21, "question 4 has no answer"),
    ("07-quiz.md", 24, 'feedback ">" has no answer line above it'),
    ("07-quiz.md", 27, 'question 6 is an essay and needs a "rubric:"'),
    ("07-quiz.md", 29, "regex /([a-z/ does not compile"),
    ("07-quiz.md", 31, 'numeric answer "98,5 +- 0,1" is not a number'),
    ("07-quiz.md", 33, 'unknown question setting "pionts"; did you mean "points"?'),
    ("07-quiz.md", 37, 'quiz id "q1" is used at 07-quiz.md:6 too'),
    ("07-quiz.md", 43, 'a quiz with a pass_mark is an assessment and needs an "id"'),
    ("07-quiz.md", 52, 'a checklist item must look like "- [ ] text"'),
    ("08-objectives.md", 6, 'objective id "yield" is used at line 4 too'),
    ("08-objectives.md", 7, 'objective id "2" is used at line 5 too (an objective without an '
                            "id takes its place in the list as its id)"),
    ("08-objectives.md", 8, 'objectives: "Explain GMP" is not a valid objective id'),
    ("08-objectives.md", 16, 'pick: 2 per objective, but objective "objectives/2" is the first '
                             "objective of only 1 question(s) in the quiz"),
    ("08-objectives.md", 25, 'objective "nowhere" names no objective of this module'),
    ("08-objectives.md", 27, 'question 4 has no "objective:": a quiz with "pick: N per '
                             'objective"'),
    ("08-objectives.md", 31, 'asks: "aply" is not one of recall, apply; did you mean "apply"?'),
    ("08-objectives.md", 34, 'objective: "Yield!" is not an objective'),
    ("08-objectives.md", 37, 'objective "no-module/yield": there is no module "no-module"'),
    ("08-objectives.md", 42, 'pick: "2 per module": questions can be drawn per objective only'),
    ("course.md", 4, 'unknown key "prerequisits" in course.md; did you mean "prerequisites"?'),
    ("course.md", 5, 'prerequisite "no-such-course" names no other course'),
]


def test_every_error_is_reported_at_its_line() -> None:
    _, problems = load_courses([BROKEN])
    # Warnings (these questions give no feedback, for one) are tested with their rules.
    found = [(Path(p.path).name, p.line, p.message) for p in problems.errors()]
    for name, line, fragment in EXPECTED:
        assert any(n == name and ln == line and fragment in message
                   for n, ln, message in found), f"missing {name}:{line}: {fragment}"
    assert len(found) == len(EXPECTED), "\n".join(f"{n}:{ln}: {m}" for n, ln, m in found)


def test_errors_read_as_path_line_error_message() -> None:
    _, problems = load_courses([BROKEN])
    first = str(problems.sorted()[0])
    assert first.startswith(str(BROKEN / "broken-course" / "01-front.md") + ":3: error: ")
