"""Setting up the records feature in an app: its keys, its anchor, and the session hooks
that write the anchor once per commit that appended events."""

from __future__ import annotations

import logging

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.config import ConfigError
from app.core.time import now
from app.extensions import db
from app.records.anchor import AnchorTarget, anchor_line, open_anchor
from app.records.keys import Keyring
from app.records.services import ANCHOR_PENDING

log = logging.getLogger(__name__)


def init_chain(app: Flask) -> None:
    app.extensions["records.keyring"] = Keyring.from_config(
        app.config["RECORDS_KEY"], app.config["RECORDS_OLD_KEYS"])
    try:
        app.extensions["records.anchor"] = open_anchor(app.config["RECORDS_ANCHOR"])
    except ValueError as error:
        raise ConfigError(str(error)) from error
    # One session factory serves every app in the process: the hooks go on it once, and
    # find the current app's anchor when they run.
    # `record_event` notes the transaction's newest link in the session's info.
    for name, hook in (("after_commit", _write_anchor), ("after_rollback", _forget)):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def anchor_target() -> AnchorTarget:
    target: AnchorTarget = current_app.extensions["records.anchor"]
    return target


def _write_anchor(session: Session) -> None:
    pending = session.info.pop(ANCHOR_PENDING, None)
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
    session.info.pop(ANCHOR_PENDING, None)
