"""Fixtures for the quizzes' tests alone; people, clocks and course imports come from
tests/conftest.py and tests/factories.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.content.models import Quiz
from app.extensions import db
from app.learning.services import enrol
from tests.course_files import EXAM_QUIZ, module_md


@pytest.fixture
def quiz_course(app, clock, import_files, people) -> Callable[..., Quiz]:
    """`make(extra="", slug=...)`: a course of one module holding EXAM_QUIZ (with the
    `extra` setting lines) imported, Amina enrolled in it, committed; its quiz."""
    def make(extra: str = "", slug: str = "aseptic-check") -> Quiz:
        course = import_files({"01-aseptic.md": module_md("Aseptic", body=EXAM_QUIZ.format(
            slug=slug, extra=extra))})
        enrol(people["amina"], course, clock())
        db.session.commit()
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
        assert quiz is not None
        return quiz

    return make
