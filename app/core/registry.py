"""Registries that belong to one app, filled by each feature's `init_app`.

A feature extends another without the other importing it: learning asks "is the sign-off
done?" of whatever check practicals registered, the dashboard shows whatever panels the
features added. The entries live in `app.extensions["trainhub.<name>"]`, so two apps in one
process (the tests build many) never see each other's, and an app has exactly what its
`create_app` wired, never what some import happened to leave behind. The objects below are
only names for those entries; creating one registers nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from flask import Flask, current_app

T = TypeVar("T")


class NotRegistered(RuntimeError):
    """Something asked a registry for an entry that no feature registered: the app was
    wired without that feature's `init_app` (a programming error, never a user's)."""


class _AppStore:
    def __init__(self, name: str) -> None:
        self.name = name  # for messages: "requirement checks"
        self.key = "trainhub." + name.replace(" ", "_")

    def _store(self, app: Flask, empty: Any) -> Any:
        """The app's entries, made when the first one is registered."""
        return app.extensions.setdefault(self.key, empty)

    def _read(self, app: Flask | None, empty: Any) -> Any:
        return (app or current_app).extensions.get(self.key, empty)


class Registry(_AppStore, Generic[T]):
    """Entries under a stable key, one per key (a policy per action, a check per
    requirement)."""

    def register(self, app: Flask, key: str, entry: T) -> None:
        entries: dict[str, T] = self._store(app, {})
        if key in entries:
            raise ValueError(f"{self.name}: {key!r} is registered already")
        entries[key] = entry

    def get(self, key: str, app: Flask | None = None) -> T:
        """The entry for `key`; NotRegistered, naming the registry, if there is none."""
        entry = self.find(key, app)
        if entry is None:
            raise NotRegistered(f"{self.name}: nothing is registered for {key!r}; the feature "
                                f"that owns it must register it in its init_app")
        return entry

    def find(self, key: str, app: Flask | None = None) -> T | None:
        entries: dict[str, T] = self._read(app, {})
        return entries.get(key)

    def entries(self, app: Flask | None = None) -> Mapping[str, T]:
        return dict(self._read(app, {}))


class Hooks(_AppStore, Generic[T]):
    """Callables that all run, in the order the features were set up (panels, hooks)."""

    def add(self, app: Flask, hook: T) -> None:
        hooks: list[T] = self._store(app, [])
        if hook in hooks:
            raise ValueError(f"{self.name}: {hook!r} is added already")
        hooks.append(hook)

    def all(self, app: Flask | None = None) -> tuple[T, ...]:
        return tuple(self._read(app, ()))


class Slot(_AppStore, Generic[T]):
    """One provider of something a lower feature needs from a higher one (records asks the
    accounts feature who a person is)."""

    def provide(self, app: Flask, provider: T) -> None:
        providers: list[T] = self._store(app, [])
        if providers:
            raise ValueError(f"{self.name}: a provider is set already")
        providers.append(provider)

    def get(self, app: Flask | None = None) -> T:
        providers: list[T] = self._read(app, [])
        if not providers:
            raise NotRegistered(f"{self.name}: no provider is set; the feature that owns it "
                                f"must provide it in its init_app")
        return providers[0]
