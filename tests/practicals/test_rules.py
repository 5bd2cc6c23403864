"""The outcome of a marked checklist, at its boundaries."""

from app.practicals.rules import MEANING_COMPETENT, MEANING_NOT_YET, Item, outcome

TEN = [Item(str(n), critical=n <= 2) for n in range(1, 11)]  # items 1 and 2 are critical


def marks(**given: str) -> dict[str, str]:
    base = {str(n): "met" for n in range(1, 11)}
    base.update({key.removeprefix("i"): value for key, value in given.items()})
    return base


def test_all_met_is_competent() -> None:
    result = outcome(TEN, marks(), 90)
    assert (result.competent, result.percent, result.met, result.applicable) == (
        True, 100.0, 10, 10)
    assert result.meaning == MEANING_COMPETENT and result.complete


def test_the_pass_mark_boundary_is_exact() -> None:
    nine_of_ten = outcome(TEN, marks(i10="not_met"), 90)
    assert nine_of_ten.competent and nine_of_ten.percent == 90.0
    eight_of_ten = outcome(TEN, marks(i9="not_met", i10="not_met"), 90)
    assert not eight_of_ten.competent and eight_of_ten.meaning == MEANING_NOT_YET
    assert not outcome(TEN, marks(i10="not_met"), 91).competent


def test_a_critical_item_not_met_fails_whatever_the_percentage() -> None:
    result = outcome(TEN, marks(i1="not_met"), 50)
    assert not result.competent and result.critical_not_met == ("1",)
    assert result.percent == 90.0


def test_not_applicable_items_leave_the_denominator_but_critical_ones_must_be_met() -> None:
    # 8 of 9 applicable = 88.9%: below 90 even though only one item is not met.
    result = outcome(TEN, marks(i10="na", i9="not_met"), 90)
    assert (result.met, result.applicable, result.percent, result.competent) == (
        8, 9, 88.9, False)
    assert outcome(TEN, marks(i10="na"), 90).competent  # 9 of 9
    critical_na = outcome(TEN, marks(i2="na"), 90)
    assert not critical_na.competent and critical_na.critical_not_met == ("2",)


def test_an_incomplete_marking_cannot_pass() -> None:
    partial = {str(n): "met" for n in range(1, 10)}
    result = outcome(TEN, partial, 50)
    assert result.unmarked == ("10",) and not result.complete and not result.competent
    assert not outcome(TEN, {}, 0).competent
    everything_na = outcome([Item("1")], {"1": "na"}, 0)
    assert everything_na.percent is None and not everything_na.competent
