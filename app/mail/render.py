"""A message as its recipient reads it: their language, their time zone, links to the site.

A mail template is a pair in `app/templates/mail/`: `<name>.txt` extends `mail/base.txt`
and fills its `subject` and `body` blocks; `<name>.html` extends `mail/base.html` and fills
`body` (inline styles only, no images, no tracking). Both are rendered with the same
context, in the recipient's language (`flask_babel.force_locale`) and with the `local`
filters on the recipient's clock (`zones.shown_in`), from a request or from a worker.
`url_for` in a mail template is `mail_url`: an absolute link built from SERVER_NAME and
PREFERRED_URL_SCHEME, never from the request's Host header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale

from app.core.i18n import is_language
from app.core.zones import shown_in

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str
    language: str


def mail_url(endpoint: str, **values: Any) -> str:
    """An absolute address for a link in a message. From SERVER_NAME when it is set; in
    development without it, the request's host, or localhost outside a request."""
    values.pop("_external", None)
    app = current_app
    if app.config.get("SERVER_NAME") or not has_request_context():
        adapter = app.url_map.bind(
            app.config.get("SERVER_NAME") or "localhost",
            script_name=app.config.get("APPLICATION_ROOT") or "/",
            url_scheme=app.config["PREFERRED_URL_SCHEME"])
        anchor = values.pop("_anchor", None)
        url = adapter.build(endpoint, values, force_external=True)
        return f"{url}#{anchor}" if anchor else url
    return url_for(endpoint, _external=True, **values)


def render_mail(template: str, *, language: str | None, timezone: str | None,
                **context: Any) -> RenderedMail:
    """Render `mail/<template>.txt` and `.html` for one recipient. `language` is theirs
    (their profile's; None or an unknown tag: the site's DEFAULT_LOCALE); `timezone` is
    where the dates in it are shown (None: UTC)."""
    app = current_app
    tag = language if language is not None and is_language(language) else str(
        app.config["DEFAULT_LOCALE"])
    context["url_for"] = mail_url
    context.setdefault("site_url", mail_url("home.index"))
    with force_locale(tag), shown_in(timezone or "UTC"):
        text_template = app.jinja_env.get_template(f"mail/{template}.txt")
        values = dict(context)
        app.update_template_context(values)
        subject_block = text_template.blocks.get("subject")
        if subject_block is None:
            raise ValueError(f"mail/{template}.txt has no subject block")
        subject = "".join(subject_block(text_template.new_context(values)))
        subject = _SPACES.sub(" ", subject).strip()
        values["subject"] = subject
        text = text_template.render(values)
        html = app.jinja_env.get_template(f"mail/{template}.html").render(values)
    return RenderedMail(subject=subject,
                        text=text.strip() + "\n", html=html, language=tag)
