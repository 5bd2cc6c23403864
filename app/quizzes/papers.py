"""A quiz's questions as attempts are given them, kept in each worker per course generation.

Starting an attempt draws and shuffles from the quiz's questions in the attempt's language.
Those questions change only when an import writes the course, and every import gives the
course a new `courses.generation` (app/learning/outline.py): so each worker reads a quiz's
questions once per generation and language, and the key holds the generation, so that
nothing is ever invalidated by hand. When 500 learners start an exam at once, each start
then builds its snapshot from this frozen paper instead of loading the questions and the
version's texts again (docs/performance.md).

The paper is frozen: each question's data is kept as JSON text, and every attempt gets its
own copy, so that no snapshot can share (and change) what the next attempt is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.content.models import Course, ModuleTranslation, Question, Quiz
from app.content.versions import translate_question
from app.core.caches import AppCache
from app.extensions import db
from app.quizzes.rules import QuestionRow


@dataclass(frozen=True)
class PaperQuestion:
    key: str
    kind: str
    prompt_html: str
    points: float
    data_json: str
    group: str | None

    def row(self) -> QuestionRow:
        """The question for one attempt, with its own copy of the data."""
        data: dict[str, Any] = json.loads(self.data_json)
        return QuestionRow(self.key, self.kind, self.prompt_html, self.points, data,
                           self.group)


@dataclass(frozen=True)
class ExamPaper:
    """A quiz's questions in order, in `language`: a version's texts when the module has
    that version, else the course's own."""

    language: str
    questions: tuple[PaperQuestion, ...]

    def rows(self) -> list[QuestionRow]:
        return [question.row() for question in self.questions]


# (quiz id, language asked for, course generation) -> paper. A few hundred quizzes in a few
# languages are what a worker's learners sit at once; an old generation's papers fall out.
PAPERS: AppCache[tuple[int, str, int], ExamPaper] = AppCache("exam papers", size=500)


def exam_paper(quiz: Quiz, generation: int | None, *, language: str | None,
               own: str | None) -> ExamPaper:
    """The quiz's paper for an attempt in `language` (None, or the course's `own` language:
    the originals), at its course's `generation` as a page has just read it: from the
    worker's cache, or read and kept. Read (one statement, two for a version, one more when
    `own` is not given) and not kept when the generation is not known (None)."""
    asked = language if language and language != own else ""
    if generation is None:
        return read_paper(quiz, asked, own)
    return PAPERS.get((quiz.id, asked, generation), lambda: read_paper(quiz, asked, own))


def version_texts(quiz: Quiz, language: str) -> dict[str, dict[str, Any]] | None:
    """The texts of the quiz's questions (by key) in its module's version `language`, or
    None when the module has no such version: one statement."""
    quizzes = db.session.scalar(select(ModuleTranslation.quizzes).where(
        ModuleTranslation.module_id == quiz.module_id, ModuleTranslation.language == language))
    if quizzes is None:
        return None
    return dict(quizzes.get(quiz.slug, {}).get("questions", {}))


def read_paper(quiz: Quiz, language: str, own: str | None) -> ExamPaper:
    """The paper as stored now (`language` "" for the originals)."""
    texts = version_texts(quiz, language) if language else None
    given_in: str | None = language
    if texts is None:
        given_in = own or db.session.scalar(select(Course.language).where(
            Course.id == quiz.course_id))
        texts = {}
    questions = []
    for q in db.session.scalars(select(Question).where(Question.quiz_id == quiz.id)
                                .order_by(Question.position)):
        prompt, data = translate_question(q.prompt_html, q.answer_data, texts.get(q.key))
        questions.append(PaperQuestion(q.key, q.kind, prompt, q.points, json.dumps(data),
                                       q.objectives[0] if q.objectives else None))
    assert given_in is not None
    return ExamPaper(given_in, tuple(questions))
