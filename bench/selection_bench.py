"""The selection benchmark: a closed call with 3,000 submitted applications (two small real
PDFs each, in ApplicationFile), 40 reviewers with two scores per application (a tenth
scored again, so that "the latest counts" has work to do), a country cap, an organisation
cap, a country minimum, a gender target and a few overrides. It times the selection board
(through the app, the call's programme officer logged in: the whole request) and the
proposal (the board's three statements, the ranking, the proposal and the final list),
and fails if either takes a second or more.

    .venv/bin/python bench/selection_bench.py                               # SQLite
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
      .venv/bin/python bench/selection_bench.py                             # PostgreSQL

The database is emptied and filled. Each measure runs once to warm up and then `--runs`
times; the figures are the median and the slowest, with the page's size and its
statements. A measure fails when its median reaches a second. Figures go to
bench/results/<date>-selection-<database>.json; docs/performance.md keeps the latest.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from pypdf import PdfWriter  # noqa: E402
from sqlalchemy import event, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import User, UserRole  # noqa: E402
from app.auth.passwords import hash_password  # noqa: E402
from app.calls.models import (  # noqa: E402
    Application,
    ApplicationFile,
    Call,
    CallReviewer,
    ReviewAssignment,
    ReviewScore,
    SelectionOverride,
)
from app.calls.quotas import Candidate, propose, rank  # noqa: E402
from app.centres.models import Centre, CentreRole  # noqa: E402
from app.extensions import db  # noqa: E402
from app.selection.board import read_board  # noqa: E402
from bench.rows import insert_rows  # noqa: E402

APPLICATIONS = 3_000
REVIEWERS = 40
PLACES = 120
QUOTAS = {"country_max": 8, "organisation_max": 3, "country_min": {"RW": 3},
          "gender_target": {"female": 50}}
COUNTRIES = ("NG", "KE", "GH", "RW", "UG", "TZ", "ET", "SN", "CI", "CM", "ZA", "EG", "MA",
             "TN", "BD", "IN", "PK", "VN", "ID", "PH", "BR", "AR", "CO", "PE", "MX", "EC",
             "BO", "GT", "UA", "MN")
GENDERS = ("female", "male", "female", "male", "other")
OFFICER_EMAIL = "officer@bench.example.org"
PASSWORD = "bench passphrase for the selection"  # noqa: S105 - generated accounts only
RECORDS_KEY = "bench-records-key-not-a-secret-0123456789abcdef"
BUDGET_S = 1.0


def _config(url: str, anchor: Path) -> dict[str, Any]:
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RECORDS_KEY": RECORDS_KEY,
            "RECORDS_ANCHOR": str(anchor), "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://", "JOBS_URL": "memory://"}


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _users(first: int, count: int, prefix: str, now: datetime, password_hash: str
           ) -> list[int]:
    ids = list(range(first, first + count))
    insert_rows(User, ({
        "id": uid, "email": f"{prefix}{uid}@bench.example.org", "name": f"Bench {prefix} {uid}",
        "password_hash": password_hash, "country": COUNTRIES[uid % len(COUNTRIES)],
        "organisation": f"Bench Org {uid % 400}", "timezone": "UTC", "active": True,
        "created_at": now, "email_verified_at": now} for uid in ids))
    insert_rows(UserRole, ({"user_id": uid, "role": "learner"} for uid in ids))
    return ids


def _call(now: datetime, officer_id: int) -> Call:
    centre = Centre(code="BEN", name="Bench Centre", country="KR", timezone="Asia/Seoul",
                    languages=["en"], created_at=now)
    db.session.add(centre)
    db.session.flush()
    db.session.add(CentreRole(centre_id=centre.id, user_id=officer_id,
                              role="programme_officer", assigned_at=now))
    call = Call(centre_id=centre.id, kind="trainee", code="BENCH-2026", title="Bench call",
                opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1),
                timezone="Asia/Seoul", places=PLACES, languages=["en"],
                eligibility={"countries": "lmic"}, form=[],
                rubric=[{"key": "experience", "label": "Experience", "max": 10},
                        {"key": "motivation", "label": "Motivation", "max": 10}],
                quotas=QUOTAS, status="published", published_at=now - timedelta(days=60),
                created_at=now - timedelta(days=61), created_by_id=officer_id)
    db.session.add(call)
    db.session.flush()
    return call


def generate(now: datetime) -> dict[str, int]:
    """The officer, the call, its 40 reviewers and 3,000 scored applications."""
    password_hash = hash_password(PASSWORD)
    officer = User(email=OFFICER_EMAIL, name="Bench Officer", password_hash=password_hash,
                   country="KR", timezone="UTC", created_at=now, email_verified_at=now)
    db.session.add(officer)
    db.session.flush()
    call = _call(now, officer.id)
    reviewers = _users(officer.id + 1, REVIEWERS, "reviewer", now, password_hash)
    applicants = _users(reviewers[-1] + 1, APPLICATIONS, "applicant", now, password_hash)
    if db.engine.dialect.name == "postgresql":  # ids were given: move the sequence past them
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), "
                                "(SELECT max(id) FROM users))"))
    insert_rows(CallReviewer, ({"call_id": call.id, "user_id": uid, "added_at": now,
                                "added_by_id": officer.id} for uid in reviewers))
    counts = {"applications": insert_rows(Application, ({
        "id": n + 1, "call_id": call.id, "applicant_id": uid, "state": "submitted",
        "answers": {}, "nationality": COUNTRIES[n % len(COUNTRIES)],
        "residence": COUNTRIES[n % len(COUNTRIES)], "organisation": f"Bench Org {n % 400}",
        "organisation_type": "manufacturer", "gender": GENDERS[n % len(GENDERS)],
        "experience_years": 3 + n % 10, "eligible": n % 10 != 7,
        "ineligible_reasons": [] if n % 10 != 7 else [{"code": "experience", "years": 1,
                                                        "required": 2}],
        "created_at": now, "saved_at": now,
        "submitted_at": now - timedelta(days=2, seconds=n), "version": 1}
        for n, uid in enumerate(applicants)))}
    content = {key: _pdf(pages) for key, pages in (("cv", 2), ("endorsement", 1))}
    counts["files"] = insert_rows(ApplicationFile, ({
        "application_id": n + 1, "field_key": key, "filename": f"{key}.pdf",
        "size": len(data), "pages": 2 if key == "cv" else 1,
        "sha256": hashlib.sha256(data).hexdigest(), "content": data, "uploaded_at": now}
        for n in range(APPLICATIONS) for key, data in content.items()))
    pairs = [(n + 1, reviewers[(n + k) % REVIEWERS]) for n in range(APPLICATIONS)
             for k in range(2)]
    counts["assignments"] = insert_rows(ReviewAssignment, ({
        "application_id": app_id, "reviewer_id": rid, "assigned_at": now, "scored_at": now,
        "conflict_reason": ""} for app_id, rid in pairs))
    rescored = [(app_id, rid) for app_id, rid in pairs if app_id % 10 == 3]
    counts["scores"] = insert_rows(ReviewScore, ({
        "application_id": app_id, "reviewer_id": rid,
        "points": {"experience": (app_id * 7 + rid) % 11, "motivation": (app_id * 3) % 11},
        "total": (app_id * 7 + rid) % 11 + (app_id * 3) % 11, "comment": "",
        "scored_at": now} for app_id, rid in [*pairs, *rescored]))
    counts["overrides"] = insert_rows(SelectionOverride, ({
        "application_id": app_id, "outcome": ("accepted", "waitlisted", "regretted")[i % 3],
        "reason": "Bench override", "made_at": now, "made_by_id": officer.id}
        for i, app_id in enumerate(range(5, APPLICATIONS, 150))))
    db.session.commit()
    return counts


def prepare(url: str, anchor: Path) -> dict[str, Any]:
    app = create_app(_config(url, anchor))
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade(directory=str(ROOT / "migrations"))
        started = time.perf_counter()
        counts: dict[str, Any] = generate(datetime.now(UTC))
        counts["generate_s"] = round(time.perf_counter() - started, 1)
        db.engine.dispose()
    return counts


def _timed(runs: int, action: Callable[[], int]) -> dict[str, Any]:
    """Warm once, then `runs` times: median and slowest in ms, and what `action` returns."""
    action()
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = action()
        times.append(time.perf_counter() - started)
    return {"median_ms": round(1000 * statistics.median(times), 1),
            "max_ms": round(1000 * max(times), 1), "size": size}


def measure(url: str, anchor: Path, runs: int) -> dict[str, Any]:
    app = create_app(_config(url, anchor))
    results: dict[str, Any] = {}
    with app.app_context():
        call = db.session.scalars(select(Call)).one()
        client = app.test_client()
        response = client.post("/auth/login", data={"email": OFFICER_EMAIL,
                                                    "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        def page(path: str) -> Callable[[], int]:
            def fetch() -> int:
                got = client.get(path)
                assert got.status_code == 200, (path, got.status_code)
                return len(got.get_data())
            return fetch

        def proposal() -> int:
            db.session.expire_all()
            return len(read_board(call).proposal.selected)

        board = read_board(call)
        candidates = rank(Candidate(r.application_id, r.country, r.organisation, r.gender,
                                    r.eligible, r.scores.mean) for r in board.rows)
        measures = {
            "board page": page(f"/selection/call/{call.id}"),
            "board page, waitlist p. 10": page(f"/selection/call/{call.id}"
                                               "?show=waitlisted&page=10"),
            "proposal (3 statements + rules)": proposal,
            "propose() alone": lambda: len(propose(candidates, PLACES, QUOTAS).selected),
        }
        for name, action in measures.items():
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", count)
            figure = _timed(runs, action)
            event.remove(db.engine, "before_cursor_execute", count)
            figure["statements"] = len(statements) // (runs + 1)
            results[name] = figure
        results["selected"] = len(board.proposal.selected)
        results["waitlisted"] = len(board.proposal.waitlist)
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = args.database_url or f"sqlite:///{root / 'selection.db'}"
        database = "postgresql" if url.startswith("postgresql") else "sqlite"
        counts = prepare(url, root / "anchor")
        load_before = os.getloadavg()[0]
        figures = measure(url, root / "anchor", args.runs)
    result = {"date": f"{datetime.now(UTC):%Y-%m-%d}", "database": database,
              "machine": platform.machine(), "cores": os.cpu_count(),
              "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
              "data": counts, "figures": figures}
    out = ROOT / "bench" / "results" / f"{result['date']}-selection-{database}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"selection on {database}: {counts['applications']} applications, "
          f"{counts['files']} files, {counts['scores']} scores by {REVIEWERS} reviewers; "
          f"load average {result['load_average']}")
    print(f"{'measure':<34}{'median ms':>10}{'max ms':>10}{'statements':>12}")
    slow = []
    for name, figure in figures.items():
        if not isinstance(figure, dict):
            continue
        print(f"{name:<34}{figure['median_ms']:>10}{figure['max_ms']:>10}"
              f"{figure['statements']:>12}")
        if figure["median_ms"] >= 1000 * BUDGET_S:
            slow.append(name)
    print(f"written to {out.relative_to(ROOT)}")
    if slow:
        sys.exit(f"over the budget of {BUDGET_S:g} s: {', '.join(slow)}")


if __name__ == "__main__":
    main()
