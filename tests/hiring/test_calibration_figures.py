from decimal import Decimal

from hiring.debrief import CardFacts, calibration_compute

# By hand: X rates c1 A strong_yes (4), B no-decision; c2 A yes (3). Y rates c1 A yes (3), C no (2).
# Z rates c2 B no (2) and leaves C (a focus dimension) blank.
CARDS = [
    CardFacts("X", 1, frozenset({"A", "B"}), {"A": "strong_yes", "B": "no_decision"}),
    CardFacts("Y", 1, frozenset({"A", "C"}), {"A": "yes", "C": "no"}),
    CardFacts("X", 2, frozenset({"A"}), {"A": "yes"}),
    CardFacts("Z", 2, frozenset({"B", "C"}), {"B": "no"}),
]


def test_it_computes_the_figures_of_each_interviewer():
    figures = {f.interviewer: f for f in calibration_compute(CARDS)}
    x, y, z = figures["X"], figures["Y"], figures["Z"]
    assert (x.scorecards, y.scorecards, z.scorecards) == (2, 1, 1)
    assert x.distribution == {"strong_no": 0, "no": 0, "yes": 1, "strong_yes": 1, "no_decision": 1}
    assert x.no_decision_rate == Decimal("0.33")
    assert y.no_decision_rate == Decimal("0.00")
    assert x.focus_fill_rate == Decimal("1.00")
    assert z.focus_fill_rate == Decimal("0.50")
    # X: c1 4 - mean(3, 2) = 1.5; c2 3 - 2 = 1; mean 1.25.
    assert (x.leniency, x.compared_candidates) == (Decimal("1.25"), 2)
    # Y: c1 mean(3, 2) - 4 = -1.5.  Z: c2 2 - 3 = -1.
    assert y.leniency == Decimal("-1.50")
    assert z.leniency == Decimal("-1.00")


def test_it_has_no_leniency_without_a_shared_candidate():
    [only] = calibration_compute([CardFacts("X", 1, frozenset({"A"}), {"A": "yes"})])
    assert only.leniency is None and only.compared_candidates == 0
