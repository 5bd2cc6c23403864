"""Two nodes behind the shipped nginx config, on one PostgreSQL and one Redis: a node is
killed during an exam, a node loses Redis, and the database goes away and comes back.

The tests run in this order on the one cluster of conftest.py, each leaving it as it found
it (both nodes up, on Redis and the database).
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from tests.cluster.cluster import LEARNERS, Cluster
from tests.cluster.learners import Answered, Browser, Journal, Sitting, log_in, resend_after

pytestmark = pytest.mark.cluster

EXAM_S = 20.0  # learners autosave for this long (and 3 s at least after node b is back)
KILL_AT_S = 5.0  # node b is SIGKILLed this far into it
DOWN_S = 2.0  # and started again this long after


def _answered_ok(item: Answered) -> bool:
    return item.status in (200, 302)


def test_every_node_reports_each_dependency_answering(cluster: Cluster) -> None:
    """The starting point: both nodes see the database, the rate-limit store and the job
    queue (Redis), and the jobs' worker runs."""
    journal = Journal()
    reports = {}
    for node in cluster.nodes:
        status, _, body = Browser(node.port, journal).request(
            "health", "GET", "/healthz", accept="application/json")
        reports[node.name] = (status, json.loads(body or b"{}"))
        cluster.figures.add("start", f"node {node.name}'s /healthz",
                            f"{status} {body.decode()[:120]}")
    time.sleep(1)
    worker = cluster.worker.process
    running = worker is not None and worker.poll() is None
    cluster.figures.add("start", "the jobs' worker", "running" if running else "exited")
    assert all(status == 200 and report.get("status") == "ok"
               for status, report in reports.values()), reports
    assert running, cluster.worker.log.read_text()[-2000:]


