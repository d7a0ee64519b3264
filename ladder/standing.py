"""Where a person stands against the bar of their level: gaps weighted by importance, and a suggestion.

The rules (docs/adr/0018-career-ladder-and-self-assessment.md), in one place so that the page, the API,
the PDF and the stored figures of a submitted assessment never disagree:

- Every skill is expected at 3 ("Meets the bar") for the person's current level.
- The gap of a skill is max(0, 3 - score); its weighted gap is the gap times the weight of its importance:
  critical 3, important 2, optional 1, expert 1. A gap on a critical skill weighs three times one on an
  optional skill.
- The weighted score is the sum of weight x score over the sum of the weights of the rated skills,
  rounded half up to 2 places, once.
- Criteria count met 1, partly 1/2, not yet 0.
- The suggested readiness for the next level (only once every skill and criterion is answered):
  ready when no skill has a gap, the weighted score is at least 3.50 and every criterion is met;
  ready soon when no critical skill has a gap, the weighted gap is at most 10% of the largest possible
  (every rated skill at 1) and at least half the criteria are met; developing when the weighted gap is at
  most 35% of the largest possible; not ready yet otherwise.
It is a suggestion: the manager records the actual view.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ladder.models import AssessmentCriterion, AssessmentSkill, ManagerView
from scorecards.models import Skill

EXPECTED = 3
IMPORTANCE_WEIGHTS: dict[str, int] = {
    Skill.Importance.CRITICAL: 3,
    Skill.Importance.IMPORTANT: 2,
    Skill.Importance.OPTIONAL: 1,
    Skill.Importance.EXPERT: 1,
}
IMPORTANCE_ORDER = [
    Skill.Importance.CRITICAL,
    Skill.Importance.IMPORTANT,
    Skill.Importance.OPTIONAL,
    Skill.Importance.EXPERT,
]
CRITERION_CREDIT: dict[str, Decimal] = {
    AssessmentCriterion.Status.MET: Decimal("1"),
    AssessmentCriterion.Status.PARTLY: Decimal("0.5"),
    AssessmentCriterion.Status.NOT_YET: Decimal("0"),
}
READY_SCORE = Decimal("3.50")
READY_SOON_GAP_SHARE = Decimal("0.10")
DEVELOPING_GAP_SHARE = Decimal("0.35")
READY_SOON_CRITERIA_SHARE = Decimal("0.5")
SUGGESTION_LABEL = "Suggestion - your manager records the actual view"
CENT = Decimal("0.01")


def weight_of(importance: str) -> int:
    return IMPORTANCE_WEIGHTS.get(importance, 1)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SkillStanding:
    row: AssessmentSkill
    skill: Skill
    score: int | None
    weight: int

    @property
    def gap(self) -> int | None:
        return None if self.score is None else max(0, EXPECTED - self.score)

    @property
    def weighted_gap(self) -> int | None:
        gap = self.gap
        return None if gap is None else gap * self.weight


@dataclass
class Cell:
    """One importance within one skill group."""

    importance: str
    skills: int = 0
    rated: int = 0
    weighted_gap: int = 0
    gaps: int = 0


@dataclass
class GroupStanding:
    key: str
    label: str
    skills: list[SkillStanding] = field(default_factory=list)

    @property
    def rated(self) -> list[SkillStanding]:
        return [s for s in self.skills if s.score is not None]

    @property
    def weighted_gap(self) -> int:
        return sum(s.weighted_gap or 0 for s in self.skills)

    @property
    def weighted_score(self) -> Decimal | None:
        return weighted_mean(self.rated)

    @property
    def cells(self) -> list[Cell]:
        cells: dict[str, Cell] = {str(importance): Cell(importance=importance) for importance in IMPORTANCE_ORDER}
        for standing in self.skills:
            cell = cells.setdefault(standing.skill.importance, Cell(importance=standing.skill.importance))
            cell.skills += 1
            if standing.score is not None:
                cell.rated += 1
                cell.weighted_gap += standing.weighted_gap or 0
                cell.gaps += 1 if standing.gap else 0
        return list(cells.values())


def weighted_mean(standings: Sequence[SkillStanding]) -> Decimal | None:
    total = sum(s.weight for s in standings)
    if not total:
        return None
    return rounded(Decimal(sum(s.weight * (s.score or 0) for s in standings)) / Decimal(total))


@dataclass
class Standing:
    skills: list[SkillStanding]
    criteria: list[AssessmentCriterion]

    @property
    def rated(self) -> list[SkillStanding]:
        return [s for s in self.skills if s.score is not None]

    @property
    def unrated(self) -> list[SkillStanding]:
        return [s for s in self.skills if s.score is None]

    @property
    def unanswered_criteria(self) -> list[AssessmentCriterion]:
        return [c for c in self.criteria if not c.status]

    @property
    def complete(self) -> bool:
        return bool(self.skills) and not self.unrated and not self.unanswered_criteria

    @property
    def weighted_score(self) -> Decimal | None:
        return weighted_mean(self.rated)

    @property
    def weighted_gap(self) -> int:
        return sum(s.weighted_gap or 0 for s in self.skills)

    @property
    def largest_gap(self) -> int:
        """The weighted gap if every rated skill were at 1."""
        return sum((EXPECTED - 1) * s.weight for s in self.rated)

    @property
    def gap_share(self) -> Decimal:
        largest = self.largest_gap
        return Decimal(self.weighted_gap) / Decimal(largest) if largest else Decimal(0)

    @property
    def critical_gaps(self) -> list[SkillStanding]:
        return [s for s in self.gaps if s.skill.importance == Skill.Importance.CRITICAL]

    @property
    def gaps(self) -> list[SkillStanding]:
        """Skills below the bar, critical first, then the largest gap, then the blueprint's order."""
        below = [s for s in self.skills if s.gap]
        return sorted(
            below,
            key=lambda s: (_importance_rank(s.skill.importance), -(s.weighted_gap or 0), s.skill.position),
        )

    @property
    def criteria_share(self) -> Decimal | None:
        answered = [c for c in self.criteria if c.status]
        if not answered:
            return None
        return sum((CRITERION_CREDIT[c.status] for c in answered), Decimal(0)) / Decimal(len(answered))

    @property
    def criteria_met(self) -> int:
        return sum(1 for c in self.criteria if c.status == AssessmentCriterion.Status.MET)

    @property
    def groups(self) -> list[GroupStanding]:
        labels = dict(Skill.Group.choices)
        groups: dict[str, GroupStanding] = {}
        for standing in self.skills:
            key = standing.skill.group
            if key not in groups:
                label = str(labels.get(key, key))
                groups[key] = GroupStanding(key=key, label=label[:1].upper() + label[1:])
            groups[key].skills.append(standing)
        return list(groups.values())

    @property
    def suggestion(self) -> str | None:
        """A ManagerView.Readiness value, or None until every skill and criterion is answered."""
        if not self.complete:
            return None
        return suggest(
            weighted_gap=self.weighted_gap,
            gap_share=self.gap_share,
            critical_gaps=len(self.critical_gaps),
            weighted_score=self.weighted_score or Decimal(0),
            criteria_share=self.criteria_share,
        )


