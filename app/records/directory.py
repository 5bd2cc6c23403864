"""Who and what the chain's events name, as the features that own them tell records.

Every feature writes to the chain, so records imports none of them; yet its pages show a
learner's name and the courses' titles. The accounts feature provides `PEOPLE` and the
content feature `COURSE_NAMES` in their init_app, the way Flask-Login is given its user
loader. Both are read inside the statement a page runs anyway, so they add no query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Select, Subquery

from app.core.registry import Slot


class Person(Protocol):
    """What a training record shows of its learner."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def country(self) -> str | None: ...
    @property
    def organisation(self) -> str: ...
    @property
    def active(self) -> bool: ...
    @property
    def created_at(self) -> datetime: ...


@dataclass(frozen=True)
class People:
    # A person by account id, or None.
    find: Callable[[int], Person | None]
    # The ids of the accounts whose e-mail is like an SQL LIKE pattern, as a statement that
    # the event log's filter runs inside its own.
    ids_with_email_like: Callable[[str], Select[int]]


PEOPLE: Slot[People] = Slot("records people")
# The courses as (id, slug, title) columns, joined into the record and event log statements.
COURSE_NAMES: Slot[Callable[[], Subquery]] = Slot("records course names")
# The centre each learner enrolled in each course through, as (course_id, user_id, name)
# columns, joined into the record statement: each entry names the centre that recorded it.
ENTRY_CENTRES: Slot[Callable[[], Subquery]] = Slot("records entry centres")


def find_person(user_id: int) -> Person | None:
    return PEOPLE.get().find(user_id)
