from decimal import Decimal

import pytest

from kpis.slo import slo_figures


def test_it_computes_attainment_budget_and_burn_rate():
    # 99.9% over 1,000,000 valid events allows 1,000 bad ones; 1,500 bad burn it 1.5 times as fast.
    figures = slo_figures(good=998_500, valid=1_000_000, objective="0.999")
    assert figures.attainment == Decimal("0.9985")
    assert figures.error_budget == Decimal("1000.000")
    assert figures.bad == 1_500
    assert figures.budget_remaining == Decimal("-500.000")
    assert figures.burn_rate == Decimal("1.5")
    assert figures.met is False


def test_it_meets_the_objective_within_budget():
    figures = slo_figures(good=9_995, valid=10_000, objective=Decimal("0.999"))
    assert figures.attainment == Decimal("0.9995") and figures.met is True
    assert figures.burn_rate == Decimal("0.5") and figures.budget_remaining == Decimal("5.000")


def test_no_valid_events_is_not_collected_rather_than_zero():
    figures = slo_figures(good=0, valid=0, objective="0.99")
    assert (figures.attainment, figures.error_budget, figures.burn_rate, figures.met) == (None, None, None, None)


@pytest.mark.parametrize(
    ("good", "valid", "objective", "message"),
    [
        (5, 4, "0.99", "more good events"),
        (-1, 4, "0.99", "negative"),
        (1, 4, "1", "between 0 and 1"),
        (1, 4, "0", "between 0 and 1"),
        (1, 4, "99.9", "between 0 and 1"),
        (True, 4, "0.99", "whole numbers"),
        (1.5, 4, "0.99", "whole numbers"),
    ],
)
def test_it_refuses_counts_and_objectives_that_cannot_be_right(good, valid, objective, message):
    with pytest.raises(ValueError, match=message):
        slo_figures(good=good, valid=valid, objective=objective)
