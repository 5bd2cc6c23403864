"""The offers' links on the calls' pages (app/calls/hooks.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.calls.access import may_run_call
from app.calls.hooks import CallLink
from app.calls.models import DECIDED_STATES, Application, Call


def call_links(call: Call, viewer: Any) -> list[CallLink]:
    if call.status != "decided" or not may_run_call(viewer, call):
        return []
    return [CallLink(_l("Offers and confirmations"), "offers.call_offers",
                     {"call_id": call.id}, order=70)]


def applicant_links(application: Application, call: Call) -> list[CallLink]:
    if application.state not in DECIDED_STATES:
        return []
    return [CallLink(_l("Your decision and letters"), "offers.offer",
                     {"application_id": application.id}, order=10)]
