"""Attendance for a whole room at once: the exceptions marked, the others present; one
event per learner whose mark changed, all of them or none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.classroom.models import Attendance, ClassSession
from app.classroom.services import Mark, record_attendance, register_for_session
from app.core.errors import ValidationError
from app.extensions import db
from app.learning.services import enrol
from app.records.models import Event
from tests.blended import Gxp
from tests.conftest import committed, login

NINE_IN_SEOUL = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def room(gxp: Gxp, make_user, clock) -> tuple[ClassSession, list[User]]:
    """Six learners seated at the workshop, which has started."""
    session = gxp.schedule(gxp.workshop, NINE_IN_SEOUL)
    learners = [*gxp.learners, *(make_user(f"room{n}@example.org", name=f"Room {n}")
                                 for n in range(4))]
    for learner in learners:
        enrol(learner, gxp.course, clock())
        register_for_session(learner, session, clock())
    db.session.commit()
    clock.current = NINE_IN_SEOUL
    return session, learners


def _events() -> int:
    return committed(select(func.count()).select_from(Event)
                     .where(Event.action == "attendance.recorded"))


def _marks() -> dict[int, str]:
    return {a.user_id: a.mark for a in db.session.scalars(select(Attendance))}


def test_a_wrong_mark_in_the_batch_records_none(gxp: Gxp, room, clock) -> None:
    session, learners = room
    marks = {learner.id: Mark("present") for learner in learners}
    marks[learners[-1].id] = Mark("asleep")
    with pytest.raises(ValidationError):
        record_attendance(gxp.instructor, session, marks, clock())
    assert _marks() == {} and _events() == 0
    marks[learners[-1].id] = Mark("present")
    marks[gxp.outsider.id] = Mark("present")  # holds no seat: refused before any write
    with pytest.raises(ValidationError):
        record_attendance(gxp.instructor, session, marks, clock())
    assert _marks() == {}


def test_the_others_present_in_one_go_then_an_exception(client, gxp: Gxp, room,
                                                        clock) -> None:
    session, learners = room
    late = learners[1]
    login(client, gxp.instructor.email)
    page = client.get(f"/classroom/{session.id}/attendance").get_data(as_text=True)
    assert "Save, the others present" in page
    done = client.post(f"/classroom/{session.id}/attendance",
                       data={"others": "present", f"mark-{late.id}": "late",
                             f"note-{late.id}": "train delayed"})
    assert done.status_code == 302
    db.session.expire_all()
    assert _marks() == {learner.id: "late" if learner is late else "present"
                        for learner in learners}
    assert _events() == len(learners)  # one per learner, in the one request
    # An exception found afterwards changes that learner alone.
    absent = learners[3]
    client.post(f"/classroom/{session.id}/attendance",
                data={f"mark-{absent.id}": "absent"})
    db.session.expire_all()
    assert _marks()[absent.id] == "absent" and _events() == len(learners) + 1
    event = db.session.scalars(select(Event).where(Event.action == "attendance.recorded")
                               .order_by(Event.seq.desc())).first()
    assert event is not None and event.details["previous"] == "present"


def test_without_the_others_button_unmarked_learners_stay_unmarked(client, gxp: Gxp,
                                                                   room) -> None:
    session, learners = room
    login(client, gxp.instructor.email)
    client.post(f"/classroom/{session.id}/attendance",
                data={f"mark-{learners[0].id}": "present"})
    assert _marks() == {learners[0].id: "present"}
