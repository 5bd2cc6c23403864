"""The report pages and files through the test client: who may open them, what they say,
what the files hold, and what the responses let a browser keep or run."""

from __future__ import annotations

import base64
import csv
import io
import re

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.reports.charts import chart_label
from tests.conftest import FrozenClock, login
from tests.reports import data
from tests.reports.data import World
from tests.reports.test_charts import assert_picture_only

ALLOWED = ("network_admin", "centre_admin", "officer")
REFUSED = ("instructor", "assessor", "other_admin", "learner")


def as_user(client: FlaskClient, world: World, name: str) -> FlaskClient:
    login(client, world.people[name].email)
    return client


def read_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def intake_urls(world: World) -> list[str]:
    base = f"/reports/intakes/{world.intake.id}"
    return [base, f"{base}/countries.csv", f"{base}/countries.csv?for=publication",
            f"{base}/funnel.svg", f"/reports/centres/{world.centre.id}",
            f"/reports/centres/{world.centre.id}/countries.csv",
            f"/reports/centres/{world.centre.id}/intakes.svg"]


@pytest.mark.parametrize("name", ALLOWED)
def test_the_centres_report_staff_open_its_reports(client: FlaskClient, world: World,
                                                    name: str) -> None:
    as_user(client, world, name)
    for url in intake_urls(world):
        response = client.get(url)
        response.get_data()  # a CSV is streamed: read it within the test
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url


@pytest.mark.parametrize("name", REFUSED)
def test_everyone_else_gets_403(client: FlaskClient, world: World, name: str) -> None:
    as_user(client, world, name)
    for url in [*intake_urls(world), "/reports/network", "/reports/network/countries.csv",
                "/reports/network/centres.svg"]:
        response = client.get(url)
        assert response.status_code == 403, url
        response.get_data()


def test_the_network_report_is_the_network_administrators(client: FlaskClient,
                                                          world: World) -> None:
    for name in ("centre_admin", "officer"):
        as_user(client, world, name)
        assert client.get("/reports/network").status_code == 403
        client.post("/auth/logout")
    as_user(client, world, "network_admin")
    page = client.get("/reports/network")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Centre ACC (ACC)" in text and "Centre BCC (BCC)" in text
    assert "FY2026" in text


def test_anonymous_visitors_log_in_first(client: FlaskClient, world: World) -> None:
    response = client.get(f"/reports/intakes/{world.intake.id}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_unknown_intake_table_and_chart_are_404(client: FlaskClient, world: World) -> None:
    as_user(client, world, "network_admin")
    base = f"/reports/intakes/{world.intake.id}"
    assert client.get(f"/reports/intakes/{world.intake.id + 99}").status_code == 404
    assert client.get(f"{base}/nothing.csv").status_code == 404
    assert client.get(f"{base}/pass-rates.svg").status_code == 404  # a table only


def test_the_intake_page(client: FlaskClient, world: World) -> None:
    as_user(client, world, "officer")
    text = client.get(f"/reports/intakes/{world.intake.id}").get_data(as_text=True)
    assert "Argentina (5), Bangladesh (4), Botswana (6), South Korea (3)" in text
    assert "15 of 20, from 3 countries" in text
    assert "World Bank classification FY2026, released July 1, 2025" in text
    for heading in ("Trainees by country", "Trainees by type of organisation",
                    "Trainees by gender, where recorded", "From enrolment to certificate",
                    "Time spent by modality", "Best scores on the assessments",
                    "Pass rates"):
        assert heading in text
    assert "Of those enrolled" in text and "88.9%" in text
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="Chart: ([^"]+)"',
                        text)
    assert len(images) == 6
    for encoded, _alt in images:
        assert_picture_only(base64.b64decode(encoded).decode())
    assert "<script" not in text


def test_the_csv_has_the_charts_numbers(client: FlaskClient, world: World) -> None:
    as_user(client, world, "officer")
    base = f"/reports/intakes/{world.intake.id}"
    response = client.get(f"{base}/countries.csv")
    assert response.mimetype == "text/csv"
    assert 'filename="intake-acc-2026-01-countries.csv"' in response.headers[
        "Content-Disposition"]
    rows = read_csv(response.data)
    assert rows[0] == ["Trainees by country"]
    header = rows.index(["Country", "ISO code", "Income group (World Bank FY2026)",
                         "Trainees"])
    assert rows[header + 1:] == [
        ["Argentina", "ARG", "Upper-middle income", "5"],
        ["Bangladesh", "BGD", "Lower-middle income", "4"],
        ["Botswana", "BWA", "Upper-middle income", "6"],
        ["South Korea", "KOR", "High income", "3"],
        ["Not recorded", "", "Not classified", "2"],
        ["Total", "", "", "20"]]
    funnel = read_csv(client.get(f"{base}/funnel.csv").data)
    assert funnel[-4:] == [["Enrolled", "18", "18", "100.0"], ["Started", "16", "18", "88.9"],
                           ["Completed", "12", "18", "66.7"],
                           ["Certified", "10", "18", "55.6"]]


