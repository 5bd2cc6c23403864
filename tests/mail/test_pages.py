"""Without a mail server, messages become .eml files that administrators read on a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.roles import Role
from app.extensions import db
from app.mail.outbox import queue_mail, send_due
from app.mail.render import render_mail
from tests.conftest import login

NAME = re.compile(r"/mail/files/(\d{8}T\d{12}-[0-9a-f]{8}\.eml)\"")


@pytest.fixture
def written(app, with_probe_templates, people, clock, mail_folder: Path) -> list[Path]:
    """Two messages sent without a mail server: two .eml files."""
    with_probe_templates(app)
    for person, name in ((people["amina"], "Amina <b>Yusuf</b>"),
                         (people["kim"], "Kim Min-jun")):
        rendered = render_mail("probe", language=None, timezone="Africa/Lagos", name=name,
                               moment=clock())
        queue_mail(to=person.email, rendered=rendered, kind="test.probe", now=clock())
        clock.advance(minutes=1)
    db.session.commit()
    assert send_due(clock()).sent == 2
    return sorted(mail_folder.glob("*.eml"))


def test_each_message_is_an_eml_file_that_an_administrator_reads(client, written) -> None:
    assert len(written) == 2 and written[0].name < written[1].name
    assert b"Subject: Accounts: Kim Min-jun" in written[1].read_bytes()
    login(client, "grace@example.org")
    outbox = client.get("/mail/outbox").get_data(as_text=True)
    assert "/mail/files" in outbox
    listing = client.get("/mail/files").get_data(as_text=True)
    names = NAME.findall(listing)
    assert names == [written[1].name, written[0].name]  # newest first
    page = client.get(f"/mail/files/{names[1]}").get_data(as_text=True)
    assert "Hello Amina &lt;b&gt;Yusuf&lt;/b&gt;." in page  # the text part, escaped
    assert f'<iframe sandbox src="/mail/files/{names[1]}/html"' in page
    html = client.get(f"/mail/files/{names[1]}/html")
    assert html.mimetype == "text/html"
    assert "<p>Hello Amina &lt;b&gt;Yusuf&lt;/b&gt;.</p>" in html.get_data(as_text=True)
    policy = html.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox; default-src 'none'")
    assert "script-src" not in policy and html.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get("/mail/files/../secret_key").status_code == 404
    assert client.get("/mail/files/20260302T090000000000-00000000.eml").status_code == 404


@pytest.mark.parametrize("who", ["amina", "ivan"])
def test_only_administrators_see_the_mail_pages(client, written, who: str) -> None:
    login(client, f"{who}@example.org")
    for path in ("/mail/outbox", "/mail/files", f"/mail/files/{written[0].name}",
                 f"/mail/files/{written[0].name}/html"):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_log_in(client, written) -> None:
    for path in ("/mail/outbox", "/mail/files", f"/mail/files/{written[0].name}"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_files_page_is_gone_once_a_mail_server_is_set(make_app, make_user) -> None:
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=25)
    with app.app_context():
        make_user("boss@example.org", roles=(Role.ADMIN,))
    client = app.test_client()
    login(client, "boss@example.org")
    assert client.get("/mail/files").status_code == 404
    assert "/mail/files" not in client.get("/mail/outbox").get_data(as_text=True)
