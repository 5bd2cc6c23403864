"""The headers every response carries: what a browser may load, frame and keep.

Caching follows one rule, here rather than in each view: what is shown to a signed-in
person, and every export (CSV, PDF, JSON, calendars, draft media) whoever asks, is never
stored by a browser or a proxy (`no-store`), so that a shared computer in a training centre
or a proxy's cache does not keep someone's training record or results. Static files,
published course media (which their views mark `public`) and the public pages an anonymous
visitor sees keep their caching. Static files are served by WhiteNoise before Flask sees
the request; they carry the same security headers (`static_file_headers`) and the caching of
app/core/assets.py.
"""

from __future__ import annotations

from flask import current_app, request, session
from werkzeug.wrappers import Response

# Pages load nothing from another host, run no inline script and cannot be framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# A year, the subdomains too: once a browser has seen TrainHub over HTTPS, it never again
# sends a request (or a session cookie) over plain HTTP. Production only, where TLS is.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
NO_STORE = "private, no-store"


SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def static_file_headers(*, production: bool) -> dict[str, str]:
    """The security headers of a static file, which WhiteNoise serves before Flask sees the
    request (app/core/assets.py)."""
    if production:
        return {**SECURITY_HEADERS, "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY}
    return dict(SECURITY_HEADERS)


def set_security_headers(response: Response) -> Response:
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    if current_app.config["TRAINHUB_ENV"] == "production":
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    if not _public_resource(response) and (_signed_in() or response.mimetype != "text/html"):
        response.headers["Cache-Control"] = NO_STORE
    return response


def _public_resource(response: Response) -> bool:
    """A static file, or what its view declared the same for everyone (published media)."""
    endpoint = request.endpoint or ""
    return (endpoint == "static" or endpoint.endswith(".static")
            or bool(response.cache_control.public))


def _signed_in() -> bool:
    """Whether the request carries a log-in session (Flask-Login keeps its key under
    `_user_id`). The cookie is enough to keep the answer private: nothing reads the account,
    which after the request's commit would cost a query and, on SQLite, a write lock."""
    return "_user_id" in session
