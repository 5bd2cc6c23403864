"""Quiz blocks, construct by construct."""

from textwrap import dedent

import pytest

from app.content.quiz_blocks import read_quiz
from app.content.render import inline_renderer
from app.content.specs import Problems, QuizSpec


def quiz(text: str, first_line: int = 10) -> tuple[QuizSpec, list[tuple[int, str]]]:
    problems = Problems()
    spec = read_quiz(dedent(text).strip("\n"), first_line, path="m.md", position=1,
                     default_slug="m-quiz-1", inline=inline_renderer("m.md", {}, problems),
                     problems=problems)
    return spec, [(p.line, p.message) for p in problems.sorted()]


def only_question(text: str):
    spec, problems = quiz(text)
    assert problems == []
    assert len(spec.questions) == 1
    return spec.questions[0]


def test_settings_are_typed() -> None:
    spec, problems = quiz("""
        id: di-assessment
        title: Data integrity
        pass_mark: 80%
        attempts: 3
        shuffle: choices
        pick: 1
        time_limit: 20 min
        show_answers: after_last_attempt

        1.  Q?
            = a
        """)
    assert problems == []
    assert (spec.slug, spec.title, spec.pass_mark, spec.attempts, spec.shuffle, spec.pick,
            spec.time_limit_minutes, spec.show_answers) == (
        "di-assessment", "Data integrity", 80, 3, "choices", 1, 20, "after_last_attempt")
    assert spec.is_assessment


def test_knowledge_check_defaults() -> None:
    spec, problems = quiz("1.  Q?\n    = a")
    assert problems == []
    assert (spec.slug, spec.pass_mark, spec.attempts, spec.shuffle, spec.show_answers) == (
        "m-quiz-1", None, 0, "none", "after_submit")
    assert not spec.is_assessment


def test_single_choice_with_feedback_hint_points() -> None:
    q = only_question("""
        1.  A pH value is written on a glove.
            Which attribute is breached?
            points: 2
            (x) Contemporaneous
                > Right: it was not recorded when measured.
            ( ) Attributable
            ( ) *Legible*
            hint: *When* did the value reach the record?
        """)
    assert q.kind == "single" and q.points == 2 and q.key == "1"
    assert "A pH value is written on a glove.\nWhich attribute is breached?" in q.prompt_html
    assert [c.correct for c in q.choices] == [True, False, False]
    assert q.choices[0].feedback_html == "Right: it was not recorded when measured."
    assert q.choices[2].text_html == "<em>Legible</em>"
    assert q.hint_html == "<em>When</em> did the value reach the record?"


def test_true_false() -> None:
    q = only_question("1.  Water is wet.\n    (x) True\n    ( ) False\n    explain: It is.")
    assert q.kind == "true_false" and q.explain_html == "It is."


def test_multiple_answer_with_partial_scoring() -> None:
    q = only_question("""
        1.  Select all.
            scoring: partial
            [x] Strike-through
            [ ] Correction fluid
                > Never acceptable.
            [X] Initials
        """)
    assert q.kind == "multiple" and q.scoring == "partial"
    assert [c.correct for c in q.choices] == [True, False, True]
    assert q.choices[1].feedback_html == "Never acceptable."


@pytest.mark.parametrize(("line", "low", "high"), [
    ("= 98.5", 98.5, 98.5),
    ("= 98.5 +- 0.1", 98.4, 98.6),
    ("= 98.5 ± 0.1", 98.4, 98.6),
    ("= 250 ± 2%", 245.0, 255.0),
    ("= 2 .. 8", 2.0, 8.0),
    ("= 8 .. 2", 2.0, 8.0),
    ("= -1.5e2", -150.0, -150.0),
])
def test_numeric_forms(line: str, low: float, high: float) -> None:
    q = only_question(f"1.  How much?\n    {line}\n    unit: %")
    assert q.kind == "numeric" and q.unit == "%"
    assert q.numeric_answers[0].low == pytest.approx(low)
    assert q.numeric_answers[0].high == pytest.approx(high)


def test_numeric_wrong_answer_with_feedback() -> None:
    q = only_question("1.  Yield?\n    = 98.5 +- 0.1\n    != 1.5\n        > That is the loss.")
    assert q.wrong_answers[0].low == 1.5
    assert q.wrong_answers[0].feedback_html == "That is the loss."


def test_short_text_and_regex() -> None:
    q = only_question("1.  Which annex?\n    = Annex 11\n    = /annex\\s*(11|xi)/i\n"
                      "    != Annex 1\n        > That one is sterile products.")
    assert q.kind == "short_text"
    assert q.text_answers[0].text == "Annex 11" and q.text_answers[0].pattern is None
    assert q.text_answers[1].pattern == "annex\\s*(11|xi)" and q.text_answers[1].flags == "i"
    assert q.wrong_answers[0].feedback_html == "That one is sterile products."


