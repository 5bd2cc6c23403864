"""Pure rules of progress."""

from app.learning.rules import (
    ModuleFacts,
    ProgressFacts,
    State,
    completion_route,
    course_progress,
    module_state,
)

A = ModuleFacts("a", "A", version=1)
B = ModuleFacts("b", "B", version=2, prerequisites=("a",))
C = ModuleFacts("c", "C", version=1, optional=True)


def test_states() -> None:
    assert module_state(A, None, set()) == State.NOT_STARTED
    assert module_state(A, ProgressFacts(viewed=True), set()) == State.IN_PROGRESS
    assert module_state(B, None, set()) == State.LOCKED
    assert module_state(B, None, {"a"}) == State.NOT_STARTED
    assert module_state(B, ProgressFacts(True, 2), set()) == State.COMPLETE
    assert module_state(B, ProgressFacts(True, 1), {"a"}) == State.RETRAINING_DUE
    assert module_state(A, None, set(), course_locked=True) == State.LOCKED


def test_course_progress_counts_required_modules_only() -> None:
    progress = course_progress([A, B, C], {"a": ProgressFacts(True, 1)})
    assert progress.states == {"a": State.COMPLETE, "b": State.NOT_STARTED,
                               "c": State.NOT_STARTED}
    assert (progress.percent, progress.complete, progress.next_slug) == (50, False, "b")
    done = course_progress([A, B, C], {"a": ProgressFacts(True, 1), "b": ProgressFacts(True, 2)})
    assert done.complete and done.percent == 100 and done.next_slug == "c"


def test_retraining_keeps_prerequisites_open_but_not_completion() -> None:
    progress = course_progress([A, B], {"a": ProgressFacts(True, 1), "b": ProgressFacts(True, 1)})
    assert progress.states["b"] == State.RETRAINING_DUE
    assert progress.retraining_due == ("b",) and not progress.complete
    assert progress.percent == 50 and progress.next_slug == "b"


def test_completion_routes_first_match_wins() -> None:
    assert completion_route(has_checklist=True, has_assessment=True,
                            attendance_required=True) == "sign_off"
    assert completion_route(has_checklist=False, has_assessment=True,
                            attendance_required=True) == "assessment"
    assert completion_route(has_checklist=False, has_assessment=False,
                            attendance_required=True) == "attendance"
    assert completion_route(has_checklist=False, has_assessment=False,
                            attendance_required=False) == "read"


def test_a_course_without_required_modules_is_not_complete_by_default() -> None:
    assert course_progress([C], {}).complete is False
