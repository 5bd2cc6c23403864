"""A translation catalog written for a test: the pages and files of a feature in another
language before the shipped catalogs translate its strings (the `make_translated_app`
fixture builds an app that reads one)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

# An English msgid and its translation; a plural is (singular, plural) -> (forms...).
Messages = Mapping[str | tuple[str, str], str | tuple[str, ...]]


def write_catalog(root: Path, tag: str, messages: Messages) -> Path:
    """A compiled catalog of `messages` for the language `tag` under `root`; returns `root`."""
    catalog = Catalog(locale=tag)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    folder = root / tag / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return root
