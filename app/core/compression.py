"""Pages travel compressed: brotli when the browser asks for it, gzip otherwise, through
Flask-Compress. Static files are not compressed here: WhiteNoise serves them compressed
ahead of time (app/core/assets.py).

What is compressed is text that shrinks (HTML, CSS, JavaScript, SVG) and is at least
`COMPRESS_MIN_SIZE` bytes. PDFs and images are compressed already and are left alone, and
so are streamed responses (the CSV exports), which must stay streams so that memory stays
flat whatever their size (docs/performance.md).

BREACH: a compressed page's size can betray a secret in it (the CSRF token, a calendar
address) to someone who can make the victim's browser send many requests that reflect
their guesses, and watch the sizes. The session cookie is `SameSite=Lax`, so the only
requests from another site that carry it are top-level navigations, and browsers say which
those are (`Sec-Fetch-Site: cross-site`): their answer is sent uncompressed, so there is
nothing to measure (docs/architecture.md, "BREACH").
"""

from __future__ import annotations

from flask import Flask, request
from flask.wrappers import Response

from app.extensions import compress

# What a request may say it came from for its answer to be compressed: this site, the
# browser itself (an address typed or a bookmark), or a client that does not say.
SAME_SITE_ORIGINS = frozenset({"same-origin", "none"})

# Below about a kilobyte a response fits one packet whether compressed or not.
MIN_COMPRESSED_SIZE = 1024

SETTINGS = {
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript",
                           "application/javascript", "image/svg+xml"],
    "COMPRESS_MIN_SIZE": MIN_COMPRESSED_SIZE,
    # Flask-Compress would compress a stream chunk by chunk; an export stays as it is.
    "COMPRESS_STREAMS": False,
    # Brotli's quality 4 and gzip's level 6 cost about as much CPU as each other (well under
    # a millisecond for a lesson page) for most of what the slowest levels save.
    "COMPRESS_BR_LEVEL": 4,
    "COMPRESS_LEVEL": 6,
    # Registered below, so that it runs after every other hook and only where it may.
    "COMPRESS_REGISTER": False,
}


def init_app(app: Flask) -> None:
    """Compress the responses of `app`. Call it before the other `after_request` hooks are
    registered: Flask runs them in reverse, so the compression then runs last, on the body
    and headers as they leave."""
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    compress.init_app(app)
    app.after_request(compress_response)


def compress_response(response: Response) -> Response:
    """The response compressed as the request accepts, unless it answers another site's
    navigation (BREACH, above) or a range of bytes, whose offsets are the file's own."""
    if response.status_code == 206 or not _from_this_site():
        response.vary.add("Accept-Encoding")
        return response
    return compress.after_request(response)


def _from_this_site() -> bool:
    return request.headers.get("Sec-Fetch-Site", "none") in SAME_SITE_ORIGINS
