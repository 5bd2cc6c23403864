"""Every question type's parsing and scoring, on data made by the real course parser."""

from __future__ import annotations

from textwrap import dedent

import pytest

from app.content.quiz_blocks import read_quiz
from app.content.render import inline_renderer
from app.content.specs import Problems
from app.quizzes.types import (
    QUESTION_TYPES,
    InvalidAnswer,
    normalize_text,
    parse_number,
    question_type,
)


def question(text: str):
    """(kind, data, points) of the one question in a quiz block."""
    problems = Problems()
    spec = read_quiz(dedent(text).strip("\n"), 1, path="m.md", position=1, default_slug="q",
                     inline=inline_renderer("m.md", {}, problems), problems=problems)
    assert not problems, problems.sorted()
    q = spec.questions[0]
    return q.kind, q.answer_data(), q.points


def score(text: str, *raw: str):
    kind, data, points = question(text)
    qtype = question_type(kind)
    return qtype.score(data, points, qtype.parse(data, list(raw)))


SINGLE = """
1.  Which attribute?
    points: 2
    (x) Contemporaneous
        > Right: recorded when measured.
    ( ) Attributable
        > Not the main breach here.
    ( ) Legible
"""


def test_registry_has_one_class_per_kind() -> None:
    assert set(QUESTION_TYPES) == {"single", "true_false", "multiple", "numeric",
                                   "short_text", "essay"}
    with pytest.raises(ValueError, match="no question type"):
        question_type("matching")


def test_single_choice() -> None:
    right = score(SINGLE, "0")
    assert (right.points, right.max_points, right.correct) == (2, 2, True)
    assert right.feedback_html == ["Right: recorded when measured."]
    wrong = score(SINGLE, "1")
    assert (wrong.points, wrong.correct, wrong.feedback_html) == (
        0, False, ["Not the main breach here."])
    assert score(SINGLE).correct is False  # unanswered
    kind, data, _ = question(SINGLE)
    with pytest.raises(InvalidAnswer):
        question_type(kind).parse(data, ["7"])
    assert question_type(kind).correct_answer(data) == "Contemporaneous"


def test_true_false() -> None:
    text = "1.  Water is wet.\n    (x) True\n    ( ) False"
    assert score(text, "0").correct is True and score(text, "1").points == 0


MULTIPLE = """
1.  Select all acceptable corrections.
    {scoring}
    [x] Strike-through, initials, date, reason
    [ ] Correction fluid
        > Obscures the original.
    [x] A dated note referring to the entry
    [ ] Overwriting the digit
"""


@pytest.mark.parametrize(("scoring", "chosen", "points", "correct"), [
    ("", ["0", "2"], 1.0, True),
    ("", ["0"], 0.0, False),
    ("", ["0", "1", "2"], 0.0, False),
    ("scoring: partial", ["0", "2"], 1.0, True),
    ("scoring: partial", ["0"], 0.5, False),
    ("scoring: partial", ["0", "1"], 0.0, False),  # 1/2 right - 1/2 wrong
    ("scoring: partial", ["0", "2", "1"], 0.5, False),
    ("scoring: partial", ["1", "3"], 0.0, False),  # never below zero
    ("scoring: partial", [], 0.0, False),
])
def test_multiple_answer(scoring: str, chosen: list[str], points: float, correct: bool) -> None:
    result = score(MULTIPLE.format(scoring=scoring), *chosen)
    assert (result.points, result.correct) == (points, correct)


def test_multiple_answer_feedback_for_chosen_choices() -> None:
    assert score(MULTIPLE.format(scoring=""), "1").feedback_html == ["Obscures the original."]


@pytest.mark.parametrize(("answer_line", "typed", "correct"), [
    ("= 98.5 +- 0.1", "98.4", True),   # lower boundary counts
    ("= 98.5 +- 0.1", "98.6", True),   # upper boundary counts
    ("= 98.5 +- 0.1", "98.61", False),
    ("= 98.5 +- 0.1", "98,5", True),   # a comma before decimals
    ("= 98.5", "98.5", True),
    ("= 98.5", "98.50000001", False),
    ("= 250 ± 2%", "255", True),
    ("= 250 ± 2%", "255.1", False),
    ("= 2 .. 8", "2", True),
    ("= 2 .. 8", "8.0", True),
    ("= 2 .. 8", "1.99", False),
    ("= -1.5e2", "-150", True),
    ("= -1.5e2", "\u2212150", True),  # a typographic minus sign
    ("= 0.3", "0.3", True),
])
def test_numeric(answer_line: str, typed: str, correct: bool) -> None:
    assert score(f"1.  How much?\n    {answer_line}", typed).correct is correct


