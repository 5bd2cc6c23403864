"""URL helpers."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_local_target(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: never redirect to another host."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return fallback
