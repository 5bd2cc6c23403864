"""Catalog listing: three statements whatever the number of courses, four with a search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import func, select, text

from app.catalog.rules import fts5_query, search_terms, tsquery
from app.centres.models import Centre
from app.centres.scope import courses_in_catalogues
from app.content.models import Course, CourseTranslation, Module
from app.content.search_index import MATCH_END, MATCH_START
from app.core.languages import language_name
from app.extensions import db
from app.learning.models import Enrolment

# The documents that match, best first; a course ranks as its best document. Enough rows for
# every course a page lists, and never more whatever the size of the catalog.
MOST_DOCUMENTS = 200
SNIPPET_WORDS = 24

SEARCH_SQLITE = text("""
    SELECT course_id, module_id, title,
           snippet(search_documents, 3, :start, :end, '…', :words) AS snippet
    FROM search_documents
    WHERE search_documents MATCH :query
    ORDER BY bm25(search_documents, 0.0, 0.0, 5.0, 1.0), course_id, module_id
    LIMIT :most""")

# The WHERE holds the expression of the GIN index (migration 0015), written the same so that
# the index is used.
SEARCH_POSTGRESQL = text("""
    SELECT d.course_id, d.module_id, d.title,
           ts_headline('simple'::regconfig, d.body, q.query, :options) AS snippet
    FROM search_documents AS d, to_tsquery('simple'::regconfig, :query) AS q(query)
    WHERE (setweight(to_tsvector('simple'::regconfig, d.title), 'A')
           || setweight(to_tsvector('simple'::regconfig, d.body), 'B')) @@ q.query
    ORDER BY ts_rank(setweight(to_tsvector('simple'::regconfig, d.title), 'A')
                     || setweight(to_tsvector('simple'::regconfig, d.body), 'B'), q.query) DESC,
             d.course_id, d.module_id
    LIMIT :most""")
HEADLINE_OPTIONS = (f'StartSel="{MATCH_START}", StopSel="{MATCH_END}", MaxFragments=1, '
                    f'MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, '
                    'FragmentDelimiter=" … "')


@dataclass(frozen=True)
class Match:
    """A module whose words matched, and the words around them (escaped, matches marked)."""

    module: str
    snippet: Markup


@dataclass
class Found:
    rank: int
    matches: list[Match] = field(default_factory=list)


MATCHES_PER_COURSE = 2


def marked(snippet: str) -> Markup:
    """The database's snippet as safe HTML: all of it escaped, then the marks put back."""
    return escape(snippet).replace(MATCH_START, Markup("<mark>")).replace(
        MATCH_END, Markup("</mark>"))


def search_courses(query_text: str) -> dict[int, Found]:
    """The courses whose words match the search, best first, with what matched: one statement
    (none when the text holds no word)."""
    terms = search_terms(query_text)
    if not terms:
        return {}
    if db.session.get_bind().dialect.name == "postgresql":
        rows = db.session.execute(SEARCH_POSTGRESQL, {
            "query": tsquery(terms), "options": HEADLINE_OPTIONS, "most": MOST_DOCUMENTS})
    else:
        rows = db.session.execute(SEARCH_SQLITE, {
            "query": fts5_query(terms), "start": MATCH_START, "end": MATCH_END,
            "words": SNIPPET_WORDS, "most": MOST_DOCUMENTS})
    found: dict[int, Found] = {}
    for row in rows:
        course = found.setdefault(row.course_id, Found(rank=len(found)))
        # The course's own row matched its title or summary: the card shows those already.
        if row.module_id is not None and len(course.matches) < MATCHES_PER_COURSE:
            course.matches.append(Match(row.title, marked(row.snippet)))
    return found


@dataclass(frozen=True)
class CatalogFilter:
    text: str = ""
    modality: str = ""
    level: str = ""
    language: str = ""
    tag: str = ""
    centre: str = ""  # a centre's code: its catalogue only, own and offered courses


