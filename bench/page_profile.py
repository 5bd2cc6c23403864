"""The load benchmark's page scenarios in one process: CPU per request, SQL statements, and
where the time goes (a cProfile per page, its own time summed by layer).

    .venv/bin/python bench/page_profile.py --prepare --data /tmp/page-data   # once
    .venv/bin/python bench/page_profile.py --data /tmp/page-data --requests 2000
    .venv/bin/python bench/page_profile.py --data /tmp/page-data --layers
    .venv/bin/python bench/page_profile.py --data /tmp/page-data --cprofile /tmp/page-prof
    .venv/bin/python bench/page_profile.py --data /tmp/page-data --pair page-gettext
    valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=/tmp/cg.%p \\
        .venv/bin/python bench/page_profile.py --data /tmp/page-data --requests 50 \\
        --pair page-gettext --callgrind /tmp/libcg.so

The pages are those of `load_bench.py`'s scenarios (lesson, course, dashboard, autosave),
requested through the test client with the production settings on a copy of the small data
set (`--prepare` generates it, as `spike_profile.py` does; the two share its format).
Gunicorn and the socket are left out: they add about a fifth to a page's cost in the load
benchmark. `--layers` sums cProfile's own time per function into the layers the issue asks
about (framework, extensions, database, template, the app's own code, the standard library);
the profiler inflates small calls, so the layers are shares, not milliseconds.

`--pair NAME` switches one trick (`TOGGLES`) on and off between batches of `--requests`,
in alternating order, and reports the median of each pair's CPU off ÷ on, so that both
sides of a pair ran under the same load. On a machine busy with other work even that
moves by several per cent; `--callgrind` (with spike_profile.py's small library) counts
each side's instructions instead, which other work does not change.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scale_data import COURSE, PASSWORD, QUIZ  # noqa: E402
from bench.spike_profile import _fresh_copy, _token  # noqa: E402

PAGES = {
    "floor": "/healthz",
    "lesson": f"/learning/{COURSE}/modules/module-2",
    "course": f"/catalog/{COURSE}/",
    "dashboard": "/learning/dashboard",
}

# Where a function's own time is counted, by the first pattern its file matches.
LAYERS = (
    # Werkzeug's test client stands in for gunicorn here: counted apart, as it is not served.
    ("test client", ("/werkzeug/test.py", "/flask/testing.py")),
    ("database", ("/sqlalchemy/", "/psycopg", "sqlite3", "flask_sqlalchemy")),
    ("template", ("/jinja2/", "/markupsafe/", "/templates/")),
    ("extensions", ("/flask_login/", "/flask_wtf/", "/wtforms/", "/flask_babel/", "/babel/",
                    "/flask_limiter/", "/limits/", "/flask_compress/", "/brotli", "/itsdangerous/",
                    "/whitenoise/", "/cachetools/")),
    ("framework", ("/werkzeug/", "/flask/", "/blinker/")),
    ("app", ("/app/",)),
)


def layer_of(filename: str, name: str) -> str:
    for layer, patterns in LAYERS:
        if any(pattern in filename for pattern in patterns):
            return layer
    if "sqlite3." in name or "psycopg" in name:  # the drivers' C methods
        return "database"
    if filename.startswith("~") or "/lib/python3" in filename:
        return "stdlib and builtins"
    return "other"


Toggle = Callable[[Any, bool], None]


def _page_gettext(app: Any, enabled: bool) -> None:
    """The templates' `_()` from the catalog each render was given (app/core/i18n.py), or,
    off, Flask-Babel's own callables, which look the catalog up for every string."""
    from flask_babel import get_translations

    from app.core import i18n

    if enabled:
        app.jinja_env.install_gettext_callables(
            gettext=i18n._page_gettext, ngettext=i18n._page_ngettext,
            pgettext=i18n._page_pgettext, npgettext=i18n._page_npgettext, newstyle=True)
    else:
        app.jinja_env.install_gettext_callables(
            gettext=lambda s: get_translations().ugettext(s),
            ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
            pgettext=lambda c, s: get_translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
            newstyle=True)


def _open_attempt_items(app: Any, enabled: bool) -> None:
    """An open attempt's questions kept per worker (app/quizzes/services.py), or, off, read
    from its snapshot on every save (one more statement than the single read of the attempt
    with its snapshot it replaced, so an upper bound)."""
    from app.quizzes import services

    cache = services.OPEN_ATTEMPT_ITEMS
    kept = _KEPT.setdefault("open_items_get", cache.get)
    cache.get = kept if enabled else (  # type: ignore[method-assign]
        lambda key, compute: compute())


