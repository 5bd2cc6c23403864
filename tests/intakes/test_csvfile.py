"""Reading an intake's CSV file: every problem of every row, with its line."""

from __future__ import annotations

from flask import Flask

from app.intakes.csvfile import country_code, read_trainees
from tests.intakes.network import SAMPLE_CSV

HEADER = "name,email,country,organisation\n"


def _messages(data: bytes) -> list[tuple[int, str]]:
    return [(p.line, str(p.message)) for p in read_trainees(data)[1]]


def test_the_sample_file_reads_30_trainees_from_8_countries(app: Flask) -> None:
    data = SAMPLE_CSV.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # saved by a spreadsheet, with a BOM
    trainees, problems = read_trainees(data)
    assert problems == []
    assert len(trainees) == 30
    assert len({t.country for t in trainees}) == 8
    first = trainees[0]
    assert (first.line, first.name, first.country, first.language, first.gender,
            first.organisation_type) == (2, "Valentina Gómez", "AR", "es", "female",
                                         "manufacturer")


def test_with_or_without_bom_and_columns_in_any_order(app: Flask) -> None:
    text = "Email,Name,Organisation,Country\nA@Example.org,Ann,Lab,KE\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode()):
        trainees, problems = read_trainees(data)
        assert problems == []
        assert (trainees[0].email, trainees[0].name, trainees[0].country) == \
            ("a@example.org", "Ann", "KE")


def test_countries_by_code_or_english_name() -> None:
    assert country_code("ke") == "KE"
    assert country_code("KEN") == "KE"
    assert country_code("Kenya") == "KE"
    assert country_code("Korea, Republic of") == "KR"
    assert country_code("Narnia") is None
    assert country_code("") is None


def test_every_row_problem_at_once(app: Flask) -> None:
    data = (HEADER + "Ann,ann@example.org,KE,Lab\n"
            ",bad-address,Narnia,Lab\n"
            "Bo,ANN@example.org,KE,Lab\n"
            "\n"
            "Cy,cy@example.org,KE,Lab,extra\n").encode()
    assert _messages(data) == [
        (3, "The name is empty."),
        (3, '"bad-address" is not a valid e-mail address.'),
        (3, '"Narnia" is not a country: give its ISO code (KE) or its English name (Kenya).'),
        (4, "ann@example.org is on line 2 already."),
        (6, "This row has 5 cells, more than the header's 4 columns."),
    ]


def test_optional_columns_are_checked(app: Flask) -> None:
    data = (b"name,email,country,organisation,language,gender,organisation_type\n"
            b"Ann,ann@example.org,KE,Lab,xx,unknown,bakery\n"
            b"Bo,bo@example.org,KE,Lab,FR,Female,Manufacturer\n")
    messages = _messages(data)
    assert [line for line, _m in messages] == [2, 2, 2]
    trainees, _problems = read_trainees(data)
    assert (trainees[0].language, trainees[0].gender, trainees[0].organisation_type) == \
        ("fr", "female", "manufacturer")


def test_the_header_is_required(app: Flask) -> None:
    assert _messages(b"Ann,ann@example.org,KE,Lab\n")[0][0] == 1
    assert _messages(b"name,email,country,organisation,shoe_size\n")[0][1].startswith(
        'Unknown column "shoe_size"')
    assert _messages(b"") == [(1, "The file is empty: its first row must name the columns.")]
    assert _messages(HEADER.encode()) == [(2, "The file names no trainee.")]


def test_a_file_that_is_not_utf8(app: Flask) -> None:
    data = (HEADER + "José,jose@example.org,AR,Lab\n").encode("latin-1")
    assert _messages(data) == [(1, 'The file is not UTF-8 text: save it as "CSV UTF-8".')]
