"""A call's phase, the applicant's status, eligibility, the form's fields and the rubric."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.calls import eligibility, rules
from app.calls.eligibility import Facts
from app.calls.fields import field_kinds

OPENS = datetime(2027, 1, 10, tzinfo=UTC)
CLOSES = datetime(2027, 2, 10, 14, 59, tzinfo=UTC)  # 23:59 in Seoul


def test_the_phase_follows_the_clock_to_the_instant() -> None:
    assert rules.call_phase("draft", OPENS, CLOSES, CLOSES) == "draft"
    assert rules.call_phase("published", OPENS, CLOSES, OPENS - timedelta(seconds=1)) == \
        "upcoming"
    assert rules.call_phase("published", OPENS, CLOSES, CLOSES - timedelta(seconds=1)) == "open"
    assert rules.call_phase("published", OPENS, CLOSES, CLOSES) == "closed"
    assert rules.call_phase("decided", OPENS, CLOSES, CLOSES) == "decided"
    assert rules.may_submit("open") and not rules.may_submit("closed")


def test_the_applicant_reads_submitted_then_under_review_then_decision() -> None:
    assert rules.applicant_status("submitted", "open", False) == "submitted"
    assert rules.applicant_status("submitted", "open", True) == "under_review"
    assert rules.applicant_status("submitted", "closed", False) == "under_review"
    assert rules.applicant_status("waitlisted", "decided", True) == "decision"
    assert rules.applicant_status("withdrawn", "open", False) == "withdrawn"
    assert rules.may_withdraw("submitted") and not rules.may_withdraw("accepted")


def _lmic(code: str) -> bool:
    return code in {"NG", "KE", "IN"}


def test_eligibility_gives_every_reason_and_what_is_unknown() -> None:
    rules_ = {"countries": "lmic", "residence_too": True,
              "organisation_types": ["manufacturer"], "min_experience_years": 2}
    verdict = eligibility.check(rules_, Facts("KR", None, "academia", 1), _lmic)
    assert [r.code for r in verdict.reasons] == ["nationality_not_lmic", "organisation_type",
                                                 "experience"]
    assert verdict.unknown == ("residence",) and not verdict.eligible
    assert eligibility.check(rules_, Facts("NG", "KE", "manufacturer", 3), _lmic).eligible
    listed = eligibility.check({"countries": "list", "country_list": ["IN"]}, Facts("NG"), _lmic)
    assert listed.reasons[0].as_json() == {"code": "nationality_not_listed", "country": "NG"}
    assert eligibility.check({}, Facts(), _lmic).eligible


def test_eligibility_rules_are_checked_for_the_author() -> None:
    problems = eligibility.rule_problems(
        {"countries": "some", "country_list": ["ZZ"], "organisation_types": ["farm"],
         "min_experience_years": -1, "age": 3}, lambda c: c != "ZZ", ("manufacturer",))
    assert {p.key for p in problems} == {"age", "countries", "country_list",
                                         "organisation_types", "min_experience_years"}


KINDS = field_kinds(lambda code: code in {"NG", "KE"})
FORM: list[dict[str, Any]] = [
    {"key": "role", "kind": "text", "label": "Current role", "required": True,
     "max_length": 20},
    {"key": "motivation", "kind": "long_text", "label": "Motivation", "required": True,
     "min_words": 3, "max_words": 5},
    {"key": "track", "kind": "choice", "label": "Track", "choices": ["mRNA", "Protein"]},
    {"key": "home", "kind": "country", "label": "Home"},
    {"key": "start", "kind": "date", "label": "Start"},
    {"key": "staff", "kind": "number", "label": "Staff", "min": 1, "whole": True},
    {"key": "cv", "kind": "file", "label": "CV", "required": True, "max_mb": 2},
]


def test_a_good_form_has_no_problems_and_a_bad_one_has_all_of_them() -> None:
    assert KINDS.form_problems(FORM) == []
    bad = [{"key": "1x", "kind": "text", "label": "A"},
           {"key": "a", "kind": "slider", "label": "A"},
           {"key": "b", "kind": "choice", "label": "", "choices": ["one"]},
           {"key": "b", "kind": "text", "label": "B", "max_words": 3}]
    keys = [p.key for p in KINDS.form_problems(bad)]
    assert keys == ["1x", "a", "b", "b", "b", "b"]


def test_answers_are_cleaned_and_every_problem_reported() -> None:
    answers, problems = KINDS.clean_answers(FORM, {
        "role": "  Production   lead ", "motivation": "too short", "track": "DNA",
        "home": "ng", "start": "15/03/2027", "staff": "2.5"})
    assert answers == {"role": "Production lead", "home": "NG"}
    assert [p.key for p in problems] == ["motivation", "track", "start", "staff"]
    assert problems[0].values == {"limit": 3, "count": 2}
    answers, problems = KINDS.clean_answers(FORM, {"staff": "12", "start": "2027-03-15"})
    assert answers == {"start": "2027-03-15", "staff": 12} and problems == []


def test_the_checklist_lists_required_answers_and_documents() -> None:
    missing = KINDS.missing(FORM, {"role": "QA"}, files=set())
    assert [d["key"] for d in missing] == ["motivation", "cv"]
    assert KINDS.missing(FORM, {"role": "QA", "motivation": "a b c"}, files={"cv"}) == []


def test_a_rubric_is_checked_and_scores_summed_up() -> None:
    rubric = [{"key": "fit", "label": "Fit", "max": 5}, {"key": "need", "label": "Need",
                                                          "max": 5}]
    assert rules.rubric_problems(rubric) == [] and rules.rubric_max(rubric) == 10
    assert [p.key for p in rules.rubric_problems([{"key": "fit", "label": "", "max": 0}])] == \
        ["fit", "fit"]
    assert [p.key for p in rules.score_problems(rubric, {"fit": "6", "need": ""})] == \
        ["fit", "need"]
    summary = rules.summarise([2, 9, 5], 10, 0.25)
    assert summary.mean == 16 / 3 and summary.spread == 7 and summary.disagreement
    assert not rules.summarise([5, 7], 10, 0.25).disagreement
    assert rules.summarise([], 10, 0.25).mean is None


def test_the_shared_world_has_a_published_call_with_a_valid_definition(call_world: Any
                                                                       ) -> None:
    call = call_world.call
    assert KINDS.form_problems(call.form) == []
    assert rules.rubric_problems(call.rubric) == []
    application = call_world.apply()
    assert application.id and application.state == "submitted"


def test_a_document_downloads_as_an_attachment_with_a_safe_name(call_world: Any) -> None:
    from app.calls.files import download_name, file_response, load_file

    application = call_world.apply()
    stored = load_file(application.id, "cv")
    assert stored is not None and load_file(application.id, "photo") is None
    response = file_response(stored)
    assert response.headers["Content-Disposition"] == 'attachment; filename="cv.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.get_data().startswith(b"%PDF-")
    assert download_name('../My "CV" 2026.PDF') == "My-CV-2026.pdf"
    assert download_name("") == "document.pdf"