_KEPT: dict[str, Any] = {}


# The tricks `--pair` can switch, each by a function (app, enabled).
TOGGLES: dict[str, Toggle] = {"page-gettext": _page_gettext,
                              "open-attempt-items": _open_attempt_items}


class Viewer:
    """One learner: logged in, with an open attempt to autosave into."""

    def __init__(self, app: Any, uid: int) -> None:
        self.client = client = app.test_client()
        page = client.get("/auth/login").data
        answer = client.post("/auth/login", data={
            "csrf_token": _token(page), "email": f"learner{uid}@bench.example.org",
            "password": PASSWORD})
        if answer.status_code != 302:
            raise RuntimeError(f"log-in: {answer.status_code}")
        exam = f"/learning/{COURSE}/modules/final-exam"
        self.token = _token(client.get(exam).data)
        answer = client.post(f"/quizzes/{COURSE}/{QUIZ}/start",
                             data={"csrf_token": self.token})
        found = re.search(r"/attempts/(\d+)", answer.location or "")
        if found is None:
            raise RuntimeError(f"start: {answer.status_code}")
        self.save_path = f"/quizzes/attempts/{found.group(1)}/save"
        page = client.get(f"/quizzes/attempts/{found.group(1)}").data
        self.choices: dict[str, str] = {}
        for key, value in re.findall(rb'type="radio" name="q-(\d+)" value="([^"]+)"', page):
            self.choices.setdefault(key.decode(), value.decode())
        self.seq = 0

    def request(self, page: str) -> None:
        if page == "autosave":
            self.seq += 1
            n = 1 + self.seq % 20
            answer = self.choices.get(str(n), "42")
            response = self.client.post(self.save_path, data={
                "csrf_token": self.token, f"q-{n}": answer, "seq": str(self.seq)},
                headers={"Accept": "application/json"})
        else:
            response = self.client.get(PAGES[page])
        if response.status_code != 200:
            raise RuntimeError(f"{page}: {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--database-url", help="PostgreSQL (a template database), else SQLite")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--pages", default="floor,lesson,course,dashboard,autosave")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=3, help="best of this many batches")
    parser.add_argument("--layers", action="store_true",
                        help="cProfile each page and print its own time by layer")
    parser.add_argument("--cprofile", type=Path, help="a folder: one profile per page")
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--pair", choices=sorted(TOGGLES),
                        help="a trick to switch on and off between batches (see TOGGLES)")
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--callgrind", type=Path,
                        help="spike_profile.py's libcg.so: one dump per page (and per side "
                             "of --pair) of --requests requests, under valgrind")
    args = parser.parse_args()
    if args.prepare:
        from bench.spike_profile import main as prepare_spike

        sys.argv = [sys.argv[0], "--prepare", "--data", str(args.data)]
        if args.database_url:
            sys.argv += ["--database-url", args.database_url]
        prepare_spike()
        return

    url = _fresh_copy(args.data, args.database_url)
    from bench.load_bench import RECORDS_KEY

    os.environ.update({
        "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "TRAINHUB_ENV": "production",
        "RATELIMIT_STORAGE_URI": "memory://", "RECORDS_KEY": RECORDS_KEY,
        "RECORDS_ANCHOR": str(args.data / "records_anchor")})
    from app import create_app

    app = create_app()
    app.config.update(PREFERRED_URL_SCHEME="http", SESSION_COOKIE_SECURE=False)
    shown: list[str] = []
    with app.app_context():
        from sqlalchemy import event

        from app.extensions import db

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            shown.append(" ".join(statement.split())[:200])

    spent = _time_parts(app)
    learners = json.loads((args.data / "learners.json").read_text())
    viewer = Viewer(app, learners[0])
    pages = [p for p in args.pages.split(",") if p]
    for page in pages:  # warm the caches
        for _ in range(50):
            viewer.request(page)
    if args.cprofile:
        args.cprofile.mkdir(parents=True, exist_ok=True)
    if args.callgrind:
        _counted(viewer, pages, args.callgrind, args.requests,
                 (lambda on: TOGGLES[args.pair](app, on)) if args.pair else None)
        return
    if args.pair:
        _paired(app, viewer, pages, TOGGLES[args.pair], args.pairs, args.requests)
        return
    for page in pages:
        del shown[:]
        viewer.request(page)
        statements = len(shown)
        if args.show_sql:
            print(f"{page}: {statements} statements")
            for statement in shown:
                print(f"    {statement}")
        batches = []
        for _ in range(args.batches):
            spent.clear()
            batches.append((_batch(viewer, page, args.requests), dict(spent)))
        best, parts = min(batches, key=lambda batch: batch[0])
        print(f"{page:<10}{1000 * best:7.3f} ms CPU a request (best of {args.batches} x "
              f"{args.requests}), {statements} statements; of which "
              + ", ".join(f"{name} {1000 * seconds / args.requests:.3f} ms"
                          for name, seconds in parts.items()), flush=True)
        if args.layers or args.cprofile:
            profile = cProfile.Profile()
            profile.runcall(_repeat(viewer, page, args.requests))
            if args.cprofile:
                profile.dump_stats(str(args.cprofile / f"{page}.prof"))
            if args.layers:
                _print_layers(profile)