@dataclass
class CatalogCard:
    course: Course
    modules: int = 0
    minutes: int = 0
    modalities: set[str] = field(default_factory=set)
    enrolment_status: str | None = None
    matches: list[Match] = field(default_factory=list)
    # The course's title and summary in the version it is listed in, when that is not the
    # course's own language (`in_versions`).
    version: CourseTranslation | None = None

    @property
    def title(self) -> str:
        return self.version.title if self.version else self.course.title

    @property
    def summary(self) -> str:
        return self.version.summary if self.version else self.course.summary

    @property
    def shown_language(self) -> str:
        return self.version.language if self.version else self.course.language

    @property
    def languages(self) -> list[str]:
        """The course's own language, then those of its versions."""
        return [self.course.language, *self.course.languages]

    @property
    def language_names(self) -> list[str]:
        return [language_name(tag) for tag in self.languages]


def catalog(filters: CatalogFilter, viewer_id: int | None,
            centre_id: int | None = None) -> list[CatalogCard]:
    """The courses that pass the filters: by title, or best first for a search; only those
    in the catalogue of the centre `centre_id` when one is given."""
    statement = select(Course).order_by(Course.title)
    if centre_id is not None:
        statement = statement.where(Course.id.in_(courses_in_catalogues(frozenset({centre_id}))))
    found = search_courses(filters.text) if filters.text else None
    if found is not None:
        statement = statement.where(Course.id.in_(list(found)))
    if filters.level:
        statement = statement.where(Course.level == filters.level)
    cards = {course.id: CatalogCard(course) for course in db.session.scalars(statement)}
    if cards:
        for course_id, modality, count, minutes in db.session.execute(
                select(Module.course_id, Module.modality, func.count(),
                       func.coalesce(func.sum(Module.duration_minutes), 0))
                .where(Module.course_id.in_(list(cards)), Module.archived_at.is_(None))
                .group_by(Module.course_id, Module.modality)):
            card = cards[course_id]
            card.modules += count
            card.minutes += int(minutes or 0)
            card.modalities.add(modality)
        if viewer_id is not None:
            for course_id, status in db.session.execute(
                    select(Enrolment.course_id, Enrolment.status).where(
                        Enrolment.user_id == viewer_id, Enrolment.course_id.in_(list(cards)))):
                cards[course_id].enrolment_status = status
    listed = list(cards.values())
    if found is not None:
        listed.sort(key=lambda card: found[card.course.id].rank)
        for card in listed:
            card.matches = found[card.course.id].matches
    # Tags and versions' languages live in JSON lists and modalities in modules: filtered
    # here, on few rows.
    return [card for card in listed
            if (not filters.tag or filters.tag in card.course.tags)
            and (not filters.language or filters.language in card.languages)
            and (not filters.modality or filters.modality in card.modalities)]


def in_versions(cards: list[CatalogCard], shown: Mapping[int, str]) -> None:
    """Give each card the title and summary of the version it is listed in (`shown`, by
    course id): one statement, none when every course is listed in its own language."""
    wanted = {card.course.id: shown[card.course.id] for card in cards
              if shown.get(card.course.id, card.course.language) != card.course.language}
    if not wanted:
        return
    versions = {(row.course_id, row.language): row for row in db.session.scalars(
        select(CourseTranslation).where(CourseTranslation.course_id.in_(list(wanted)),
                                        CourseTranslation.language.in_(set(wanted.values()))))}
    for card in cards:
        card.version = versions.get((card.course.id, wanted.get(card.course.id, "")))


def catalog_centres() -> list[Centre]:
    """The active centres, the hub first, for the catalogue's centre filter: one statement."""
    return list(db.session.scalars(select(Centre).where(Centre.active.is_(True))
                                   .order_by(Centre.is_hub.desc(), Centre.name)))


def catalog_options() -> dict[str, list[str]]:
    """Values offered in the filters: one statement."""
    rows = db.session.execute(select(Course.level, Course.language, Course.languages,
                                     Course.tags)).all()
    return {
        "level": sorted({r.level for r in rows if r.level}),
        "language": sorted({tag for r in rows for tag in (r.language, *r.languages)},
                           key=language_name),
        "tag": sorted({t for r in rows for t in r.tags}),
        "modality": ["virtual", "classroom", "hands-on"],
    }
