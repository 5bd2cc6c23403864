"""Static files under names that change with their content, served by WhiteNoise.

When the app is made, every file of `app/static/` is copied once into the build folder
(`STATIC_BUILD_FOLDER`, by default `instance/static/`) under a name that carries a digest
of its bytes (`style.css` -> `style.3f2a9c1e0b7d.css`), next to its brotli and gzip forms
when it is not tiny and they are smaller (WhiteNoise's own `Compressor`, at its strongest
levels, once per content rather than per request). WhiteNoise answers `/static/...` before
Flask does: the digested name with `Cache-Control: public, max-age=31536000, immutable`,
since what it names can never change, and the plain name, for a page someone kept from
before, with a minute's caching. Each answers with the encoding the browser accepts
(`Vary: Accept-Encoding`) and the security headers of every response
(app/core/headers.py).

Templates link a file with `static_link('style.css')`: the table of digested paths is
built here once per app, so a link costs a dictionary look-up rather than a `url_for`.

A file is written to a temporary folder and moved into place, so that workers starting
together never serve one half-written; a digested name already built is left as it is.
Names from earlier versions stay in the build folder (a worker still serving the previous
version may name them) and are a few kilobytes each.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from flask import Flask, current_app, request
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from app.core.compression import MIN_COMPRESSED_SIZE
from app.core.headers import static_file_headers

# A year: the longest that caches are asked to honour.
IMMUTABLE_SECONDS = 365 * 24 * 60 * 60
# How long a plain name (style.css) may be kept before it is asked for again.
PLAIN_NAME_SECONDS = 60
DIGEST_LENGTH = 12


class StaticFiles(WhiteNoise):
    """WhiteNoise, with a year as the lifetime of an immutable file (its default is ten)."""

    FOREVER = IMMUTABLE_SECONDS


def digested_name(name: str, content: bytes) -> str:
    """`name` with a digest of `content` before its extension: `style.<digest>.css`."""
    path = PurePosixPath(name)
    digest = hashlib.sha256(content).hexdigest()[:DIGEST_LENGTH]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def build_static(source: Path, target: Path) -> dict[str, str]:
    """Copy every file below `source` into `target` under its digested name, with its
    compressed forms; return each file's name (relative, with `/`) -> its digested name."""
    built: dict[str, str] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        content = path.read_bytes()
        built[name] = digested_name(name, content)
        destination = target / built[name]
        if not destination.is_file():
            _write_with_compressed_forms(destination, content)
    return built


def _write_with_compressed_forms(destination: Path, content: bytes) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".build-") as work:
        staged = Path(work) / destination.name
        staged.write_bytes(content)
        compressor = Compressor(quiet=True)
        worth_it = len(content) >= MIN_COMPRESSED_SIZE and compressor.should_compress(
            staged.name)
        forms = compressor.compress(str(staged)) if worth_it else []
        # The compressed forms first: once the file itself is in place, they are too.
        for form in forms:
            os.replace(form, destination.parent / Path(form).name)
        os.replace(staged, destination)


def init_app(app: Flask) -> None:
    """Build the static files of `app` and put WhiteNoise in front of it to serve them."""
    assert app.static_folder is not None and app.static_url_path is not None
    target = Path(app.config["STATIC_BUILD_FOLDER"])
    built = build_static(Path(app.static_folder), target)
    prefix = app.static_url_path.rstrip("/") + "/"
    immutable = {prefix + digested for digested in built.values()}
    headers = static_file_headers(production=app.config["TRAINHUB_ENV"] == "production")

    def add_headers(response_headers: Any, path: str, url: str) -> None:
        for key, value in headers.items():
            response_headers[key] = value

    static = StaticFiles(
        app.wsgi_app, max_age=PLAIN_NAME_SECONDS, allow_all_origins=False,
        add_headers_function=add_headers,
        immutable_file_test=lambda path, url: url in immutable)
    for name, digested in built.items():
        static.add_file_to_dictionary(prefix + digested, str(target / digested))
        static.add_file_to_dictionary(prefix + name, str(target / digested))
    app.wsgi_app = static  # type: ignore[method-assign]
    app.extensions["trainhub.static_paths"] = {
        name: prefix + digested for name, digested in built.items()}
    app.jinja_env.globals["static_link"] = static_link


def static_link(name: str) -> str:
    """The link of this request to the static file `name` under its digested name. A
    template global; a name that is not a static file is an error, not a broken link."""
    return request.script_root + current_app.extensions["trainhub.static_paths"][name]
