"""Item analysis statistics: pure."""

from app.grading.analysis import AttemptFacts, analyse


def test_facility_discrimination_choices_and_flags() -> None:
    attempts = [
        AttemptFacts(100, {"a": 1.0, "b": 1.0, "c": 0.0}, {"a": (0,)}),
        AttemptFacts(80, {"a": 1.0, "b": 1.0, "c": 0.0}, {"a": (0,)}),
        AttemptFacts(40, {"a": 1.0, "b": 0.0, "c": 0.0}, {"a": (2,)}),
        AttemptFacts(10, {"a": 1.0, "b": 0.0, "c": 0.0}, {"a": (2,)}),
    ]
    a, b, c = analyse(["a", "b", "c"], attempts)
    assert (a.facility, a.discrimination, a.flags) == (1.0, 0.0, ("everyone right",))
    assert a.choice_counts == {0: 2, 2: 2}
    assert (b.facility, b.discrimination, b.flags) == (0.5, 1.0, ())
    assert (c.facility, c.flags) == (0.0, ("nobody right",))


def test_a_question_weaker_learners_get_right_is_flagged() -> None:
    attempts = [AttemptFacts(90, {"q": 0.0}), AttemptFacts(20, {"q": 1.0})]
    (stat,) = analyse(["q"], attempts)
    assert stat.discrimination == -1.0 and "weaker learners do better" in stat.flags


def test_no_attempts() -> None:
    (stat,) = analyse(["q"], [])
    assert (stat.answered, stat.facility, stat.discrimination, stat.flags) == (0, 0.0, None, ())
