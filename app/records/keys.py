"""The keys that seal the audit chain. They are kept out of the database (RECORDS_KEY, or a
file in the instance folder), so that someone who can write the database cannot recompute
the links of events they rewrote.

Each event names the key that sealed it by a short identifier derived from the key, never
the key itself, so that `records verify` can pick the right one from the key ring after a
rotation. Events written before keying carry no identifier: their link is a plain SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field

# The key identifier of events written before the chain was keyed (migration 0012).
UNKEYED = ""
KEY_ID_LENGTH = 16


def key_id(key: bytes) -> str:
    """A public name for a key: an HMAC of a fixed text, which reveals nothing of the key."""
    return hmac.new(key, b"trainhub audit chain key id", hashlib.sha256).hexdigest()[
        :KEY_ID_LENGTH]


def seal(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Keyring:
    """The key that seals new events, and the keys earlier events were sealed with."""

    current: bytes
    old: tuple[bytes, ...] = ()
    current_id: str = field(init=False)
    _by_id: dict[str, bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {key_id(key): key for key in self.old}
        by_id[key_id(self.current)] = self.current
        object.__setattr__(self, "current_id", key_id(self.current))
        object.__setattr__(self, "_by_id", by_id)

    @classmethod
    def from_config(cls, current: str, old: Iterable[str] = ()) -> Keyring:
        return cls(current.encode(), tuple(key.encode() for key in old if key))

    def get(self, identifier: str) -> bytes | None:
        return self._by_id.get(identifier)

    def __repr__(self) -> str:  # never print a key, even in a traceback
        return f"Keyring(current={self.current_id}, old={len(self._by_id) - 1})"
