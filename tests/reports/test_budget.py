"""Each report runs the same statements whatever the size of the intake, the centre or the
network: counted with the fixture's intake of 20 and again after the network grows to
several centres, intakes, sessions and a few hundred trainees."""

from __future__ import annotations

import random
from datetime import datetime

from flask.testing import FlaskClient

from app.extensions import db
from tests.conftest import FrozenClock, count_queries, login
from tests.reports import data
from tests.reports.data import World, fill_intake

COUNTRIES = ["NG", "KE", "IN", "BR", "KR", "DE", "VN", "ZA", "EG", "PK", None]
ORGANISATIONS = ["manufacturer", "regulator", "academia", "government", "other", None]
GENDERS = ["female", "male", None]
# The log-in session and account (two statements) and the report's own.
BUDGET = {"intake": 8, "centre": 5, "network": 5}


def statements(client: FlaskClient, url: str) -> int:
    with count_queries() as seen:
        response = client.get(url)
        assert response.status_code == 200, url
        response.get_data()
    return len(seen)


def grow(world: World, clock_now: datetime) -> None:
    """Three more intakes at each centre, 120 trainees each, from eleven countries, with
    sessions, attempts and certificates."""
    rng = random.Random(21)
    facilitator = world.people["instructor"]
    for centre in (world.centre, world.other):
        for n in range(3):
            intake = data.make_intake(centre, [world.course], clock_now,
                                      code=f"{centre.code}-{n}")
            trainees = [data.Trainee(rng.choice(COUNTRIES), rng.choice(ORGANISATIONS),
                                     rng.choice(GENDERS)) for _ in range(120)]
            ids = data.add_trainees(intake, trainees, clock_now)
            fill_intake(intake, world.course, centre, ids, facilitator, clock_now)
            data.session_attended(intake, data.module(world.course, "lab"), facilitator,
                                  dict.fromkeys(ids[:50], "present"), clock_now)
    db.session.commit()


def test_reports_run_a_fixed_number_of_statements(client: FlaskClient, world: World,
                                                  clock: FrozenClock) -> None:
    login(client, world.people["network_admin"].email)
    urls = {"intake": f"/reports/intakes/{world.intake.id}",
            "centre": f"/reports/centres/{world.centre.id}", "network": "/reports/network"}
    small = {name: statements(client, url) for name, url in urls.items()}
    grow(world, clock())
    large = {name: statements(client, url) for name, url in urls.items()}
    assert small == large, (small, large)
    assert all(small[name] <= BUDGET[name] for name in BUDGET), small
    for name in ("intake", "centre"):
        csv_small = statements(client, f"{urls[name]}/countries.csv")
        assert csv_small <= BUDGET[name]


def test_a_centre_officers_page_costs_one_statement_more_for_the_scope(
        client: FlaskClient, world: World) -> None:
    login(client, world.people["officer"].email)
    assert statements(client, f"/reports/intakes/{world.intake.id}") <= BUDGET["intake"] + 1
