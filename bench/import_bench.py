"""Import benchmark: a generated course set of N modules of ~10 KB, imported then re-imported.

    .venv/bin/python bench/import_bench.py [--modules 1000] [--database-url URL]

Prints a table and writes bench/results/<date>-import.json. Budgets (issue 3): the first
import of 1,000 modules <= 10 s, an unchanged re-import <= 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade

from app import create_app
from app.content.importer import import_folders
from app.extensions import db

WORDS = ("aseptic gowning validation deviation batch record sterile filtration bioreactor "
         "chromatography excipient potency stability audit trail contamination cleanroom "
         "particle media fill release specification sampling yield buffer column lot").split()


def _paragraph(rng: random.Random, words: int = 90) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def module_text(rng: random.Random, number: int) -> str:
    parts = [f"---\ntitle: Module {number}\nduration: 45 min\nobjectives:\n"
             "  - Explain the topic\n  - Apply it on the line\n---\n",
             f"# Module {number}\n"]
    while sum(len(p) for p in parts) < 8_500:
        parts.append(f"\n## Section {len(parts)}\n\n{_paragraph(rng)}\n\n- {_paragraph(rng, 12)}"
                     f"\n- {_paragraph(rng, 12)}\n\n| Term | Meaning |\n|---|---|\n"
                     f"| {rng.choice(WORDS)} | {_paragraph(rng, 8)} |\n")
    parts.append("\n::: tip\nKeep the record contemporaneous.\n:::\n")
    parts.append(f"""
```quiz
id: check-{number}
1.  Which grade is the critical zone?
    (x) Grade A
        > Right.
    ( ) Grade D
2.  Yield in %?
    = 98.5 +- 0.1
3.  Which annex covers computerised systems?
    = Annex 11
    = /annex\\s*11/i
```
""")
    return "".join(parts)


def generate(root: Path, modules: int, per_course: int = 100) -> None:
    rng = random.Random(20261122)
    for course_number in range(0, modules, per_course):
        folder = root / f"bench-course-{course_number // per_course:03d}"
        folder.mkdir(parents=True)
        (folder / "course.md").write_text(
            "---\ntitle: Benchmark course\nsummary: Generated for the import benchmark.\n---\n"
            "Generated.\n")
        for n in range(course_number, min(course_number + per_course, modules)):
            (folder / f"{n:04d}-module-{n}.md").write_text(module_text(rng, n))


def run_import(root: Path) -> tuple[float, list[str]]:
    """What `flask courses import` does, timed in process."""
    started = time.perf_counter()
    summaries = import_folders([root], now=datetime.now(UTC))
    db.session.commit()
    return time.perf_counter() - started, [summary.line() for summary in summaries]


def measure(modules: int, database_url: str | None) -> dict[str, object]:
    """Generate `modules` modules, import them, import them again unchanged: the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "courses"
        generate(root, modules)
        size = sum(p.stat().st_size for p in root.rglob("*.md"))
        url = database_url or f"sqlite:///{tmp}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            if url.startswith("postgresql"):
                with db.engine.begin() as conn:
                    conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
            first, _ = run_import(root)
            again, lines = run_import(root)
            assert all(line.endswith("unchanged") for line in lines)
            db.engine.dispose()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "database": url.split(":")[0],
        "modules": modules,
        "megabytes": round(size / 1e6, 2),
        "first_import_s": round(first, 2),
        "unchanged_reimport_s": round(again, 3),
        "budget_first_s": 10,
        "budget_unchanged_s": 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    result = measure(args.modules, args.database_url)
    first, again = result["first_import_s"], result["unchanged_reimport_s"]
    print(f"{'scenario':<28}{'seconds':>10}{'budget':>10}")
    print(f"{'import ' + str(args.modules) + ' modules':<28}{first:>10.2f}{10:>10}")
    print(f"{'unchanged re-import':<28}{again:>10.3f}{1:>10}")
    engine = str(result["database"]).split("+")[0]
    out = Path(__file__).parent / "results" / f"{datetime.now(UTC):%Y-%m-%d}-import-{engine}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
