"""What a module page needs about its quizzes, read with the module's HTML in one statement."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import and_, select

from app.content.models import Module, Quiz
from app.extensions import db
from app.quizzes.models import Attempt
from app.quizzes.rules import remaining_attempts

_SLOT = re.compile(r'<div class="quiz-slot" data-quiz="([^"]+)"></div>\n?')


@dataclass
class QuizPanel:
    quiz: Quiz
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.open), None)

    @property
    def passed(self) -> bool:
        return any(a.passed and a.released_at for a in self.attempts)

    @property
    def attempts_left(self) -> int | None:
        return remaining_attempts(self.quiz.attempts, len(self.attempts))


@dataclass
class ModuleContent:
    body_html: str
    facilitator_html: str
    panels: dict[str, QuizPanel]

    def segments(self) -> list[tuple[str, QuizPanel | None]]:
        """The stored lesson cut at its quiz slots: (html, panel to show after it)."""
        parts = _SLOT.split(self.body_html)
        pieces: list[tuple[str, QuizPanel | None]] = []
        for index in range(0, len(parts), 2):
            slug = parts[index + 1] if index + 1 < len(parts) else None
            pieces.append((parts[index], self.panels.get(slug) if slug else None))
        return pieces


def module_content(module_id: int, viewer_id: int) -> ModuleContent:
    rows = db.session.execute(
        select(Module.body_html, Module.facilitator_html, Quiz, Attempt)
        .select_from(Module)
        .outerjoin(Quiz, and_(Quiz.module_id == Module.id, Quiz.archived_at.is_(None)))
        .outerjoin(Attempt, and_(Attempt.quiz_id == Quiz.id, Attempt.user_id == viewer_id))
        .where(Module.id == module_id)
        .order_by(Quiz.position, Attempt.number)).all()
    panels: dict[str, QuizPanel] = {}
    for _, _, quiz, attempt in rows:
        if quiz is None:
            continue
        panel = panels.setdefault(quiz.slug, QuizPanel(quiz))
        if attempt is not None:
            panel.attempts.append(attempt)
    body, notes = (rows[0][0], rows[0][1]) if rows else ("", "")
    return ModuleContent(body, notes, panels)
