"""The catalogs are complete: every string the code and templates mark is in the template,
every language translates every one of them (fuzzy entries count as missing), and the
compiled catalogs the app reads are those of the catalogs translators edit.
`make translations` brings them up to date (docs/translating.md)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from app.core.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "app" / "translations"
TRANSLATED = [tag for tag in LANGUAGES if tag != "en"]


def _keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(str(message.id if isinstance(message.id, str) else message.id[0]),
             message.context) for message in catalog if message.id}


def _strings(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _plain(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    """A message's id or string as one comparable value: plurals come back from a .po as a
    tuple and from a .mo as a list."""
    return value if isinstance(value, str) else tuple(value)


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The template `make translations` would write now, from the code as it is."""
    output = tmp_path_factory.mktemp("catalog") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract",
         "--mapping-file", "babel.cfg", "--keywords",
         "_l lazy_gettext lazy_ngettext:1,2 lazy_pgettext:1c,2", "--output-file",
         str(output), "app"], cwd=ROOT, check=True)
    return _read(output)


def test_the_template_holds_every_marked_string(extracted: Catalog) -> None:
    committed = _read(CATALOGS / "messages.pot")
    missing = sorted(key[0] for key in _keys(extracted) - _keys(committed))
    stale = sorted(key[0] for key in _keys(committed) - _keys(extracted))
    assert not missing and not stale, (
        f"app/translations/messages.pot is out of date: run `make translations`.\n"
        f"Not in it: {missing[:20]}\nNo longer marked: {stale[:20]}")


@pytest.mark.parametrize("tag", TRANSLATED)
def test_every_string_is_translated(tag: str, extracted: Catalog) -> None:
    catalog = _read(CATALOGS / tag / "LC_MESSAGES" / "messages.po")
    assert _keys(catalog) >= _keys(extracted), f"{tag}: run `make translations`"
    plurals = get_plural(tag)
    assert catalog.num_plurals == plurals.num_plurals, f"{tag}: wrong Plural-Forms"
    untranslated = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings) or (
                message.pluralizable and len(strings) != plurals.num_plurals):
            untranslated.append(message.id)
    assert not untranslated, f"{tag}: {len(untranslated)} untranslated or fuzzy, such as " \
                             f"{untranslated[:10]}"
    # Placeholders the same as the English ones: a translation never drops or renames one.
    problems = [(message.id, [str(error) for error in errors])
                for message, errors in catalog.check()]
    assert not problems, f"{tag}: {problems[:10]}"


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_compiled_catalog_is_the_catalog(tag: str) -> None:
    """The .mo the app reads holds what compiling the .po translators edit gives now."""
    folder = CATALOGS / tag / "LC_MESSAGES"
    fresh = io.BytesIO()
    write_mo(fresh, _read(folder / "messages.po"))
    fresh.seek(0)
    with (folder / "messages.mo").open("rb") as handle:
        assert _messages(read_mo(handle)) == _messages(read_mo(fresh)), \
            f"{tag}: messages.mo is stale: run `make translations`"


def _messages(catalog: Catalog) -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    return {_plain(message.id): _plain(message.string or "") for message in catalog if message.id}


def test_every_language_is_known_to_cldr() -> None:
    for tag in LANGUAGES:
        assert Locale.parse(tag).language == tag