def _counted(viewer: Viewer, pages: list[str], library: Path, n: int,
             switch: Callable[[bool], None] | None) -> None:
    """Under callgrind: each page's instructions for `n` requests, dumped as `<page>` (or
    `<page>-on` and `<page>-off`, the trick switched). Instructions do not move with the
    other work on the machine, as CPU time does."""
    import ctypes

    cg = ctypes.CDLL(str(library))
    for page in pages:
        for enabled in ((True, False) if switch else (True,)):
            if switch is not None:
                switch(enabled)
            _repeat(viewer, page, 20)()
            cg.cg_zero()
            cg.cg_toggle()
            _repeat(viewer, page, n)()
            cg.cg_toggle()
            name = page if switch is None else f"{page}-{'on' if enabled else 'off'}"
            cg.cg_dump(name.encode())
            print(f"dumped {name}", flush=True)
        if switch is not None:
            switch(True)


def _paired(app: Any, viewer: Viewer, pages: list[str], toggle: Toggle, pairs: int,
            n: int) -> None:
    """Each page served in batches of `n` with the trick on, then off (or off, then on: the
    order alternates), `pairs` times: the median of each pair's CPU off ÷ on, so that both
    sides of a pair ran under the same load on a shared machine."""
    for page in pages:
        ratios, on_ms, off_ms = [], [], []
        for i in range(pairs):
            times = {}
            for enabled in ((True, False) if i % 2 else (False, True)):
                toggle(app, enabled)
                times[enabled] = _batch(viewer, page, n)
            ratios.append(times[False] / times[True])
            on_ms.append(1000 * times[True])
            off_ms.append(1000 * times[False])
        toggle(app, True)
        ratios.sort()
        quarter = len(ratios) // 4
        print(f"{page:<10} without the trick {statistics.median(off_ms):.3f} ms, with it "
              f"{statistics.median(on_ms):.3f} ms: {100 * (statistics.median(ratios) - 1):+.1f}%"
              f" (median of {pairs} pairs of {n}; middle half {100 * (ratios[quarter] - 1):+.1f}"
              f"% to {100 * (ratios[-quarter - 1] - 1):+.1f}%)", flush=True)


def _time_parts(app: Any) -> dict[str, float]:
    """The CPU time spent in the session user's loader (the request's first statement, so
    its connection's checkout too) and in rendering templates, summed per batch."""
    import flask.templating

    from app.extensions import login_manager

    spent: dict[str, float] = {}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - started
        return wrapper

    login_manager._user_callback = timed(  # type: ignore[assignment]
        "session user", login_manager._user_callback)  # type: ignore[arg-type]
    flask.templating._render = timed("templates", flask.templating._render)  # type: ignore[assignment]
    return spent


def _batch(viewer: Viewer, page: str, n: int) -> float:
    work = _repeat(viewer, page, n)
    started = time.process_time()
    work()
    return (time.process_time() - started) / n


def _repeat(viewer: Viewer, page: str, n: int) -> Callable[[], None]:
    def work() -> None:
        for _ in range(n):
            viewer.request(page)
    return work


def _print_layers(profile: cProfile.Profile) -> None:
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    totals: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, own, _cum, _callers) in stats.items():
        layer = layer_of(filename, name)
        totals[layer] = totals.get(layer, 0.0) + own
    whole = sum(totals.values())
    print("    " + ", ".join(f"{layer} {100 * t / whole:.0f}%"
                             for layer, t in sorted(totals.items(), key=lambda x: -x[1])))


if __name__ == "__main__":
    main()
