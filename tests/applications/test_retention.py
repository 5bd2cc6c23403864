"""Personal data deleted after the call's retention, with nothing of it left behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app.applications.retention import delete_expired_personal, months_after
from app.applications.services import submit_application
from app.calls.models import ApplicationPersonal, Call
from app.extensions import db
from app.jobs import JOBS
from app.records.models import Event
from tests.applications.helpers import PASSPORT, applicant_of, filled, found
from tests.calls.world import CLOSES
from tests.conftest import login


def _tables_holding(needle: str, *, skip: tuple[str, ...] = ()) -> set[str]:
    """Every table with the text in any of its columns (text, JSON and bytes alike)."""
    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        if table.name in skip:
            continue
        for row in db.session.execute(select(table)):
            for value in row:
                if _holds(value, needle):
                    found.add(table.name)
    return found


def _holds(value: Any, needle: str) -> bool:
    if isinstance(value, bytes | memoryview):
        return needle.encode() in bytes(value)
    return value is not None and needle in str(value)


def test_months_after_keeps_to_the_calendar() -> None:
    assert months_after(CLOSES, 12) == datetime(2027, 3, 31, 14, 59, tzinfo=UTC)
    assert months_after(CLOSES, 1) == datetime(2026, 4, 30, 14, 59, tzinfo=UTC)
    assert months_after(CLOSES, 11) == datetime(2027, 2, 28, 14, 59, tzinfo=UTC)


def test_the_passport_number_never_leaves_its_row_then_is_gone(app: Flask, call_world) -> None:
    application = filled(call_world)
    user = applicant_of(application)
    submit_application(user, application, call_world.call, call_world.clock())
    db.session.commit()
    assert _tables_holding(PASSPORT) == {"application_personal"}
    call_world.apply()  # and another applicant's details
    deadline = months_after(CLOSES, call_world.call.retention_months)
    assert delete_expired_personal(None, deadline - timedelta(seconds=1)) == []
    (deleted,) = delete_expired_personal(None, deadline, automatic=True)
    db.session.commit()
    assert (deleted.call_id, deleted.rows) == (call_world.call.id, 2)
    assert db.session.scalar(select(func.count()).select_from(ApplicationPersonal)) == 0
    assert found(db.session.get(Call, call_world.call.id)).personal_deleted_at == deadline
    assert _tables_holding(PASSPORT) == set()
    event = found(db.session.scalar(select(Event).where(
        Event.action == "application.personal_deleted")))
    assert event.details == {"call_id": call_world.call.id, "deleted": 2,
                             "retention_months": 12}
    assert delete_expired_personal(None, deadline + timedelta(days=1)) == []  # once


def test_the_command_and_the_daily_job(app: Flask, runner, call_world) -> None:
    call_world.apply()
    result = runner.invoke(args=["applications", "delete-personal"])
    assert result.exit_code == 0 and "nothing is past" in result.output
    call_world.clock.current = months_after(CLOSES, 12)
    result = runner.invoke(args=["applications", "delete-personal"])
    assert result.exit_code == 0 and f"call {call_world.call.id}: 1 travel" in result.output
    job = JOBS.get("applications.delete_personal", app)
    assert job.run(call_world.clock()) == 0


def test_the_pages_say_the_travel_details_were_deleted(client, call_world) -> None:
    application = call_world.apply()
    delete_expired_personal(None, months_after(CLOSES, 12))
    db.session.commit()
    login(client, call_world.officer.email)
    page = client.get(f"/applications/{application.id}/view").get_data(as_text=True)
    assert "These travel details were deleted on" in page and "P0000" not in page
