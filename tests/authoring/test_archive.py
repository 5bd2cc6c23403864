"""Uploaded archives: what is refused, and that nothing unsafe gets through."""

from __future__ import annotations

import pytest

from app.authoring import archive as archive_module
from app.authoring.archive import UploadRefused, read_course_archive
from app.authoring.tree import changes, path_problem, with_alias
from tests.authoring.helpers import make_zip, rich_course, small_course


def refused(data: bytes) -> list[str]:
    with pytest.raises(UploadRefused) as error:
        read_course_archive(data)
    return [str(reason) for reason in error.value.reasons]


def test_a_zipped_course_folder_is_read_whole() -> None:
    files = rich_course()
    archive = read_course_archive(make_zip(files, top="cleanroom-basics"))
    assert archive.folder == "cleanroom-basics"
    assert archive.files == files
    flat = read_course_archive(make_zip(files))
    assert flat.folder is None and flat.files == files


def test_what_archiving_tools_add_is_skipped() -> None:
    files = small_course()
    debris = {"__MACOSX/._course.md": b"x", ".DS_Store": b"x"}
    assert read_course_archive(make_zip({**files, **debris})).files == files


@pytest.mark.parametrize("name", ["../evil.md", "/etc/passwd.md", "media/../../x.svg",
                                  "C:/win.md", "media\\x.svg"])
def test_paths_that_escape_the_folder_are_refused(name: str) -> None:
    reasons = refused(make_zip({**small_course(), name: b"x"}))
    assert len(reasons) == 1 and name.replace("\\", "\\") in reasons[0]


def test_links_are_refused() -> None:
    reasons = refused(make_zip(small_course(), links={"media/passwd.svg": "/etc/passwd"}))
    assert reasons == ["media/passwd.svg: links are not allowed; put the file itself in the "
                       "archive"]


@pytest.mark.parametrize("name", ["run.exe", "media/page.html", "notes.txt", "media/a.gif",
                                  "scripts/x.md", ".env"])
def test_only_markdown_and_media_are_accepted(name: str) -> None:
    assert len(refused(make_zip({**small_course(), name: b"x"}))) == 1


def test_every_reason_is_given_at_once() -> None:
    reasons = refused(make_zip({**small_course(), "../a.md": b"", "b.exe": b"",
                                "media/c.html": b""}))
    assert len(reasons) == 3


def test_sizes_and_counts_are_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    big_media = {**small_course(), "media/photo.png": b"\0" * 5_000_001}
    assert "is more than the 5 MB allowed" in refused(make_zip(big_media))[0]
    monkeypatch.setattr(archive_module, "ARCHIVE_LIMIT", 1000)
    assert "the limit is 0.001 MB" in refused(b"x" * 1001)[0]
    monkeypatch.setattr(archive_module, "ARCHIVE_LIMIT", 20_000_000)
    monkeypatch.setattr(archive_module, "FILE_COUNT_LIMIT", 3)
    many = {**small_course(), "media/a.svg": b"<svg/>"}
    assert refused(make_zip(many)) == ["The archive holds 4 files; the limit is 3."]


def test_a_bomb_stops_at_the_total_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_module, "TOTAL_LIMIT", 10_000)
    files = {**small_course(), **{f"media/{n}.svg": b" " * 4000 for n in range(5)}}
    assert refused(make_zip(files))[-1] == "The files add up to more than 0.01 MB."


def test_not_a_zip() -> None:
    assert refused(b"PK but not really") == ["The file is not a .zip archive."]
    assert refused(make_zip({})) == ["The archive is empty."]


def test_path_rules() -> None:
    assert path_problem("course.md") is None
    assert path_problem("01-welcome.md") is None
    assert path_problem("media/figures/flow.svg") is None
    assert "must be named like" in str(path_problem("Welcome.md") or "")
    assert "hidden" in str(path_problem("media/.secret.svg") or "")


def test_renaming_keeps_the_old_id_as_an_alias() -> None:
    plain = "---\ntitle: A\n---\nBody\n"
    assert with_alias(plain, "old") == "---\ntitle: A\naliases: [old]\n---\nBody\n"
    flow = "---\ntitle: A\naliases: [first]\n---\nBody\n"
    assert with_alias(flow, "old") == "---\ntitle: A\naliases: [first, old]\n---\nBody\n"
    block = "---\naliases:\n  - first\ntitle: A\n---\n"
    assert with_alias(block, "old") == "---\naliases:\n  - first\n  - old\ntitle: A\n---\n"
    assert with_alias(flow, "first") == flow


def test_changes_between_revisions() -> None:
    old = {"course.md": b"a\nb\n", "media/x.png": b"1", "01-a.md": b"x\n"}
    new = {"course.md": b"a\nc\n", "media/x.png": b"2", "02-b.md": b"y\n"}
    found = {c.path: c for c in changes(old, new)}
    assert {p: c.status for p, c in found.items()} == {
        "01-a.md": "removed", "02-b.md": "added", "course.md": "changed",
        "media/x.png": "changed"}
    assert "-b" in found["course.md"].diff and "+c" in found["course.md"].diff
    assert found["media/x.png"].diff == []
