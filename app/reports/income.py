"""The World Bank's income-group classification, kept as a data file in this package
(`income_groups.csv`), with the date it was released and the fiscal year it applies to.

The file's leading `# key: value` lines say where it comes from and when; the rows give each
economy's ISO 3166-1 alpha-2 and alpha-3 codes, its World Bank name and its group. The
World Bank publishes a new classification every 1 July: replace the file, its `released`
and `fiscal_year` lines with it, and every report names the new one. Pure: neither Flask nor
the database.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("income_groups.csv")

GROUPS = ("L", "LM", "UM", "H")
# Low- and middle-income countries, as the World Bank and WHO count them.
LMIC_GROUPS = frozenset({"L", "LM", "UM"})
COLUMNS = ["alpha2", "alpha3", "country", "income_group"]


class ClassificationError(ValueError):
    """The data file is not a classification this module can read."""


@dataclass(frozen=True)
class Economy:
    alpha2: str
    alpha3: str
    name: str  # the World Bank's name, in English
    group: str  # one of GROUPS

    @property
    def lmic(self) -> bool:
        return self.group in LMIC_GROUPS


@dataclass(frozen=True)
class Classification:
    fiscal_year: str  # "FY2026"
    released: date
    source: str
    economies: Mapping[str, Economy]  # by alpha-2 code

    def group_of(self, alpha2: str | None) -> str | None:
        """The income group of a country by its alpha-2 code; None when the World Bank does
        not classify it or no country is known."""
        economy = self.economies.get(alpha2 or "")
        return economy.group if economy else None

    def is_lmic(self, alpha2: str | None) -> bool:
        return self.group_of(alpha2) in LMIC_GROUPS

    def by_alpha3(self, alpha3: str) -> Economy | None:
        return next((e for e in self.economies.values() if e.alpha3 == alpha3), None)


def parse_classification(lines: Iterable[str]) -> Classification:
    """A classification read from the file's lines; ClassificationError on anything amiss,
    naming the line."""
    meta: dict[str, str] = {}
    body: list[str] = []
    for line in lines:
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            if value and not body:
                meta.setdefault(key.strip(), value.strip())
        elif line.strip():
            body.append(line)
    rows = list(csv.reader(body))
    if not rows or rows[0] != COLUMNS:
        raise ClassificationError(f"the header must be {','.join(COLUMNS)}")
    for key in ("fiscal_year", "released", "source"):
        if not meta.get(key):
            raise ClassificationError(f"the file must say its {key} in a '# {key}:' line")
    try:
        released = date.fromisoformat(meta["released"])
    except ValueError as error:
        raise ClassificationError(f"released: {meta['released']!r} is not a date") from error
    economies: dict[str, Economy] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            raise ClassificationError(f"row {number}: {len(row)} cells, not {len(COLUMNS)}")
        alpha2, alpha3, name, group = (cell.strip() for cell in row)
        if group not in GROUPS:
            raise ClassificationError(f"row {number}: {group!r} is not one of {GROUPS}")
        if len(alpha2) != 2 or len(alpha3) != 3 or not (alpha2 + alpha3).isupper():
            raise ClassificationError(f"row {number}: {alpha2!r}/{alpha3!r} are not ISO codes")
        if alpha2 in economies:
            raise ClassificationError(f"row {number}: {alpha2} is listed twice")
        economies[alpha2] = Economy(alpha2, alpha3, name, group)
    return Classification(meta["fiscal_year"], released, meta["source"], economies)


@cache
def classification() -> Classification:
    """The shipped classification, read once per process."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return parse_classification(handle)
