"""A call's funnel by country: the counts of each stage, the page, its CSV and SVG, who
may open them, and a bounded number of statements."""

from __future__ import annotations

import csv
import io

import pytest

from app.calls.models import ReviewScore
from app.extensions import db
from app.intakes.models import IntakeMember
from app.learning.models import ModuleProgress
from app.reports.call_funnel import CALL_STAGES, funnel_by_country
from tests.conftest import count_queries, login


def _score(world, application) -> None:
    db.session.add(ReviewScore(application_id=application.id,
                               reviewer_id=world.reviewers[0].id, points={}, total=9,
                               scored_at=world.clock()))


def _fill(world, prefix: str = "") -> None:
    """Nigeria: 3 applications (2 eligible, 2 reviewed, 2 selected, 1 confirmed who started
    and completed the intake); Kenya: 1 submitted; a draft that is not counted."""
    w = world
    ng = [w.apply(nationality="NG", organisation=f"{prefix}ng{i}") for i in range(3)]
    kenya = w.apply(nationality="KE", organisation=f"{prefix}ke")
    w.apply(nationality="GH", state="draft", organisation=f"{prefix}gh")
    ng[2].eligible = False
    for application in ng[:2]:
        _score(w, application)
    ng[0].state, ng[1].state = "confirmed", "declined"
    learner = ng[0].applicant_id
    db.session.add(IntakeMember(intake_id=w.intake.id, user_id=learner, added_at=w.clock(),
                                completed_at=w.clock()))
    db.session.add(ModuleProgress(user_id=learner, first_viewed_at=w.clock(),
                                  module_id=w.network.module(w.network.own, "gmp-intro").id))
    assert kenya
    db.session.commit()


def test_each_stage_is_counted_by_country(call_world) -> None:
    _fill(call_world)
    lines = {line.country: dict(zip(CALL_STAGES, line.counts, strict=True))
             for line in funnel_by_country(call_world.call)}
    assert lines == {
        "NG": {"applications": 3, "eligible": 2, "reviewed": 2, "selected": 2,
               "confirmed": 1, "started": 1, "completed": 1},
        "KE": {"applications": 1, "eligible": 1, "reviewed": 0, "selected": 0,
               "confirmed": 0, "started": 0, "completed": 0},
    }


def test_the_officer_reads_the_page_the_csv_and_the_svg(client, call_world) -> None:
    _fill(call_world)
    call_id = call_world.call.id
    login(client, "pat@example.org")
    page = client.get(f"/reports/calls/{call_id}")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    html = page.get_data(as_text=True)
    assert "The funnel by country" in html and "Nigeria" in html and "Kenya" in html
    answer = client.get(f"/reports/calls/{call_id}/countries.csv")
    assert answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Nigeria", "3", "2", "2", "2", "1", "1", "1"] in rows
    assert rows[-1] == ["Total", "4", "3", "2", "2", "1", "1", "1"]
    stages = client.get(f"/reports/calls/{call_id}/funnel.csv").get_data(as_text=True)
    assert "Applications" in stages and "Completed" in stages
    for name in ("countries", "funnel"):
        svg = client.get(f"/reports/calls/{call_id}/{name}.svg")
        assert svg.mimetype == "image/svg+xml" and b"<script" not in svg.data
        assert "default-src 'none'" in svg.headers["Content-Security-Policy"]
    assert client.get(f"/reports/calls/{call_id}/nothing.csv").status_code == 404


@pytest.mark.parametrize("email", ["luis@example.org", "rosa@example.org",
                                   "ivan@example.org"])
def test_others_are_refused(client, call_world, email) -> None:
    login(client, email)
    call_id = call_world.call.id
    for url in (f"/reports/calls/{call_id}", f"/reports/calls/{call_id}/countries.csv",
                f"/reports/calls/{call_id}/countries.svg"):
        assert client.get(url).status_code == 403
    assert client.get("/reports/calls/999999").status_code == 404


def test_the_page_runs_the_same_statements_for_few_and_many(client, call_world) -> None:
    login(client, "pat@example.org")
    call_id = call_world.call.id

    def statements(prefix: str, rounds: int) -> int:
        for n in range(rounds):
            _fill_more(call_world, f"{prefix}{n}")
        client.get(f"/reports/calls/{call_id}")
        with count_queries() as seen:
            assert client.get(f"/reports/calls/{call_id}").status_code == 200
        return len(seen)

    few = statements("a", 1)
    assert few == statements("b", 6) and few <= 6


def _fill_more(world, prefix: str) -> None:
    for i, country in enumerate(("NG", "KE", "SN")):
        application = world.apply(nationality=country, organisation=f"{prefix}-{i}")
        _score(world, application)
    db.session.commit()