def suggest(
    *,
    weighted_gap: int,
    gap_share: Decimal,
    critical_gaps: int,
    weighted_score: Decimal,
    criteria_share: Decimal | None,
) -> str:
    criteria = Decimal(1) if criteria_share is None else criteria_share  # no criteria: nothing to miss
    if weighted_gap == 0 and weighted_score >= READY_SCORE and criteria == 1:
        return ManagerView.Readiness.READY
    if critical_gaps == 0 and gap_share <= READY_SOON_GAP_SHARE and criteria >= READY_SOON_CRITERIA_SHARE:
        return ManagerView.Readiness.READY_SOON
    if gap_share <= DEVELOPING_GAP_SHARE:
        return ManagerView.Readiness.DEVELOPING
    return ManagerView.Readiness.NOT_READY


def _importance_rank(importance: str) -> int:
    try:
        return IMPORTANCE_ORDER.index(Skill.Importance(importance))
    except ValueError:
        return len(IMPORTANCE_ORDER)


def standing_of(rows: Iterable[AssessmentSkill], criteria: Iterable[AssessmentCriterion]) -> Standing:
    """Rows with their skills loaded (select_related), in the blueprint's order."""
    skills = [
        SkillStanding(row=row, skill=row.skill, score=row.score, weight=weight_of(row.skill.importance))
        for row in sorted(rows, key=lambda r: r.skill.position)
    ]
    return Standing(skills=skills, criteria=sorted(criteria, key=lambda c: c.criterion.position))
