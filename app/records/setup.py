"""Setting up the records feature in an app: its keys, its anchor, and the session hooks
that write the anchor once per commit that appended events."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.config import ConfigError
from app.core.time import now
from app.extensions import db
from app.records.anchor import AnchorTarget, anchor_line, open_anchor
from app.records.keys import Keyring
from app.records.models import Event

log = logging.getLogger(__name__)

# The newest (seq, link) this session's transaction appended, until it commits.
_PENDING = "records.anchor_pending"


def init_chain(app: Flask) -> None:
    app.extensions["records.keyring"] = Keyring.from_config(
        app.config["RECORDS_KEY"], app.config["RECORDS_OLD_KEYS"])
    try:
        app.extensions["records.anchor"] = open_anchor(app.config["RECORDS_ANCHOR"])
    except ValueError as error:
        raise ConfigError(str(error)) from error
    # One session factory serves every app in the process: the hooks go on it once, and
    # find the current app's anchor when they run.
    for name, hook in (("after_flush", _collect), ("after_commit", _write_anchor),
                       ("after_rollback", _forget)):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def anchor_target() -> AnchorTarget:
    target: AnchorTarget = current_app.extensions["records.anchor"]
    return target


def _collect(session: Session, _context: Any) -> None:
    # After a flush `session.new` still lists what the flush inserted.
    newest = session.info.get(_PENDING)
    for instance in session.new:
        if isinstance(instance, Event) and (newest is None or instance.seq > newest[0]):
            newest = (instance.seq, instance.hash)
    if newest is not None:
        session.info[_PENDING] = newest


def _write_anchor(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None or not has_app_context():
        return
    try:
        anchor_target().append(anchor_line(pending[0], pending[1], now()))
    except OSError:
        # The change is committed already: failing the request would tell the user it was
        # not. A missing line makes the anchor lag, which verify reports, never hides.
        log.exception("could not write the audit chain's anchor line for event %s",
                      pending[0])


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
