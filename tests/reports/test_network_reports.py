"""The centre report (all its intakes) and the network report (every centre)."""

from __future__ import annotations

import pytest

from app.core.errors import NotFound, PermissionDenied
from app.extensions import db
from app.reports.network import read_centre_report, read_network_report
from tests.conftest import FrozenClock
from tests.reports import data
from tests.reports.data import World


def test_a_centre_counts_each_trainee_once_over_its_intakes(world: World,
                                                            clock: FrozenClock) -> None:
    second = data.make_intake(world.centre, [world.course], clock(), code="2026-02")
    data.add_trainees(second, [data.Trainee("AR"), data.Trainee("NG")], clock())
    data.add_trainees(data.make_intake(world.other, [world.course], clock(), code="B-1"),
                      [data.Trainee("BR")] * 7, clock())
    db.session.execute(data.insert(data.IntakeMember), [  # a trainee of both intakes
        {"intake_id": second.id, "user_id": world.ids[0], "added_at": clock()}])
    db.session.commit()
    report = read_centre_report(world.people["officer"], world.centre.id)
    assert report.trainees == 22
    countries = {row.key: row.value for row in report.tables["countries"].rows}
    assert countries["AR"] == 6 and countries["NG"] == 1 and "BR" not in countries
    assert [(row.label, row.value) for row in report.tables["intakes"].rows] == [
        ("2026-02 · Intake 2026-02", 3), ("2026-01 · Intake 2026-01", 20)]
    completion = report.tables["completion"].rows
    assert [(row.value, row.base) for row in completion] == [(0, 3), (12, 20)]
    assert (report.lmic.trainees, report.lmic.of) == (17, 22)


def test_the_network_report_across_centres(world: World, clock: FrozenClock) -> None:
    data.add_trainees(data.make_intake(world.other, [world.course], clock(), code="B-1"),
                      [data.Trainee("BR")] * 7 + [data.Trainee("DE")], clock())
    db.session.commit()
    report = read_network_report(world.people["network_admin"])
    assert (report.trainees, report.intakes) == (28, 2)
    by_centre = {row.label: row.value for row in report.tables["centres"].rows}
    assert by_centre == {"Centre ACC (ACC)": 20, "Centre BCC (BCC)": 8,
                         "Global Training Hub for Biomanufacturing (HUB)": 0}
    shares = {row.label: (row.value, row.base) for row in report.tables["lmic-by-centre"].rows}
    assert shares["Centre BCC (BCC)"] == (7, 8)
    assert (report.lmic.trainees, report.lmic.of, report.lmic.countries) == (22, 28, 4)


def test_who_may_read_them(world: World) -> None:
    for name in ("instructor", "assessor", "other_admin", "learner"):
        with pytest.raises(PermissionDenied):
            read_centre_report(world.people[name], world.centre.id)
    read_centre_report(world.people["other_admin"], world.other.id)
    for name in ("centre_admin", "officer", "other_admin"):
        with pytest.raises(PermissionDenied):
            read_network_report(world.people[name])
    with pytest.raises(NotFound):
        read_centre_report(world.people["network_admin"], 10_000)
