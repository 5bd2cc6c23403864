"""Replaying the audit chain against the records it governs: what the events say a row
holds, compared with what the row holds now. Pure: neither Flask nor the database.

Each book describes one table: which events make and change its rows, how an event names
its row, and what each event says about the row's fields. Events and rows arrive sorted by
the same key, so that `reconcile` walks both once, side by side, holding one row's events
at a time: memory stays flat however large the tables are.

A field is compared only where the events state it: events written before an event carried
a value (for example the percentage of a regrade) leave it unchecked, never wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

Key = tuple[int, ...]


@dataclass(frozen=True)
class Fact:
    """One event, as far as replay needs it."""

    seq: int
    action: str
    subject_id: str
    learner_id: int | None
    course_id: int | None
    details: dict[str, Any]


@dataclass(frozen=True)
class Difference:
    table: str
    row: str
    field: str
    actual: Any
    expected: Any

    def __str__(self) -> str:
        if self.field == "row":
            said = "it was never made" if self.expected is None else "it exists"
            return f"{self.table} {self.row}: row is {self.actual}, the events say {said}"
        return (f"{self.table} {self.row}: {self.field} is {show(self.actual)}, "
                f"the events say {show(self.expected)}")


def show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(item) for item in value) + "]"
    return str(value)


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, int | float) and isinstance(expected, int | float) \
            and not isinstance(actual, bool) and not isinstance(expected, bool):
        return round(float(actual), 4) == round(float(expected), 4)
    return bool(actual == expected)


Row = dict[str, Any]
# How one event changes what the events say about a row.
Step = Callable[[dict[str, Any], Fact], None]


@dataclass(frozen=True)
class Book:
    """One table's rows as the events describe them."""

    table: str
    subject_type: str
    steps: dict[str, Step]
    fields: tuple[str, ...]
    # Events are sorted by subject id ("subject"), or by learner then subject, or subject
    # then learner: the row key the table is read by.
    order: str = "subject"

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.steps)

    def key(self, fact: Fact) -> Key:
        subject = int(fact.subject_id)
        if self.order == "learner_subject":
            return (fact.learner_id or 0, subject)
        if self.order == "subject_learner":
            return (subject, fact.learner_id or 0)
        return (subject,)

    def describe(self, key: Key) -> str:
        """A row that is gone, by what its events call it."""
        if self.order == "learner_subject":
            return f"of learner {key[0]} in {self.subject_type} {key[1]}"
        if self.order == "subject_learner":
            return f"of learner {key[1]} in {self.subject_type} {key[0]}"
        return str(key[0])

    def replay(self, facts: Iterable[Fact]) -> dict[str, Any]:
        said: dict[str, Any] = {}
        for fact in facts:
            self.steps[fact.action](said, fact)
        return said

    def compare(self, key: Key, said: dict[str, Any] | None,
                rows: list[Row]) -> Iterator[Difference]:
        if not rows:
            if said is not None and not said.get("_no_row"):
                yield Difference(self.table, self.describe(key), "row", "missing", said)
            return
        for row in rows:
            if said is None:
                yield Difference(self.table, str(row["id"]), "row", "present", None)
                continue
            for name in self.fields:
                if name in said and not _same(row[name], said[name]):
                    yield Difference(self.table, str(row["id"]), name, row[name], said[name])


def reconcile(book: Book, facts: Iterable[Fact],
              rows: Iterable[tuple[Key, Row]]) -> Iterator[Difference]:
    """Every row whose values no event accounts for, and every row the events made that is
    gone. `facts` sorted by (book.key, seq), `rows` by key."""
    fact_groups = groupby((f for f in facts if f.action in book.steps), key=book.key)
    row_groups = groupby(rows, key=lambda item: item[0])
    next_facts = _next_group(fact_groups)
    next_rows = _next_group(row_groups)
    last: Key | None = None
    while next_facts is not None or next_rows is not None:
        fact_key = next_facts[0] if next_facts else None
        row_key = next_rows[0] if next_rows else None
        key = min(k for k in (fact_key, row_key) if k is not None)
        if last is not None and key <= last:
            raise ValueError(f"{book.table}: events or rows are not in key order at {key}")
        last = key
        said = book.replay(next_facts[1]) if next_facts and fact_key == key else None
        rows_here = [row for _, row in next_rows[1]] if next_rows and row_key == key else []
        yield from book.compare(key, said, rows_here)
        if fact_key == key:
            next_facts = _next_group(fact_groups)
        if row_key == key:
            next_rows = _next_group(row_groups)


def _next_group(groups: Iterator[tuple[Key, Iterator[Any]]]) -> tuple[Key, list[Any]] | None:
    found = next(groups, None)
    return (found[0], list(found[1])) if found is not None else None


# --- the books ------------------------------------------------------------------------------


def _set(**values: Any) -> Step:
    def step(said: dict[str, Any], _fact: Fact) -> None:
        said.update(values)
    return step


def _learner(said: dict[str, Any], fact: Fact) -> None:
    if fact.learner_id is not None:
        said["user_id"] = fact.learner_id


def _account(said: dict[str, Any], fact: Fact) -> None:
    said.update(roles=sorted(fact.details["roles"]), active=True)


def _roles(said: dict[str, Any], fact: Fact) -> None:
    said["roles"] = sorted(fact.details["roles"]["new"])


USERS = Book("users", "user", {
    "user.created": _account,
    "user.registered": _account,
    "user.role_changed": _roles,
    "user.deactivated": _set(active=False),
    "user.reactivated": _set(active=True),
}, fields=("roles", "active"))


