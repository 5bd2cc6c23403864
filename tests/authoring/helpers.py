"""Building course archives for the authoring tests."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

from tests.course_files import MEDIA_SVG, checklist, quiz


def course_files(folder: Path) -> dict[str, bytes]:
    """Every file of a course folder, by its path in the folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_zip(files: dict[str, bytes], *, top: str | None = None,
             links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(f"{top}/{path}" if top else path, data)
        for path, target in (links or {}).items():
            info = zipfile.ZipInfo(f"{top}/{path}" if top else path)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def small_course(title: str = "Cleanroom basics", body: str = "Gowning matters.") -> dict[
        str, bytes]:
    return {
        "course.md": f"---\ntitle: {title}\nsummary: A short course.\n---\n# {title}\n".encode(),
        "01-intro.md": f"---\ntitle: Introduction\n---\n# Introduction\n\n{body}\n".encode(),
        "02-practice.md": b"---\ntitle: Practice\nprerequisites: [intro]\n---\n\nPractise.\n",
    }


def rich_course() -> dict[str, bytes]:
    """A course with what archives and exports must carry unchanged: text beyond ASCII, a
    quiz and a checklist, and media in a nested folder, binary among them."""
    return {
        **small_course(),
        "03-check.md": ("---\ntitle: Yield check\n---\n# Yield check\n\nHold at 5 °C ± 3 °C; "
                        "count particles ≥ 0.5 µm.\n\n![Flow](media/figures/flow.svg)\n\n" + quiz(
                            "yield", "Yield in %?\n= 98.5 +- 0.1", pass_mark="80%")
                        + "\n" + checklist("gowning", ["Removes watch {critical}"])).encode(),
        "media/figures/flow.svg": MEDIA_SVG,
        "media/photo.png": bytes(range(256)) * 4,
    }
