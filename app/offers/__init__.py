"""After a call's decision: the letters, the applicant's offer page with its visa letter,
confirming and declining, the waitlist that fills a place given back, the intake the
confirmed applicants join, the officers' list of offers, and centres created from accepted
centre applications."""

from flask import Blueprint, Flask, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

bp = Blueprint("offers", __name__, url_prefix="/offers")

from app.offers import models, routes  # noqa: E402, F401


def init_app(app: Flask) -> None:
    from app.calls.hooks import APPLICANT_LINKS, CALL_LINKS, DECISION_HOOKS
    from app.core.auth import POLICIES
    from app.extensions import db
    from app.jobs import JOBS
    from app.offers import access, jobs, links, services

    app.register_blueprint(bp)
    POLICIES.register(app, "offer.see", access.may_see_offer)
    POLICIES.register(app, "offer.answer", access.may_answer_offer)
    DECISION_HOOKS.add(app, services.letters_on_decision)
    CALL_LINKS.add(app, links.call_links)
    APPLICANT_LINKS.add(app, links.applicant_links)
    JOBS.register(app, jobs.letters.name, jobs.letters)
    JOBS.register(app, jobs.lapses.name, jobs.lapses)
    # One session factory serves every app in the process: the hooks go on it once.
    for name, hook in (("after_commit", _letters_owed), ("after_rollback", _forget)):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def _letters_owed(session: Session) -> None:
    from app.offers.jobs import letters_soon
    from app.offers.services import LETTERS_DUE

    if session.info.pop(LETTERS_DUE, False) and has_app_context():
        letters_soon()


def _forget(session: Session) -> None:
    from app.offers.services import LETTERS_DUE

    session.info.pop(LETTERS_DUE, None)
