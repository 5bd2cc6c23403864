"""The chain's links are HMACs under a key outside the database: resealing without the key
fails, events written before keying still verify, and a key rotation is sealed by both
keys."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.extensions import db
from app.records.keys import UNKEYED, Keyring, key_id
from app.records.models import Event
from app.records.services import (
    GENESIS_HASH,
    ChainKeyMissing,
    event_hash,
    event_link,
    keyring,
    record_event,
    verify_chain,
)
from tests.conftest import TEST_RECORDS_KEY, append_only_guard_lifted
from tests.records.test_chain import append

NEW_KEY = "the-new-records-key-0123456789abcdef01234"


def test_links_are_hmacs_under_the_records_key(app, clock) -> None:
    events = append(clock, 2)
    stored = db.session.get(Event, events[1].id)
    assert stored is not None and stored.key_id == key_id(TEST_RECORDS_KEY.encode())
    assert stored.hash == event_link(stored, TEST_RECORDS_KEY.encode())
    assert stored.hash != event_hash(stored)  # not the plain SHA-256 of the content
    assert TEST_RECORDS_KEY not in repr(keyring())  # a traceback never shows the key


def test_resealing_with_plain_sha256_is_caught(app, clock) -> None:
    """A tamperer rewrites an event and recomputes every later link, without the key."""
    events = append(clock, 4)
    db.session.close()
    _reseal_from(events[1].seq, new_details={"n": 99})
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[1].id
    assert "its content does not match its hash (altered)" in result.message


def _reseal_from(seq: int, *, new_details: dict[str, object] | None = None,
                 unkeyed: bool = False) -> None:
    """Rewrite event `seq` and relink all later events with plain SHA-256."""
    with append_only_guard_lifted():
        rows = db.session.scalars(select(Event).where(Event.seq >= seq).order_by(Event.seq))
        previous = db.session.scalar(select(Event.hash).where(Event.seq == seq - 1))
        for event in rows:
            if event.seq == seq and new_details is not None:
                event.details = new_details
            if unkeyed:
                event.key_id = UNKEYED
            event.prev_hash = previous or event.prev_hash
            event.hash = event_hash(event)
            previous = event.hash
        db.session.commit()
    db.session.close()


def test_a_wholly_unkeyed_rewrite_passes_the_walk_alone(app, clock) -> None:
    """Stripping every key id and resealing all with SHA-256 looks like a chain from before
    keying: only the anchor catches it (tests/records/test_anchor.py)."""
    append(clock, 3)
    db.session.close()
    _reseal_from(1, new_details={"n": 42}, unkeyed=True)
    result = verify_chain()
    assert result.ok and result.unkeyed == 3


def test_events_from_before_keying_verify_and_are_counted(app, clock) -> None:
    _write_unkeyed_chain(3)
    append(clock, 2)  # the upgraded app seals from here on
    result = verify_chain()
    assert result.ok and result.checked == 5 and result.unkeyed == 3


def test_an_unkeyed_event_after_keyed_ones_is_a_downgrade(app, clock) -> None:
    events = append(clock, 3)
    db.session.close()
    _reseal_from(events[2].seq, unkeyed=True)
    result = verify_chain()
    assert not result.ok and result.broken_event_id == events[2].id
    assert "not sealed with a key, but events before it are (a downgrade)" in result.message


def _write_unkeyed_chain(n: int) -> None:
    """Events as TrainHub wrote them before migration 0012: plain SHA-256, no key id."""
    previous = GENESIS_HASH
    with db.engine.begin() as conn:
        for seq in range(1, n + 1):
            event = Event(seq=seq, occurred_at=datetime(2025, 1, 1, 9, seq, tzinfo=UTC),
                          actor_id=None, actor_name="command line", action="course.imported",
                          subject_type="course", subject_id=str(seq), course_id=None,
                          learner_id=None, details={"n": seq}, reason="", prev_hash=previous,
                          key_id=UNKEYED)
            event.hash = event_hash(event)
            conn.execute(sa.insert(Event).values(**{
                column: getattr(event, column) for column in (
                    "seq", "occurred_at", "actor_name", "action", "subject_type",
                    "subject_id", "details", "reason", "prev_hash", "hash", "key_id")}))
            previous = event.hash


def test_a_different_key_does_not_verify(app, clock, make_app) -> None:
    append(clock, 2)
    other = make_app(RECORDS_KEY="an-unrelated-key-0123456789abcdef0123456")
    with other.app_context():
        result = verify_chain()
    assert not result.ok and result.checked == 0
    assert "neither RECORDS_KEY nor in RECORDS_OLD_KEYS" in result.message


def test_rotate_key_hands_the_chain_over_under_both_keys(app, clock, make_app) -> None:
    old_events = append(clock, 3)
    rotated = make_app(RECORDS_KEY=NEW_KEY, RECORDS_OLD_KEYS=(TEST_RECORDS_KEY,))
    with rotated.app_context():
        output = rotated.test_cli_runner().invoke(
            args=["records", "rotate-key", "--reason", "yearly rotation"])
        assert output.exit_code == 0, output.output
        assert f"from key {key_id(TEST_RECORDS_KEY.encode())} to key " \
               f"{key_id(NEW_KEY.encode())} at event number 4" in output.output
        db.session.close()
        append(clock, 2)
        event = db.session.scalar(select(Event).where(Event.seq == 4))
        assert event is not None and event.action == "records.key_rotated"
        assert event.reason == "yearly rotation" and event.actor_name == "command line"
        assert event.details["head"] == {"seq": 3, "hash": old_events[-1].hash}
        assert verify_chain().ok
        again = rotated.test_cli_runner().invoke(args=["records", "rotate-key"])
        assert again.exit_code == 1 and "seals the chain already" in again.output
        db.session.close()
    # Without the old key the events it sealed cannot be checked.
    forgetful = make_app(RECORDS_KEY=NEW_KEY)
    with forgetful.app_context():
        result = verify_chain()
        assert not result.ok and "event 1 (number 1)" in result.message
    # A process that holds neither key of the chain's head cannot hand it over.
    stranger = make_app(RECORDS_KEY="yet-another-key-0123456789abcdef0123456")
    with stranger.app_context():
        refused = stranger.test_cli_runner().invoke(args=["records", "rotate-key"])
        assert refused.exit_code == 1 and "which this process does not hold" in refused.output
    # A process still on the old key refuses to write after the hand-over.
    db.session.close()
    with pytest.raises(ChainKeyMissing, match="restart this process with the current"):
        record_event("course.imported", actor=None, now=clock(), subject_type="course",
                     subject_id=1)
    db.session.rollback()


def test_the_first_write_with_a_new_key_rotates_by_itself(app, clock, make_app) -> None:
    append(clock, 2)
    rotated = make_app(RECORDS_KEY=NEW_KEY, RECORDS_OLD_KEYS=(TEST_RECORDS_KEY,))
    with rotated.app_context():
        events = append(clock, 1)
        actions = db.session.scalars(select(Event.action).order_by(Event.seq)).all()
        assert actions == ["course.imported"] * 2 + ["records.key_rotated", "course.imported"]
        assert events[0].seq == 4
        result = verify_chain()
        assert result.ok and result.checked == 4


def test_a_key_change_without_a_hand_over_is_caught(app, clock) -> None:
    events = append(clock, 3)
    db.session.close()
    intruder = Keyring(b"a key the tamperer chose, 0123456789abcdef")
    with append_only_guard_lifted():
        event = db.session.get(Event, events[2].id)
        assert event is not None
        event.key_id, event.details = intruder.current_id, {"n": 7}
        event.hash = event_link(event, intruder.current)
        db.session.commit()
    db.session.close()
    both = Keyring(TEST_RECORDS_KEY.encode(), (intruder.current,))
    result = verify_chain(both)
    assert not result.ok and "its key changed without a records.key_rotated event" \
        in result.message


def test_a_database_from_before_keying_upgrades_and_verifies(tmp_path) -> None:
    """Events written by the unkeyed version, then migration 0012: they verify as unkeyed,
    the first new event is keyed, and the append-only triggers survived the new column."""
    from flask_migrate import upgrade

    from app import create_app
    from tests.conftest import app_config

    old = create_app(app_config(f"sqlite:///{tmp_path / 'old.db'}",
                                RECORDS_ANCHOR=str(tmp_path / "anchor")))
    with old.app_context():
        upgrade(revision="0010")
        previous = GENESIS_HASH
        with db.engine.begin() as conn:
            for seq in (1, 2):
                event = Event(seq=seq, occurred_at=datetime(2025, 1, 1, 9, seq, tzinfo=UTC),
                              actor_id=None, actor_name="command line",
                              action="course.imported", subject_type="course",
                              subject_id=str(seq), course_id=None, learner_id=None,
                              details={"n": seq}, reason="", prev_hash=previous)
                event.hash = event_hash(event)
                conn.exec_driver_sql(
                    "INSERT INTO events (seq, occurred_at, actor_name, action, subject_type, "
                    "subject_id, details, reason, prev_hash, hash) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (seq, f"2025-01-01 09:0{seq}:00.000000", "command line",
                     "course.imported", "course", str(seq), f'{{"n":{seq}}}', "",
                     previous, event.hash))
                previous = event.hash
        upgrade()
        result = verify_chain()
        assert result.ok and result.checked == 2 and result.unkeyed == 2, result.message
        record_event("course.imported", actor=None, now=datetime(2026, 1, 1, tzinfo=UTC),
                     subject_type="course", subject_id=3)
        db.session.commit()
        result = verify_chain()
        assert result.ok and result.checked == 3 and result.unkeyed == 2
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), \
                db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE events SET reason = 'edited'")
        db.session.remove()
        db.engine.dispose()
