"""What the browser journeys do on every page: log in, check accessibility, keep a picture."""

from __future__ import annotations

from pathlib import Path

SCREENSHOTS = Path(__file__).parent / "screenshots"


def assert_accessible(page) -> None:
    """axe-core (bundled in axe-playwright-python) finds no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    severe = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
              if v["impact"] in ("serious", "critical")]
    assert severe == [], f"{page.url}: {severe}"


def screenshot(page, name: str) -> Path:
    """Keep a picture of the page as a trainee sees it (tests/e2e/screenshots/, not in git)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, server: str, email: str,
           password: str = "a long enough passphrase") -> None:
    page.goto(server + "/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
