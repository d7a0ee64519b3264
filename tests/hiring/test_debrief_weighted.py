from decimal import Decimal

from hiring.debrief import GivenRating, GivenSignal, debrief_compute

DIMENSIONS = [("A", Decimal(25)), ("B", Decimal(20)), ("C", Decimal(15))]


def given(dimension: str, rating: str, who: str = "x") -> GivenRating:
    return GivenRating(dimension=dimension, interviewer=who, rating=rating)


def test_it_renormalises_over_the_covered_dimensions_leaving_no_decisions_out():
    ratings = [
        given("A", "yes"),
        given("A", "strong_yes", "y"),
        given("B", "no_decision"),
        given("C", "no"),
        given("C", "yes", "y"),
    ]
    debrief = debrief_compute(dimensions=DIMENSIONS, ratings=ratings)
    # (25 x 3.5 + 15 x 2.5) / (25 + 15) = 125 / 40 = 3.125, rounded half up once.
    assert debrief.weighted_score == Decimal("3.13")
    assert debrief.uncovered == ["B"]
    assert debrief.covered_weight == Decimal(40)
    assert debrief.renormalised == "Renormalised over 2 of 3 dimensions (40 of 60 weight)."
    assert debrief.lines[1].no_decisions == 1


def test_it_flags_a_dimension_split_between_no_and_yes():
    ratings = [given("A", "strong_yes"), given("A", "yes", "y"), given("C", "no"), given("C", "yes", "y")]
    debrief = debrief_compute(dimensions=DIMENSIONS, ratings=ratings)
    assert debrief.disagreements == ["C"]


def test_it_has_no_score_when_nothing_is_rated():
    debrief = debrief_compute(dimensions=DIMENSIONS, ratings=[given("A", "no_decision")])
    assert debrief.weighted_score is None
    assert debrief.uncovered == ["A", "B", "C"]
    assert "0 of 3" in debrief.renormalised


def test_it_uses_the_blueprint_weights_when_every_dimension_is_covered():
    ratings = [given("A", "strong_no"), given("B", "no"), given("C", "strong_yes")]
    debrief = debrief_compute(dimensions=DIMENSIONS, ratings=ratings)
    # (25 x 1 + 20 x 2 + 15 x 4) / 60 = 125 / 60 = 2.0833...
    assert debrief.weighted_score == Decimal("2.08")
    assert debrief.renormalised == "Weights as in the blueprint: all 3 dimensions assessed."


def test_it_lists_red_flags_apart():
    signals = [GivenSignal("strong", "s", "", "x"), GivenSignal("red_flag", "r", "e", "y")]
    debrief = debrief_compute(dimensions=DIMENSIONS, ratings=[], signals=signals)
    assert [s.text for s in debrief.red_flags] == ["r"]
    assert [s.text for s in debrief.strong_signals] == ["s"]
