"""Reading an uploaded course archive (.zip of the course folder), refusing anything unsafe.

Pure: bytes in, files or every reason for refusal out. Nothing is extracted to disk.
"""

from __future__ import annotations

import io
import stat
import zipfile
from dataclasses import dataclass

from app.authoring.tree import N_, Refusal, path_problem, size_problem

ARCHIVE_LIMIT = 20_000_000  # bytes of the .zip itself
TOTAL_LIMIT = 60_000_000  # bytes once unpacked, so a small archive cannot expand without end
FILE_COUNT_LIMIT = 500
# What archiving tools add by themselves; skipped rather than refused.
TOOL_DEBRIS = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


class UploadRefused(Exception):
    def __init__(self, reasons: list[Refusal]) -> None:
        super().__init__("; ".join(str(reason) for reason in reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Archive:
    folder: str | None  # the single top folder the files were in, if any: the course id
    files: dict[str, bytes]


def read_course_archive(data: bytes) -> Archive:
    if len(data) > ARCHIVE_LIMIT:
        raise UploadRefused([Refusal(N_("The archive is %(size)s MB; the limit is %(limit)s MB."),
                                     {"size": f"{len(data) / 1e6:.1f}",
                                      "limit": f"{ARCHIVE_LIMIT / 1e6:g}"})])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [info for info in archive.infolist() if not info.is_dir()
                   and not any(debris in info.filename for debris in TOOL_DEBRIS)]
    except (zipfile.BadZipFile, ValueError):
        raise UploadRefused([Refusal(N_("The file is not a .zip archive."))]) from None
    if len(entries) > FILE_COUNT_LIMIT:
        raise UploadRefused([Refusal(N_("The archive holds %(count)s files; the limit is "
                                        "%(limit)s."),
                                     {"count": len(entries), "limit": FILE_COUNT_LIMIT})])
    if not entries:
        raise UploadRefused([Refusal(N_("The archive is empty."))])
    reasons: list[Refusal] = []
    names = [info.filename for info in entries]
    top = {name.split("/", 1)[0] for name in names}
    folder = next(iter(top)) if len(top) == 1 and f"{next(iter(top))}/course.md" in names \
        else None
    files: dict[str, bytes] = {}
    total = 0
    for info in entries:
        name = info.filename[len(folder) + 1:] if folder else info.filename
        if stat.S_ISLNK(info.external_attr >> 16):
            reasons.append(Refusal(N_("links are not allowed; put the file itself in the archive"),
                                   path=name))
            continue
        if (problem := path_problem(name)) is not None:
            reasons.append(problem)
            continue
        if (problem := size_problem(name, info.file_size)) is not None:
            reasons.append(problem)
            continue
        with archive.open(info) as member:  # the header's size is not trusted
            content = member.read(info.file_size + 1)
        if (problem := size_problem(name, len(content))) is not None \
                or len(content) != info.file_size:
            reasons.append(problem or Refusal(N_("the archive's size for this file is wrong"),
                                              path=name))
            continue
        total += len(content)
        if total > TOTAL_LIMIT:
            reasons.append(Refusal(N_("The files add up to more than %(limit)s MB."),
                                   {"limit": f"{TOTAL_LIMIT / 1e6:g}"}))
            break
        files[name] = content
    if reasons:
        raise UploadRefused(reasons)
    return Archive(folder, files)
