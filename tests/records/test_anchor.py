"""The anchor outside the database: one line per commit that appended events, checked by
`records verify`; the head for paper and `--expect-head`."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.extensions import db
from app.records.anchor import AnchorLine, FileAnchor, open_anchor, parse_line
from app.records.models import Event
from app.records.services import record_event
from tests.conftest import append_only_guard_lifted
from tests.records.test_chain import append
from tests.records.test_keys import _reseal_from


def anchored(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() \
        else []


def test_each_commit_that_appends_leaves_one_line(app, clock, anchor_path) -> None:
    events = append(clock, 3)  # one commit
    assert anchored(anchor_path) == [
        {"seq": 3, "hash": events[-1].hash, "at": "2026-03-02T09:00:03+00:00"}]
    db.session.commit()  # nothing appended: no line
    record_event("course.imported", actor=None, now=clock(), subject_type="course",
                 subject_id=9)
    db.session.rollback()  # appended, then rolled back: no line
    assert len(anchored(anchor_path)) == 1
    more = append(clock, 1)
    assert [line["seq"] for line in anchored(anchor_path)] == [3, 4]
    assert anchored(anchor_path)[-1]["hash"] == more[0].hash


def test_verify_reports_a_good_anchor(app, clock, runner, anchor_path) -> None:
    append(clock, 2)
    append(clock, 2)
    db.session.close()
    result = runner.invoke(args=["records", "verify"])
    assert result.exit_code == 0, result.output
    assert f"Anchor verified: 2 lines in {anchor_path}, newest event number 4" in result.output


def test_truncation_is_caught_by_the_anchor(app, clock, runner) -> None:
    events = append(clock, 5)
    db.session.close()
    with append_only_guard_lifted(), db.engine.begin() as conn:
        conn.execute(sa.delete(Event).where(Event.seq > 3))
    result = runner.invoke(args=["records", "verify"])
    assert result.exit_code == 1
    assert "Audit chain verified: 3 events" in result.output  # the shorter chain is whole
    assert "the anchor's newest event is number 5" in result.output
    assert "but the chain ends at number 3: events 4 to 5 are missing from the database " \
           "(truncated)" in result.output
    assert events[-1].seq == 5


def test_a_resealed_chain_does_not_match_its_anchor(app, clock, runner) -> None:
    append(clock, 3)
    db.session.close()
    _reseal_from(1, new_details={"n": 42}, unkeyed=True)  # passes the walk (test_keys)
    result = runner.invoke(args=["records", "verify"])
    assert result.exit_code == 1
    assert "anchor line 1: event number 3 has link" in result.output
    assert "(rewritten)" in result.output


def test_a_removed_anchor_is_noticed(app, clock, runner, anchor_path) -> None:
    append(clock, 2)
    db.session.close()
    anchor_path.unlink()
    result = runner.invoke(args=["records", "verify"])
    assert result.exit_code == 1 and "the anchor holds no lines" in result.output


def test_an_edited_anchor_line_is_reported(app, clock, runner, anchor_path) -> None:
    append(clock, 2)
    db.session.close()
    with anchor_path.open("a") as handle:
        handle.write("seq 2 was here\n")
    result = runner.invoke(args=["records", "verify"])
    assert result.exit_code == 1
    assert "anchor line 2 is not an anchor line ('seq 2 was here')" in result.output


def test_anchor_prints_the_head_and_verify_expects_it(app, clock, runner) -> None:
    assert runner.invoke(args=["records", "anchor"]).exit_code == 1  # nothing to print yet
    events = append(clock, 3)
    db.session.close()
    printed = runner.invoke(args=["records", "anchor"])
    assert printed.exit_code == 0 and printed.output == f"3:{events[-1].hash}\n"
    head = printed.output.strip()
    append(clock, 2)  # the chain goes on: an earlier head stays in it
    db.session.close()
    kept = runner.invoke(args=["records", "verify", "--expect-head", head])
    assert kept.exit_code == 0 and f"Expected head {head} is in the chain." in kept.output

    other = f"3:{events[0].hash}"
    wrong = runner.invoke(args=["records", "verify", "--expect-head", other])
    assert wrong.exit_code == 1
    assert f"event number 3 has link {events[-1].hash}, not the expected {events[0].hash}" \
        in wrong.output
    beyond = runner.invoke(args=["records", "verify", "--expect-head", f"9:{events[0].hash}"])
    assert beyond.exit_code == 1
    assert "event number 9 of the expected head is not in the chain, which ends at number 5" \
        in beyond.output
    garbled = runner.invoke(args=["records", "verify", "--expect-head", "3-abc"])
    assert garbled.exit_code == 2 and "NUMBER:HASH" in garbled.output


def test_file_anchor_appends_and_reads(tmp_path) -> None:
    target = open_anchor(f"file://{tmp_path}/sub/anchor")
    assert isinstance(target, FileAnchor) and list(target.read() or []) == []
    target.append(AnchorLine(1, "a" * 64, "2026-03-02T09:00:00+00:00"))
    target.append(AnchorLine(2, "b" * 64))
    assert [parse_line(text) for text in target.read() or []] == [
        AnchorLine(1, "a" * 64, "2026-03-02T09:00:00+00:00"), AnchorLine(2, "b" * 64)]
    assert (tmp_path / "sub" / "anchor").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("text", ["", "{}", '{"seq": "1", "hash": "x"}', '{"seq": true, '
                                  '"hash": "x"}', "[1, 2]", '{"seq": 1'])
def test_lines_that_are_not_anchor_lines(text: str) -> None:
    assert parse_line(text) is None


def test_syslog_anchor_sends_each_line(tmp_path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        port = server.getsockname()[1]
        target = open_anchor(f"syslog://127.0.0.1:{port}")
        assert target.read() is None  # kept elsewhere: verify says it cannot read it
        target.append(AnchorLine(7, "c" * 64, "2026-03-02T09:00:00+00:00"))
        message = server.recv(4096).decode()
    assert message.startswith("<86>trainhub-records-anchor: ")  # authpriv.info
    assert parse_line(message.split(": ", 1)[1].rstrip("\x00")) == AnchorLine(
        7, "c" * 64, "2026-03-02T09:00:00+00:00")


def test_verify_says_when_the_anchor_cannot_be_read_here(make_app, clock) -> None:
    app = make_app(RECORDS_ANCHOR="syslog://127.0.0.1:9")
    with app.app_context():
        append(clock, 1)
        result = app.test_cli_runner().invoke(args=["records", "verify"])
    assert result.exit_code == 0
    assert "cannot be read back here" in result.output


def test_a_failed_anchor_write_is_logged_and_the_change_kept(make_app, clock, tmp_path,
                                                             caplog) -> None:
    app = make_app(RECORDS_ANCHOR=str(tmp_path))  # a folder: the write fails
    with app.app_context():
        events = append(clock, 1)  # commits
        assert db.session.scalar(select(Event.hash).where(Event.seq == 1)) == events[0].hash
    assert "could not write the audit chain's anchor line for event 1" in caplog.text