def test_a_node_killed_mid_exam_loses_no_saved_answer_and_no_request(cluster: Cluster) -> None:
    journal = Journal()
    sittings = [cluster.sitting(email, journal) for email in cluster.learners[:LEARNERS]]
    began = threading.Barrier(len(sittings) + 1)
    stop = threading.Event()
    failures: list[str] = []

    def sit(sitting: Sitting) -> None:
        try:
            sitting.begin()
        except AssertionError as error:
            failures.append(f"{sitting.email}: {error}")
            began.abort()
            return
        began.wait(timeout=60)
        sitting.save_loop(lambda: not stop.is_set(), journal)
        sitting.submit()

    threads = [threading.Thread(target=sit, args=(s,), daemon=True) for s in sittings]
    t0 = time.monotonic()
    for thread in threads:
        thread.start()
    began.wait(timeout=60)
    assert not failures, failures
    cluster.figures.add("exam", "learners logged in, attempt started (s)",
                        f"{len(sittings)} in {time.monotonic() - t0:.1f}")
    exam_start = time.monotonic()
    victim = cluster.nodes[1]
    time.sleep(KILL_AT_S)
    killed_at = time.monotonic()
    victim.kill()
    time.sleep(DOWN_S)
    restart_s = victim.start()
    back_at = time.monotonic()
    # Long enough for the node to be sent saves again (nginx tries it again after the
    # upstream's fail_timeout).
    time.sleep(max(3.0, exam_start + EXAM_S - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a learner never finished"

    answered = journal.answered
    saves = [a for a in answered if a.kind == "save"]
    during = [a for a in saves if killed_at - 1 <= a.started <= back_at + 1]
    errors = [a for a in answered if not _answered_ok(a)]
    acks = journal.acks
    ids = [s.attempt_id for s in sittings]
    stored = {(attempt, key, seq): answer for attempt, key, seq, answer in cluster.query(
        "SELECT attempt_id, question_key, seq, answer FROM answer_steps "
        "WHERE attempt_id = ANY(:ids)", ids=ids)}
    lost = [ack for ack in acks for key, value in ack.answers.items()
            if stored.get((ack.attempt_id, key, ack.seq)) != {"value": value}]
    states = {attempt: state for attempt, state in cluster.query(
        "SELECT id, state FROM attempts WHERE id = ANY(:ids)", ids=ids)}
    unsubmitted = [s.email for s in sittings if states.get(s.attempt_id) == "in_progress"
                   or s.problem]
    # Node b's access log (gunicorn's --access-logfile -) since its restart.
    by_victim = victim.log_text().rsplit("--- start", 1)[1].count("/save HTTP")

    figures = cluster.figures
    figures.latencies("exam", answered)
    figures.add("exam", "saves sent, acknowledged (200)", f"{len(saves)}, {len(acks)}")
    figures.add("exam", "saves sent while node b was down (from 1 s before to 1 s after)",
                len(during))
    figures.add("exam", "node b SIGKILLed, down, then up again (s)",
                f"{DOWN_S:.1f} + {restart_s:.1f}")
    figures.add("exam", "saves served by node b after its restart", by_victim)
    figures.add("exam", "requests nginx sent to the next node (its error log)",
                cluster.nginx.error_log().count("upstream"))
    figures.add("exam", "client-visible errors (not 2xx/302)", len(errors))
    figures.add("exam", "acknowledged saves lost", len(lost))
    figures.add("exam", "attempts submitted", f"{len(sittings) - len(unsubmitted)} of "
                f"{len(sittings)}")

    assert not errors, f"{len(errors)} requests failed: " + ", ".join(
        f"{e.kind} {e.status}" for e in errors[:20])
    assert not lost, f"{len(lost)} acknowledged saves are not in the database: {lost[:5]}"
    assert not unsubmitted, f"attempts not submitted: {unsubmitted}"


def test_log_ins_work_with_the_rate_limit_store_unreachable(cluster: Cluster) -> None:
    from tests.cluster.harness import closed_port

    node = cluster.nodes[1]
    node.stop()
    dead = f"redis://127.0.0.1:{closed_port()}/11"
    node.start(RATELIMIT_STORAGE_URI=dead)
    journal = Journal()
    try:
        straight = [log_in(Browser(node.port, journal), email, cluster.exam.password)
                    for email in cluster.learners[:5]]
        wrong = log_in(Browser(node.port, journal), cluster.learners[5], "not the password")
        through = [log_in(cluster.browser(journal), email, cluster.exam.password)
                   for email in cluster.learners[6:16]]
        health = Browser(node.port, journal).request("health", "GET", "/healthz",
                                                     accept="application/json")
    finally:
        node.stop()
        node.start()
    figures = cluster.figures
    figures.add("redis", "node b on a closed port", dead)
    figures.add("redis", "log-ins straight to node b: 302s", f"{straight.count(302)} of "
                f"{len(straight)}")
    figures.add("redis", "a wrong password there answers", wrong)
    figures.add("redis", "log-ins through nginx: 302s", f"{through.count(302)} of "
                f"{len(through)}")
    figures.add("redis", "node b's /healthz", f"{health[0]} {health[2].decode()[:120]}")
    figures.latencies("redis", journal.answered)
    assert straight == [302] * len(straight), f"log-ins on node b answered {straight}"
    assert wrong == 200, f"a wrong password on node b answered {wrong}, not the form again"
    assert through == [302] * len(through), f"log-ins through nginx answered {through}"


def test_the_database_away_answers_503_then_recovers_without_a_restart(
        cluster: Cluster) -> None:
    journal = Journal()
    browser = cluster.browser(journal)
    assert log_in(browser, cluster.learners[20], cluster.exam.password) == 302
    assert browser.request("page", "GET", "/learning/dashboard")[0] == 200
    # A learner in the middle of an exam, whose page saves during the outage.
    sitting = cluster.sitting(cluster.learners[LEARNERS], journal)
    sitting.begin()
    typed = {sitting.numeric[0]: "1234"}
    pids = [node.pids for node in cluster.nodes]
    tracebacks = [node.tracebacks() for node in cluster.nodes]

    cluster.forwarder.cut()
    cut_at = time.monotonic()
    outage: list[tuple[int, str]] = []
    seq = sitting.seq
    saved, save_headers = sitting.save(typed, journal)
    outage.append((saved, save_headers.get("retry-after", "")))
    while time.monotonic() - cut_at < 4:
        for path in ("/learning/dashboard", "/"):
            status, headers, _ = browser.request("outage", "GET", path)
            outage.append((status, headers.get("retry-after", "")))
        time.sleep(0.1)
    health = [Browser(node.port, journal).request("health", "GET", "/healthz",
                                                 accept="application/json")
              for node in cluster.nodes]
    cluster.forwarder.restore()
    restored_at = time.monotonic()
    recovered_s = None
    while time.monotonic() - restored_at < 20:
        if browser.request("recovery", "GET", "/learning/dashboard")[0] == 200:
            recovered_s = time.monotonic() - restored_at
            break
        time.sleep(0.1)

    # The script sends the same save again by itself, under its seq, after the Retry-After
    # it was given (and again after each 5xx that gives one), until it is saved.
    resent: list[int] = []
    wait = resend_after(save_headers, 0)
    while wait is not None and len(resent) < 10 and resent[-1:] != [200]:
        time.sleep(wait)
        status, save_headers = sitting.save(typed, journal, seq=seq)
        resent.append(status)
        wait = resend_after(save_headers, len(resent))
    kept = cluster.query("SELECT answer FROM answer_steps WHERE attempt_id = :attempt AND "
                         "seq = :seq", attempt=sitting.attempt_id, seq=seq)
    statuses = sorted({status for status, _ in outage})
    counted = {status: sum(s == status for s, _ in outage) for status in statuses}
    without_retry_after = [s for s, retry in outage if s == 503 and not retry]
    new_tracebacks = [node.tracebacks() - before for node, before in zip(cluster.nodes,
                                                                           tracebacks,
                                                                           strict=True)]
    figures = cluster.figures
    figures.add("database", "pages asked while cut (4 s), by status",
                f"{len(outage)}: {counted}")
    figures.add("database", "503s without Retry-After", len(without_retry_after))
    for node, (status, _, body) in zip(cluster.nodes, health, strict=True):
        figures.add("database", f"node {node.name}'s /healthz", f"{status} {body.decode()[:120]}")
    figures.add("database", "tracebacks logged per node during it", new_tracebacks)
    figures.add("database", "first 200 after restoring (s)",
                "never" if recovered_s is None else f"{recovered_s:.1f}")
    figures.add("database", "a save during it, then the script's resends (same seq)",
                f"{saved}, then {resent}")
    figures.latencies("database", journal.answered)
    assert saved == 503, f"a save while the database was away answered {saved}"
    assert resent[-1:] == [200] and kept == [({"value": "1234"},)], \
        f"the save sent again after the outage answered {resent}, stored {kept}"
    assert statuses == [503], f"pages answered {statuses} while the database was away"
    assert not without_retry_after, "a 503 without Retry-After"
    assert recovered_s is not None, "pages did not come back within 20 s"
    assert new_tracebacks == [0, 0], f"tracebacks logged during the outage: {new_tracebacks}"
    assert [node.pids for node in cluster.nodes] == pids, "a node was restarted"
