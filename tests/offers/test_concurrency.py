"""Two nodes run the lapse job at the same moment: each place is offered once (the call's
row is locked, and the states change by conditional UPDATEs). On PostgreSQL the two run
truly at once; on SQLite their write transactions take turns."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.calls.models import Application
from app.extensions import db
from app.jobs import JOBS, run_job
from app.records.models import Event
from tests.offers.deciding import decide


def test_two_workers_lapsing_at_once_offer_each_place_once(app, call_world) -> None:
    w = call_world
    w.call.places, w.call.quotas = 3, {}
    accepted = [w.apply(nationality="KE", organisation=f"org {i}") for i in range(3)]
    waiting = [w.apply(nationality="GH", organisation=f"wait {i}") for i in range(5)]
    decide(w, accepted=accepted, waitlisted=waiting)
    w.clock.advance(days=15)
    job = JOBS.get("offers.lapse_offers", app)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            run_job(app, job)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    made = list(db.session.scalars(select(Event.subject_id)
                                   .where(Event.action == "offer.made")))
    assert len(made) == len(set(made)) == 3
    assert db.session.scalar(select(func.count()).where(
        Application.call_id == w.call.id, Application.state == "accepted")) == 3
    assert db.session.scalar(select(func.count()).where(
        Event.action == "offer.lapsed")) == 3
