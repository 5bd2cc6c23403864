"""The offers' services without HTTP: letters queued with a real PDF, decline and the next
one offered within the quotas, the lapse job, confirmation into the intake, nothing offered
twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.calls.models import Application
from app.core.errors import PermissionDenied, ValidationError
from app.extensions import db
from app.intakes.models import IntakeMember
from app.learning.models import Enrolment
from app.offers.models import OfferLetter
from app.offers.services import (
    confirm_offer,
    decline_offer,
    lapse_offers,
    send_letters,
)
from app.records.models import Event
from tests.offers.deciding import decide
from tests.offers.letters import outbox, pdf_text


def events(action: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.action == action)
                                   .order_by(Event.seq)))


@pytest.fixture
def decided(call_world):
    """Four places, country cap 2: two Nigerians and a Kenyan accepted; on the waitlist a
    Nigerian, then a Ghanaian; one regretted."""
    w = call_world
    w.call.places = 3
    a = [w.apply(nationality="NG", organisation=f"NG org {i}") for i in range(2)]
    kenyan = w.apply(nationality="KE", organisation="Kenya Biovax")
    nigerian_waiting = w.apply(nationality="NG", organisation="NG org 9")
    ghanaian = w.apply(nationality="GH", organisation="Ghana Vaccines")
    regretted = w.apply(nationality="SN", organisation="Dakar Bio")
    decide(w, accepted=[*a, kenyan], waitlisted=[nigerian_waiting, ghanaian],
           regretted=[regretted])
    return w, a, kenyan, nigerian_waiting, ghanaian, regretted


def test_the_decision_owes_every_letter_and_the_job_queues_each_once(decided) -> None:
    w, _a, _kenyan, _waiting, _ghanaian, _regretted = decided
    assert outbox() == []  # nothing made in the signing transaction
    assert send_letters(w.clock(), batch=2) == 6
    assert send_letters(w.clock()) == 0
    sent = outbox()
    assert sorted(s.kind for s in sent) == ["offers.acceptance"] * 3 + ["offers.regret"] + [
        "offers.waitlist"] * 2
    acceptance = next(s for s in sent if s.kind == "offers.acceptance")
    assert acceptance.pdf_name.endswith(".pdf") and acceptance.pdf.startswith(b"%PDF")
    text = pdf_text(acceptance.pdf)
    assert "Offer of a place" in text and "African Regional Training Centre" in text
    # The deadline in the call's time zone, Seoul: 14 days after 09:00 UTC is 18:00 there.
    assert "18:00 (Asia/Seoul)" in text
    assert "/offers/" in text
    waitlist = next(s for s in sent if s.kind == "offers.waitlist")
    assert "number 1 in line" in pdf_text(waitlist.pdf)
    assert "regret" in pdf_text(next(s for s in sent if s.kind == "offers.regret").pdf)
    assert db.session.scalar(select(func.count()).select_from(OfferLetter)) == 6


@pytest.mark.parametrize(("language", "name", "words"), [
    ("ar", "ليلى حسن", "عرض"),
    ("ko", "김민준", "제안"),
])
def test_letters_in_arabic_and_korean(call_world, language, name, words) -> None:
    w = call_world
    user = w.make_user(name=name)
    user.language = language
    application = w.apply(user)
    decide(w, accepted=[application])
    send_letters(w.clock())
    [sent] = outbox()
    text = pdf_text(sent.pdf)
    assert name.replace(" ", "") in text.replace(" ", "")
    assert words in text, text
    assert sent.subject != "" and "offer" not in sent.subject.lower()


def test_a_decline_offers_the_place_to_the_next_who_keeps_to_the_quotas(decided) -> None:
    w, a, _kenyan, waiting, _ghanaian, _regretted = decided
    send_letters(w.clock())
    w.clock.advance(days=1)
    offered = decline_offer(_user(a[0]), a[0], w.clock())
    # The Nigerian next in line is passed over only when Nigeria is at its cap: one
    # Nigerian still holds a place, so the first in line gets it.
    assert offered == [waiting.id]
    db.session.commit()
    assert a[0].state == "declined" and a[0].answered_at == w.clock()
    assert waiting.state == "accepted" and waiting.waitlist_rank is None
    assert waiting.respond_by == w.clock() + timedelta(days=14)
    [made] = events("offer.made")
    assert made.subject_id == str(waiting.id) and made.actor_id is None
    assert [e.subject_id for e in events("offer.declined")] == [str(a[0].id)]
    acceptances = [s for s in outbox() if s.kind == "offers.acceptance"]
    assert len(acceptances) == 4  # three from the decision, one for the waitlist's offer


def _user(application: Application):
    from app.auth.models import User

    return db.session.get(User, application.applicant_id)


def test_a_country_at_its_cap_is_skipped_on_the_waitlist(decided) -> None:
    w, _a, kenyan, waiting, ghanaian, _regretted = decided
    offered = decline_offer(_user(kenyan), kenyan, w.clock())
    assert offered == [ghanaian.id]  # two Nigerians hold places: the Nigerian waits on
    assert waiting.state == "waitlisted" and ghanaian.state == "accepted"


def test_only_the_applicant_answers_and_only_before_the_deadline(decided) -> None:
    w, a, kenyan, waiting, _ghanaian, _regretted = decided
    with pytest.raises(PermissionDenied):
        confirm_offer(_user(kenyan), a[0], w.clock())
    with pytest.raises(ValidationError):
        confirm_offer(_user(waiting), waiting, w.clock())
    w.clock.advance(days=14)
    with pytest.raises(ValidationError):
        confirm_offer(_user(a[0]), a[0], w.clock())
    assert a[0].state == "accepted"


def test_confirming_makes_a_learner_of_the_intake_enrolled_in_its_programme(decided) -> None:
    w, a, _kenyan, _waiting, _ghanaian, _regretted = decided
    learner = _user(a[1])
    confirm_offer(learner, a[1], w.clock())
    db.session.commit()
    assert a[1].state == "confirmed"
    assert db.session.get(IntakeMember, (w.intake.id, learner.id)) is not None
    courses = set(db.session.scalars(select(Enrolment.course_id).where(
        Enrolment.user_id == learner.id, Enrolment.status == "active")))
    assert courses == {w.network.own.id, w.network.shared.id}
    assert [e.subject_id for e in events("offer.confirmed")] == [str(a[1].id)]
    assert [e.subject_id for e in events("intake.member_added")] == [str(w.intake.id)]
    with pytest.raises(ValidationError):
        decline_offer(learner, a[1], w.clock())


def test_the_lapse_job_lapses_overdue_offers_and_fills_their_places_once(decided) -> None:
    w, a, kenyan, waiting, ghanaian, _regretted = decided
    confirm_offer(_user(a[0]), a[0], w.clock())
    db.session.commit()
    assert lapse_offers(w.clock.advance(days=13)) == 0
    assert lapse_offers(w.clock.advance(days=1)) == 2  # a[1] and the Kenyan
    assert sorted(e.subject_id for e in events("offer.lapsed")) == sorted(
        [str(a[1].id), str(kenyan.id)])
    for application in (a[1], kenyan, waiting, ghanaian):
        db.session.refresh(application)
    assert a[1].state == kenyan.state == "lapsed"
    assert waiting.state == ghanaian.state == "accepted"
    assert lapse_offers(w.clock()) == 0
    assert len(events("offer.made")) == 2
    # The ones offered from the waitlist have their own deadline, and lapse in turn.
    assert lapse_offers(w.clock.advance(days=14)) == 2
    assert len(events("offer.made")) == 2  # nobody is left waiting


def test_filling_places_twice_offers_nothing_twice(decided) -> None:
    from app.offers.queries import lock_call
    from app.offers.services import fill_places

    w, a, _kenyan, _waiting, _ghanaian, _regretted = decided
    decline_offer(_user(a[0]), a[0], w.clock())
    assert fill_places(lock_call(w.call.id), w.clock()) == []
    assert len(events("offer.made")) == 1


def test_the_signed_decision_wakes_the_letters_job_after_its_commit(app, call_world) -> None:
    from app.jobs import queue_for

    queue_for(app).huey.immediate = True
    w = call_world
    application = w.apply()
    decide(w, regretted=[application])
    db.session.expire_all()
    assert [s.kind for s in outbox()] == ["offers.regret"]


def test_the_links_on_the_calls_pages(call_world) -> None:
    from app.calls.hooks import APPLICANT_LINKS, CALL_LINKS

    w = call_world
    application = w.apply()
    assert [link for hook in APPLICANT_LINKS.all() for link in hook(application, w.call)] == []
    assert [link for hook in CALL_LINKS.all() for link in hook(w.call, w.officer)
            if link.endpoint == "offers.call_offers"] == []
    decide(w, accepted=[application])
    [mine] = [link for hook in APPLICANT_LINKS.all() for link in hook(application, w.call)]
    assert mine.endpoint == "offers.offer" and mine.values == {"application_id": application.id}
    endpoints = {link.endpoint for hook in CALL_LINKS.all() for link in hook(w.call, w.officer)}
    assert {"offers.call_offers", "reports.call_funnel"} <= endpoints
    assert not [link for hook in CALL_LINKS.all()
                for link in hook(w.call, w.network.stranger)]
