"""The words of each course, kept for the catalog's full-text search.

One row per course (its title, summary and landing page) and per live module (its title,
objectives and lesson text), rebuilt whenever an import changes the course: publishing a
draft, rolling back and `flask courses import` all go through the importer, so archived
modules leave the index as they leave the course. Only what a learner reads is indexed:
never facilitator notes, quizzes or checklists (their slots in the HTML are empty).

The table is the database's own text index, which Alembic cannot describe: on SQLite an FTS5
virtual table, on PostgreSQL a plain table with a GIN index on its tsvector (migration 0015).
Both see the same four columns, so one Table writes to either.
"""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import Column, Integer, Table, Text, delete, insert, select

from app.content.models import Course, Module
from app.extensions import db

SEARCH_TABLE_NAME = "search_documents"

search_documents = Table(
    SEARCH_TABLE_NAME, db.metadata,
    Column("course_id", Integer, nullable=False),
    Column("module_id", Integer),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
)

# The search marks what matched with these two private-use characters, which the page turns
# into <mark> after escaping; they are taken out of the indexed text so that none can be forged.
MATCH_START, MATCH_END = "\ue000", "\ue001"

# Elements that flow within a line: their text joins its neighbours without a space.
_INLINE = frozenset({"a", "abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "q", "s",
                     "small", "span", "strong", "sub", "sup", "time", "u", "var"})


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    """The words of sanitized HTML as a reader sees them: tags out, one space between blocks."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return plain(" ".join("".join(parser.parts).split()))


def plain(text: str) -> str:
    return text.replace(MATCH_START, "").replace(MATCH_END, "")


def index_course(course: Course) -> None:
    """Replace the course's rows in the index with what it now holds (in the caller's
    transaction: two statements and one insert of many rows)."""
    db.session.execute(delete(search_documents).where(search_documents.c.course_id == course.id))
    rows = [{"course_id": course.id, "module_id": None, "title": plain(course.title),
             "body": plain(" ".join([course.summary, text_of(course.landing_html)]))}]
    for module in db.session.execute(
            select(Module.id, Module.title, Module.objectives, Module.body_html)
            .where(Module.course_id == course.id, Module.archived_at.is_(None))):
        rows.append({"course_id": course.id, "module_id": module.id,
                     "title": plain(module.title),
                     "body": plain(" ".join([*module.objectives, text_of(module.body_html)]))})
    db.session.execute(insert(search_documents), rows)
