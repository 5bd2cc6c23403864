"""Helpers that write small courses to disk for the importer and CLI tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

COURSE_MD = "---\ntitle: Aseptic basics\nsummary: Gowning and cleanrooms.\n{extra}---\nWelcome.\n"

QUIZ = """
```quiz
id: {quiz_id}
pass_mark: 80%
1.  Which grade is the critical zone?
    (x) Grade A
    ( ) Grade D
2.  Particle limit?
    = 3520
```
"""


def module_md(title: str, *, version: int = 1, body: str = "Text.", extra: str = "") -> str:
    return f"---\ntitle: {title}\nversion: {version}\n{extra}---\n{body}\n"


@pytest.fixture
def write_course(tmp_path: Path) -> Callable[..., Path]:
    """Write (or rewrite) a course folder: {file name: content}; returns its folder."""

    def write(files: dict[str, str], *, slug: str = "aseptic-basics", course_extra: str = "",
              root: Path | None = None) -> Path:
        folder = (root or tmp_path / "courses") / slug
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.md"):
            old.unlink()
        (folder / "course.md").write_text(COURSE_MD.format(extra=course_extra))
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        return folder

    return write


MEDIA_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'


def published_media_url(runner, write_course) -> str:  # type: ignore[no-untyped-def]
    """Import a one-module course with an svg and return the media address its lesson uses."""
    from sqlalchemy import select

    from app.content.models import Module
    from app.extensions import db

    folder = write_course({"01-a.md": module_md("A", body="![x](media/x.svg)"),
                           "media/x.svg": MEDIA_SVG})
    assert runner.invoke(args=["courses", "import", str(folder)]).exit_code == 0
    html = db.session.scalar(select(Module.body_html))
    assert html is not None
    return html.split('src="')[1].split('"')[0]
