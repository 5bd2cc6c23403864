"""Two officers press "Spread evenly" at the same moment: the second waits for the first
(the call's row is locked) and tops up nothing, instead of inserting the same pairs again.
On PostgreSQL the two run truly at once; on SQLite their write transactions take turns."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import func, select

from app.auth.models import User
from app.calls.models import Call, ReviewAssignment
from app.core.db import write_intent
from app.extensions import db
from app.reviews.services import spread_reviews
from tests.calls.world import CallWorld
from tests.conftest import committed


def test_two_spreads_at_once_assign_each_pair_once(app: Flask, call_world: CallWorld) -> None:
    w = call_world
    for n in range(12):
        w.apply(nationality="KE", organisation=f"Vaccines {n}")
    call_id, officer_id, now = w.call.id, w.officer.id, w.clock()
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    added: list[int] = []

    def officer_spreads() -> None:
        start.wait()
        write_intent.set(True)  # as the POST of "Spread evenly" declares it
        with app.app_context():
            try:
                officer, call = db.session.get(User, officer_id), db.session.get(Call, call_id)
                assert officer is not None and call is not None
                added.append(len(spread_reviews(officer, call, now).pairs))
                db.session.commit()
            except BaseException as error:  # what a request would have answered with a 500
                errors.append(error)
                db.session.rollback()

    threads = [threading.Thread(target=officer_spreads) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(added) == [0, 24]
    assert committed(select(func.count()).select_from(ReviewAssignment)) == 24
