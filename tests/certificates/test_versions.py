"""A certificate prints the course's title in the learner's interface language when the
course has a version of its course.md in it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.certificates.models import Certificate
from app.extensions import db
from app.learning.services import complete_module, enrol
from tests.course_files import COURSE_FR

FILES = {"01-intro.md": "---\ntitle: Intro\n---\nRead me.\n",
         "01-intro.fr.md": "---\ntitle: Introduction\n---\nLisez-moi.\n",
         "course.fr.md": COURSE_FR}


@pytest.mark.parametrize(("language", "title"), [
    ("fr", "Bases de l'asepsie"), (None, "Aseptic basics"), ("es", "Aseptic basics")])
def test_the_certificate_title_follows_the_learners_language(app, import_files, people,
                                                             clock, language, title) -> None:
    course = import_files(FILES)
    learner = people["amina"]
    learner.language = language
    enrol(learner, course, clock())
    complete_module(learner, course.modules[0], clock())
    db.session.commit()
    certificate = db.session.scalar(select(Certificate))
    assert certificate is not None and certificate.course_title == title
