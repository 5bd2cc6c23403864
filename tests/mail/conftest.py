"""What the mail tests alone use: a message template of their own, beside the app's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from jinja2 import ChoiceLoader, DictLoader

PROBE = {
    "mail/probe.txt": (
        '{% extends "mail/base.txt" %}\n'
        "{% block subject %}{{ _('Accounts') }}: {{ name }}{% endblock %}\n"
        "{% block body %}{{ _('Hello') }} {{ name }}.\n"
        "{{ _('Date') }}: {{ moment|local }}\n"
        "{{ url_for('catalog.index') }}\n{% endblock %}\n"),
    "mail/probe.html": (
        '{% extends "mail/base.html" %}\n'
        '{% from "mail/macros.html" import button %}\n'
        "{% block body %}<p>{{ _('Hello') }} {{ name }}.</p>\n"
        "<p>{{ moment|local }}</p>\n"
        "{{ button(url_for('catalog.index'), _('Courses')) }}{% endblock %}\n"),
}


@pytest.fixture
def with_probe_templates() -> Callable[[Flask], Flask]:
    """Give an app the `probe` mail template: a subject, a greeting, a date and a link."""

    def install(app: Flask) -> Flask:
        assert app.jinja_env.loader is not None
        app.jinja_env.loader = ChoiceLoader([DictLoader(PROBE), app.jinja_env.loader])
        return app

    return install
