"""Replaying events against rows, without a database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from app.records.replay import (
    ATTEMPTS,
    CERTIFICATES,
    ENROLMENTS,
    MODULE_PROGRESS,
    QUESTION_GRADES,
    USERS,
    Book,
    Difference,
    Fact,
    Key,
    Row,
    reconcile,
)

_seq = iter(range(1, 1_000_000))


def fact(action: str, subject: int, learner: int | None = None, course: int | None = None,
         **details: Any) -> Fact:
    return Fact(next(_seq), action, str(subject), learner, course, details)


def lines(book: Book, facts: list[Fact], rows: Sequence[tuple[Key, Row]]) -> list[str]:
    return [str(d) for d in reconcile(book, facts, rows)]


def test_users_roles_and_active_flags() -> None:
    facts = [fact("user.created", 1, 1, roles=["admin"]),
             fact("user.registered", 2, 2, roles=["learner"]),
             fact("user.role_changed", 2, 2, roles={"old": ["learner"],
                                                    "new": ["assessor", "learner"]}),
             fact("user.deactivated", 2, 2, active={"old": True, "new": False})]
    good = [((1,), {"id": 1, "roles": ["admin"], "active": True}),
            ((2,), {"id": 2, "roles": ["assessor", "learner"], "active": False})]
    assert lines(USERS, facts, good) == []
    tampered = [((1,), {"id": 1, "roles": ["admin"], "active": True}),
                ((2,), {"id": 2, "roles": ["admin", "assessor", "learner"], "active": True}),
                ((3,), {"id": 3, "roles": ["admin"], "active": True})]
    assert lines(USERS, facts, tampered) == [
        "users 2: roles is [admin, assessor, learner], the events say [assessor, learner]",
        "users 2: active is true, the events say false",
        "users 3: row is present, the events say it was never made",
    ]


def test_enrolments_and_completions() -> None:
    facts = [fact("enrolment.created", 5, 2, 9, how="open"),
             fact("course.completed", 5, 2, 9, modules=[]),
             fact("enrolment.requested", 6, 3, 9)]
    rows = [((5,), {"id": 5, "user_id": 2, "course_id": 9, "status": "active",
                    "completed": True}),
            ((6,), {"id": 6, "user_id": 3, "course_id": 9, "status": "active",
                    "completed": True})]
    assert lines(ENROLMENTS, facts, rows) == [
        "enrolments 6: status is active, the events say requested",
        "enrolments 6: completed is true, the events say false",
    ]


def test_a_completion_with_no_event_is_reported() -> None:
    facts = [fact("module.started", 4, 2, version=1),
             fact("module.completed", 5, 2, version=2)]
    rows = [((2, 4), {"id": 11, "completed_version": 1}),
            ((2, 5), {"id": 12, "completed_version": 2})]
    assert lines(MODULE_PROGRESS, facts, rows) == [
        "module_progress 11: completed_version is 1, the events say none"]
    assert lines(MODULE_PROGRESS, facts, rows[1:]) == [
        "module_progress of learner 2 in module 4: row is missing, the events say it exists"]


def test_attempt_states_scores_and_releases() -> None:
    facts = [fact("attempt.started", 7, 2, deadline=None),
             fact("attempt.submitted", 7, 2, score=1.0, max_score=7.0),
             fact("grade.changed", 7, 2, question="2", points={"old": None, "new": 5.0}),
             fact("attempt.graded", 7, 2, score=6.0, percent=85.71,
                  passed={"old": None, "new": True}),
             fact("grade.released", 7, 2, percent=85.71, passed=True),
             fact("attempt.started", 8, 2, deadline=None),
             fact("attempt.submitted", 8, 2, score=1.0, max_score=2.0, percent=50.0,
                  passed=False, pass_mark=80)]
    row7 = {"id": 7, "user_id": 2, "state": "graded", "score": 6.0, "percent": 85.71,
            "passed": True, "released": True}
    row8 = {"id": 8, "user_id": 2, "state": "graded", "score": 1, "percent": 50.0,
            "passed": False, "released": True}
    assert lines(ATTEMPTS, facts, [((7,), row7), ((8,), row8)]) == []
    assert lines(ATTEMPTS, facts, [((7,), {**row7, "score": 100.0}),
                                   ((8,), {**row8, "score": 100.0, "percent": 100.0,
                                           "passed": True})]) == [
        "attempts 7: score is 100, the events say 6",
        "attempts 8: score is 100, the events say 1",
        "attempts 8: percent is 100, the events say 50",
        "attempts 8: passed is true, the events say false",
    ]
    regraded = [*facts, fact("grade.changed", 8, 2, score={"old": 1.0, "new": 2.0},
                             passed={"old": False, "new": True})]
    assert lines(ATTEMPTS, regraded, [((7,), row7), ((8,), {**row8, "score": 2.0,
                                                             "passed": True})]) == []


def test_question_grades_each_need_their_event() -> None:
    facts = [fact("grade.changed", 7, 2, question="2", points={"old": None, "new": 6.0}),
             fact("grade.changed", 7, 2, question="2", points={"old": 6.0, "new": 1.0}),
             fact("grade.changed", 8, 2, score={"old": 1.0, "new": 2.0},
                  passed={"old": False, "new": True})]
    rows = [((7,), {"id": 1, "question_key": "2", "points": 6.0}),
            ((7,), {"id": 2, "question_key": "2", "points": 1.0})]
    assert lines(QUESTION_GRADES, facts, rows) == []
    assert lines(QUESTION_GRADES, facts, [rows[0], ((7,), {**rows[1][1], "points": 4.0}),
                                          ((7,), {"id": 3, "question_key": "2",
                                                  "points": 4.0})]) == [
        "question_grades 2: points is 4, the events say 1",
        "question_grades 3: row is present, the events say it was never made",
    ]
    assert lines(QUESTION_GRADES, facts, rows[:1]) == [
        "question_grades of attempt 7, question 2: row is missing, the events say it exists"]


def test_certificates_and_revocations() -> None:
    facts = [fact("certificate.issued", 3, 2, 9, code="ABCD-EFGH"),
             fact("certificate.revoked", 3, 2, 9, code="ABCD-EFGH")]
    row = {"id": 3, "user_id": 2, "code": "ABCDEFGH", "revoked": True}
    assert lines(CERTIFICATES, facts, [((3,), row)]) == []
    assert lines(CERTIFICATES, facts[:1], [((3,), row)]) == [
        "certificates 3: revoked is true, the events say false"]


def test_events_and_rows_must_come_in_key_order() -> None:
    facts = [fact("user.created", 2, 2, roles=["learner"]),
             fact("user.created", 1, 1, roles=["learner"])]
    with pytest.raises(ValueError, match="not in key order"):
        list(reconcile(USERS, facts, []))


def test_what_a_difference_says() -> None:
    assert str(Difference("attempts", "4", "passed", None, True)) == \
        "attempts 4: passed is none, the events say true"
