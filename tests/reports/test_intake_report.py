"""The intake report's numbers, worked out by hand from the fixture (tests/reports/conftest.py)."""

from __future__ import annotations

import pytest

from app.core.errors import NotFound, PermissionDenied
from app.reports.services import IntakeReport, read_intake_report
from app.reports.tables import shown
from tests.reports.data import World


def values(report: IntakeReport, name: str) -> dict[str, float]:
    return {row.key: row.value for row in report.tables[name].rows}


def test_trainees_by_country_with_codes_and_income_groups(world: World) -> None:
    report = read_intake_report(world.people["officer"], world.intake.id)
    table = report.tables["countries"]
    assert [(row.label, row.value) for row in table.rows] == [
        ("Argentina", 5), ("Bangladesh", 4), ("Botswana", 6), ("South Korea", 3),
        ("Not recorded", 2)]
    assert table.rows[0].extra == ("ARG", "Upper-middle income")
    assert table.rows[3].extra == ("KOR", "High income")
    assert report.trainees == 20
    assert (report.lmic.trainees, report.lmic.of, report.lmic.countries) == (15, 20, 3)
    assert report.country_line[:3] == [("Argentina", 5), ("Bangladesh", 4), ("Botswana", 6)]


def test_organisations_and_genders(world: World) -> None:
    report = read_intake_report(world.people["centre_admin"], world.intake.id)
    assert values(report, "organisations") == {"manufacturer": 10, "regulator": 5,
                                               "academia": 3, "government": 0, "other": 0,
                                               "": 2}
    assert values(report, "genders") == {"female": 8, "male": 7, "other": 0}
    assert report.gender_recorded == 15


def test_funnel_prints_its_denominators(world: World) -> None:
    report = read_intake_report(world.people["officer"], world.intake.id)
    table = report.tables["funnel"]
    assert [(r.key, r.value, r.base) for r in table.rows] == [
        ("enrolled", 18, 18), ("started", 16, 18), ("completed", 12, 18),
        ("certified", 10, 18)]
    assert [cell.value for cell in shown(table).rows[1]] == ["Started", 16, 18, 88.9]


def test_time_by_modality(world: World) -> None:
    """Virtual: 16 intro hours and 12 half-hour exam modules; classroom: 12 trainees marked
    at the 3-hour lab (the absent and the cancelled session count nothing, and the lab's
    stated duration is not counted on top)."""
    report = read_intake_report(world.people["officer"], world.intake.id)
    assert values(report, "time") == {"virtual": 22.0, "classroom": 36.0, "hands-on": 0.0}
    assert report.hours_per_trainee == pytest.approx(58 / 20)


def test_assessment_results(world: World) -> None:
    """Best scores 85, 95, 100, 55, 49, 30, 72, 78, 60, 91; 8 passed (50 %)."""
    report = read_intake_report(world.people["officer"], world.intake.id)
    bands = values(report, "scores")
    assert bands == {"0": 0, "1": 0, "2": 0, "3": 1, "4": 1, "5": 1, "6": 1, "7": 2,
                     "8": 1, "9": 3}
    (rate,) = report.tables["pass-rates"].rows
    assert (rate.value, rate.base) == (8, 10)


def test_only_the_centres_report_staff_and_the_network_admin(world: World) -> None:
    for name in ("network_admin", "centre_admin", "officer"):
        read_intake_report(world.people[name], world.intake.id)
    for name in ("instructor", "assessor", "other_admin", "learner"):
        with pytest.raises(PermissionDenied):
            read_intake_report(world.people[name], world.intake.id)
    with pytest.raises(NotFound):
        read_intake_report(world.people["network_admin"], world.intake.id + 1000)
