"""Building course archives for the authoring tests."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "courses"


def course_files(slug: str = "gxp-standard-practice") -> dict[str, bytes]:
    folder = SHIPPED / slug
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
