"""Every main page in each of the interface's languages, as the people of an intake see it:
`lang` and `dir` on the page, no English left of what the catalogs translate, and, in
Arabic as in English, axe-core clean and no sideways scrolling at 360 px.

English left over is found by exact match: a text of the page (a text node, or a label a
screen reader reads: `aria-label`, `title`, `placeholder`, `alt`, a button's value) that is
a message of the catalog whose translation differs from it. Course content and people's
data are not the catalog's, so they never match a whole message by chance, except the few
proper nouns listed below."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.pages import WAIT_MS, assert_accessible, follow, log_in, screenshot

pytestmark = pytest.mark.e2e
CATALOGS = Path(__file__).resolve().parents[2] / "app" / "translations"
PHONE = ViewportSize(width=360, height=740)
DESKTOP = ViewportSize(width=1280, height=800)
#: Words a page may show in English in every language: names, not sentences.
PROPER_NOUNS = frozenset({"TrainHub", "English"})
TEXTS = """() => {
  const page = document.documentElement.lang;
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, template, [hidden]")) continue;
    // Text in another language on purpose: a course's own content, a language's own name.
    const marked = parent.closest("[lang]");
    if (marked && marked.lang !== page) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text) out.push(text);
  }
  for (const e of document.querySelectorAll(
      "[aria-label], [title], [placeholder], img[alt], input[type=submit][value]")) {
    for (const name of ["aria-label", "title", "placeholder", "alt", "value"]) {
      const value = e.getAttribute(name);
      if (value && (name !== "value" || e.type === "submit")) out.push(value.trim());
    }
  }
  return out;
}"""


@cache
def english_left(tag: str) -> frozenset[str]:
    """The catalog's English messages that `tag` writes differently: none may remain on a
    page in `tag`. Messages with placeholders are left to the catalog checks."""
    with (CATALOGS / tag / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    found = set()
    for message in catalog:
        if not message.id or message.pluralizable or "%(" in message.id:
            continue
        if message.string and message.string != message.id and message.id not in PROPER_NOUNS:
            found.add(str(message.id))
    return frozenset(found)


def _pages(intake: dict) -> dict[str, list[tuple[str, str]]]:
    """Who sees which pages: (path, name)."""
    gxp = "gxp-standard-practice"
    return {
        "": [("/", "home"), ("/catalog/", "catalog"), (f"/catalog/{gxp}/", "course"),
             ("/auth/login", "login"), ("/auth/register", "register"),
             ("/certificates/verify/", "verify"), ("/auth/forgot", "forgot-password")],
        "amina@example.org": [
            ("/learning/dashboard", "dashboard"), (f"/catalog/{gxp}/", "course-enrolled"),
            (intake["workshop"], "module"),
            (f"/quizzes/attempts/{intake['under_way']}", "quiz-attempt"),
            (f"/quizzes/attempts/{intake['scored']}/review", "quiz-review"),
            (f"/records/learners/{intake['amina']}", "training-record"),
            ("/auth/profile", "profile"), (f"/classroom/{intake['session']}/", "session"),
            ("/notifications/", "notifications"),
            ("/notifications/preferences", "notification-preferences")],
        "ivan@example.org": [
            ("/", "staff-home"), ("/grading/", "grading-queue"),
            (f"/grading/attempts/{intake['essay']}", "grading-page"),
            (f"/grading/{gxp}/gradebook", "gradebook"), (f"/learning/{gxp}/roster", "roster"),
            (f"/classroom/{intake['session']}/attendance", "attendance"),
            (f"/practicals/{intake['assessment']}/", "practical"), ("/authoring/", "authoring")],
        "grace@example.org": [("/admin/users", "accounts"), ("/records/events", "audit-events"),
                              ("/certificates/manage", "certificates"),
                              ("/mail/outbox", "mail-outbox")],
    }


def _choose_language(page: Page, tag: str) -> None:
    """The footer's switcher, as a person uses it: pick, then the button."""
    page.locator("#language-choice").select_option(tag)
    follow(page, page.locator(".language-form button"))
    expect(page.locator("html")).to_have_attribute("lang", tag)


def _open(browser: Browser, server: str, email: str) -> Page:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    if email:
        log_in(page, server, email)
        expect(page.get_by_role("button", name="Log out")).to_be_attached()
    else:
        page.goto(server + "/")
    return page


@pytest.mark.parametrize("tag", ["fr", "es", "pt", "ar", "ko"])
def test_every_main_page_speaks_the_language(browser: Browser, live_server: str,
                                             intake: dict, tag: str) -> None:
    left: list[str] = []
    too_wide: list[str] = []
    direction = "rtl" if tag == "ar" else "ltr"
    for email, pages in _pages(intake).items():
        page = _open(browser, live_server, email)
        _choose_language(page, tag)
        for path, name in pages:
            response = page.goto(live_server + path)
            assert response is not None and response.ok, f"{path}: {response and response.status}"
            expect(page.locator("html")).to_have_attribute("dir", direction)
            expect(page.locator("html")).to_have_attribute("lang", tag)
            english = sorted({text for text in page.evaluate(TEXTS)
                              if text in english_left(tag)})
            if english:
                left.append(f"{path}: {english[:8]}")
            if tag == "ar":
                assert_accessible(page)
                screenshot(page, f"ar-{name}-1280")
                page.set_viewport_size(PHONE)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide.append(f"{path}: {width} px")
                screenshot(page, f"ar-{name}-360")
                page.set_viewport_size(DESKTOP)
        page.context.close()
    assert left == [], f"English left in {tag}:\n" + "\n".join(left)
    assert too_wide == [], "wider than 360 px in Arabic:\n" + "\n".join(too_wide)
