"""The intake report: who the trainees are, how far they came, the time they spent and how
they did, as tables (app/reports/tables.py) that the page, its charts and its CSV files
share. Reading only: no event, nothing flushed.

Time spent by modality, as the page defines it: learner-hours, the sum over the intake's
trainees of
- the stated duration (`duration:` in the module file) of each module of the programme's
  courses they completed, by the module's modality, for modules the intake held no live
  session of;
- the length of each of the intake's live sessions (not cancelled) they were marked present
  or late at, by the modality of the session's module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.auth import Actor, authorize
from app.core.countries import collation_key
from app.core.errors import NotFound
from app.intakes.models import MODALITIES
from app.reports import queries
from app.reports.income import Classification, classification
from app.reports.labels import (
    GENDERS,
    ORGANISATION_TYPES,
    STAGES,
    coded_label,
    country_label,
    income_label,
)
from app.reports.labels import (
    MODALITIES as MODALITY_LABELS,
)
from app.reports.rules import BANDS, band_label, funnel, hours_by_modality, lmic_share
from app.reports.tables import Row, Table


@dataclass(frozen=True)
class Lmic:
    trainees: int
    of: int
    countries: int

    @property
    def percent(self) -> float | None:
        return 100 * self.trainees / self.of if self.of else None


@dataclass(frozen=True)
class IntakeReport:
    head: queries.IntakeHead
    classification: Classification
    trainees: int
    lmic: Lmic
    country_line: list[tuple[str, int]]  # (country, trainees) by name, as published
    gender_recorded: int
    hours_per_trainee: float | None
    tables: dict[str, Table]  # by name, in the page's order


def country_table(counts: Mapping[str | None, int], income: Classification) -> Table:
    """Trainees by country, sorted by name, with each country's ISO code and income group
    (and the LMIC/other split a publication protects as well)."""
    rows = sorted((Row(code or "", country_label(code), n,
                       extra=(_alpha3(income, code),
                              income_label(income.group_of(code))),
                       group="lmic" if income.is_lmic(code) else "other")
                   for code, n in counts.items()),
                  key=lambda row: (not row.key, collation_key(row.label)))
    return Table("countries", _("Trainees by country"), _("Country"), _("Trainees"),
                 tuple(rows), "grouped",
                 extra_headings=(_("ISO code"),
                                 _("Income group (World Bank %(year)s)",
                                   year=income.fiscal_year)),
                 total_label=_("Total"))


def _alpha3(income: Classification, code: str | None) -> str:
    economy = income.economies.get(code or "")
    return economy.alpha3 if economy else ""


def lmic_of(counts: Mapping[str | None, int], income: Classification) -> Lmic:
    return Lmic(*lmic_share(counts, {code: income.is_lmic(code) for code in counts}))


def country_line(counts: Mapping[str | None, int]) -> list[tuple[str, int]]:
    named = [(country_label(code), n) for code, n in counts.items() if code]
    return sorted(named, key=lambda pair: collation_key(pair[0]))


def _tally(pairs: Iterable[tuple[str | None, int]]) -> Counter[str | None]:
    counts: Counter[str | None] = Counter()
    for key, n in pairs:
        counts[key] += n
    return counts


def _coded_table(name: str, title: str, heading: str, counts: Counter[str | None],
                 labels: Mapping[str, object]) -> Table:
    """Counts by a stored code: every code the labels name (zeros too), then codes nobody
    named, then "Not recorded" when there are any."""
    codes = [*labels, *sorted(str(code) for code in counts if code and code not in labels)]
    rows = [Row(code, coded_label(labels, code), counts.get(code, 0)) for code in codes]
    if counts.get(None):
        rows.append(Row("", coded_label(labels, None), counts[None]))
    return Table(name, title, heading, _("Trainees"), tuple(rows), "partition",
                 total_label=_("Total"))


def _funnel_table(numbers: queries.Funnel) -> Table:
    stages = funnel([("enrolled", numbers.enrolled), ("started", numbers.started),
                     ("completed", numbers.completed), ("certified", numbers.certified)])
    rows = tuple(Row(stage.key, str(STAGES[stage.key]), stage.count, base=stage.base)
                 for stage in stages)
    return Table("funnel", _("From enrolment to certificate"), _("Stage"), _("Trainees"),
                 rows, "stages", chart="bar", base_heading=_("Of those enrolled"),
                 share_heading=_("Share"))


def _time_table(head: queries.IntakeHead) -> Table:
    hours = hours_by_modality(queries.completed_module_minutes(head),
                              queries.attended_sessions(head.id), MODALITIES)
    rows = tuple(Row(modality, str(MODALITY_LABELS.get(modality, modality)),
                     round(value, 1)) for modality, value in hours.items())
    return Table("time", _("Time spent by modality"), _("Modality"), _("Learner-hours"),
                 rows, "measures", chart="bar", total_label=_("Total"), kind="hours")


def _assessment_tables(head: queries.IntakeHead) -> tuple[Table, Table]:
    bands = queries.quiz_bands(head)
    by_band = _tally((str(band.band), band.trainees) for band in bands)
    band_rows = tuple(Row(str(i), band_label(i), by_band.get(str(i), 0))
                      for i in range(len(BANDS)))
    quizzes: dict[int, list[queries.QuizBand]] = {}
    for band in bands:
        quizzes.setdefault(band.quiz_id, []).append(band)
    rate_rows = tuple(Row(str(quiz_id), rows[0].quiz_title, sum(r.passed for r in rows),
                          base=sum(r.trainees for r in rows))
                      for quiz_id, rows in quizzes.items())
    scores = Table("scores", _("Best scores on the assessments"), _("Score (%)"),
                   _("Trainee results"), band_rows, "partition", chart="bar",
                   total_label=_("Total"),
                   note=_("Each trainee's best graded score on each assessment of the "
                          "programme's courses."))
    rates = Table("pass-rates", _("Pass rates"), _("Assessment"), _("Passed"), rate_rows,
                  "rates", chart=None, base_heading=_("Assessed"), share_heading=_("Pass rate"))
    return scores, rates


def read_intake_report(actor: Actor, intake_id: int) -> IntakeReport:
    """The report of one intake for `actor` (its centre's administrators and programme
    officers, and the network administrator): PermissionDenied for anyone else."""
    head = queries.intake_head(intake_id)
    if head is None:
        raise NotFound(_("There is no such intake."))
    authorize(actor, "reports.centre", head.centre_id)
    income = classification()
    profiles = queries.intake_profiles(head.id)
    countries = _tally((p.country, p.trainees) for p in profiles)
    organisations = _tally((p.organisation_type, p.trainees) for p in profiles)
    genders = _tally((p.gender, p.trainees) for p in profiles if p.gender)
    numbers = queries.intake_funnel(head)
    time = _time_table(head)
    scores, rates = _assessment_tables(head)
    tables = [country_table(countries, income),
              _coded_table("organisations", _("Trainees by type of organisation"),
                           _("Organisation type"), organisations, ORGANISATION_TYPES),
              _coded_table("genders", _("Trainees by gender, where recorded"), _("Gender"),
                           genders, GENDERS),
              _funnel_table(numbers), time, scores, rates]
    trainees = sum(countries.values())
    return IntakeReport(
        head=head, classification=income, trainees=trainees, lmic=lmic_of(countries, income),
        country_line=country_line(countries), gender_recorded=sum(genders.values()),
        hours_per_trainee=time.total / trainees if trainees else None,
        tables={table.name: table for table in tables})

