"""The report benchmark: how long the intake, centre and network reports take over the
scale data (bench/scale_data.py, with the network of bench/network.py), and how many SQL
statements each runs.

    .venv/bin/python bench/report_bench.py --scale small                  # SQLite
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
      .venv/bin/python bench/report_bench.py --scale large                # 100,000 learners

The database is emptied and filled (`--measure-only` measures again what a run left in it).
Each report is fetched through the Flask test client by
the network administrator (the whole request: the session's user, the statements, the
charts and the page), once to warm up and then `--runs` times; the figures are the median and
the slowest, with the page's size and its statements. The intake is the largest intake and
the centre the one with the most trainees. Figures go to
bench/results/<date>-reports-<scale>-<database>.json; docs/performance.md keeps the latest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import Profile, create_account  # noqa: E402
from app.core.roles import Role  # noqa: E402
from app.extensions import db  # noqa: E402
from app.intakes.models import Intake, IntakeMember  # noqa: E402
from bench.scale_data import PASSWORD, SCALES, generate  # noqa: E402

ADMIN_EMAIL = "network-admin@bench.example.org"
RECORDS_KEY = "bench-records-key-not-a-secret-0123456789abcdef"


def _config(url: str, anchor: Path) -> dict[str, Any]:
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RECORDS_KEY": RECORDS_KEY,
            "RECORDS_ANCHOR": str(anchor), "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://", "JOBS_URL": "memory://"}


def prepare(url: str, root: Path, scale: str, anchor: Path) -> dict[str, Any]:
    app = create_app(_config(url, anchor))
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        generated = generate(root, SCALES[scale])
        generated.counts["generate_s"] = round(time.perf_counter() - started, 1)
        create_account(email=ADMIN_EMAIL, password=PASSWORD,
                       profile=Profile("Bench Network Administrator", "KR"),
                       roles=[Role.ADMIN], now=datetime.now(UTC))
        db.session.commit()
        db.engine.dispose()
    return generated.counts


def _largest() -> tuple[int, int]:
    """(the intake with the most trainees, the centre with the most)."""
    members = func.count(IntakeMember.user_id)
    intake = db.session.execute(
        select(Intake.id).join(IntakeMember).group_by(Intake.id).order_by(members.desc())
        .limit(1)).scalar_one()
    centre = db.session.execute(
        select(Intake.centre_id).join(IntakeMember).group_by(Intake.centre_id)
        .order_by(members.desc()).limit(1)).scalar_one()
    return intake, centre


def measure(url: str, anchor: Path, runs: int) -> dict[str, Any]:
    app = create_app(_config(url, anchor))
    results: dict[str, Any] = {}
    with app.app_context():
        intake, centre = _largest()
        client = app.test_client()
        response = client.post("/auth/login", data={"email": ADMIN_EMAIL, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        pages = {"intake": f"/reports/intakes/{intake}", "centre": f"/reports/centres/{centre}",
                 "network": "/reports/network",
                 "intake countries.csv": f"/reports/intakes/{intake}/countries.csv"}
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        for name, path in pages.items():
            statements.clear()
            client.get(path).get_data()  # warm: the outline and the templates
            event.listen(db.engine, "before_cursor_execute", count)
            times = []
            size = 0
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(path)
                size = len(response.get_data())
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
            event.remove(db.engine, "before_cursor_execute", count)
            results[name] = {"median_ms": round(1000 * statistics.median(times), 1),
                             "max_ms": round(1000 * max(times), 1), "bytes": size,
                             "statements": len(statements) // runs}
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--measure-only", action="store_true",
                        help="measure the data a previous run left in --database-url")
    args = parser.parse_args()
    if args.measure_only and not args.database_url:
        parser.error("--measure-only needs --database-url (or BENCH_DATABASE_URL)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = args.database_url or f"sqlite:///{root / 'reports.db'}"
        database = "postgresql" if url.startswith("postgresql") else "sqlite"
        counts = ({"measured_again": 1} if args.measure_only
                  else prepare(url, root, args.scale, root / "anchor"))
        load_before = os.getloadavg()[0]
        figures = measure(url, root / "anchor", args.runs)
    result = {"date": f"{datetime.now(UTC):%Y-%m-%d}", "scale": args.scale,
              "database": database, "machine": platform.machine(),
              "cores": os.cpu_count(), "load_average": [round(load_before, 1),
                                                        round(os.getloadavg()[0], 1)],
              "data": counts, "reports": figures}
    again = "-again" if args.measure_only else ""
    out = (ROOT / "bench" / "results"
           / f"{result['date']}-reports-{args.scale}-{database}{again}.json")
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"reports on {database}, {args.scale} scale ({counts.get('learners')} learners, "
          f"{counts.get('centres')} centres, {counts.get('intakes')} intakes); load average "
          f"{result['load_average']}")
    print(f"{'report':<24}{'median ms':>10}{'max ms':>10}{'KB':>8}{'statements':>12}")
    for name, figure in figures.items():
        print(f"{name:<24}{figure['median_ms']:>10}{figure['max_ms']:>10}"
              f"{figure['bytes'] / 1024:>8.0f}{figure['statements']:>12}")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