def test_numeric_units_and_targeted_feedback() -> None:
    text = ("1.  Yield?\n    = 98.5 +- 0.1\n    unit: %\n    != 1.5\n"
            "        > That is the loss, not the yield.")
    assert score(text, "98.5 %").correct is True and score(text, "98.5%").correct is True
    wrong = score(text, "1.5")
    assert wrong.correct is False and wrong.feedback_html == ["That is the loss, not the yield."]
    assert score(text, "98.5 kg").points == 0
    kind, data, _ = question(text)
    assert question_type(kind).problems(data, {"value": "lots"}) == ["Enter a number (in %)."]
    assert question_type(kind).correct_answer(data) == "98.5 +- 0.1 %"
    with pytest.raises(InvalidAnswer):
        parse_number("1..2")


SHORT = """
1.  Which annex covers computerised systems?
    = Annex 11
    = /annex\\s*(11|xi)/i
    != Annex 1
        > Annex 1 covers sterile products.
"""


@pytest.mark.parametrize(("typed", "correct"), [
    ("Annex 11", True),
    ("  annex   11 ", True),
    ("ANNEX\u00a011", True),       # a no-break space
    ("annex xi", True),
    ("Annex\tXI", True),
    ("Annex 110", False),          # the pattern must match the whole answer
    ("see annex 11", False),
    ("Annex 1", False),
    ("", False),
])
def test_short_text(typed: str, correct: bool) -> None:
    assert score(SHORT, typed).correct is correct


def test_short_text_feedback_and_unicode() -> None:
    assert score(SHORT, "annex 1").feedback_html == ["Annex 1 covers sterile products."]
    text = "1.  Greek letter for the fold change?\n    = Δ"
    assert score(text, "δ").correct is True  # case folding beyond ASCII
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "Contemporaneous")
    assert normalize_text(full_width) == "contemporaneous"


ESSAY = """
1.  What do you do, and why?
    words: 3-6
    ___
    rubric:
    - 4: Informs QA
    - 3: Names the attributes
"""


def test_essay_needs_grading_and_checks_word_limits() -> None:
    kind, data, points = question(ESSAY)
    essay = question_type(kind)
    assert points == 7 and essay.auto_graded is False
    answer = essay.parse(data, ["I inform QA at once."])
    assert essay.problems(data, answer) == []
    assert essay.problems(data, {"text": "No."}) == ["Write at least 3 words (now 1)."]
    assert essay.problems(data, {"text": "one two three four five six seven"}) == [
        "Write at most 6 words (now 7)."]
    pending = essay.score(data, points, answer)
    assert pending.needs_grading and pending.max_points == 7
    assert essay.score(data, points, None).needs_grading is False
    assert essay.correct_answer(data).startswith("Graded against the rubric: 4 points")


def test_the_learners_own_answer_reads_as_they_gave_it() -> None:
    kind, data, _ = question("""
        1.  Which grades are cleanroom grades?
            [x] Grade *A* & B
            [ ] Grade Z
            [x] Grade C
        """)
    multiple = question_type(kind)
    assert multiple.given_answer(data, {"choices": [0, 2]}) == "Grade A & B; Grade C"
    assert multiple.given_answer(data, {"choices": []}) == ""
    kind, data, _ = question("""
        1.  Critical zone?
            ( ) Grade D
            (x) Grade A
        """)
    single = question_type(kind)
    assert single.given_answer(data, {"choice": 0}) == "Grade D"  # wrong, but theirs
    assert single.given_answer(data, None) == ""
    assert single.given_answer(data, {"unreadable": ["7"]}) == ""  # never a place
    numeric = question_type("numeric")
    assert numeric.given_answer({}, {"value": "98,5 %"}) == "98,5 %"
    assert numeric.given_answer({}, {"unreadable": ["ninety"]}) == "ninety"
    assert question_type("essay").given_answer({}, {"text": "Line one\nLine two"}) == \
        "Line one\nLine two"
    assert question_type("short_text").given_answer({}, {}) == ""