def test_the_publication_csv_suppresses_small_counts(client: FlaskClient,
                                                     world: World) -> None:
    """Bangladesh's 4 and Korea's 3 are under 5. Among the LMICs (15 published), the 4
    alone would be recovered, so Argentina's 5 is withheld too; among the rest (5), Korea's
    3 and the 2 without a country are both hidden, and the 5 they add up to cannot pin
    either."""
    as_user(client, world, "officer")
    rows = read_csv(client.get(
        f"/reports/intakes/{world.intake.id}/countries.csv?for=publication").data)
    assert rows[3][0].startswith("For publication")
    assert [row[3] for row in rows[-6:]] == ["x", "<5", "6", "<5", "<5", "20"]
    assert rows[-6][0] == "Argentina"
    response = client.get(f"/reports/intakes/{world.intake.id}/countries.csv?for=publication")
    response.get_data()
    assert "publication" in response.headers["Content-Disposition"]
    rates = read_csv(client.get(
        f"/reports/intakes/{world.intake.id}/pass-rates.csv?for=publication").data)
    assert rates[-1][1:] == ["x", "10", "\u2013"]  # 2 did not pass: the 8 would tell it


def test_the_svg_download_is_a_picture_with_a_strict_policy(client: FlaskClient,
                                                            world: World) -> None:
    as_user(client, world, "officer")
    response = client.get(f"/reports/intakes/{world.intake.id}/countries.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert_picture_only(response.get_data(as_text=True))


def test_the_index_lists_what_each_person_may_open(client: FlaskClient, world: World) -> None:
    as_user(client, world, "officer")
    text = client.get("/reports/").get_data(as_text=True)
    assert "Centre ACC" in text and "Centre BCC" not in text and "Network report" not in text
    assert f"/reports/intakes/{world.intake.id}" in text
    client.post("/auth/logout")
    as_user(client, world, "network_admin")
    text = client.get("/reports/").get_data(as_text=True)
    assert "Centre BCC" in text and "Network report" in text
    client.post("/auth/logout")
    as_user(client, world, "instructor")
    assert client.get("/reports/").status_code == 403


def _chart_values(svg: str) -> dict[str, str]:
    """Each bar's label and the value pygal wrote on it."""
    labels = re.findall(r'<desc class="x_label">([^<]*)</desc>', svg)
    values = re.findall(r'<desc class="value">([^<]*)</desc>', svg)
    return dict(zip(labels, values, strict=True))


@pytest.mark.parametrize("name", ["countries", "organisations", "genders", "funnel", "time",
                                  "scores"])
def test_each_chart_draws_the_numbers_of_its_csv(client: FlaskClient, world: World,
                                                 name: str) -> None:
    as_user(client, world, "officer")
    base = f"/reports/intakes/{world.intake.id}/{name}"
    drawn = _chart_values(client.get(f"{base}.svg").get_data(as_text=True))
    rows = read_csv(client.get(f"{base}.csv").data)
    header = next(i for i, row in enumerate(rows) if len(row) > 1)
    value_column = 3 if name == "countries" else 1  # after the ISO code and income group
    table = {chart_label(row[0]): row[value_column] for row in rows[header + 1:]
             if row[0] != "Total"}
    assert {label: float(value.replace(",", "")) for label, value in drawn.items()} == {
        label: float(value) for label, value in table.items()}


def test_an_intake_without_trainees_yet(client: FlaskClient, world: World,
                                        clock: FrozenClock) -> None:
    empty = data.make_intake(world.centre, [world.course], clock(), code="EMPTY")
    db.session.commit()
    as_user(client, world, "officer")
    page = client.get(f"/reports/intakes/{empty.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Nothing recorded yet." in text and "0 of 0" in text
    for data_url in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', text):
        assert_picture_only(base64.b64decode(data_url).decode())
    rows = read_csv(client.get(f"/reports/intakes/{empty.id}/countries.csv?for=publication")
                    .data)
    assert rows[-1] == ["Total", "", "", "0"]