def _enrolment(status: str) -> Step:
    def step(said: dict[str, Any], fact: Fact) -> None:
        _learner(said, fact)
        said.update(status=status, course_id=fact.course_id)
        said.setdefault("completed", False)
    return step


ENROLMENTS = Book("enrolments", "enrolment", {
    "enrolment.requested": _enrolment("requested"),
    "enrolment.created": _enrolment("active"),
    "enrolment.declined": _enrolment("declined"),
    "enrolment.withdrawn": _enrolment("withdrawn"),
    "course.completed": _set(completed=True),
}, fields=("user_id", "course_id", "status", "completed"))


def _started(said: dict[str, Any], _fact: Fact) -> None:
    said.setdefault("completed_version", None)


def _completed(said: dict[str, Any], fact: Fact) -> None:
    said["completed_version"] = fact.details["version"]


MODULE_PROGRESS = Book("module_progress", "module", {
    "module.started": _started,
    "module.completed": _completed,
}, fields=("completed_version",), order="learner_subject")


def _attempt_started(said: dict[str, Any], fact: Fact) -> None:
    _learner(said, fact)
    said.update(state="in_progress", score=None, passed=None, released=False)


def _submitted(said: dict[str, Any], fact: Fact) -> None:
    details = fact.details
    said["score"] = details["score"]
    if "passed" in details:  # marked at once, and so released at once
        said.update(state="graded", percent=details["percent"], passed=details["passed"],
                    released=True)
    else:
        said["state"] = "awaiting_grading"


def _graded(said: dict[str, Any], fact: Fact) -> None:
    details = fact.details
    said.update(state="graded", score=details["score"], percent=details["percent"],
                passed=details["passed"]["new"], released=False)


def _released(said: dict[str, Any], fact: Fact) -> None:
    said.update(released=True, percent=fact.details["percent"], passed=fact.details["passed"])


def _grade_changed(said: dict[str, Any], fact: Fact) -> None:
    details = fact.details
    if "score" in details:  # a regrade after an answer key changed
        said.update(score=details["score"]["new"], passed=details["passed"]["new"])
        if "percent" in details:
            said["percent"] = details["percent"]["new"]
    # An essay's grade changes its question grade; the attempt follows at attempt.graded.


ATTEMPTS = Book("attempts", "attempt", {
    "attempt.started": _attempt_started,
    "attempt.submitted": _submitted,
    "attempt.graded": _graded,
    "grade.released": _released,
    "grade.changed": _grade_changed,
}, fields=("user_id", "state", "score", "percent", "passed", "released"))


@dataclass(frozen=True)
class _GradeBook(Book):
    """Question grades are append-only, several per question: the events must give each of
    an attempt's grades, in order, with its points."""

    def replay(self, facts: Iterable[Fact]) -> dict[str, Any]:
        said: dict[str, Any] = {"_no_row": True}
        for fact in facts:
            if "question" in fact.details:
                said.setdefault(fact.details["question"], []).append(
                    fact.details["points"]["new"])
                said["_no_row"] = False
        return said

    def compare(self, key: Key, said: dict[str, Any] | None,
                rows: list[Row]) -> Iterator[Difference]:
        said = {k: v for k, v in (said or {}).items() if k != "_no_row"}
        by_question: dict[str, list[Row]] = {}
        for row in rows:
            by_question.setdefault(row["question_key"], []).append(row)
        for question in sorted(set(said) | set(by_question)):
            points, given = said.get(question, []), by_question.get(question, [])
            for index, row in enumerate(given):
                if index >= len(points):
                    yield Difference(self.table, str(row["id"]), "row", "present", None)
                elif not _same(row["points"], points[index]):
                    yield Difference(self.table, str(row["id"]), "points", row["points"],
                                     points[index])
            for missing in points[len(given):]:
                yield Difference(self.table, f"of attempt {key[0]}, question {question}",
                                 "row", "missing", missing)


QUESTION_GRADES = _GradeBook("question_grades", "attempt", {"grade.changed": _set()},
                             fields=("points",))


def _requested(said: dict[str, Any], fact: Fact) -> None:
    _learner(said, fact)
    said.update(state="requested", competent=None, percent=None)


def _opened(said: dict[str, Any], fact: Fact) -> None:
    _learner(said, fact)
    said.update(state="open", competent=None, percent=None)


def _assessed(said: dict[str, Any], fact: Fact) -> None:
    said.update(state="signed", competent=fact.details["competent"],
                percent=fact.details["percent"])


PRACTICALS = Book("practical_assessments", "practical_assessment", {
    "practical.requested": _requested,
    "practical.opened": _opened,
    "practical.assessed": _assessed,
}, fields=("user_id", "state", "competent", "percent"))


def _issued(said: dict[str, Any], fact: Fact) -> None:
    _learner(said, fact)
    said.update(code="".join(c for c in fact.details["code"] if c.isalnum()), revoked=False)


CERTIFICATES = Book("certificates", "certificate", {
    "certificate.issued": _issued,
    "certificate.revoked": _set(revoked=True),
}, fields=("user_id", "code", "revoked"))


def _marked(said: dict[str, Any], fact: Fact) -> None:
    said["mark"] = fact.details["mark"]


ATTENDANCE = Book("attendance", "class_session", {"attendance.recorded": _marked},
                  fields=("mark",), order="subject_learner")


BOOKS: tuple[Book, ...] = (USERS, ENROLMENTS, MODULE_PROGRESS, ATTEMPTS, QUESTION_GRADES,
                           PRACTICALS, CERTIFICATES, ATTENDANCE)
