"""Static files under digested names, kept a year; the plain names still answer."""

from __future__ import annotations

import gzip
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import pytest

from app.core.assets import build_static, digested_name
from tests.conftest import count_queries

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"
CSS = (b".lesson { max-width: 42rem; margin: 0 auto; line-height: 1.6 }\n" * 80)


def _get(client, url: str, accepted: str = ""):
    with client.get(url, headers={"Accept-Encoding": accepted}) as response:
        response.direct_passthrough = False
        return response, response.get_data()


def _directives(response) -> set[str]:
    return {part.strip() for part in response.headers["Cache-Control"].split(",")}


def test_a_digested_name_changes_with_the_content(tmp_path: Path) -> None:
    source, target = tmp_path / "static", tmp_path / "built"
    (source / "fonts").mkdir(parents=True)
    (source / "style.css").write_bytes(CSS)
    (source / "fonts" / "icon.svg").write_bytes(b"<svg/>")
    first = build_static(source, target)
    assert re.fullmatch(r"style\.[0-9a-f]{12}\.css", first["style.css"])
    assert re.fullmatch(r"fonts/icon\.[0-9a-f]{12}\.svg", first["fonts/icon.svg"])
    (source / "style.css").write_bytes(CSS + b"main { padding: 1rem }\n")
    second = build_static(source, target)
    assert second["style.css"] != first["style.css"]
    assert second["fonts/icon.svg"] == first["fonts/icon.svg"]
    # The earlier version stays, for a page that still names it.
    assert (target / first["style.css"]).read_bytes() == CSS
    assert digested_name("style.css", CSS) == first["style.css"]


def test_compressed_forms_are_built_for_what_is_worth_it(tmp_path: Path) -> None:
    source, target = tmp_path / "static", tmp_path / "built"
    source.mkdir()
    (source / "style.css").write_bytes(CSS)
    (source / "tiny.svg").write_bytes(b"<svg/>")
    (source / "photo.png").write_bytes(bytes(4000))
    built = build_static(source, target)
    css = target / built["style.css"]
    assert brotli.decompress(Path(f"{css}.br").read_bytes()) == CSS
    assert gzip.decompress(Path(f"{css}.gz").read_bytes()) == CSS
    for name in ("tiny.svg", "photo.png"):
        assert (target / built[name]).is_file()
        assert not Path(f"{target / built[name]}.br").exists()
        assert not Path(f"{target / built[name]}.gz").exists()
    # Nothing half-built is left behind.
    assert sorted(p.name for p in target.iterdir() if p.name.startswith(".")) == []


def test_workers_building_at_once_leave_whole_files(tmp_path: Path) -> None:
    """Every worker builds when it starts; together they never leave a half-written file."""
    source, target = tmp_path / "static", tmp_path / "built"
    source.mkdir()
    for n in range(8):
        (source / f"sheet{n}.css").write_bytes(CSS * (n + 1))
    with ThreadPoolExecutor(max_workers=4) as pool:
        builds = list(pool.map(lambda _: build_static(source, target), range(8)))
    assert all(build == builds[0] for build in builds)
    for name, digested in builds[0].items():
        content = (source / name).read_bytes()
        assert (target / digested).read_bytes() == content
        assert brotli.decompress(Path(f"{target / digested}.br").read_bytes()) == content
    assert [p.name for p in target.iterdir() if p.name.startswith(".")] == []


def test_a_digested_name_is_kept_a_year(client) -> None:
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', client.get("/").text)
    assert href is not None
    url = href.group(1)
    assert url == client.application.extensions["trainhub.static_paths"]["style.css"]
    response, body = _get(client, url)
    assert response.status_code == 200 and body == (STATIC / "style.css").read_bytes()
    assert {"public", "max-age=31536000", "immutable"} <= _directives(response)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_plain_name_still_answers_without_immutable(client) -> None:
    response, body = _get(client, "/static/style.css")
    assert response.status_code == 200 and body == (STATIC / "style.css").read_bytes()
    assert "immutable" not in _directives(response) and "public" in _directives(response)
    assert _get(client, "/static/no-such-file.css")[0].status_code == 404


@pytest.mark.parametrize(("accepted", "encoding"), [
    ("br, gzip", "br"), ("gzip, deflate, br", "br"), ("gzip", "gzip"), ("", None)])
@pytest.mark.parametrize("name", ["style.css", "autosave.js", "editor.js"])
def test_a_static_file_is_compressed_as_the_browser_asks(client, name, accepted,
                                                         encoding) -> None:
    url = client.application.extensions["trainhub.static_paths"][name]
    response, body = _get(client, url, accepted)
    assert response.headers.get("Content-Encoding") == encoding
    assert response.headers["Vary"] == "Accept-Encoding"
    assert int(response.headers["Content-Length"]) == len(body)
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](body)
    assert decoded == (STATIC / name).read_bytes()


def test_pages_link_static_files_by_digested_name_below_the_script_root(client) -> None:
    paths = client.application.extensions["trainhub.static_paths"]
    assert set(paths) == {p.name for p in STATIC.iterdir()}
    page = client.get("/", base_url="http://localhost/trainhub/").text
    assert f'href="/trainhub{paths["style.css"]}"' in page
    assert f'src="/trainhub{paths["favicon.svg"]}"' in page
    assert "/static/style.css" not in page


def test_a_missing_static_file_is_an_error_not_a_broken_link(app) -> None:
    with app.test_request_context("/"), pytest.raises(KeyError):
        app.jinja_env.globals["static_link"]("no-such-file.css")


def test_a_static_file_never_reaches_flask_nor_the_database(client) -> None:
    url = client.application.extensions["trainhub.static_paths"]["style.css"]
    with count_queries() as statements:
        response, _ = _get(client, url, "br")
    assert response.status_code == 200 and statements == []
    assert "Set-Cookie" not in response.headers
