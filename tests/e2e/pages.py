"""What the browser journeys do on every page: follow a link or a form, log in and out, check
accessibility, keep a picture.

The journeys wait on the page's state only, never on time: a click that loads a page goes
through `follow`, which returns once that page has loaded; what a page shows is checked with
Playwright's `expect(...)`, which waits until it holds. A click that loads a page without
being waited for races whatever the test does next: a `page.goto` cancels the navigation
(the server may never answer the form, or the browser never keeps the answer's cookie),
and reading the page reads the old one.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "a long enough passphrase"
#: The one bound on every wait for the page, in milliseconds (the browser fixtures set it).
WAIT_MS = 10_000

# A report's charts are data: images: drawn once every one has loaded with a size.
CHARTS_DRAWN = ("Array.from(document.querySelectorAll('.report-chart img'))"
                ".every(img => img.complete && img.naturalWidth > 0)")

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1100, "height": 800}


def pictured(page: Page, name: str, phone_name: str | None = None) -> None:
    """Keep the page at desktop width and at 360 px, where it must not scroll sideways."""
    screenshot(page, name)
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 360 px"
    screenshot(page, phone_name or f"{name}-phone")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]


def follow(page: Page, target: Locator) -> None:
    """Click a link or a form's button and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        target.click()


def assert_accessible(page: Page) -> None:
    """axe-core (bundled in axe-playwright-python) finds no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    severe = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
              if v["impact"] in ("serious", "critical")]
    assert severe == [], f"{page.url}: {severe}"


def screenshot(page: Page, name: str) -> Path:
    """Keep a picture of the page as a trainee sees it (tests/e2e/screenshots/, not in git)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, server: str, email: str, password: str = PASSWORD) -> None:
    """Send the log-in form and wait for its answer: the page after logging in, or the form
    again with the reason it was refused."""
    page.goto(server + "/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    follow(page, page.get_by_role("button", name="Log in"))


def log_out(page: Page) -> None:
    """Log out and wait until the server has ended the session."""
    follow(page, page.get_by_role("button", name="Log out"))
    expect(page.get_by_text("You are logged out.")).to_be_visible()
