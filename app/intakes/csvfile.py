"""Reading an intake's CSV file of trainees: the header, then one trainee a row; every
problem of every row at once, each with its line. No database: what the file says only
(matching accounts and counting seats is `importing.py`'s)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pycountry
from email_validator import EmailNotValidError, validate_email
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.core.i18n import LANGUAGES

REQUIRED = ("name", "email", "country", "organisation")
OPTIONAL = ("language", "gender", "organisation_type")
GENDERS = ("female", "male", "other")
ORGANISATION_TYPES = ("manufacturer", "regulator", "academia", "government", "other")
MAX_ROWS = 5000


@dataclass(frozen=True)
class Trainee:
    line: int
    name: str
    email: str  # normalised, lower case
    country: str  # ISO 3166-1 alpha-2
    organisation: str
    language: str | None = None
    gender: str | None = None
    organisation_type: str | None = None


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str | LazyString

    def text(self, path: str) -> str:
        """The compiler's form, for the command line."""
        return f"{path}:{self.line}: error: {self.message}"


def country_code(value: str) -> str | None:
    """An ISO 3166-1 code (alpha-2 or alpha-3) or an English name (common, short or
    official), as alpha-2; None when it is none of them."""
    if not value.strip():
        return None
    try:
        return str(pycountry.countries.lookup(value.strip()).alpha_2)
    except LookupError:
        return None


def _email(value: str) -> str | None:
    try:
        return str(validate_email(value.strip(), check_deliverability=False).normalized).lower()
    except EmailNotValidError:
        return None


def _choice(value: str, allowed: tuple[str, ...]) -> str | None:
    return value.strip().lower().replace(" ", "_").replace("-", "_") or None


def read_trainees(data: bytes) -> tuple[list[Trainee], list[RowProblem]]:
    """The trainees of the file, and every problem found (when there is any problem, the
    caller writes nothing). UTF-8, with or without a byte-order mark; a header row naming
    the columns, in any order and case."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowProblem(1, _l("The file is not UTF-8 text: save it as \"CSV UTF-8\"."))]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not any(cell.strip() for cell in rows[0]):
        return [], [RowProblem(1, _l("The file is empty: its first row must name the columns."))]
    header = [cell.strip().lower().replace(" ", "_") for cell in rows[0]]
    problems = _header_problems(header)
    if problems:
        return [], problems
    trainees: list[Trainee] = []
    first_line: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(trainees) + len(problems) >= MAX_ROWS:
            problems.append(RowProblem(line, _l("The file has more than %(n)s trainees: split it.",
                                             n=MAX_ROWS)))
            break
        trainee, found = _read_row(line, header, row)
        if trainee is not None and trainee.email in first_line:
            found.append(RowProblem(line, _l("%(email)s is on line %(line)s already.",
                                          email=trainee.email, line=first_line[trainee.email])))
        elif trainee is not None:
            first_line[trainee.email] = line
        problems += found
        if trainee is not None and not found:
            trainees.append(trainee)
    if not trainees and not problems:
        problems.append(RowProblem(2, _l("The file names no trainee.")))
    return trainees, problems


def _header_problems(header: list[str]) -> list[RowProblem]:
    problems = [RowProblem(1, _l("The header row has no \"%(column)s\" column.", column=column))
                for column in REQUIRED if column not in header]
    problems += [RowProblem(1, _l("Unknown column \"%(column)s\": the columns are %(known)s.",
                               column=column, known=", ".join(REQUIRED + OPTIONAL)))
                 for column in header if column not in REQUIRED + OPTIONAL]
    problems += [RowProblem(1, _l("The column \"%(column)s\" is named twice.", column=column))
                 for column in dict.fromkeys(header) if header.count(column) > 1]
    return problems


def _read_row(line: int, header: list[str], row: list[str]
              ) -> tuple[Trainee | None, list[RowProblem]]:
    if len(row) > len(header):
        return None, [RowProblem(line, _l("This row has %(n)s cells, more than the header's "
                                       "%(columns)s columns.", n=len(row), columns=len(header)))]
    cells = {column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(header)}
    problems: list[RowProblem] = []
    if not cells["name"]:
        problems.append(RowProblem(line, _l("The name is empty.")))
    email = _email(cells["email"])
    if email is None:
        problems.append(RowProblem(line, _l("\"%(value)s\" is not a valid e-mail address.",
                                         value=cells["email"])))
    country = country_code(cells["country"])
    if country is None:
        problems.append(RowProblem(line, _l("\"%(value)s\" is not a country: give its ISO code "
                                         "(KE) or its English name (Kenya).",
                                         value=cells["country"])))
    language = cells.get("language", "").strip().lower() or None
    if language is not None and language not in LANGUAGES:
        problems.append(RowProblem(line, _l("\"%(value)s\" is not one of the languages: "
                                         "%(known)s.", value=language,
                                         known=", ".join(LANGUAGES))))
    gender = _choice(cells.get("gender", ""), GENDERS)
    if gender is not None and gender not in GENDERS:
        problems.append(RowProblem(line, _l("\"%(value)s\" is not a gender this file takes: "
                                         "%(known)s, or leave it empty.",
                                         value=cells["gender"], known=", ".join(GENDERS))))
    kind = _choice(cells.get("organisation_type", ""), ORGANISATION_TYPES)
    if kind is not None and kind not in ORGANISATION_TYPES:
        problems.append(RowProblem(line, _l("\"%(value)s\" is not an organisation type: "
                                         "%(known)s.", value=cells["organisation_type"],
                                         known=", ".join(ORGANISATION_TYPES))))
    if email is None:
        return None, problems
    return Trainee(line, cells["name"], email, country or "", cells["organisation"], language,
                   gender, kind), problems
