"""Pure rules about what a course file says, beyond whether it can be read at all.

No Flask, no database: the loader feeds these the specs it built and reports the results as
warnings, which never stop an import. `course_findings` runs them all; each rule is also a
function of its own, for its tests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from app.content.objectives import course_ref
from app.content.specs import CourseSpec, ModuleSpec, ObjectiveSpec, QuestionSpec, QuizSpec

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


@dataclass(frozen=True)
class Finding:
    """A warning at a line of one of the course's files: a module's, or course.md (None)."""

    module: ModuleSpec | None
    line: int
    message: str
    code: str  # the kind of warning (specs.CODES)


def course_findings(course: CourseSpec) -> list[Finding]:
    """Every warning about the course, in no particular order."""
    found: list[Finding] = []
    gap = hours_gap(course)
    if gap is not None:
        found.append(Finding(None, course.line_of.get("hours", 1), gap.message(),
                             code="hours-gap"))
    for module, objective in unapplied_objectives(course):
        found.append(Finding(module, objective.line, (
            f'no question asks to apply objective "{course_ref(module.slug, objective.id)}": '
            'add a case, a calculation or a decision with "asks: apply" that names it in '
            '"objective:"'), code="objective-not-applied"))
    for module in course.modules:
        for quiz in module.quizzes:
            found.extend(replace(finding, module=module) for finding in quiz_findings(quiz))
    return found


def quiz_findings(quiz: QuizSpec) -> list[Finding]:
    """The warnings about one quiz, each with its line (their module left to the caller)."""
    found: list[Finding] = []
    crowded = crowded_position(quiz)
    if crowded is not None:
        found.append(Finding(None, quiz.line, crowded.message(quiz.slug),
                             code="answer-positions"))
    left_out = unreachable_objectives(quiz)
    if left_out:
        names = ", ".join(f'"{name}"' for name in left_out)
        found.append(Finding(None, quiz.line_of.get("pick", quiz.line), (
            f'quiz "{quiz.slug}": a draw of {quiz.pick} of its {len(quiz.questions)} questions '
            f"can leave out objective{'s' if len(left_out) > 1 else ''} {names}; use "
            '"pick: N per objective"'), code="objective-left-out"))
    if guessable(quiz):
        found.append(Finding(None, quiz.line_of.get("attempts", quiz.line), (
            f'quiz "{quiz.slug}" is a graded assessment with unlimited attempts, which a '
            'learner can pass by guessing again and again: set "attempts:", for example 3'),
            code="unlimited-attempts"))
    for question in quiz.questions:
        if lacks_feedback(question):
            found.append(Finding(None, question.line, (
                f'question {question.number or question.position} has no feedback: add '
                '"explain:" or a ">" line under its right answer that says why it is right'),
                code="no-feedback"))
    return found


def unapplied_objectives(course: CourseSpec) -> list[tuple[ModuleSpec, ObjectiveSpec]]:
    """Objectives of required modules that no question of the course asks to apply.

    A question counts for every objective its `objective:` names, in any quiz of the course
    (knowledge checks too); optional modules' objectives are not required to be applied.
    """
    applied = {name for module in course.modules for quiz in module.quizzes
               for question in quiz.questions if question.asks == "apply"
               for name in question.objectives}
    return [(module, objective) for module in course.modules if not module.optional
            for objective in module.objective_specs
            if course_ref(module.slug, objective.id) not in applied]


def unreachable_objectives(quiz: QuizSpec) -> list[str]:
    """Objectives named by a graded assessment's questions that a plain `pick: N` draw can
    leave out: those with at least N questions that do not name them."""
    total = len(quiz.questions)
    if (not quiz.is_assessment or quiz.pick is None or quiz.pick_per_objective
            or quiz.pick >= total):
        return []
    named = Counter(name for question in quiz.questions for name in question.objectives)
    return [name for name, questions in named.items() if total - questions >= quiz.pick]


def guessable(quiz: QuizSpec) -> bool:
    """A graded assessment with unlimited attempts: it can be passed by trying again."""
    return quiz.is_assessment and quiz.attempts == 0


def lacks_feedback(question: QuestionSpec) -> bool:
    """Neither `explain:` nor `>` feedback on a right answer: the learner never learns why.
    An essay's rubric is its feedback."""
    if question.explain_html:
        return False
    if question.kind == "essay":
        return not question.rubric
    right = ([c.feedback_html for c in question.choices if c.correct]
             + [a.feedback_html for a in question.numeric_answers]
             + [a.feedback_html for a in question.text_answers])
    return not any(right)


# Credit hours may differ this much from the modules' durations (rounding to a quarter hour).
HOURS_TOLERANCE = 0.25


@dataclass(frozen=True)
class HoursGap:
    """A course's `hours:` against the durations of its required modules."""

    hours: float
    documented: float  # hours: the sum of the required modules' durations
    undated: int  # required modules without a duration

    def message(self) -> str:
        text = (f"hours: {_hours(self.hours)} differs from the {_hours(self.documented)} h "
                "that the required modules take (their durations, live sessions included); "
                "certificates print these hours, so make them match")
        if self.undated:
            text += ("; 1 required module gives no duration" if self.undated == 1 else
                     f"; {self.undated} required modules give no duration")
        return text


def hours_gap(course: CourseSpec) -> HoursGap | None:
    """The course's credit hours when they differ from its required modules' durations by
    more than a quarter of an hour; None without `hours:` (the durations are then summed)."""
    if course.hours is None:
        return None
    required = [module for module in course.modules if not module.optional]
    documented = sum(module.duration_minutes or 0 for module in required) / 60
    if abs(course.hours - documented) <= HOURS_TOLERANCE + 1e-9:
        return None
    return HoursGap(course.hours, documented,
                    sum(module.duration_minutes is None for module in required))


def _hours(value: float) -> str:
    return f"{round(value, 2):g}"
