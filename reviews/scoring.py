"""The weighted score, and its explanation.

Weighted score = Σ(weight * score) / Σ(weight) over the scorecard's dimensions, rounded to two
places once, at the end. A side with an unrated dimension has no weighted score: no silent zeros,
no silent dilution.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    dimension: str
    weight: Decimal
    score: int | None
    # weight * score / Σ(weight): what this dimension adds to the weighted score (unrounded).
    contribution: Decimal | None


@dataclass(frozen=True)
class Explanation:
    lines: list[Line]
    total_weight: Decimal
    weighted_score: Decimal | None
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def explain(pairs: Iterable[tuple[str, Decimal, int | None]]) -> Explanation:
    """`pairs` are (dimension name, weight, score or None) in scorecard order."""
    items = list(pairs)
    total = sum((Decimal(weight) for _name, weight, _score in items), Decimal(0))
    lines = [
        Line(
            dimension=name,
            weight=Decimal(weight),
            score=score,
            contribution=(Decimal(weight) * score / total) if score is not None and total else None,
        )
        for name, weight, score in items
    ]
    missing = [line.dimension for line in lines if line.score is None]
    weighted = weighted_score([(line.weight, line.score) for line in lines]) if not missing else None
    return Explanation(lines=lines, total_weight=total, weighted_score=weighted, missing=missing)


def weighted_score(pairs: Sequence[tuple[Decimal, int | None]]) -> Decimal | None:
    """Σ(weight * score) / Σ(weight), rounded half up to two places; None while any score is missing."""
    if not pairs or any(score is None for _weight, score in pairs):
        return None
    total = sum((Decimal(weight) for weight, _score in pairs), Decimal(0))
    if not total:
        return None
    weighted = sum((Decimal(weight) * Decimal(score) for weight, score in pairs if score is not None), Decimal(0))
    return (weighted / total).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rounded_rating(score: Decimal | None) -> int | None:
    """The whole 1..5 rating a weighted score rounds to (half up: 3.50 is a 4)."""
    if score is None:
        return None
    return int(score.quantize(Decimal(1), rounding=ROUND_HALF_UP))
