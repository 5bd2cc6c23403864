"""The audit chain: appends, integrity under concurrency, the database's refusal to change
it, and verification catching tampering."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from app.core.db import write_intent
from app.extensions import db
from app.records.actions import ACTIONS, KNOWN_ACTIONS
from app.records.models import Event, Signature
from app.records.services import (
    GENESIS_HASH,
    event_link,
    keyring,
    record_event,
    verify_chain,
)
from app.records.signatures import sign
from tests.conftest import DEFAULT_PASSWORD, append_only_guard_lifted


@dataclass(frozen=True)
class Appended:
    id: int
    seq: int
    hash: str
    prev_hash: str
    actor_name: str


def append(clock, n: int = 1, actor=None) -> list[Appended]:
    """Append n events and end the session's transaction, as a finished request does (an
    open read transaction would keep seeing the chain as it was)."""
    events = [record_event("course.imported", actor=actor, now=clock.advance(seconds=1),
                           subject_type="course", subject_id=i, details={"n": i})
              for i in range(n)]
    db.session.commit()
    appended = [Appended(e.id, e.seq, e.hash, e.prev_hash, e.actor_name) for e in events]
    db.session.close()
    return appended


def test_events_link_into_one_line(app, clock, make_user) -> None:
    admin = make_user(name="Grace Admin")
    first_seq = db.session.scalar(select(func.max(Event.seq))) or 0
    events = append(clock, 3, actor=admin)
    assert [e.seq for e in events] == [first_seq + 1, first_seq + 2, first_seq + 3]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert events[0].actor_name == "Grace Admin"
    stored = [db.session.get(Event, e.id) for e in events]
    assert all(s is not None and event_link(s, keyring().current) == e.hash
               for s, e in zip(stored, events, strict=True))
    genesis = db.session.scalar(select(Event).where(Event.seq == 1))
    assert genesis is not None and genesis.prev_hash == GENESIS_HASH
    result = verify_chain()
    assert result.ok and result.checked == first_seq + 3 and result.last_hash == events[-1].hash


def test_unknown_actions_are_refused(app, clock) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        record_event("course.renamed", actor=None, now=clock(), subject_type="course",
                     subject_id=1)


def test_command_line_actor_and_canonical_details(app, clock) -> None:
    event = record_event("course.imported", actor=None, now=clock(), subject_type="course",
                         subject_id=7, details={"b": (1, 2), "a": "é"}, reason="  why  ")
    assert event.actor_name == "command line" and event.actor_id is None
    assert event.details == {"a": "é", "b": [1, 2]} and event.reason == "why"
    db.session.commit()
    db.session.expire_all()
    # The link survives a round trip through the database.
    stored = db.session.get(Event, event.id)
    assert stored is not None and event_link(stored, keyring().current) == event.hash


def test_concurrent_writers_keep_one_chain_and_whole_anchor_lines(app, clock,
                                                                  anchor_path) -> None:
    threads_n, per_thread = 5, 20
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)
    moment = clock()
    db.session.close()

    def writer(worker: int) -> None:
        try:
            with app.app_context():
                write_intent.set(True)  # as in a POST request
                start.wait()
                for i in range(per_thread):
                    record_event("course.imported", actor=None, now=moment,
                                 subject_type="course", subject_id=f"{worker}-{i}")
                    db.session.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = db.session.scalars(select(Event.seq).order_by(Event.seq)).all()
    assert seqs == list(range(1, threads_n * per_thread + 1))
    assert verify_chain().ok
    # Each commit left one whole anchor line, with the link the database holds.
    lines = [json.loads(line) for line in anchor_path.read_text().splitlines()]
    assert sorted(line["seq"] for line in lines) == seqs
    links = dict(db.session.execute(select(Event.seq, Event.hash)).all())
    assert all(links[line["seq"]] == line["hash"] for line in lines)


@pytest.mark.parametrize("statement", [
    "UPDATE events SET reason = 'edited'",
    "DELETE FROM events",
    "UPDATE signatures SET meaning = 'edited'",
    "DELETE FROM signatures",
])
def test_the_database_refuses_to_change_events(app, clock, make_user, statement: str) -> None:
    signer = make_user()
    sign(signer, password=DEFAULT_PASSWORD, meaning="Reviewed", subject_type="training_record",
         subject_id=signer.id, content=[], now=clock())
    db.session.commit()
    events_before = db.session.scalar(select(func.count()).select_from(Event))
    db.session.close()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert verify_chain().ok
    assert db.session.scalar(select(func.count()).select_from(Event)) == events_before
    assert db.session.scalar(select(Signature.meaning)) == "Reviewed"


def test_verify_catches_an_altered_event(app, clock) -> None:
    events = append(clock, 4)
    with append_only_guard_lifted(), db.engine.begin() as conn:
        conn.execute(sa.update(Event).where(Event.id == events[2].id)
                     .values(details={"n": 99}))
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[2].id
    assert "altered" in result.message and result.checked == 2


def test_verify_catches_a_deleted_event(app, clock) -> None:
    events = append(clock, 4)
    with append_only_guard_lifted(), db.engine.begin() as conn:
        conn.execute(sa.delete(Event).where(Event.id == events[1].id))
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[2].id
    assert "events 2 to 2 of the chain are missing" in result.message


def test_verify_catches_reordered_events(app, clock) -> None:
    events = append(clock, 4)
    second, third = events[1], events[2]
    with append_only_guard_lifted(), db.engine.begin() as conn:
        conn.execute(sa.update(Event).where(Event.id == second.id).values(seq=-1))
        conn.execute(sa.update(Event).where(Event.id == third.id).values(seq=second.seq))
        conn.execute(sa.update(Event).where(Event.id == second.id).values(seq=third.seq))
    result = verify_chain()
    assert not result.ok and result.broken_event_id == third.id
    assert "does not link to the event before it" in result.message


def test_records_verify_command(app, clock, runner) -> None:
    events = append(clock, 3)
    ok = runner.invoke(args=["records", "verify"])
    assert ok.exit_code == 0 and f"3 events, head hash {events[-1].hash}" in ok.output
    db.session.close()  # the command's transaction; a real command ends with its process
    with append_only_guard_lifted(), db.engine.begin() as conn:
        conn.execute(sa.update(Event).where(Event.id == events[0].id).values(actor_name="X"))
    broken = runner.invoke(args=["records", "verify"])
    assert broken.exit_code == 1
    assert f"event {events[0].id} (number 1): its content does not match its hash" \
        in broken.output


def test_the_actions_that_exist() -> None:
    """A new action shows up here in review: give it a label, decide if it is on the record."""
    assert sorted(ACTIONS) == [
        "application.personal_deleted", "application.submitted", "application.withdrawn",
        "attempt.graded", "attempt.started", "attempt.submitted", "attendance.recorded",
        "call.changed", "call.closed", "call.created", "call.published",
        "centre.changed", "centre.course_offered", "centre.course_withdrawn", "centre.created",
        "centre.role_granted", "centre.role_removed", "certificate.issued",
        "certificate.revoked", "course.completed", "course.imported",
        "course.published", "course.rolled_back", "course.shared", "course.staff_assigned",
        "course.staff_removed", "course.unshared", "enrolment.created",
        "enrolment.declined", "enrolment.requested", "enrolment.withdrawn", "grade.changed",
        "grade.released", "intake.changed", "intake.completed", "intake.created",
        "intake.deadlines_changed", "intake.member_added", "login.ended", "login.started",
        "mail.retried", "module.archived",
        "module.completed", "module.retraining_due",
        "module.started", "module.version_raised",
        "offer.centre_created", "offer.confirmed", "offer.declined", "offer.lapsed", "offer.made",
        "practical.assessed", "practical.opened",
        "practical.requested", "programme.changed", "programme.created",
        "records.key_rotated",
        "review.assigned", "review.conflict_declared", "review.reviewer_added",
        "review.reviewer_removed", "review.scored", "review.unassigned",
        "selection.decided", "selection.overridden", "session.cancelled",
        "session.changed", "session.promoted", "session.registered",
        "session.registration_cancelled", "session.scheduled",
        "session.waitlisted", "signature.refused", "signature.signed", "user.created",
        "user.deactivated", "user.email_verified", "user.locked_out", "user.password_changed",
        "user.password_reset",
        "user.password_reset_completed", "user.password_reset_link_sent",
        "user.password_reset_requested", "user.profile_changed",
        "user.reactivated", "user.registered", "user.role_changed", "user.unlocked",
    ]
    assert all(action.label for action in ACTIONS.values())


def test_renamed_actions_keep_their_old_names_apart() -> None:
    """Old names are read, never written, and never given to another action."""
    assert {name: action.name for name, action in KNOWN_ACTIONS.items()
            if name not in ACTIONS} == {"session.started": "login.started",
                                        "session.ended": "login.ended"}
    assert len(KNOWN_ACTIONS) == sum(len(a.stored_names) for a in ACTIONS.values())
