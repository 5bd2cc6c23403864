"""The anchor: the chain's newest link, written outside the database after every commit that
appended events, so that removing the newest events (which leaves no gap) or resealing the
chain shows up against it.

A target is picked by RECORDS_ANCHOR: a plain path (or `file:///path`) is an append-only
file; `syslog://host:port` or `syslog:///dev/log` sends each line to syslog, which keeps it
on another host but cannot be read back here. More targets are added to TARGETS by scheme.
"""

from __future__ import annotations

import fcntl
import json
import logging
import logging.handlers
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class AnchorLine:
    seq: int
    hash: str
    at: str = ""

    def text(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at},
                          separators=(",", ":")) + "\n"


def anchor_line(seq: int, link: str, at: datetime) -> AnchorLine:
    return AnchorLine(seq, link, at.isoformat(timespec="seconds"))


def parse_line(text: str) -> AnchorLine | None:
    """One line of an anchor, or None when it is not one (edited, or cut short)."""
    try:
        value = json.loads(text)
        seq, link = value["seq"], value["hash"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(link, str):
        return None
    return AnchorLine(seq, link, str(value.get("at", "")))


class AnchorTarget(Protocol):
    description: str

    def append(self, line: AnchorLine) -> None:
        """Add one line; never rewrite what is there."""

    def read(self) -> Iterator[str] | None:
        """The lines written so far, oldest first; None when the target cannot be read here."""


class FileAnchor:
    """An append-only file: one write per line (O_APPEND), under an exclusive lock so that
    the lines of several workers never interleave."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = str(path)

    def append(self, line: AnchorLine) -> None:
        data = line.text().encode()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        except FileNotFoundError:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, data)
        finally:
            os.close(fd)  # releases the lock

    def read(self) -> Iterator[str] | None:
        if not self.path.exists():
            return iter(())
        return self._lines()

    def _lines(self) -> Iterator[str]:
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            yield from handle


class SyslogAnchor:
    """Each line to a syslog daemon (local socket or UDP), whose log another host keeps."""

    def __init__(self, address: str | tuple[str, int]) -> None:
        self.address = address
        self.description = f"syslog {address}"

    def append(self, line: AnchorLine) -> None:
        # A socket per line: a few microseconds, and no descriptor held by an idle worker.
        handler = logging.handlers.SysLogHandler(
            address=self.address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)
        try:
            handler.setFormatter(logging.Formatter("trainhub-records-anchor: %(message)s"))
            handler.emit(logging.makeLogRecord({
                "msg": line.text().strip(), "levelno": logging.INFO, "levelname": "INFO"}))
        finally:
            handler.close()

    def read(self) -> Iterator[str] | None:
        return None


def _file_target(spec: str) -> AnchorTarget:
    return FileAnchor(Path(unquote(urlsplit(spec).path) if "://" in spec else spec))


def _syslog_target(spec: str) -> AnchorTarget:
    parts = urlsplit(spec)
    if parts.hostname:
        return SyslogAnchor((parts.hostname, parts.port or 514))
    return SyslogAnchor(unquote(parts.path) or "/dev/log")


TARGETS: dict[str, Callable[[str], AnchorTarget]] = {
    "file": _file_target,
    "syslog": _syslog_target,
}


def open_anchor(spec: str) -> AnchorTarget:
    """The target RECORDS_ANCHOR names: a path, or a URL whose scheme is in TARGETS."""
    if "://" not in spec:
        return _file_target(spec)
    scheme = spec.split("://", 1)[0].lower()
    if scheme not in TARGETS:
        raise ValueError(f"RECORDS_ANCHOR {spec!r}: unknown kind {scheme!r} "
                         f"(known: {', '.join(sorted(TARGETS))}, or a plain path)")
    return TARGETS[scheme](spec)
