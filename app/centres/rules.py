"""Pure rules about centres: their codes, the theme's colours and what white text needs on
them. Neither Flask nor the database."""

from __future__ import annotations

import hashlib
import re

CODE = re.compile(r"[A-Z][A-Z0-9-]{1,15}")
COLOUR = re.compile(r"#[0-9a-f]{6}")
# WCAG 2.x, level AA for normal text: the contrast of white text on the colour.
AA_CONTRAST = 4.5
WHITE = "#ffffff"


def normal_code(text: str) -> str:
    return text.strip().upper()


def is_code(text: str) -> bool:
    """A centre's short code: 2 to 16 capitals, digits and hyphens, starting with a letter."""
    return CODE.fullmatch(text) is not None


def normal_colour(text: str) -> str:
    return text.strip().lower()


def is_colour(text: str) -> bool:
    return COLOUR.fullmatch(text) is not None


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG's relative luminance of a #rrggbb colour."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def carries_white_text(colour: str) -> bool:
    """Whether white text on `colour` meets WCAG AA (4.5:1)."""
    return contrast_ratio(colour, WHITE) >= AA_CONTRAST


def theme_version(primary: str, accent: str, logo_digest: str) -> str:
    """A short version for the theme's URLs: it changes whenever the theme does, so that
    the stylesheet and logo can be cached for a year under it."""
    return hashlib.sha256(f"{primary}{accent}{logo_digest}".encode()).hexdigest()[:12]


def course_owner(author_centres: list[tuple[int, bool]], hub_id: int) -> int:
    """The centre a course created in the browser belongs to: the first centre (in the order
    given: the earliest role first) where its author is instructor; the hub when the hub is
    one of them or there is none. `author_centres` holds (centre id, is the hub)."""
    if not author_centres or any(is_hub for _id, is_hub in author_centres):
        return hub_id
    return author_centres[0][0]
