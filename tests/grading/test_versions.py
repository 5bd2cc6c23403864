"""Item analysis merges the language versions of a quiz (the same question keys) and can
be split by the language the attempts were taken in."""

from __future__ import annotations

from sqlalchemy import select

from app.content.models import Quiz
from app.extensions import db
from app.grading.queries import attempts_by_language, item_analysis
from app.learning.services import enrol
from app.quizzes.services import save_answers, start_attempt, submit_attempt
from tests.conftest import login

MODULE = """---
title: Records
---
```quiz
id: records
pass_mark: 50%

1.  Which EU GMP annex covers computerised systems?
    = Annex 11
2.  Is a back-dated entry acceptable?
    ( ) Yes
    (x) No
```
"""
MODULE_FR = """---
title: Enregistrements
---
```quiz
id: records

1.  Quelle annexe des BPF couvre les systèmes informatisés ?
    = Annexe 11
2.  Une entrée antidatée est-elle acceptable ?
    ( ) Oui
    (x) Non
```
"""


def test_item_analysis_merges_versions_and_splits_by_language(app, client, import_files,
                                                                people, clock) -> None:
    course = import_files({"01-records.md": MODULE, "01-records.fr.md": MODULE_FR})
    quiz = db.session.scalar(select(Quiz))
    assert quiz is not None
    for name, language, answer in (("amina", "fr", "annexe 11"), ("kim", "en", "Annex 12")):
        learner = people[name]
        enrol(learner, course, clock())
        attempt = start_attempt(learner, quiz, clock(), language=language)
        save_answers(learner, attempt, {"1": [answer]}, 1, clock())
        submit_attempt(learner, attempt, clock())
    db.session.commit()

    assert attempts_by_language(quiz) == {"en": 1, "fr": 1}
    questions, stats, count = item_analysis(quiz, None, "en")
    assert count == 2 and [s.facility for s in stats] == [0.5, 0.0]
    assert "Which EU GMP annex" in str(questions[0]["prompt_html"])  # the course's own
    questions, stats, count = item_analysis(quiz, "fr", "en")
    assert count == 1 and stats[0].facility == 1.0
    assert "Quelle annexe" in str(questions[0]["prompt_html"])

    login(client, "grace@example.org")
    url = "/grading/aseptic-basics/quizzes/records/analysis"
    page = client.get(url).get_data(as_text=True)
    assert "English: 1" in page and "French: 1" in page and "All languages" in page
    page = client.get(url + "?language=fr").get_data(as_text=True)
    assert "1 released attempt." in page and "Quelle annexe" in page


def test_a_regrade_keeps_an_attempt_in_its_version(app, import_files, people, clock) -> None:
    from app.grading.services import regrade_quiz
    from app.quizzes.models import Attempt

    course = import_files({"01-records.md": MODULE, "01-records.fr.md": MODULE_FR})
    quiz = db.session.scalar(select(Quiz))
    assert quiz is not None
    enrol(people["amina"], course, clock())
    attempt = start_attempt(people["amina"], quiz, clock(), language="fr")
    save_answers(people["amina"], attempt, {"1": ["annexe 11"]}, 1, clock())
    submit_attempt(people["amina"], attempt, clock())
    db.session.commit()
    # The key is fixed in the original: question 2's right answer moves.
    import_files({"01-records.md": MODULE.replace("( ) Yes\n    (x) No", "(x) Yes\n    ( ) No"),
                  "01-records.fr.md": MODULE_FR.replace("( ) Oui\n    (x) Non",
                                                        "(x) Oui\n    ( ) Non")})
    fixed = db.session.get(Quiz, quiz.id)
    assert fixed is not None
    regrade_quiz(people["grace"], fixed, clock())
    db.session.commit()
    again = db.session.get(Attempt, attempt.id)
    assert again is not None and again.score == 1.0  # the French short answer still counts
    assert "Quelle annexe" in again.snapshot[0]["prompt_html"]
    assert again.snapshot[1]["data"]["choices"][0]["correct"] is True
