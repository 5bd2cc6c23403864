"""The pages of programmes and intakes through the test client, their statement budgets,
and the import command."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.services import NO_PASSWORD
from app.classroom.services import Schedule
from app.extensions import db
from app.intakes.importing import import_trainees
from app.intakes.models import Intake, IntakeMember, Programme
from app.intakes.services import schedule_intake_session, set_deadlines
from app.learning.services import complete_module
from tests.conftest import count_queries, login
from tests.intakes.network import SAMPLE_CSV, Network

HEADER = "name,email,country,organisation\n"


def _members() -> int:
    return db.session.scalar(select(func.count()).select_from(IntakeMember)) or 0


def _csv(n: int) -> bytes:
    return (HEADER + "".join(f"Trainee {i},t{i}@example.org,KE,Lab\n" for i in range(n))
            ).encode()


def test_the_centre_admin_creates_a_programme_and_an_intake(client, network: Network) -> None:
    login(client, network.admin.email)
    page = client.get(f"/intakes/programmes/new/{network.centre.id}")
    assert page.status_code == 200 and b"Vaccinology" in page.data
    response = client.post(f"/intakes/programmes/new/{network.centre.id}", data={
        "code": "GXP", "title": "GxP track", "requirement": "n_of_m", "required_count": "1",
        f"course-position-{network.shared.id}": "1",
        f"course-modality-{network.shared.id}": "classroom",
        f"course-position-{network.own.id}": "2", "certificate": "y"})
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme).where(Programme.code == "GXP"))
    assert programme is not None and programme.required_count == 1
    response = client.post(f"/intakes/programmes/{programme.id}/intakes/new", data={
        "code": "GXP-1", "title": "GxP April", "starts_on": "2026-04-06",
        "ends_on": "2026-04-10", "timezone": "Africa/Nairobi", "seats": "25",
        "virtual_days": "3", "classroom_days": "2", "hands_on_days": "0",
        f"staff-{network.instructor.id}": "facilitator"})
    assert response.status_code == 302
    intake = db.session.scalar(select(Intake).where(Intake.code == "GXP-1"))
    assert intake is not None and intake.centre_id == network.centre.id
    assert b"GxP April" in client.get(f"/intakes/centres/{network.centre.id}/").data


def test_form_errors_show_next_to_their_fields(client, network: Network) -> None:
    login(client, network.admin.email)
    page = client.post(f"/intakes/programmes/new/{network.centre.id}", data={
        "code": "IBDM", "title": "Again", "requirement": "all",
        f"course-position-{network.own.id}": "first"})
    assert page.status_code == 200
    assert b"Give a position of 1 or more" in page.data
    page = client.post(f"/intakes/programmes/new/{network.centre.id}", data={
        "code": "IBDM", "title": "Again", "requirement": "all",
        f"course-position-{network.own.id}": "1"})
    assert b"Another programme of this centre has this code." in page.data
    page = client.post(f"/intakes/{network.intake.id}/edit", data={
        "code": "IBDM-2026", "title": "IBDM", "starts_on": "2026-03-09",
        "ends_on": "2026-03-01", "timezone": "Asia/Seoul", "seats": "40"})
    assert b"The intake must end on or after the day it starts." in page.data


def test_the_browser_import_shows_a_dry_run_then_imports(client, network: Network) -> None:
    login(client, network.admin.email)
    page = client.post(f"/intakes/{network.intake.id}/import", data={
        "file": (io.BytesIO(SAMPLE_CSV.read_bytes()), "trainees.csv")},
        content_type="multipart/form-data")
    assert page.status_code == 200 and _members() == 0
    text = page.get_data(as_text=True)
    assert "New accounts" in text and "Import 30 trainees" in text
    assert 'name="csv_text"' in text
    csv_text = SAMPLE_CSV.read_text(encoding="utf-8")
    response = client.post(f"/intakes/{network.intake.id}/import/confirm",
                           data={"csv_text": csv_text})
    assert response.status_code == 302
    assert _members() == 30


def test_the_dry_run_lists_every_problem(client, network: Network) -> None:
    login(client, network.admin.email)
    data = (HEADER + ",bad,Narnia,Lab\n").encode()
    page = client.post(f"/intakes/{network.intake.id}/import", data={
        "file": (io.BytesIO(data), "t.csv")}, content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert "Line 2: The name is empty." in text and "Narnia" in text
    assert 'name="csv_text"' not in text
    page = client.post(f"/intakes/{network.intake.id}/import/confirm",
                       data={"csv_text": data.decode()})
    assert page.status_code == 200 and _members() == 0


def test_another_centres_staff_get_403_everywhere(client, network: Network) -> None:
    login(client, network.stranger.email)
    intake, programme = network.intake.id, network.programme.id
    for url in (f"/intakes/centres/{network.centre.id}/",
                f"/intakes/programmes/new/{network.centre.id}",
                f"/intakes/programmes/{programme}/edit",
                f"/intakes/programmes/{programme}/intakes/new", f"/intakes/{intake}/",
                f"/intakes/{intake}/edit", f"/intakes/{intake}/board",
                f"/intakes/{intake}/deadlines", f"/intakes/{intake}/sessions/new",
                f"/intakes/{intake}/import"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/intakes/{intake}/import/confirm",
                       data={"csv_text": _csv(1).decode()}).status_code == 403
    assert _members() == 0
    assert b"African Regional" not in client.get("/intakes/").data


def test_the_centres_instructor_sees_the_board_but_does_not_manage(client,
                                                                   network: Network) -> None:
    login(client, network.instructor.email)
    assert client.get(f"/intakes/{network.intake.id}/board").status_code == 200
    assert client.get(f"/intakes/{network.intake.id}/import").status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_the_board_runs_the_same_statements_whatever_the_size(client, network: Network, clock,
                                                              size: int) -> None:
    import_trainees(network.admin, network.intake, _csv(size), clock())
    intro = network.module(network.own, "gmp-intro")
    set_deadlines(network.admin, network.intake, {intro.id: 1}, clock())
    first = db.session.scalar(select(User).where(User.email == "t0@example.org"))
    assert first is not None
    complete_module(first, intro, clock())
    db.session.commit()
    clock.current = datetime(2026, 3, 11, tzinfo=UTC)  # day 1 has passed
    login(client, network.admin.email)
    client.get(f"/intakes/{network.intake.id}/board")
    with count_queries() as statements:
        page = client.get(f"/intakes/{network.intake.id}/board")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"0 done, {2 * size - (size - 1)} on track, {size - 1} behind" in text
    assert len(statements) <= 6, statements  # the session user, the intake, the board


def test_a_trainee_sees_the_schedule_on_the_dashboard(client, network: Network, clock) -> None:
    import_trainees(network.admin, network.intake, _csv(3), clock())
    set_deadlines(network.admin, network.intake,
                  {network.module(network.own, "gmp-intro").id: 3}, clock())
    day_two = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
    schedule_intake_session(network.admin, network.intake, network.shared, Schedule(
        module=network.module(network.shared, "fill-finish-day"), starts_at=day_two,
        ends_at=day_two + timedelta(hours=6), timezone="Asia/Seoul", capacity=None,
        facilitator=network.instructor, location="Cleanroom B"), clock())
    trainee = db.session.scalar(select(User).where(User.email == "t1@example.org"))
    assert trainee is not None and trainee.password_hash == NO_PASSWORD
    trainee.password_hash = network.admin.password_hash  # as if they set it
    complete_module(trainee, network.module(network.own, "gmp-intro"), clock())
    db.session.commit()
    login(client, trainee.email)
    client.get("/learning/dashboard")
    with count_queries() as statements:
        page = client.get("/learning/dashboard")
    text = page.get_data(as_text=True)
    assert "Your intake: IBDM March 2026" in text
    assert "Day 2" in text and "Fill and finish classroom day" in text
    assert "Day 3" in text and "complete Gmp intro" in text
    assert '<span class="badge">Done</span>' in text
    # Nairobi (the trainee's zone, from Kenya): 9:00 in Seoul is 03:00.
    assert "03:00" in text
    assert len(statements) <= 8, statements  # the dashboard's budget, with the schedule


def test_the_import_command(runner, network: Network, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Ann,ann@example.org,KE,Lab\n,bo@example,Narnia,Lab\n")
    result = runner.invoke(args=["intakes", "import", "IBDM-2026", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: error: The name is empty." in result.output
    assert _members() == 0
    result = runner.invoke(args=["intakes", "import", "IBDM-2026", str(SAMPLE_CSV),
                                 "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "30 new accounts" in result.output and _members() == 0
    result = runner.invoke(args=["intakes", "import", "IBDM-2026", str(SAMPLE_CSV)])
    assert result.exit_code == 0, result.output
    assert _members() == 30
    result = runner.invoke(args=["intakes", "import", "NOPE", str(SAMPLE_CSV)])
    assert result.exit_code != 0


def test_the_network_administrator_sees_every_centre(client, network: Network,
                                                     make_user) -> None:
    from app.core.roles import Role

    make_user("grace@example.org", roles=(Role.ADMIN,))
    login(client, "grace@example.org")
    index = client.get("/intakes/").get_data(as_text=True)
    assert "African Regional Training Centre" in index and "Latin American Centre" in index
    for url in (f"/intakes/centres/{network.centre.id}/", f"/intakes/{network.intake.id}/board",
                f"/intakes/{network.intake.id}/import"):
        assert client.get(url).status_code == 200, url
