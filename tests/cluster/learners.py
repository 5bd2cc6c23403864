"""Learners as their browsers behave, over plain HTTP through nginx.

The attempt page's script (app/static/autosave.js) is mirrored exactly where it matters
here: a save is sent 800 ms after the learner's last change, with the page's counter `seq`,
which goes up by one for every save sent; it carries the changed questions only, as `q-N`
and `q-N-present`. A save whose answer was lost (no answer, or any 5xx) is sent again by the
script as it was, under the same `seq`: after the Retry-After given (2 to 30 s), or after 1
s and 3 s without one, unless a newer save went out first or is due, which then carries its
questions. A learner who keeps typing sends that newer save 800 ms after the failure, before
any resend: that is `save_loop`. A learner who waits sees the resends: `resend_after`, in
the database outage. Every failure counted here is one the learner saw on the page ("Not
saved yet", "offline"), never hidden by a retry of ours. Navigations (log-in, start, submit)
are plain form POSTs, which a browser never retries. The submit is the form's own POST
(every field, the current `seq`)."""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

DEBOUNCE_S = 0.8  # autosave.js: setTimeout(save, 800) after the last input


RESEND_AFTER_S = (1.0, 3.0)  # autosave.js: RESEND_AFTER_MS, when no Retry-After came


def resend_after(headers: dict[str, str], tries: int) -> float | None:
    """When autosave.js sends a lost save again (None: it stops and tells the learner):
    after the Retry-After given, 2 to 30 s, else after 1 s and then 3 s."""
    try:
        asked = float(headers.get("retry-after", "0") or 0)
    except ValueError:
        asked = 0
    if asked:
        return min(max(asked, 2), 30)
    return RESEND_AFTER_S[tries] if tries < len(RESEND_AFTER_S) else None


@dataclass(frozen=True)
class Answered:
    """One request and its answer, as the learner saw it."""

    kind: str  # login, start, save, submit, page
    status: int  # 0: no HTTP answer at all (connection refused, reset)
    seconds: float
    started: float  # time.monotonic() when sent


@dataclass(frozen=True)
class Ack:
    """A save the server acknowledged (200): it must be in the database afterwards."""

    attempt_id: int
    seq: int
    answers: dict[str, str]  # question key -> the value sent


@dataclass
class Journal:
    """What every learner sent and got, shared by their threads."""

    answered: list[Answered] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, item: Answered) -> None:
        with self.lock:
            self.answered.append(item)

    def ack(self, item: Ack) -> None:
        with self.lock:
            self.acks.append(item)


