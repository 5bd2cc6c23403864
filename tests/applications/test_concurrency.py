"""Two uploads of the same document at the same moment (two tabs, a double click): the
second waits for the first (the application's row is locked) and replaces its file, instead
of failing on the field's unique row. On PostgreSQL the two run truly at once; on SQLite
their write transactions take turns."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import func, select

from app.applications.services import upload_document
from app.auth.models import User
from app.calls.models import Application, ApplicationFile, Call
from app.core.db import write_intent
from app.extensions import db
from tests.calls.world import CallWorld, pdf_bytes
from tests.conftest import committed


def test_two_uploads_at_once_keep_one_document(app: Flask, call_world: CallWorld) -> None:
    w = call_world
    application = w.apply(state="draft", files=False)
    ids = (application.applicant_id, application.id, w.call.id)
    now = w.clock()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def upload(pages: int) -> None:
        start.wait()
        write_intent.set(True)  # as the upload's POST declares it
        with app.app_context():
            try:
                user, mine, call = (db.session.get(User, ids[0]),
                                    db.session.get(Application, ids[1]),
                                    db.session.get(Call, ids[2]))
                assert user is not None and mine is not None and call is not None
                upload_document(user, mine, call, "cv", f"cv-{pages}.pdf", pdf_bytes(pages),
                                now)
                db.session.commit()
            except BaseException as error:  # what the request would have answered with a 500
                errors.append(error)
                db.session.rollback()

    threads = [threading.Thread(target=upload, args=(pages,)) for pages in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert committed(select(func.count()).select_from(ApplicationFile)) == 1
    assert committed(select(ApplicationFile.pages)) in (1, 2)
