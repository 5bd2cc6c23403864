"""The guides name what exists: they drifted once, unseen, as the code moved on."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_architecture_table_names_every_core_module() -> None:
    table = (ROOT / "docs" / "architecture.md").read_text()
    row = next(line for line in table.splitlines() if line.startswith("| `app/core/` |"))
    modules = {path.name for path in (ROOT / "app" / "core").glob("*.py")} - {"__init__.py"}
    assert {name for name in modules if f"`{name}`" not in row} == set()


def test_every_guide_the_readme_lists_exists() -> None:
    readme = (ROOT / "README.md").read_text()
    listed = re.search(r"^docs/\s+guides: (.+)$", readme, re.MULTILINE)
    assert listed is not None
    guides = [name.strip() for name in listed.group(1).split(",")]
    assert [g for g in guides if not (ROOT / "docs" / f"{g}.md").is_file()] == []
