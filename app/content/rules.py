"""Pure rules about what a course file says, beyond whether it can be read at all.

No Flask, no database: the loader feeds these the specs it built and reports the results as
warnings, which never stop an import.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.content.specs import QuizSpec

# Question kinds whose right answer sits at a position in the file.
CHOICE_KINDS = frozenset({"single", "true_false", "multiple"})
# Below this, one position holding most right answers is as likely chance as habit.
MIN_QUESTIONS = 3


@dataclass(frozen=True)
class CrowdedPosition:
    """Most right answers of a quiz sit at one choice position."""

    position: int  # 0-based, as in the file
    questions: int  # questions whose right answers include that position
    counted: int  # questions with choices in the quiz

    def message(self, quiz_slug: str) -> str:
        return (f'quiz "{quiz_slug}": the right answer is choice {self.position + 1} in '
                f"{self.questions} of {self.counted} questions; mix the positions "
                "(learners notice)")


def crowded_position(quiz: QuizSpec) -> CrowdedPosition | None:
    """The position holding more than half of a quiz's right answers, if any.

    Every right position counts, so a multiple-answer question adds one for each right
    choice. Only quizzes with at least MIN_QUESTIONS choice questions are judged. The file
    order is judged whatever `shuffle` says: it is what learners see whenever choices are
    not shuffled, and the setting is changed more easily than the questions.
    """
    counted = [q for q in quiz.questions if q.kind in CHOICE_KINDS and q.choices]
    if len(counted) < MIN_QUESTIONS:
        return None
    tally = Counter(index for q in counted
                    for index, choice in enumerate(q.choices) if choice.correct)
    total = sum(tally.values())
    position, held = max(tally.items(), key=lambda item: item[1])
    if held * 2 <= total:
        return None
    return CrowdedPosition(position, held, len(counted))
