"""Catalog search through the database's own full-text index, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.catalog.queries import CatalogFilter, catalog, search_courses
from app.content.models import Course
from app.content.search_index import search_documents
from app.extensions import db
from tests.course_files import ModuleFile

MRNA = [
    ModuleFile("template", title="DNA template and in vitro transcription",
               objectives=["Describe how mRNA is made from a linear DNA template"],
               body="# Template\n\nThe plasmid is linearised before *transcription*."),
    ModuleFile("release", title="Quality control and lot release",
               body="# Release\n\nEach lot is tested for endotoxins before lot release "
                    "by the qualified person. <b>Bold</b> & 5 < 6."),
]
GXP = [ModuleFile("why-gxp", title="Why GxP",
                  body="# Why\n\nRelease of a lot needs a signed batch record.")]


def _found(text: str) -> list[str]:
    return [card.course.slug for card in catalog(CatalogFilter(text=text), None)]


def test_search_finds_words_of_module_titles_objectives_and_lessons(
        make_course: Callable[..., Course]) -> None:
    make_course("mrna-vaccine", MRNA, title="mRNA vaccine manufacturing",
                summary="From template to vial.")
    make_course("gxp", GXP, title="GxP standard practice", summary="Good practice.")
    assert _found("mRNA") == ["mrna-vaccine"]  # course title and an objective
    assert _found("endotoxin") == ["mrna-vaccine"]  # a prefix of the lesson's "endotoxins"
    assert _found("transcription") == ["mrna-vaccine"]  # inside <em> in the lesson
    assert _found("linearised plasmid") == ["mrna-vaccine"]  # every word, any order
    assert _found("standard") == ["gxp"]  # the course's own title still counts


def test_a_phrase_finds_the_words_side_by_side_only(make_course: Callable[..., Course]) -> None:
    make_course("mrna-vaccine", MRNA, title="mRNA vaccine manufacturing")
    make_course("gxp", GXP, title="GxP standard practice")
    assert set(_found("lot release")) == {"mrna-vaccine", "gxp"}
    assert _found('"lot release"') == ["mrna-vaccine"]


def test_results_say_which_module_matched_with_the_words_marked_and_escaped(
        make_course: Callable[..., Course]) -> None:
    course = make_course("mrna-vaccine", MRNA, title="mRNA vaccine manufacturing")
    found = search_courses('"lot release"')
    assert list(found) == [course.id]
    (match,) = found[course.id].matches
    assert match.module == "Quality control and lot release"
    # SQLite marks the phrase as one, PostgreSQL each of its words.
    snippet = str(match.snippet).replace("</mark> <mark>", " ")
    assert "before <mark>lot release</mark> by" in snippet
    assert "Bold" in snippet and "<b>" not in snippet  # the lesson's text, its tags gone


def test_courses_are_ranked_by_how_well_they_match(make_course: Callable[..., Course]) -> None:
    make_course("gxp", GXP, title="GxP standard practice")
    make_course("mrna-vaccine", MRNA, title="mRNA vaccine manufacturing")
    # "release" is in the mRNA module's title (weighted above lesson text) and in both texts.
    assert _found("release") == ["mrna-vaccine", "gxp"]


def test_a_search_with_no_match_or_no_word_finds_nothing(
        make_course: Callable[..., Course]) -> None:
    make_course("mrna-vaccine", MRNA, title="mRNA vaccine manufacturing")
    assert _found("insulin") == []
    assert _found('*** - "" :') == []


def test_operators_and_odd_punctuation_are_searched_as_words(
        make_course: Callable[..., Course]) -> None:
    make_course("mrna-vaccine", MRNA, title="mRNA vaccine manufacturing")
    for text in ('"lot release', 'lot* -release', 'NEAR(lot release)', 'lot AND release',
                 "endotoxin's", 'lot OR insulin', '^lot', 'title:lot', "(lot)", "'lot'"):
        _found(text)  # no error from the database's query parser, whatever the text
    assert _found("NEAR(lot release)") == []  # "near" is a word the course does not have
    assert _found("lot -release") == ["mrna-vaccine"]  # "-" excludes nothing: both words
    assert _found('lot OR insulin') == []  # OR is a word too: every word must match


def test_a_re_import_replaces_the_words_and_archived_modules_leave_the_index(
        make_course: Callable[..., Course]) -> None:
    course = make_course("mrna-vaccine", MRNA, title="mRNA vaccine manufacturing")
    assert _found("endotoxin") == ["mrna-vaccine"]
    make_course("mrna-vaccine", MRNA[:1], title="mRNA vaccine manufacturing")  # release gone
    assert _found("endotoxin") == []
    assert _found("transcription") == ["mrna-vaccine"]
    modules = db.session.scalars(select(search_documents.c.module_id).where(
        search_documents.c.course_id == course.id)).all()
    assert len(modules) == 2  # the course and its one live module, no leftovers


def test_search_combines_with_the_other_filters(make_course: Callable[..., Course]) -> None:
    make_course("mrna-vaccine", MRNA, title="mRNA vaccine manufacturing", level="advanced")
    make_course("gxp", GXP, title="GxP standard practice", level="introductory")
    assert [c.course.slug for c in catalog(CatalogFilter(text="lot", level="introductory"),
                                           None)] == ["gxp"]


def test_facilitator_notes_quizzes_and_answers_are_never_searched(
        make_course: Callable[..., Course]) -> None:
    from tests.course_files import quiz

    make_course("mrna-vaccine", [ModuleFile(
        "check", body="# Check\n\nRead the SOP.\n\n::: facilitator\nPlasmodesma secret.\n:::\n",
        blocks=[quiz("check", "Which zygomorph grade?\n(x) Quokkagrade\n( ) Wombatgrade",
                     pass_mark="80%")])])
    assert _found("SOP") == ["mrna-vaccine"]
    for hidden in ("plasmodesma", "zygomorph", "quokkagrade", "wombatgrade"):
        assert _found(hidden) == [], hidden
