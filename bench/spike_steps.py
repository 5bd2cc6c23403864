"""A learner's way through the exam spike, step by step: the same requests whether the load
benchmark sends them over HTTP and times them (load_bench.spike) or spike_profile.py sends
them through the test client and profiles them.

Each POST's redirect is followed, as a browser does. The log-in page asks to come back to
the exam, so the log-in's target is the exam page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bench.scale_data import COURSE, PASSWORD, QUIZ

SPIKE_STEPS = ("login-page", "login", "exam-page", "start", "attempt-page")
EXAM = f"/learning/{COURSE}/modules/final-exam"

# (method, path, form or None) -> (status, headers, body); headers looked up in lower case.
Send = Callable[[str, str, "dict[str, str] | None"], tuple[int, Mapping[str, str], bytes]]


def csrf_in(page: bytes) -> str:
    """The CSRF token of the page's form."""
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    if found is None:
        raise RuntimeError("no CSRF token")
    return found.group(1).decode()


@dataclass
class SpikeLearner:
    """One generated learner (learner<uid>@bench.example.org) in the spike, sending its
    requests through `send`."""

    uid: int
    send: Send
    token: str = ""
    target: str = ""  # where the last POST sent the learner on to

    def step(self, name: str) -> int:
        """Take the step `name` of SPIKE_STEPS; the answer's status. Raises RuntimeError when
        the answer is not one a browser could go on from (no form, no redirect to the next
        page)."""
        if name == "login-page":
            status, _, page = self.send("GET", f"/auth/login?next={EXAM}", None)
            self.token = csrf_in(page)
        elif name == "login":
            status, headers, _ = self.send("POST", f"/auth/login?next={EXAM}", {
                "csrf_token": self.token, "email": f"learner{self.uid}@bench.example.org",
                "password": PASSWORD})
            self.target = headers.get("location", "")
            if status != 302 or not self.target.endswith(EXAM):
                raise RuntimeError(f"login: HTTP {status} to {self.target!r}")
        elif name == "exam-page":
            status, _, page = self.send("GET", self.target, None)
            self.token = csrf_in(page)
        elif name == "start":
            status, headers, _ = self.send("POST", f"/quizzes/{COURSE}/{QUIZ}/start",
                                           {"csrf_token": self.token})
            self.target = headers.get("location", "")
            if status != 302 or "/quizzes/attempts/" not in self.target:
                raise RuntimeError(f"start: HTTP {status} to {self.target!r}")
        else:
            status, _, _ = self.send("GET", self.target, None)
        return status