class Browser:
    """Cookies, a Referer and an Origin, as a browser sends them; one connection per request
    (a browser's pool never shows a reused connection's close as an error). With `tls`, the
    site's name on HTTPS, checked against its certificate, on a loopback port."""

    def __init__(self, port: int, journal: Journal, *, host: str = "127.0.0.1",
                 tls: ssl.SSLContext | None = None) -> None:
        self.port, self.host, self.journal, self.tls = port, host, journal, tls
        self.cookies: dict[str, str] = {}
        self.last_page = "/"

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def connection(self, timeout: float) -> http.client.HTTPConnection:
        if self.tls is None:
            return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        connection = http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                                 context=self.tls)

        def loopback(address: tuple[str, int], *args: object,
                     **kwargs: object) -> socket.socket:
            return socket.create_connection(("127.0.0.1", address[1]), *args, **kwargs)  # type: ignore[arg-type]

        # The site's name (SNI, the certificate, Host) on this machine's loopback.
        connection._create_connection = loopback  # type: ignore[attr-defined]
        return connection

    def request(self, kind: str, method: str, path: str, form: dict[str, str] | None = None,
                accept: str = "text/html", timeout: float = 30
                ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Accept": accept, "Referer": self.origin + self.last_page,
                   "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        started = time.monotonic()
        connection = self.connection(timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.journal.note(Answered(kind, 0, time.monotonic() - started, started))
            return 0, {}, b""
        finally:
            connection.close()
        self.journal.note(Answered(kind, response.status, time.monotonic() - started, started))
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if method == "GET" and response.status == 200:
            self.last_page = path
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def csrf_token(page: bytes) -> str:
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    if found is None:
        raise AssertionError("no CSRF token on the page")
    return found.group(1).decode()


def log_in(browser: Browser, email: str, password: str) -> int:
    """The log-in page, then its form: the status of the POST (302 when logged in)."""
    status, _, page = browser.request("page", "GET", "/auth/login")
    if status != 200:
        return status
    status, _, _ = browser.request("login", "POST", "/auth/login", {
        "csrf_token": csrf_token(page), "email": email, "password": password})
    return status


@dataclass(frozen=True)
class Exam:
    """The exam every learner sits: the learners' password, the course, the module and the
    quiz (their slugs)."""

    password: str
    course: str
    module: str
    quiz: str


@dataclass
class Sitting:
    """One learner's exam: logged in, the attempt started, answers saved until told to
    stop, then submitted."""

    email: str
    exam: Exam
    browser: Browser
    attempt_id: int = 0
    seq: int = 0
    token: str = ""
    choices: dict[str, str] = field(default_factory=dict)  # single-choice key -> first token
    typed: dict[str, str] = field(default_factory=dict)  # every answer as on the page now
    numeric: list[str] = field(default_factory=list)  # the questions typed into
    submitted: int = 0  # the submit's status
    problem: str = ""

    def begin(self) -> None:
        status = log_in(self.browser, self.email, self.exam.password)
        if status != 302:
            raise AssertionError(f"log-in of {self.email} answered {status}")
        status, _, page = self.browser.request(
            "page", "GET", f"/learning/{self.exam.course}/modules/{self.exam.module}")
        if status != 200:
            raise AssertionError(f"the exam's page answered {status}")
        status, headers, _ = self.browser.request(
            "start", "POST", f"/quizzes/{self.exam.course}/{self.exam.quiz}/start",
            {"csrf_token": csrf_token(page)})
        found = re.search(r"/quizzes/attempts/(\d+)$", headers.get("location", ""))
        if status != 302 or found is None:
            raise AssertionError(f"starting the attempt answered {status}")
        self.attempt_id = int(found.group(1))
        status, _, page = self.browser.request("page", "GET", f"/quizzes/attempts/{found.group(1)}")
        if status != 200:
            raise AssertionError(f"the attempt's page answered {status}")
        self.token = csrf_token(page)
        seq = re.search(rb'name="seq" value="(\d+)"', page)
        assert seq is not None, "no seq on the attempt page"
        self.seq = int(seq.group(1))
        for key, value in re.findall(rb'type="radio" name="q-(\d+)" value="([^"]+)"', page):
            self.choices.setdefault(key.decode(), value.decode())
        numeric = sorted({k.decode() for k in re.findall(rb'name="q-(\d+)"', page)}
                         - set(self.choices), key=int)
        assert numeric and self.choices, "the exam's questions are not on the attempt page"
        self.numeric = numeric
        self.typed = {**dict.fromkeys(numeric, ""), **self.choices}  # the first choices picked

    def save(self, answers: dict[str, str], journal: Journal, *, seq: int | None = None
             ) -> tuple[int, dict[str, str]]:
        """One save, as the script sends it (`seq`: a lost one sent again under its own
        number); acknowledged saves go into the journal."""
        if seq is None:
            seq = self.seq
            self.seq += 1
        self.typed.update(answers)
        form = {"csrf_token": self.token, "seq": str(seq)}
        for name, value in answers.items():
            form[f"q-{name}-present"] = "1"
            form[f"q-{name}"] = value
        status, headers, _ = self.browser.request(
            "save", "POST", f"/quizzes/attempts/{self.attempt_id}/save", form,
            accept="application/json")
        if status == 200:
            journal.ack(Ack(self.attempt_id, seq, dict(answers)))
        return status, headers

    def save_loop(self, running: Callable[[], bool], journal: Journal) -> None:
        """Change one answer, wait the script's 800 ms, send the save; again and again."""
        pending: dict[str, str] = {}
        turn = 0
        while running():
            key = self.numeric[turn % len(self.numeric)]
            turn += 1
            self.typed[key] = str(self.seq)  # a new number typed: every save is distinct
            pending[key] = self.typed[key]
            time.sleep(DEBOUNCE_S)
            status, _ = self.save(dict(pending), journal)
            if status == 200:
                pending.clear()
            # Otherwise the script keeps them pending, for the next save: the one this
            # learner's next change schedules, which comes before any retry timer.

    def submit(self) -> None:
        form = {"csrf_token": self.token, "seq": str(self.seq)}
        form.update({f"q-{key}": value for key, value in self.typed.items()})
        self.seq += 1
        status, headers, _ = self.browser.request(
            "submit", "POST", f"/quizzes/attempts/{self.attempt_id}/submit", form)
        self.submitted = status
        if status != 302 or "/review" not in headers.get("location", ""):
            self.problem = f"submit answered {status}"
