"""Centre operations that other features call: the hub, found or founded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.centres.models import Centre
from app.extensions import db

# The hub as a fresh database first knows it; the network administrator edits the rest.
HUB_DEFAULTS = {
    "code": "HUB",
    "name": "Global Training Hub for Biomanufacturing",
    "country": "KR",
    "region": "Western Pacific",
    "timezone": "Asia/Seoul",
    "languages": ["en", "ko"],
}


def ensure_hub(now: datetime) -> Centre:
    """The hub centre, created with its defaults the first time anything needs it (the first
    course import of a new database)."""
    hub = db.session.scalars(select(Centre).where(Centre.is_hub.is_(True))).first()
    if hub is None:
        hub = Centre(is_hub=True, created_at=now, **HUB_DEFAULTS)
        db.session.add(hub)
        db.session.flush()
    return hub
