"""The pure rule behind the "right answers crowd one position" warning."""

from __future__ import annotations

from app.content.rules import crowded_position
from app.content.specs import Choice, QuestionSpec, QuizSpec


def question(kind: str, right: list[int], n: int = 4) -> QuestionSpec:
    return QuestionSpec(key="q", position=1, kind=kind, prompt_html="?", line=1, choices=[
        Choice(f"choice {i}", i in right) for i in range(n)])


def single(right: int, n: int = 4) -> QuestionSpec:
    return question("single", [right], n)


def numeric() -> QuestionSpec:
    return QuestionSpec(key="q", position=1, kind="numeric", prompt_html="?", line=1)


def quiz(*questions: QuestionSpec) -> QuizSpec:
    return QuizSpec(slug="final", position=1, line=7, questions=list(questions))


def test_warns_when_one_position_holds_most_right_answers() -> None:
    crowded = crowded_position(quiz(single(0), single(0), single(2), single(0), single(0)))
    assert crowded is not None
    assert (crowded.position, crowded.questions, crowded.counted) == (0, 4, 5)
    assert crowded.message("final") == ('quiz "final": the right answer is choice 1 in 4 of 5 '
                                        "questions; mix the positions (learners notice)")


def test_names_the_crowded_position_wherever_it_is() -> None:
    crowded = crowded_position(quiz(single(3), single(3), single(1)))
    assert crowded is not None and (crowded.position, crowded.questions) == (3, 2)
    assert "choice 4 in 2 of 3 questions" in crowded.message("final")


def test_silent_when_the_positions_are_mixed() -> None:
    assert crowded_position(quiz(single(0), single(2), single(1), single(3), single(0))) is None


def test_silent_at_exactly_half() -> None:
    assert crowded_position(quiz(single(0), single(0), single(1), single(2))) is None


def test_silent_below_three_choice_questions() -> None:
    assert crowded_position(quiz(single(0), single(0))) is None
    # Questions without choices do not count towards the three.
    assert crowded_position(quiz(single(0), single(0), numeric(), numeric())) is None
    assert crowded_position(quiz(single(0), single(0), single(0))) is not None


def test_true_false_questions_count() -> None:
    true_first = [question("true_false", [0], n=2) for _ in range(3)]
    crowded = crowded_position(quiz(*true_first))
    assert crowded is not None and crowded.position == 0
    mixed = [question("true_false", [0], n=2), question("true_false", [1], n=2),
             question("true_false", [1], n=2), question("true_false", [0], n=2)]
    assert crowded_position(quiz(*mixed)) is None


def test_every_right_choice_of_a_multiple_answer_question_counts() -> None:
    # The first choice is right everywhere, but so are most others: 3 of 10 is no habit.
    spread = [question("multiple", [0, 1, 2], n=5), question("multiple", [0, 2, 3], n=5),
              question("multiple", [0, 1, 4], n=5), single(3)]
    assert crowded_position(quiz(*spread)) is None
    # One right choice each, always the first: 4 of 4 right answers at choice 1.
    crowded = crowded_position(quiz(*[question("multiple", [0]) for _ in range(4)]))
    assert crowded is not None and (crowded.position, crowded.questions) == (0, 4)

