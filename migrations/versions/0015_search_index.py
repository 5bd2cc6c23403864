"""The catalog's full-text index: the words of each course and of each live module.

`search_documents` holds one row per course (title; summary and landing text) and per live
module (title; objectives and lesson text). On SQLite it is an FTS5 table; on PostgreSQL a
table with a GIN index on its weighted tsvector, the expression app/catalog/search.py
queries. Rows for the courses already imported are written here; every later import that
changes a course rewrites its rows.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 09:30:00

"""
import re
from html import unescape

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# The same expression as the search's; the index is used only when they match exactly.
WORDS = ("(setweight(to_tsvector('simple'::regconfig, title), 'A') || "
         "setweight(to_tsvector('simple'::regconfig, body), 'B'))")
_TAG = re.compile(r"<[^>]*>")
_MARKS = re.compile("[\ue000\ue001]")


def _text(html):
    return " ".join(_MARKS.sub("", unescape(_TAG.sub(" ", html or ""))).split())


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_documents USING fts5("
                   "course_id UNINDEXED, module_id UNINDEXED, title, body, "
                   "tokenize = 'unicode61 remove_diacritics 0')")
    else:
        op.execute("CREATE TABLE search_documents (course_id integer NOT NULL, "
                   "module_id integer, title text NOT NULL, body text NOT NULL)")
        op.execute("CREATE INDEX search_documents_course ON search_documents (course_id)")
        op.execute(f"CREATE INDEX search_documents_words ON search_documents USING gin ({WORDS})")
    courses = sa.table("courses", sa.column("id", sa.Integer), sa.column("title", sa.Text),
                       sa.column("summary", sa.Text), sa.column("landing_html", sa.Text))
    modules = sa.table("modules", sa.column("id", sa.Integer), sa.column("course_id", sa.Integer),
                       sa.column("title", sa.Text), sa.column("objectives", sa.JSON),
                       sa.column("body_html", sa.Text), sa.column("archived_at", sa.DateTime))
    documents = sa.table("search_documents", sa.column("course_id", sa.Integer),
                         sa.column("module_id", sa.Integer), sa.column("title", sa.Text),
                         sa.column("body", sa.Text))
    bind = op.get_bind()
    rows = [{"course_id": c.id, "module_id": None, "title": _MARKS.sub("", c.title),
             "body": _text(f"{c.summary} {c.landing_html}")}
            for c in bind.execute(sa.select(courses))]
    rows += [{"course_id": m.course_id, "module_id": m.id, "title": _MARKS.sub("", m.title),
              "body": _text(" ".join([*(m.objectives or []), m.body_html or ""]))}
             for m in bind.execute(sa.select(modules).where(modules.c.archived_at.is_(None)))]
    if rows:
        bind.execute(documents.insert(), rows)


def downgrade():
    op.execute("DROP TABLE search_documents")
