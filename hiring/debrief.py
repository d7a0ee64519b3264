"""The debrief and interviewer calibration as pure computations over plain values (no database).

Scale points: strong no 1, no 2, yes 3, strong yes 4. A 'no decision' and an unrated dimension are left
out of that dimension's mean. The loop score is the sum of weight x dimension mean over the covered
dimensions divided by the sum of their weights: the blueprint's weights renormalised over what the panel
actually assessed, and the result says so (docs/adr/0020-hiring-scorecards.md).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
POINTS = {"strong_no": 1, "no": 2, "yes": 3, "strong_yes": 4}
NO_DECISION = "no_decision"
RATINGS = ("strong_no", "no", "yes", "strong_yes", NO_DECISION)


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class GivenRating:
    dimension: str
    interviewer: str
    rating: str
    notes: str = ""


@dataclass(frozen=True)
class GivenSignal:
    kind: str  # strong, weak, red_flag
    text: str
    evidence: str
    interviewer: str


@dataclass
class DimensionLine:
    name: str
    weight: Decimal
    ratings: list[GivenRating] = field(default_factory=list)
    mean: Decimal | None = None  # unrounded mean of the scale points
    contribution: Decimal | None = None  # weight x mean / covered weight (unrounded)
    split: bool = False

    @property
    def covered(self) -> bool:
        return self.mean is not None

    @property
    def no_decisions(self) -> int:
        return sum(1 for given in self.ratings if given.rating == NO_DECISION)

    @property
    def mean_display(self) -> Decimal | None:
        return None if self.mean is None else _round(self.mean)


@dataclass
class Debrief:
    lines: list[DimensionLine]
    weighted_score: Decimal | None
    covered_weight: Decimal
    total_weight: Decimal
    red_flags: list[GivenSignal]
    strong_signals: list[GivenSignal]
    weak_signals: list[GivenSignal]

    @property
    def covered(self) -> list[DimensionLine]:
        return [line for line in self.lines if line.covered]

    @property
    def uncovered(self) -> list[str]:
        return [line.name for line in self.lines if not line.covered]

    @property
    def disagreements(self) -> list[str]:
        return [line.name for line in self.lines if line.split]

    @property
    def renormalised(self) -> str:
        """How the weights were used, in words."""
        covered, total = len(self.covered), len(self.lines)
        if not covered:
            return f"No dimension rated yet: no score (0 of {total} dimensions)."
        if covered == total:
            return f"Weights as in the blueprint: all {total} dimensions assessed."
        return (
            f"Renormalised over {covered} of {total} dimensions "
            f"({self.covered_weight.normalize():f} of {self.total_weight.normalize():f} weight)."
        )


def debrief_compute(
    *,
    dimensions: Sequence[tuple[str, Decimal]],
    ratings: Iterable[GivenRating],
    signals: Iterable[GivenSignal] = (),
) -> Debrief:
    """`dimensions` are (name, weight) in scorecard order; `ratings` the current scorecards' ratings."""
    lines = {name: DimensionLine(name=name, weight=Decimal(weight)) for name, weight in dimensions}
    for given in ratings:
        if given.dimension in lines:
            lines[given.dimension].ratings.append(given)
    for line in lines.values():
        points = [POINTS[given.rating] for given in line.ratings if given.rating in POINTS]
        if points:
            line.mean = Decimal(sum(points)) / Decimal(len(points))
            line.split = any(p <= 2 for p in points) and any(p >= 3 for p in points)
    covered_weight = sum((line.weight for line in lines.values() if line.covered), Decimal(0))
    total_weight = sum((line.weight for line in lines.values()), Decimal(0))
    score = None
    if covered_weight:
        for line in lines.values():
            if line.mean is not None:
                line.contribution = line.weight * line.mean / covered_weight
        score = _round(sum((line.contribution or Decimal(0) for line in lines.values()), Decimal(0)))
    signal_list = list(signals)
    return Debrief(
        lines=list(lines.values()),
        weighted_score=score,
        covered_weight=covered_weight,
        total_weight=total_weight,
        red_flags=[s for s in signal_list if s.kind == "red_flag"],
        strong_signals=[s for s in signal_list if s.kind == "strong"],
        weak_signals=[s for s in signal_list if s.kind == "weak"],
    )


# --- Interviewer calibration ----------------------------------------------------------------------


@dataclass(frozen=True)
class CardFacts:
    """One current scorecard: who wrote it, on which candidate, its focus and its ratings."""

    interviewer: str
    candidate: int
    focus: frozenset[str]
    ratings: dict[str, str]  # dimension -> rating (a dimension left blank is absent)


@dataclass
class InterviewerFigures:
    interviewer: str
    scorecards: int
    distribution: dict[str, int]
    ratings: int
    no_decision_rate: Decimal | None
    focus_fill_rate: Decimal | None
    leniency: Decimal | None  # own mean points minus the rest of the panel's, on the same candidates
    compared_candidates: int


def calibration_compute(cards: Iterable[CardFacts]) -> list[InterviewerFigures]:
    """Per interviewer: scorecards, rating distribution, no-decision rate, focus fill rate, leniency.

    Leniency: for every candidate the interviewer rated where someone else on the panel rated too, the
    mean of the interviewer's scale points minus the mean of the other interviewers' points on that
    candidate; the figure is the mean of those differences (positive = more lenient than the panel).
    """
    all_cards = list(cards)
    points: dict[tuple[str, int], list[int]] = defaultdict(list)
    for card in all_cards:
        points[(card.interviewer, card.candidate)] += [POINTS[r] for r in card.ratings.values() if r in POINTS]
    by_interviewer: dict[str, list[CardFacts]] = defaultdict(list)
    for card in all_cards:
        by_interviewer[card.interviewer].append(card)
    figures = []
    for interviewer in sorted(by_interviewer):
        own = by_interviewer[interviewer]
        counts = Counter(rating for card in own for rating in card.ratings.values())
        total = sum(counts.values())
        focus_total = sum(len(card.focus) for card in own)
        focus_filled = sum(1 for card in own for name in card.focus if name in card.ratings)
        differences = []
        for candidate in sorted({card.candidate for card in own}):
            mine = points.get((interviewer, candidate), [])
            others = [
                p for (who, cand), values in points.items() if cand == candidate and who != interviewer for p in values
            ]
            if mine and others:
                differences.append(
                    Decimal(sum(mine)) / Decimal(len(mine)) - Decimal(sum(others)) / Decimal(len(others))
                )
        figures.append(
            InterviewerFigures(
                interviewer=interviewer,
                scorecards=len(own),
                distribution={rating: counts.get(rating, 0) for rating in RATINGS},
                ratings=total,
                no_decision_rate=_round(Decimal(counts.get(NO_DECISION, 0)) / Decimal(total)) if total else None,
                focus_fill_rate=_round(Decimal(focus_filled) / Decimal(focus_total)) if focus_total else None,
                leniency=_round(sum(differences, Decimal(0)) / Decimal(len(differences))) if differences else None,
                compared_candidates=len(differences),
            )
        )
    return figures
