"""Every CSV export: no formula a spreadsheet would run, a BOM, rows of one width."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from flask import url_for
from sqlalchemy import select

from app.content.importer import import_courses
from app.content.loader import load_courses
from app.content.models import Course
from app.core.roles import Role
from app.core.spreadsheet import csv_line, safe_cell
from app.extensions import db
from app.learning.services import assign_staff, enrol
from tests.conftest import login
from tests.course_files import QUIZ, module_md

# What a learner may call themselves, and what a spreadsheet must be shown.
NAMES = {
    '=HYPERLINK("http://x","y")': '\'=HYPERLINK("http://x","y")',
    "@SUM(1)": "'@SUM(1)",
    "-2+3": "'-2+3",
    "-1.5": "-1.5",  # a number: left as it is
    "Nguyễn Thị Ánh": "Nguyễn Thị Ánh",
}


@pytest.mark.parametrize(("value", "shown"), [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@A1", "'@A1"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-", "'-"), ("-inf", "'-inf"),
    ("-1.5", "-1.5"), ("+3", "+3"), ("-2e5", "-2e5"), ("-.5", "-.5"), ("12", "12"),
    ("a=b", "a=b"), ("", ""), (-1.5, -1.5), (7, 7), (None, None),
])
def test_a_cell_that_starts_a_formula_is_made_text(value: object, shown: object) -> None:
    assert safe_cell(value) == shown


def test_a_line_quotes_as_csv_does() -> None:
    assert csv_line(["=A1", 'say "hi"', 3]) == "'=A1,\"say \"\"hi\"\"\",3\r\n"


@pytest.fixture
def exports(app, clock, make_user, write_course):
    """A course with an assessment, the learners of NAMES enrolled, an instructor, an admin."""
    folder = write_course({"01-grades.md": module_md("Grades", body=QUIZ.format(
        quiz_id="grades-check"))})
    courses, problems = load_courses([folder])
    assert not problems
    import_courses(courses, now=clock())
    course = db.session.scalar(select(Course))
    assert course is not None
    admin = make_user("grace@example.org", name="Grace Admin", roles=(Role.ADMIN,))
    ivan = make_user("ivan@example.org", name="Ivan Instructor", roles=(Role.INSTRUCTOR,))
    assign_staff(admin, course, ivan, "instructor", clock())
    learners = {}
    for n, name in enumerate(NAMES):
        learner = make_user(f"learner{n}@example.org", name=name)
        enrol(learner, course, clock())  # an event whose actor is the learner
        learners[name] = learner.id
    db.session.commit()
    with app.test_request_context():
        urls = {
            "roster": url_for("learning.course_roster_csv", course_slug=course.slug),
            "gradebook": url_for("grading.course_gradebook_csv", course_slug=course.slug),
            "events": url_for("records.events_export"),
            "records": {name: url_for("records.learner_record_csv", user_id=user_id)
                        for name, user_id in learners.items()},
        }
    return urls


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8), "no UTF-8 byte order mark"
    text = data.decode("utf-8-sig")
    assert not text.startswith("\ufeff"), "the byte order mark is written twice"
    rows = list(csv.reader(io.StringIO(text)))
    widths = {len(row) for row in rows}
    assert len(widths) == 1, f"rows of different widths: {sorted(widths)}"
    return rows


def test_names_reach_every_csv_export_as_text_never_as_formulas(client, exports) -> None:
    login(client, "ivan@example.org")
    for kind in ("roster", "gradebook"):
        response = client.get(exports[kind])
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.is_streamed, f"the {kind} is no longer streamed"
        names = [row[0] for row in _rows(response.data)[1:]]
        assert sorted(names) == sorted(NAMES.values()), kind
    client.post("/auth/logout")

    login(client, "grace@example.org")
    response = client.get(exports["events"])
    assert response.is_streamed
    rows = _rows(response.data)
    actors = {row[2] for row in rows[1:] if row[3] == "enrolment.created"}
    assert actors == set(NAMES.values())
    for name, url in exports["records"].items():
        rows = _rows(client.get(url).data)
        assert rows[0][:3] == ["learner", NAMES[name], rows[0][2]]
        assert rows[-1][0].startswith("Audit chain verified at export")
    # Nothing anywhere opens a formula: each cell that starts like one is a number.
    for url in (exports["events"], *exports["records"].values()):
        for row in _rows(client.get(url).data):
            for cell in row:
                if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                    float(cell)
