"""The pure checks of a call as written, and reading the call form's rows and lines: no
Flask, no database."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from werkzeug.datastructures import MultiDict

from app.calls.checking import CallPlan, Placed, plan_problems, publish_problems
from app.calls.reading import (
    criterion_of,
    definition_of,
    key_from,
    question_rows,
    read_criteria,
    read_lines,
    read_questions,
)

OPENS = datetime(2027, 1, 10, tzinfo=UTC)
CLOSES = datetime(2027, 2, 10, 14, 59, tzinfo=UTC)


def _problems(**changes: object) -> dict[str, str]:
    given: dict[str, object] = {
        "centre_id": 1, "intake_id": None, "kind": "trainee", "code": "C", "title": "T",
        "opens_at": OPENS, "closes_at": CLOSES, "timezone": "Asia/Seoul", "places": 3}
    plan = CallPlan(**{**given, **changes})  # type: ignore[arg-type]
    found = plan_problems(plan, known_country=lambda code: code in {"NG", "KE", "KR"},
                          is_zone=lambda zone: zone in {"Asia/Seoul", "UTC"},
                          languages=("en", "fr"))
    return {p.where: p.problem.message for p in found}


def test_a_plan_with_nothing_wrong_has_no_problem() -> None:
    assert _problems() == {}


def test_each_problem_is_placed_where_the_page_shows_it() -> None:
    found = _problems(kind="centre", intake_id=4, code="", title="x" * 301, closes_at=OPENS,
                      timezone="Mars", places=None, languages=("xx",),
                      eligibility={"countries": "list", "country_list": []},
                      form=[{"key": "a", "kind": "text", "label": ""}],
                      rubric=[{"key": "b", "label": "B", "max": 101}],
                      quotas={"country_max_by": {"ZZ": 3}}, confirm_days=0,
                      disagreement_share=1.5)
    assert set(found) == {"intake_id", "code", "title", "closes_at", "timezone", "places",
                          "languages", "eligibility:country_list", "form:a", "rubric:b",
                          "quotas:country_max_by", "confirm_days", "disagreement_share"}
    assert found["closes_at"] == "The call must close after it opens."


def test_a_draft_may_lack_a_rubric_but_publishing_may_not() -> None:
    assert "rubric" not in _problems(rubric=[])
    call = SimpleNamespace(form=[], rubric=[], places=0, opens_at=OPENS, closes_at=OPENS)
    assert {p.where for p in publish_problems(call)} == {"form", "rubric", "places",
                                                          "closes_at"}


def test_a_key_is_made_from_the_label_when_left_empty() -> None:
    assert key_from("Current job title", "q1") == "current_job_title"
    assert key_from("Années d'expérience", "q1") == "annees_d_experience"
    assert key_from("경력", "question_2") == "question_2"
    assert key_from("2nd language", "q3") == "q3"


def test_the_builders_rows_are_read_in_order_blank_ones_left_out() -> None:
    data = MultiDict({
        "question-0-label": "Track", "question-0-kind": "choice",
        "question-0-choices": "mRNA\r\n\r\nInsulin\n", "question-0-multiple": "y",
        "question-0-max_words": "40",  # another kind's option: dropped
        "question-1-label": "", "question-1-kind": "text",
        "question-10-label": "Years", "question-10-kind": "number", "question-10-min": "0",
        "question-10-max": "4,5", "question-10-required": "y",
        "question-2-key": "cv", "question-2-label": "CV", "question-2-kind": "file",
        "question-2-max_mb": "two",
    })
    rows = read_questions(data)
    assert [row["key"] for row in rows] == ["track", "cv", "years"]
    assert [definition_of(row) for row in rows] == [
        {"key": "track", "kind": "choice", "label": "Track", "required": False,
         "choices": ["mRNA", "Insulin"], "multiple": True},
        {"key": "cv", "kind": "file", "label": "CV", "required": False, "max_mb": "two"},
        {"key": "years", "kind": "number", "label": "Years", "required": True, "min": 0,
         "max": 4.5}]
    # A definition comes back into the same row.
    assert question_rows([definition_of(rows[0])])[0]["choices"] == "mRNA\nInsulin"
    criteria = read_criteria(MultiDict({"criterion-0-label": "Impact", "criterion-0-max": "5",
                                        "criterion-1-label": ""}))
    assert [criterion_of(row) for row in criteria] == [
        {"key": "impact", "label": "Impact", "max": 5}]


def test_country_lines_are_read_and_a_wrong_line_is_named() -> None:
    problems: list[Placed] = []
    assert read_lines("ng 8\nKE: 2\n\nsix for Kenya\nKR", "quotas:country_min", problems,
                      upper=True) == {"NG": 8, "KE": 2}
    assert [p.problem.values["line"] for p in problems] == [4, 5]
    assert read_lines("Female 50", "quotas:gender_target", [], upper=False) == {"female": 50}
