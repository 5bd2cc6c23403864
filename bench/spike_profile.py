"""The exam spike's requests in one process, step by step: CPU time, a cProfile, or
instruction counts under callgrind (which other work on the machine does not disturb).

    .venv/bin/python bench/spike_profile.py --prepare --data /tmp/spike-data   # once
    .venv/bin/python bench/spike_profile.py --data /tmp/spike-data --learners 200
    .venv/bin/python bench/spike_profile.py --data /tmp/spike-data --cprofile /tmp/spike-prof
    valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=/tmp/cg.%p \\
        .venv/bin/python bench/spike_profile.py --data /tmp/spike-data --learners 20 \\
        --callgrind /tmp/libcg.so

Each learner takes the load benchmark's spike steps (`spike_steps.SpikeLearner`): the
log-in page, the log-in (argon2id), the exam page it is sent on to, the start of an
attempt, and the attempt's page. The steps run one after the other for every learner (all
log-in pages, then all log-ins...), so that each step is measured on its own, through the
test client with the production settings, on a copy of the benchmark's small data set
(`--prepare` generates it; every run starts from a fresh copy). `--callgrind` names a small
library built from valgrind's callgrind.h with `cg_zero`, `cg_toggle` and `cg_dump(name)`:

    #include <valgrind/callgrind.h>
    void cg_zero(void) { CALLGRIND_ZERO_STATS; }
    void cg_toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
    void cg_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }

(`gcc -shared -fPIC -o libcg.so cg.c`); callgrind then writes one dump per step, whose
`summary:` line is that step's instructions for all the learners, and one for argon2id's
verification alone (`argon2`), so that the rest of a log-in can be told from its hash.
"""

from __future__ import annotations

import argparse
import cProfile
import ctypes
import gc
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_bench import prepare, production_env  # noqa: E402
from bench.scale_data import PASSWORD, SCALES  # noqa: E402
from bench.spike_steps import SPIKE_STEPS, Send, SpikeLearner  # noqa: E402


def _through(client: Any) -> Send:
    """The test client as the spike's learners send their requests."""
    def send(method: str, path: str, form: dict[str, str] | None) -> tuple[int, Any, bytes]:
        answer = client.open(path, method=method, data=form)
        return answer.status_code, answer.headers, answer.data
    return send


def _fresh_copy(data: Path, url: str | None) -> str:
    """A database as `--prepare` left it, and its audit anchor."""
    shutil.copy(data / "records_anchor.pristine", data / "records_anchor")
    if url is None:
        shutil.copy(data / "bench.db.pristine", data / "bench.db")
        for suffix in ("-wal", "-shm"):
            (data / f"bench.db{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{data}/bench.db"
    base, name = url.rsplit("/", 1)
    run = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c"]
    subprocess.run([*run, f"DROP DATABASE IF EXISTS {name}_run"], check=True)
    subprocess.run([*run, f"CREATE DATABASE {name}_run TEMPLATE {name}"], check=True)
    return f"{base}/{name}_run"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--database-url", help="PostgreSQL (a template database), else SQLite")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--cprofile", type=Path, help="a folder: one profile per step")
    parser.add_argument("--callgrind", type=Path)
    parser.add_argument("--show-sql", action="store_true",
                        help="print the statements of one learner's steps")
    args = parser.parse_args()
    data: Path = args.data
    if args.prepare:
        data.mkdir(parents=True, exist_ok=True)
        url = args.database_url or f"sqlite:///{data}/bench.db"
        generated = prepare(url, data / "courses", "small", data / "records_anchor")
        free = generated.learner_ids[SCALES["small"].graded_attempts:]
        (data / "learners.json").write_text(json.dumps(free))
        shutil.copy(data / "records_anchor", data / "records_anchor.pristine")
        if args.database_url is None:
            shutil.copy(data / "bench.db", data / "bench.db.pristine")
        return

    url = _fresh_copy(data, args.database_url)
    os.environ.update(production_env(url, data / "records_anchor"))
    from app import create_app
    from app.auth.passwords import hash_password, verify_password

    app = create_app()
    statements = [0]
    shown: list[str] = []
    with app.app_context():
        from sqlalchemy import event

        from app.extensions import db

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements[0] += 1
            shown.append(" ".join(statement.split())[:160])
    # Over plain HTTP, as the load benchmark serves it (the test client takes its scheme from
    # PREFERRED_URL_SCHEME, and keeps Secure cookies for HTTPS).
    app.config.update(PREFERRED_URL_SCHEME="http", SESSION_COOKIE_SECURE=False)
    learners = json.loads((data / "learners.json").read_text())
    warm = [SpikeLearner(uid, _through(app.test_client())) for uid in learners[:args.warmup]]
    measured = [SpikeLearner(uid, _through(app.test_client()))
                for uid in learners[args.warmup:args.warmup + args.learners]]
    for step in SPIKE_STEPS:
        for learner in warm:
            del shown[:]
            learner.step(step)
        if args.show_sql:
            print(f"{step}: {len(shown)} statements")
            for statement in shown:
                print(f"    {statement}")

    cg = ctypes.CDLL(str(args.callgrind)) if args.callgrind else None
    cpu: dict[str, float] = {}
    counted: dict[str, int] = {}
    # Full collections of the garbage collector land in whichever step runs them, with
    # their instructions: say where they fell.
    full_collections = [0]
    collected: dict[str, int] = {}

    def on_collect(stage: str, info: dict[str, int]) -> None:
        if stage == "start" and info["generation"] == 2:
            full_collections[0] += 1

    gc.callbacks.append(on_collect)
    if args.cprofile:
        args.cprofile.mkdir(parents=True, exist_ok=True)

    def phase(name: str, work: Callable[[], None]) -> None:
        if cg is not None:
            cg.cg_zero()
            cg.cg_toggle()
        profile = cProfile.Profile() if args.cprofile else None
        if profile is not None:
            profile.enable()
        started, before, full = time.process_time(), statements[0], full_collections[0]
        work()
        cpu[name] = time.process_time() - started
        counted[name] = statements[0] - before
        collected[name] = full_collections[0] - full
        if profile is not None:
            profile.disable()
            profile.dump_stats(str(args.cprofile / f"{name}.prof"))
        if cg is not None:
            cg.cg_toggle()
            cg.cg_dump(name.encode())

    def every_learner(step: str) -> Callable[[], None]:
        def work() -> None:
            for learner in measured:
                if learner.step(step) >= 400:
                    raise RuntimeError(f"{step}: HTTP error")
        return work

    stored = hash_password(PASSWORD)

    def hashing() -> None:
        for _ in measured:
            verify_password(stored, PASSWORD)

    for step in SPIKE_STEPS:
        phase(step, every_learner(step))
    phase("argon2", hashing)

    n = len(measured)
    print(f"{n} learners, CPU ms and SQL statements per learner (in process, no gunicorn):")
    for name, seconds in cpu.items():
        print(f"  {name:<14}{1000 * seconds / n:8.2f} ms{counted[name] / n:6.1f} statements"
              f"  ({collected[name]} full garbage collections)")
    steps_total = sum(cpu[step] for step in SPIKE_STEPS)
    print(f"  {'all steps':<14}{1000 * steps_total / n:8.2f}  (of which argon2 "
          f"{1000 * cpu['argon2'] / n:.2f})")
    if args.cprofile:
        print(f"profiles written to {args.cprofile}/<step>.prof")


if __name__ == "__main__":
    main()
