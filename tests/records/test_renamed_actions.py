"""Log-ins were recorded as `session.started` / `session.ended` until live sessions took the
word. Events sealed under the old names stay as they are, and every reader still knows them."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.core.roles import Role
from app.extensions import db
from app.records.actions import ACTIONS, Action
from app.records.models import Event
from app.records.services import record_event, verify_chain
from tests.conftest import login


@pytest.fixture
def old_login(app, clock, make_user):
    """A log-in the way the release before the rename wrote it into the chain."""
    admin = make_user("grace@example.org", name="Grace Admin", roles=(Role.ADMIN,))
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(ACTIONS, "session.started", Action("session.started", "Logged in"))
        event = record_event("session.started", actor=admin, now=clock(),
                             subject_type="login_session", subject_id=1)
    db.session.commit()
    return event.seq


def test_the_old_name_is_no_longer_written(app, clock, make_user) -> None:
    user = make_user()
    with pytest.raises(ValueError, match=r"unknown audit action 'session\.started'"):
        record_event("session.started", actor=user, now=clock(),
                     subject_type="login_session", subject_id=1)


def test_an_old_log_in_verifies_and_is_listed_and_labelled_beside_new_ones(client,
                                                                          old_login) -> None:
    login(client, "grace@example.org")
    assert db.session.scalars(select(Event.action).where(Event.seq > old_login)).all() == [
        "login.started"]
    assert db.session.scalar(select(Event.action).where(Event.seq == old_login)) == \
        "session.started"
    assert verify_chain().ok

    page = client.get("/records/events").get_data(as_text=True)
    assert '<span title="Logged in">session.started</span>' in page
    assert '<span title="Logged in">login.started</span>' in page
    assert "login.started: Logged in (formerly session.started)" in page
    assert 'value="session.started"' not in page  # the filter offers the current name only

    # Filtering on the action finds it under both names, also from a link with the old one.
    for name in ("login.started", "session.started"):
        listed = client.get(f"/records/events?action={name}").get_data(as_text=True)
        assert listed.count('<span title="Logged in">') == 2, name
        assert "user.created</span>" not in listed
        assert '<option selected value="login.started">' in listed

    exported = client.get("/records/events.csv?action=login.started")
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["login.started", "session.started"]
