"""A learner's whole journey in each interface language: switching the language on the
register page, registering, enrolling in the GxP course, reading its first module (in French,
the French version), taking its knowledge check, and, once the course's staff have done
their part, downloading a certificate printed in that language.

Every label and button is found by its translation, read from the language's catalog
(`words`), which refuses a message it does not translate: an English page cannot pass for a
translated one."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import Flask
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from app.auth.models import User
from app.classroom.services import (
    Mark,
    Schedule,
    record_attendance,
    register_for_session,
    schedule_session,
)
from app.content.loader import load_courses
from app.content.models import Checklist, Course, Module
from app.content.specs import CourseSpec
from app.core.formats import format_number
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff
from app.practicals.services import (
    ItemMark,
    open_assessment,
    request_assessment,
    save_marks,
    sign_assessment,
)
from app.quizzes.models import Attempt
from tests.e2e.intake import complete_what_can_be
from tests.e2e.pages import PASSWORD, assert_accessible, follow, screenshot
from tests.e2e.people import make_grace, make_ivan
from tests.live import ROOT

pytestmark = pytest.mark.e2e
CATALOGS = ROOT / "app" / "translations"
COURSE = "gxp-standard-practice"
FIRST = "why-gxp"
EMAIL = "amina@example.org"


@cache
def _catalog(tag: str) -> Catalog:
    with (CATALOGS / tag / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def words(tag: str, msgid: str) -> str:
    """The catalog's translation of `msgid` in `tag`; a message it does not translate (or
    only fuzzily) is an error, never the English."""
    message = _catalog(tag).get(msgid)
    if message is None or not message.string or message.fuzzy:
        raise LookupError(f"the {tag} catalog does not translate {msgid!r}")
    assert isinstance(message.string, str)
    return message.string


@cache
def _gxp() -> CourseSpec:
    courses, problems = load_courses([ROOT / "courses" / COURSE])
    assert not problems
    return courses[0]


def _titles(tag: str) -> tuple[str, str, str]:
    """The course's, the first module's and its quiz's titles as a learner in `tag` reads
    them: their version in `tag`, where the course has one (French), else the originals."""
    course = _gxp()
    module = next(m for m in course.modules if m.slug == FIRST)
    if tag in course.versions:
        version = module.versions[tag]
        return course.versions[tag].title, version.title, version.quizzes[0].title
    return course.title, module.title, module.quizzes[0].title


@pytest.fixture
def staffed(live_app: Flask, shipped_courses: None) -> None:
    """Ivan teaches and assesses the GxP course, as Grace has made him."""
    with live_app.app_context():
        now = live_app.config["CLOCK"]()
        grace = make_grace(now)
        ivan = make_ivan(now, Role.INSTRUCTOR, Role.ASSESSOR)
        course = db.session.scalars(select(Course).where(Course.slug == COURSE)).one()
        assign_staff(grace, course, ivan, "instructor", now)
        assign_staff(grace, course, ivan, "assessor", now)
        db.session.commit()


def _check(page: Page, tag: str, name: str) -> None:
    """The page is in `tag` (and right to left in Arabic); in Arabic axe-core checks it."""
    expect(page.locator("html")).to_have_attribute("lang", tag)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if tag == "ar" else "ltr")
    if tag == "ar":
        assert_accessible(page)
    screenshot(page, f"journey-{tag}-{name}")


def _answer_every_question(page: Page) -> None:
    """Any valid answer: the first choice, a number, a few words."""
    questions = page.locator("li.question")
    expect(questions.first).to_be_visible()
    for question in questions.all():
        for kind, answer in (("input[type=radio]", None), ("input[type=checkbox]", None),
                             ("input[inputmode=decimal]", "12"), ("input[type=text]",
                                                                  "good practice"),
                             ("textarea", "The records show what was done, and when. " * 5)):
            found = question.locator(kind)
            if found.count():
                if answer is None:
                    found.first.check()
                else:
                    found.first.fill(answer)
                break
        else:
            raise AssertionError(f"no input for: {question.inner_text()[:80]}")


def _finish_the_course(live_app: Flask) -> None:
    """The course's other parts, through the services: the virtual modules, a seat at each
    live session and the facilitator's attendance, the assessor's signed gowning checklist,
    and the assessments stood in for (the way the grading journey does)."""
    with live_app.app_context():
        now = datetime.now(UTC)  # the server's real time, which the browser's steps kept
        learner = db.session.scalars(select(User).where(User.email == EMAIL)).one()
        ivan = db.session.scalars(select(User).where(User.email == "ivan@example.org")).one()
        course = db.session.scalars(select(Course).where(Course.slug == COURSE)).one()
        modules = list(db.session.scalars(select(Module).where(
            Module.course_id == course.id, Module.archived_at.is_(None))
            .order_by(Module.position)))
        start = now + timedelta(minutes=30)  # registration open, and attendance already
        for module in modules:
            if module.session:
                session = schedule_session(ivan, course, Schedule(
                    module, start, start + timedelta(hours=2), "Asia/Seoul", None, ivan,
                    location="Training centre, Songdo"), now)
                register_for_session(learner, session, now)
                record_attendance(ivan, session, {learner.id: Mark("present")}, now)
        for checklist in db.session.scalars(select(Checklist).where(
                Checklist.course_id == course.id, Checklist.archived_at.is_(None))):
            request_assessment(learner, checklist, now)
            assessment = open_assessment(ivan, checklist, learner, now)
            save_marks(ivan, assessment, {item["key"]: ItemMark("met")
                                          for item in assessment.items}, now)
            sign_assessment(ivan, assessment, password=PASSWORD, now=now)
        complete_what_can_be(learner, modules, now)
        db.session.commit()


def _plain(text: str) -> str:
    """Text as compared with a PDF's: Arabic's joined letter forms read back as letters
    (NFKC, which also makes a no-break space a space), and runs of white space one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _pdf_text(body: bytes) -> str:
    return _plain(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


@pytest.mark.parametrize("tag", ["fr", "es", "pt", "ar", "ko"])
def test_a_learner_goes_from_registering_to_a_certificate_in_their_language(
        page: Page, live_server: str, live_app: Flask, staffed: None, tag: str) -> None:
    course_title, module_title, quiz_title = _titles(tag)

    # 1. The register page, in English, then in the language chosen in the footer.
    page.goto(live_server + "/auth/register")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("#language-choice").select_option(tag)
    follow(page, page.locator(".language-form").get_by_role("button", name="Change"))
    assert page.url == live_server + "/auth/register"
    _check(page, tag, "1-register")

    # 2. Registering, by the translated labels and button.
    page.get_by_label(words(tag, "Full name")).fill("Amina Yusuf")
    page.get_by_label(words(tag, "E-mail address")).fill(EMAIL)
    page.get_by_label(words(tag, "Password"), exact=True).fill(PASSWORD)
    page.get_by_label(words(tag, "Country")).select_option("NG")
    follow(page, page.get_by_role("button", name=words(tag, "Create account")))
    expect(page.get_by_role("button", name=words(tag, "Log out"))).to_be_attached()
    expect(page.locator("html")).to_have_attribute("lang", tag)

    # 3. The course page, and enrolling.
    follow(page, page.get_by_role("navigation", name=words(tag, "Main"))
           .get_by_role("link", name=words(tag, "Courses")))
    # The catalog lists the course under the title of its version in the page's language.
    follow(page, page.get_by_role("link", name=course_title, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(course_title)
    follow(page, page.get_by_role("button", name=words(tag, "Enrol")))
    expect(page.get_by_text(words(tag, "You are enrolled. Start with the first module.")
                            )).to_be_visible()
    _check(page, tag, "3-course-enrolled")

    # 4. The first module: the French version in French, the English original otherwise,
    # around a translated interface.
    follow(page, page.get_by_role("link", name=words(tag, "Start the course: %(module)s")
                                  % {"module": module_title}))
    expect(page.get_by_role("heading", level=1)).to_have_text(module_title)
    expect(page.locator(".versions")).to_contain_text(words(tag, "Also in:"))
    if tag == "fr":
        heading = (ROOT / "courses" / COURSE / "01-why-gxp.fr.md").read_text(encoding="utf-8")
        assert f"# {module_title}\n" in heading
        expect(page.locator(".lesson-layout")).to_have_attribute("lang", "fr")
    _check(page, tag, "4-module")

    # 5. Its knowledge check: started, answered, submitted, scored; then the module is done.
    follow(page, page.get_by_role("button", name=words(tag, "Start"), exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz_title)
    _answer_every_question(page)
    _check(page, tag, "5-quiz")
    follow(page, page.get_by_role("button", name=words(tag, "Submit for marking")))
    with live_app.app_context():
        attempt = db.session.scalars(select(Attempt).join(User).where(
            User.email == EMAIL)).one()
        score, out_of = attempt.score or 0, attempt.max_score
    assert attempt.state == "graded"
    expect(page.locator(".score")).to_contain_text(words(tag, "Score:"))
    expect(page.locator(".score")).to_contain_text(
        f"{format_number(score, tag)} / {format_number(out_of, tag)}")
    _check(page, tag, "5-results")
    follow(page, page.get_by_role("link", name=words(tag, "Back to the module")))
    follow(page, page.get_by_role("button", name=words(tag, "Mark as complete")))
    expect(page.get_by_text(words(tag, "“%(title)s” is complete.")
                            % {"title": module_title})).to_be_visible()

    # 6. The staff's part, and the modules that follow.
    _finish_the_course(live_app)

    # 7. The certificate, from the learner's pages, printed in their language.
    follow(page, page.get_by_role("link", name=words(tag, "My learning")))
    follow(page, page.get_by_role(
        "link", name=words(tag, "All my certificates and their verification pages")))
    expect(page.get_by_role("heading", level=1)).to_have_text(words(tag, "My certificates"))
    expect(page.get_by_role("heading", level=2)).to_have_text(course_title)
    _check(page, tag, "7-certificates")
    with page.expect_download() as download:
        page.get_by_role("link", name=words(tag, "Download the certificate (PDF)")).click()
    text = _pdf_text(download.value.path().read_bytes())
    assert _plain(words(tag, "Certificate of completion")) in text, text
    if tag == "fr":
        assert _plain(course_title) in text, text
