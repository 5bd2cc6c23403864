"""The centre report (all the intakes of one centre) and the network report (every centre,
for the network administrator): trainees by country of origin and by intake or centre, and
the share from low- and middle-income countries. Reading only.

A trainee counts once in each table however many intakes they joined: the tables count
distinct people, so a trainee of two centres counts once by country and once at each centre.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.auth import Actor, authorize
from app.core.errors import NotFound
from app.reports import queries
from app.reports.income import Classification, classification
from app.reports.services import Lmic, country_line, country_table, lmic_of
from app.reports.tables import Row, Table


@dataclass(frozen=True)
class CentreReport:
    head: queries.CentreHead
    classification: Classification
    intakes: list[queries.IntakeLine]
    trainees: int
    lmic: Lmic
    country_line: list[tuple[str, int]]
    tables: dict[str, Table]


@dataclass(frozen=True)
class NetworkReport:
    classification: Classification
    intakes: int
    trainees: int
    centres: int
    lmic: Lmic
    country_line: list[tuple[str, int]]
    tables: dict[str, Table]


def _intake_tables(intakes: list[queries.IntakeLine]) -> list[Table]:
    label = [f"{line.code} · {line.title}" for line in intakes]
    by_intake = Table(
        "intakes", _("Trainees by intake"), _("Intake"), _("Trainees"),
        tuple(Row(str(line.id), text, line.trainees, short=line.code)
              for line, text in zip(intakes, label, strict=True)), "stages")
    completion = Table(
        "completion", _("Completion by intake"), _("Intake"), _("Completed"),
        tuple(Row(str(line.id), text, line.completed, base=line.trainees)
              for line, text in zip(intakes, label, strict=True)), "rates", chart=None,
        base_heading=_("Trainees"), share_heading=_("Share"))
    return [by_intake, completion]


def read_centre_report(actor: Actor, centre_id: int) -> CentreReport:
    """The report over every intake of one centre, for its administrators and programme
    officers and the network administrator."""
    head = queries.centre_head(centre_id)
    if head is None:
        raise NotFound(_("There is no such centre."))
    authorize(actor, "reports.centre", head.id)
    income = classification()
    intakes = queries.centre_intakes(head.id)
    countries = queries.trainees_by_country(head.id)
    tables = [country_table(countries, income), *_intake_tables(intakes)]
    return CentreReport(head, income, intakes, sum(countries.values()),
                        lmic_of(countries, income), country_line(countries),
                        {table.name: table for table in tables})


def _centre_tables(lines: list[queries.CentreLine], income: Classification) -> list[Table]:
    names: dict[int, str] = {}
    codes: dict[int, str] = {}
    trainees: dict[int, int] = defaultdict(int)
    lmic: dict[int, int] = defaultdict(int)
    for line in lines:
        names[line.id] = f"{line.name} ({line.code})"
        codes[line.id] = line.code
        trainees[line.id] += line.trainees
        if income.is_lmic(line.country):
            lmic[line.id] += line.trainees
    by_centre = Table("centres", _("Trainees by centre"), _("Centre"), _("Trainees"),
                      tuple(Row(str(cid), name, trainees[cid], short=codes[cid])
                            for cid, name in names.items()),
                      "stages")
    shares = Table("lmic-by-centre", _("Trainees from low- and middle-income countries, by "
                                       "centre"), _("Centre"), _("From LMICs"),
                   tuple(Row(str(cid), name, lmic[cid], base=trainees[cid])
                         for cid, name in names.items()), "rates", chart=None,
                   base_heading=_("Trainees"), share_heading=_("Share"))
    return [by_centre, shares]


def read_network_report(actor: Actor) -> NetworkReport:
    """Every centre's trainees: for the network administrator only."""
    authorize(actor, "reports.network")
    income = classification()
    countries = queries.trainees_by_country(None)
    lines = queries.centres_by_country()
    intakes, trainees = queries.network_counts()
    tables = [country_table(countries, income), *_centre_tables(lines, income)]
    return NetworkReport(income, intakes, trainees, len({line.id for line in lines}),
                         lmic_of(countries, income), country_line(countries),
                         {table.name: table for table in tables})
