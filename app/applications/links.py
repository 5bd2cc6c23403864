"""What applying adds to the call's pages: the public page's action for its visitor, and
"Applications" on the officers' overview."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request, url_for
from flask_babel import lazy_gettext as _l

from app.applications.services import application_of
from app.calls.access import may_run_call
from app.calls.hooks import CallLink
from app.calls.models import Call
from app.calls.rules import call_phase
from app.core.time import now


def public_call_links(call: Call, viewer: Any) -> list[CallLink]:
    """Apply, continue or see the application; a visitor logs in (or registers) first and
    comes back to the page they were on."""
    is_open = call_phase(call.status, call.opens_at, call.closes_at, now()) == "open"
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        if not is_open:
            return []
        back = request.path if has_request_context() else url_for(
            "applications.start", call_id=call.id)
        return [CallLink(_l("Log in or create an account to apply"), "auth.login",
                         {"next": back}, order=10)]
    application = application_of(call, viewer)
    if application is None:
        return [CallLink(_l("Apply"), "applications.start", {"call_id": call.id}, order=10)] \
            if is_open else []
    label = _l("Continue your application") if application.state == "draft" and is_open \
        else _l("See your application")
    return [CallLink(label, "applications.form", {"application_id": application.id},
                     order=10)]


def officer_call_links(call: Call, viewer: Any) -> list[CallLink]:
    if not may_run_call(viewer, call):
        return []
    return [CallLink(_l("Applications"), "applications.call_list", {"call_id": call.id},
                     order=10)]
