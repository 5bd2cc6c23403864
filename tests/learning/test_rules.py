"""Pure rules of progress."""

from app.learning.rules import (
    ModuleFacts,
    ProgressFacts,
    State,
    completion_requirements,
    course_progress,
    module_state,
    requirements_text,
    unmet_requirements,
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


def test_each_modality_adds_its_own_requirement() -> None:
    assert completion_requirements(has_checklist=True, has_assessment=True,
                                   attendance_required=True) == (
        "sign_off", "assessment", "attendance")
    assert completion_requirements(has_checklist=True, has_assessment=False,
                                   attendance_required=True) == ("sign_off", "attendance")
    assert completion_requirements(has_checklist=False, has_assessment=True,
                                   attendance_required=False) == ("assessment",)
    assert completion_requirements(has_checklist=False, has_assessment=False,
                                   attendance_required=True) == ("attendance",)
    assert completion_requirements(has_checklist=False, has_assessment=False,
                                   attendance_required=False) == ("read",)


def test_requirements_are_told_in_one_sentence() -> None:
    assert requirements_text(("read",)) == "Mark this module as complete once you have read it."
    assert requirements_text(("sign_off", "attendance")) == (
        "This module is complete when an assessor signs off your hands-on checklist and your "
        "attendance at one of its live sessions is recorded.")
    assert unmet_requirements(("sign_off", "attendance"), {"sign_off"}) == ("attendance",)
    assert unmet_requirements(("assessment",), {"assessment"}) == ()


def test_completion_across_modalities() -> None:
    """Virtual reading, a live session, a hands-on sign-off: the course is complete only when
    each required module is complete in its own modality; optional ones do not count."""
    virtual = ModuleFacts("v", "Virtual", 1)
    live = ModuleFacts("l", "Workshop", 1, requirements=("assessment", "attendance"))
    hands_on = ModuleFacts("h", "Gowning", 1, requirements=("sign_off", "attendance"))
    extra = ModuleFacts("x", "Extra", 1, optional=True, requirements=("attendance",))
    modules = [virtual, live, hands_on, extra]
    two = {"v": ProgressFacts(True, 1), "l": ProgressFacts(True, 1)}
    assert not course_progress(modules, two).complete
    three = {**two, "h": ProgressFacts(True, 1)}
    assert course_progress(modules, three).complete
    assert course_progress(modules, three).percent == 100


def test_a_course_without_required_modules_is_not_complete_by_default() -> None:
    assert course_progress([C], {}).complete is False
