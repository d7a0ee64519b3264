"""SLO attainment and error budgets from counts of good and valid events.

    attainment  = good / valid
    budget      = (1 - SLO) * valid            (the bad events the objective allows)
    burn rate   = observed error rate / (1 - SLO),  observed error rate = (valid - good) / valid

A burn rate of 1 spends the budget exactly over the window; above 1 it runs out early. With no
valid events there is nothing to measure: every figure is None ("not collected"), never 0.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SloFigures:
    objective: Decimal
    good: int
    valid: int
    attainment: Decimal | None
    error_budget: Decimal | None  # bad events allowed in the window
    bad: int | None
    budget_remaining: Decimal | None  # error_budget - bad; negative once exceeded
    burn_rate: Decimal | None

    @property
    def met(self) -> bool | None:
        return None if self.attainment is None else self.attainment >= self.objective


def slo_figures(*, good: int, valid: int, objective: Decimal | str) -> SloFigures:
    """The figures of one window; refuses counts and objectives that cannot be right."""
    slo = Decimal(objective)
    if not Decimal(0) < slo < Decimal(1):
        raise ValueError(f"An SLO is a fraction between 0 and 1 (e.g. 0.999), not {objective}.")
    if isinstance(good, bool) or isinstance(valid, bool) or not isinstance(good, int) or not isinstance(valid, int):
        raise ValueError("Good and valid events are whole numbers.")
    if good < 0 or valid < 0:
        raise ValueError("Event counts cannot be negative.")
    if good > valid:
        raise ValueError(f"There cannot be more good events ({good}) than valid ones ({valid}).")
    if valid == 0:
        return SloFigures(slo, good, valid, None, None, None, None, None)
    allowed = 1 - slo
    bad = valid - good
    budget = allowed * valid
    return SloFigures(
        objective=slo,
        good=good,
        valid=valid,
        attainment=Decimal(good) / Decimal(valid),
        error_budget=budget,
        bad=bad,
        budget_remaining=budget - bad,
        burn_rate=(Decimal(bad) / Decimal(valid)) / allowed,
    )
