"""What the other parts of a call's life hook into, without importing each other: the
features that review, select and make offers add their links to the call's pages, and the
letters go out when a selection is signed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from flask_babel import LazyString

from app.calls.models import Application, Call, CallDecision
from app.core.registry import Hooks


@dataclass(frozen=True)
class CallLink:
    """A link on a call's page: `url_for(endpoint, **values)`, labelled."""

    label: str | LazyString
    endpoint: str
    values: Mapping[str, Any] = field(default_factory=dict)
    order: int = 50  # smaller first


class CallLinks(Protocol):
    def __call__(self, call: Call, viewer: Any) -> list[CallLink]: ...


class ApplicantLinks(Protocol):
    def __call__(self, application: Application, call: Call) -> list[CallLink]: ...


class DecisionHook(Protocol):
    def __call__(self, call: Call, decision: CallDecision, *, now: datetime) -> None: ...


# The links a call's officers (and reviewers) see on the call's overview page, from every
# feature that has a page about the call (its applications, reviewers, board, offers,
# report); each returns the links the viewer may follow.
CALL_LINKS: Hooks[CallLinks] = Hooks("call links")
# The actions a visitor sees on a call's public page ("Apply", "Continue your
# application", "Log in to apply").
PUBLIC_CALL_LINKS: Hooks[CallLinks] = Hooks("public call links")
# The links an applicant sees on their application's status page (their decision and
# letters, once there is one).
APPLICANT_LINKS: Hooks[ApplicantLinks] = Hooks("applicant links")
# Run in the signing transaction, after every application has its decided state: the
# letters go out from here.
DECISION_HOOKS: Hooks[DecisionHook] = Hooks("selection decided hooks")
