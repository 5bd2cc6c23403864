"""Creating and changing centres, their theme included. The hub is founded on first need
(`ensure_hub`); the network administrator creates and edits every centre."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from app.centres import rules
from app.centres.models import Centre
from app.centres.scope import is_network_admin
from app.core.auth import authorize
from app.core.countries import is_country_code
from app.core.errors import ValidationError, refuse_all
from app.core.i18n import LANGUAGES
from app.core.zones import is_canonical_zone
from app.extensions import db
from app.records.services import record_event

# The hub as a fresh database first knows it; the network administrator edits the rest.
HUB_DEFAULTS = {
    "code": "HUB",
    "name": "Global Training Hub for Biomanufacturing",
    "country": "KR",
    "region": "Western Pacific",
    "timezone": "Asia/Seoul",
    "languages": ["en", "ko"],
}

# A logo is shown small in the header: 512 KB uploaded at most, stored at most 400 px wide.
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 400
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


def ensure_hub(now: datetime) -> Centre:
    """The hub centre, created with its defaults the first time anything needs it (the first
    course import of a new database)."""
    hub = db.session.scalars(select(Centre).where(Centre.is_hub.is_(True))).first()
    if hub is None:
        hub = Centre(is_hub=True, created_at=now, **HUB_DEFAULTS)
        db.session.add(hub)
        db.session.flush()
    return hub


def may_manage_centres(actor: Any, _centre: object) -> bool:
    return is_network_admin(actor)


@dataclass(frozen=True)
class CentreDetails:
    """What the centre form sends: every field of a centre but its theme's logo."""

    code: str
    name: str
    country: str
    region: str = ""
    timezone: str = "UTC"
    languages: tuple[str, ...] = ()
    contact_email: str = ""
    contact_phone: str = ""
    address: str = ""
    website: str = ""
    primary_colour: str = "#1d4f73"
    accent_colour: str = "#2f7d4f"
    active: bool = True


def _problems(details: CentreDetails, centre: Centre | None) -> list[ValidationError]:
    problems = []
    code = rules.normal_code(details.code)
    if not rules.is_code(code):
        problems.append(ValidationError(_l("A code is 2 to 16 capital letters, digits and "
                                           "hyphens, starting with a letter."), field="code"))
    elif db.session.scalar(select(Centre.id).where(Centre.code == code,
                                                  Centre.id != (centre.id if centre else -1))):
        problems.append(ValidationError(_l("Another centre has this code."), field="code"))
    if not details.name.strip():
        problems.append(ValidationError(_l("Enter the centre's name."), field="name"))
    if not is_country_code(details.country):
        problems.append(ValidationError(_l("Choose a country."), field="country"))
    if details.timezone != "UTC" and not is_canonical_zone(details.timezone):
        problems.append(ValidationError(_l("Choose a time zone from the list."),
                                        field="timezone"))
    if not details.languages or set(details.languages) - set(LANGUAGES):
        problems.append(ValidationError(_l("Choose at least one language from the list."),
                                        field="languages"))
    website = details.website.strip()
    if website and not website.startswith(("https://", "http://")):
        problems.append(ValidationError(_l("A website address starts with https://."),
                                        field="website"))
    for name in ("primary_colour", "accent_colour"):
        colour = rules.normal_colour(getattr(details, name))
        if not rules.is_colour(colour):
            problems.append(ValidationError(_l("Write a colour as # and six hexadecimal "
                                               "digits, such as #1d4f73."), field=name))
        elif not rules.carries_white_text(colour):
            problems.append(ValidationError(
                _l("White text on this colour is too faint (contrast %(ratio)s:1; at least "
                   "4.5:1 is needed): choose a darker colour.",
                   ratio=f"{rules.contrast_ratio(colour, rules.WHITE):.1f}"), field=name))
    return problems


def _values(details: CentreDetails) -> dict[str, Any]:
    return {
        "code": rules.normal_code(details.code), "name": details.name.strip(),
        "country": details.country, "region": details.region.strip(),
        "timezone": details.timezone, "languages": list(dict.fromkeys(details.languages)),
        "contact_email": details.contact_email.strip(),
        "contact_phone": details.contact_phone.strip(), "address": details.address.strip(),
        "website": details.website.strip(),
        "primary_colour": rules.normal_colour(details.primary_colour),
        "accent_colour": rules.normal_colour(details.accent_colour), "active": details.active,
    }


def _restamp(centre: Centre) -> None:
    digest = hashlib.sha256(centre.logo or b"").hexdigest()
    centre.theme_version = rules.theme_version(centre.primary_colour, centre.accent_colour,
                                               digest)


def create_centre(actor: Any, details: CentreDetails, now: datetime) -> Centre:
    authorize(actor, "centre.manage", None)
    refuse_all(_problems(details, None))
    centre = Centre(created_at=now, is_hub=False, logo_type="", **_values(details))
    _restamp(centre)
    db.session.add(centre)
    db.session.flush()
    record_event("centre.created", actor=actor, now=now, subject_type="centre",
                 subject_id=centre.id, details=_values(details))
    return centre


def update_centre(actor: Any, centre: Centre, details: CentreDetails, now: datetime) -> bool:
    """Save the centre's fields; whether anything changed (an event names what did)."""
    authorize(actor, "centre.manage", centre)
    refuse_all(_problems(details, centre))
    changes = {name: {"old": getattr(centre, name), "new": value}
               for name, value in _values(details).items() if getattr(centre, name) != value}
    if centre.is_hub and not details.active:
        raise ValidationError(_l("The hub stays active."), field="active")
    if not changes:
        return False
    for name, change in changes.items():
        setattr(centre, name, change["new"])
    _restamp(centre)
    db.session.flush()
    record_event("centre.changed", actor=actor, now=now, subject_type="centre",
                 subject_id=centre.id, details={"changes": changes})
    return True


def read_logo(data: bytes) -> tuple[bytes, str]:
    """An uploaded logo checked and re-encoded: PNG or JPEG only, within the size limit,
    scaled down to LOGO_MAX_SIDE, written anew so that nothing but pixels survives."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(_l("The logo is larger than %(size)s KB.",
                                 size=LOGO_MAX_BYTES // 1024), field="logo")
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.format not in LOGO_FORMATS:
                raise ValidationError(_l("A logo is a PNG or JPEG picture."), field="logo")
            kind = opened.format
            opened.load()
            opened.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            image: Image.Image = opened
            if kind == "JPEG":
                image = opened.convert("RGB")
            elif opened.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = opened.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format=kind, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as e:
        raise ValidationError(_l("A logo is a PNG or JPEG picture."), field="logo") from e
    return out.getvalue(), LOGO_FORMATS[kind]


def set_logo(actor: Any, centre: Centre, data: bytes | None, now: datetime) -> None:
    """Give the centre a logo (checked and re-encoded), or take it away (None)."""
    authorize(actor, "centre.manage", centre)
    if data is None:
        centre.logo, centre.logo_type = None, ""
    else:
        centre.logo, centre.logo_type = read_logo(data)
    _restamp(centre)
    db.session.flush()
    record_event("centre.changed", actor=actor, now=now, subject_type="centre",
                 subject_id=centre.id,
                 details={"changes": {"logo": {"new": hashlib.sha256(
                     centre.logo or b"").hexdigest() if centre.logo else None}}})