def test_essay_with_rubric_and_words() -> None:
    q = only_question("""
        1.  A colleague back-dated an entry. What do you do?
            words: 80-250
            ___
            rubric:
            - 4: Leaves the record untouched and informs QA
            - 3: Names the attributes breached
        """)
    assert q.kind == "essay" and q.words == (80, 250)
    assert [(c.points, c.text) for c in q.rubric] == [
        (4, "Leaves the record untouched and informs QA"), (3, "Names the attributes breached")]


def test_essay_points_default_to_the_rubric_total() -> None:
    q = only_question("1.  Why?\n    ___\n    rubric:\n    - 4: a\n    - 3: b")
    assert q.points == 7
    given = only_question("1.  Why?\n    points: 2\n    ___\n    rubric:\n    - 4: a")
    assert given.points == 2


def test_a_line_starting_with_a_url_is_text_not_a_setting() -> None:
    q = only_question("1.  Read the guideline at\n    https://www.who.int/x first.\n    = ok")
    assert "https://www.who.int/x first." in q.prompt_html


def test_question_ids_and_duplicates() -> None:
    spec, problems = quiz("1.  A\n    id: alpha\n    = a\n2.  B\n    id: alpha\n    = b")
    assert spec.questions[0].key == "alpha"
    assert problems == [(13, 'question id "alpha" is used twice in this quiz')]


def test_answer_key_is_data_not_html() -> None:
    q = only_question("1.  Q?\n    (x) right\n    ( ) wrong")
    data = q.answer_data()
    assert data["choices"][0]["correct"] is True
    assert "correct" not in q.prompt_html


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("1.  Q\n    ( ) a\n    ( ) b", 10, "needs exactly one (x); it has 0"),
    ("1.  Q\n    (x) a\n    (x) b", 10, "needs exactly one (x); it has 2"),
    ("1.  Q\n    [ ] a\n    [ ] b", 10, "needs at least one [x]"),
    ("1.  Q\n    (x) a\n    [x] b", 10, "mixes ( ) and [ ] choices"),
    ("1.  Q\n    (x) a\n    = b", 10, "mixes choices with = answers"),
    ("1.  Q", 10, "has no answer"),
    ("1.  Q\n    > hello\n    = a", 11, 'feedback ">" has no answer line above it'),
    ("1.  Q\n    ___", 11, 'needs a "rubric:"'),
    ("1.  Q\n    = /(/", 11, "does not compile"),
    ("1.  Q\n    = /a/q", 11, "flags 'q' are not supported"),
    ("1.  Q\n    = 1,5", 11, "without thousands separators, with a point before decimals"),
    ("1.  Q\n    = 10,000", 11, "without thousands separators"),
    ("1.  Q\n    (x) a\n    ( ) b\n    scoring: partial", 13, '"scoring" is only for multiple'),
    ("1.  Q\n    = a\n    words: 10-20", 12, '"words" is only for essays'),
    ("1.  Q\n    (x) a\n    ( ) b\n    unit: kg", 13, '"unit" is only for numeric'),
    ("1.  Q\n    = abc\n    unit: kg", 11, 'numeric answer "abc" is not a number'),
    ("1.  Q\n    != a", 10, "has only != lines"),
    ("1.  Q\n    = a\n    words: 300-80", 12, "300 is more than 80"),
    ("1.  Q\n    = a\n    points: 0", 12, "points must be more than zero"),
    ("1.  Q\n    = a\n    scoring: half", 12, 'not one of partial, all_or_nothing'),
    ("1.  Q\n    = a\n    rubric:\n    - 2: x", 12, '"rubric" is only for essays'),
    ("1.  Q\n    = a\n    hint: one\n    hint: two", 13, '"hint" is given twice'),
    ("colour: blue\n1.  Q\n    = a", 10, 'unknown quiz setting "colour"'),
    ("just some words\n1.  Q\n    = a", 10, "expected a quiz setting"),
    ("id: x\n", 9, "the quiz has no questions"),
    ("pass_mark: 80%\n1.  Q\n    = a", 9, 'needs an "id"'),
    ("pick: 2\n1.  Q\n    = a", 10, "pick: 2 is more than the 1 question(s)"),
    ("time_limit: soon\n1.  Q\n    = a", 10, 'time_limit: "soon" is not a duration'),
    ("shuffle: sometimes\n1.  Q\n    = a", 10, "not one of questions, choices, all, none"),
    ("1.  Q\n    (x) a\n    ( ) b\n    (x) c\n    pionts: 2", 14, 'did you mean "points"'),
])
def test_quiz_errors_are_reported_at_their_line(text: str, line: int, fragment: str) -> None:
    _, problems = quiz(text)
    assert any(ln == line and fragment in message for ln, message in problems), problems
