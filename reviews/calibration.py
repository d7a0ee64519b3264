"""Reads of a cycle's calibration: every review in the caller's scope with its weighted scores, the
distributions of ratings, each manager's ratings against the rest (skew), the 9-box and the history of
adjusted final ratings.

Weighted scores are computed by the database, per review and side, in whole hundredths: with weights
in hundredths W and scores s, round_half_up(100 * sum(W*s) / sum(W)) = (200 * sum(W*s) + sum(W)) div
(2 * sum(W)) in integer arithmetic, which is exactly what reviews.scoring.weighted_score computes with
Decimals (no float on either backend). A side with fewer rated dimensions than its scorecard has no
score. Means and spreads are derived from SQL counts, sums and sums of squares of those hundredths,
so they are exact too. Every selector runs a fixed number of queries whatever the cycle's size.

Scope: HR sees everyone; a manager their reports, a director their whole org
(access.calibration_employee_ids), never their own review. Filters narrow the rows, the
distributions and the figures; the skew compares managers over the whole scope, because a manager
is judged against everyone else's ratings, not against the rows a filter happens to show.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Cast, Round
from django.db.models.lookups import Exact

from reviews.models import SCORE_LABELS, Cycle, Rating, Review
from reviews.scoring import TWO_PLACES, rounded_rating
from scorecards.models import ScorecardDimension
from staffrole import access

RATINGS = (1, 2, 3, 4, 5)
GAP_THRESHOLD = 2  # a dimension is flagged when self and manager are this far apart (or more)

# The self side counts once submitted; the manager side once the manager review is submitted.
SELF_DONE_STATES = (
    Review.State.SELF_SUBMITTED,
    Review.State.MANAGER_SUBMITTED,
    Review.State.CALIBRATED,
    Review.State.SHARED,
    Review.State.ACKNOWLEDGED,
)
MANAGER_DONE_STATES = SELF_DONE_STATES[1:]
STATE_ORDER = list(Review.State.values)

# Skew (docs/adr/0016-calibration-skew.md).
SKEW_MIN_REVIEWS = 3  # on each side: the manager's and the rest's
SKEW_MEAN_DIFFERENCE = Decimal("0.50")  # rating points between a manager's mean and the rest's, at least
SKEW_COMPRESSED_RATIO = Decimal("0.5")  # a spread under half the rest's is compressed

POTENTIAL_LEVELS = ("high", "medium", "low")
PERFORMANCE_LEVELS = ("high", "medium", "low")

CALIBRATION_PAGE_SIZE = 50  # rows of the page's table at a time
NINE_BOX_NAMES = 5  # people the page names in each 9-box cell; the others are counted


# --- Filters -------------------------------------------------------------------------------------

SORT_KEYS = ("name", "manager_score", "gap", "manager", "team", "level", "final", "state")
SORTS = frozenset(SORT_KEYS) | {f"-{key}" for key in SORT_KEYS}
FILTER_FIELDS = ("team", "manager", "level", "state", "sort")
LEVEL_MAX_LENGTH = 50


@dataclass(frozen=True)
class CalibrationFilters:
    team: int | None = None  # org.Team id
    manager: int | None = None  # reviewer Employee id
    level: str = ""
    state: str = ""  # a Review.State value or ""
    # name, manager_score, gap, manager, team, level, final, state; a leading "-" reverses the order.
    # "gap" lists the largest disagreement between the weighted self and manager scores first.
    sort: str = "name"

    @classmethod
    def from_query(cls, data: Mapping[str, Any]) -> tuple["CalibrationFilters", dict[str, str]]:
        """The filters a query string (or a job's params) names, and a message for each value that was
        not understood: that value is ignored, never an error page."""
        errors: dict[str, str] = {}

        def text(name: str) -> str:
            value = data.get(name, "")
            if isinstance(value, list | tuple):
                value = value[-1] if value else ""
            return str(value).strip() if value is not None else ""

        def identifier(name: str, what: str) -> int | None:
            raw = text(name)
            if not raw:
                return None
            if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**31:
                return int(raw)
            errors[name] = f"Choose the {what} from the list; showing every {what}."
            return None

        team = identifier("team", "team")
        manager = identifier("manager", "manager")
        level = text("level")
        if len(level) > LEVEL_MAX_LENGTH:
            errors["level"] = "Choose the level from the list; showing every level."
            level = ""
        state = text("state")
        if state and state not in Review.State.values:
            errors["state"] = "Choose the state from the list; showing every state."
            state = ""
        sort = text("sort") or "name"
        if sort not in SORTS:
            errors["sort"] = "That column cannot be sorted; sorted by name."
            sort = "name"
        return cls(team=team, manager=manager, level=level, state=state, sort=sort), errors

    def as_query(self) -> dict[str, str]:
        """The filters as strings, leaving out defaults: from_query(as_query()) gives them back."""
        values = {
            "team": str(self.team) if self.team is not None else "",
            "manager": str(self.manager) if self.manager is not None else "",
            "level": self.level,
            "state": self.state,
            "sort": self.sort if self.sort != "name" else "",
        }
        return {key: value for key, value in values.items() if value}

    @property
    def active(self) -> bool:
        """Whether a filter (not only the order) narrows the rows."""
        return bool(self.team is not None or self.manager is not None or self.level or self.state)


# --- What the selectors answer -------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    dimension: str
    self_score: int
    manager_score: int
    difference: int  # manager - self


@dataclass(frozen=True)
class CalibrationRow:
    review_id: int
    version: int
    state: str
    employee_id: int
    employee_name: str
    username: str
    team_name: str
    level: str
    reviewer_id: int | None
    reviewer_name: str
    weighted_self: Decimal | None  # only when the self side is submitted and complete
    weighted_manager: Decimal | None  # only when the manager side is submitted (manager_submitted or later)
    proposed: int | None  # scoring.rounded_rating(weighted_manager)
    final_rating: int | None
    potential: str  # "", low, medium, high ("" too when the caller may not see it)
    justification: str
    gaps: tuple[Gap, ...]
    team_id: int | None = None
    potential_visible: bool = False
    calibrated_at: datetime | None = None

    @property
    def adjusted(self) -> bool:
        return self.final_rating is not None and self.final_rating != self.proposed

    @property
    def performance(self) -> int | None:
        """The rating the 9-box places: the final rating once calibrated, else the proposed one."""
        return self.final_rating if self.final_rating is not None else self.proposed

    @property
    def acceptable(self) -> bool:
        """Whether "accept as is" applies: the manager review is in and nobody has calibrated it yet."""
        return self.state == Review.State.MANAGER_SUBMITTED and self.proposed is not None

    @property
    def calibratable(self) -> bool:
        return self.state in (Review.State.MANAGER_SUBMITTED, Review.State.CALIBRATED) and self.proposed is not None


@dataclass(frozen=True)
class Bar:
    rating: int
    label: str
    count: int
    percent: int  # of the distribution's total, rounded


@dataclass(frozen=True)
class Distribution:
    label: str
    counts: dict[int, int]  # rating 1..5 -> count (all five keys present)
    total: int
    mean: Decimal | None
    group: str = ""  # the manager, team or level it is about ("" for the overall ones)

    @property
    def bars(self) -> tuple[Bar, ...]:
        return tuple(
            Bar(
                rating=rating,
                label=SCORE_LABELS[rating],
                count=self.counts[rating],
                percent=round(100 * self.counts[rating] / self.total) if self.total else 0,
            )
            for rating in RATINGS
        )


@dataclass(frozen=True)
class ManagerSkew:
    reviewer_id: int
    name: str
    count: int
    mean: Decimal | None
    spread: Decimal | None  # population standard deviation of this manager's weighted manager scores
    rest_mean: Decimal | None
    rest_spread: Decimal | None
    difference: Decimal | None  # mean - rest_mean
    flagged: bool
    reason: str
    rest_count: int = 0
    kind: str = ""  # "lenient", "harsh", "compressed", "" (within range) or "few" (too few to judge)


@dataclass(frozen=True)
class NineBoxPerson:
    """Someone the page names in a 9-box cell (the page lists the first few of each cell by name)."""

    review_id: int
    employee_name: str
    username: str


@dataclass(frozen=True)
class NineBoxCell:
    performance: str
    potential: str
    rows: tuple[CalibrationRow | NineBoxPerson, ...]  # everyone in the cell, or the first few by name
    total: int | None = None  # everyone in the cell, when `rows` names only the first few

    @property
    def count(self) -> int:
        return self.total if self.total is not None else len(self.rows)

    @property
    def more(self) -> int:
        """How many are in the cell beyond those named."""
        return self.count - len(self.rows)


@dataclass(frozen=True)
class Adjustment:
    review_id: int
    employee_name: str
    reviewer_name: str
    proposed: int | None
    before: int | None
    after: int
    justification: str
    actor: str
    at: datetime
    bulk: bool = False


@dataclass(frozen=True)
class AcceptOffer:
    """What "accept as is" covers on the page: every review under the page's filters (on every page of
    the table) that is manager-submitted with a complete manager side, at the version read."""

    reviews: tuple[tuple[int, int], ...] = ()  # (review id, version), by id
    proposed: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))  # rating 1..5 -> how many

    @property
    def count(self) -> int:
        return len(self.reviews)

    @property
    def token(self) -> str:
        """The reviews as the accept form posts them: "id:version" pairs, comma-separated."""
        return ",".join(f"{pk}:{version}" for pk, version in self.reviews)

    @property
    def bars(self) -> tuple[Bar, ...]:
        return Distribution(label="", counts=self.proposed, total=self.count, mean=None).bars


class Choice(NamedTuple):
    """One option of a filter: a team or manager id (int) or a level, with its name."""

    value: Any
    label: str


@dataclass(frozen=True)
class CalibrationOverview:
    cycle: Cycle
    filters: CalibrationFilters
    rows: tuple[CalibrationRow, ...]
    manager_score_distribution: Distribution
    final_distribution: Distribution
    by_manager: tuple[Distribution, ...]
    by_team: tuple[Distribution, ...]
    by_level: tuple[Distribution, ...]
    skews: tuple[ManagerSkew, ...]
    nine_box: tuple[NineBoxCell, ...]
    figures: dict[str, Any]
    teams: tuple[Choice, ...]
    managers: tuple[Choice, ...]
    levels: tuple[Choice, ...]
    not_placed: tuple[CalibrationRow | NineBoxPerson, ...] = field(default=())
    potential_visible: bool = True  # False when the caller may see nobody's potential
    # The page of the table `rows` is (calibration_overview_page); None when `rows` holds every filtered review.
    page: Page | None = None
    not_placed_total: int | None = None  # everyone not placed, when `not_placed` names only the first few

    @property
    def acceptable(self) -> tuple[CalibrationRow, ...]:
        """The rows held (one page of them, on the page) that "accept as is" applies to; the page's
        offer covers every page: calibration_acceptable."""
        return tuple(row for row in self.rows if row.acceptable)

    @property
    def not_placed_count(self) -> int:
        return self.not_placed_total if self.not_placed_total is not None else len(self.not_placed)

    @property
    def not_placed_more(self) -> int:
        """How many are not placed beyond those named."""
        return self.not_placed_count - len(self.not_placed)

    def cell(self, performance: str, potential: str) -> NineBoxCell:
        return next(c for c in self.nine_box if c.performance == performance and c.potential == potential)


# --- Queries -------------------------------------------------------------------------------------


def _weight_hundredths() -> Cast:
    # Round first: SQLite keeps decimals as floats, and 12.35 * 100 is 1234.999... there.
    return Cast(Round(F("dimension__weight") * Value(100)), IntegerField())


def _side_complete(side: str) -> Q:
    """The side's rated dimensions are as many as its scorecard has: no score while one is unrated."""
    dimensions = (
        ScorecardDimension.objects.filter(version=OuterRef("blueprint_version"))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rated = (
        Rating.objects.filter(review=OuterRef("pk"), side=side, score__isnull=False)
        .order_by()
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Q(Exact(Subquery(rated, output_field=IntegerField()), Subquery(dimensions, output_field=IntegerField())))


def side_hundredths(side: str) -> Subquery:
    """A review's weighted score of one side in whole hundredths (345 for 3.45), rounded half up, over
    its rated dimensions. For querysets of Review; see _side_complete for whether it counts."""
    weight = _weight_hundredths()
    scored = (
        Rating.objects.filter(review=OuterRef("pk"), side=side, score__isnull=False)
        .order_by()
        .values("review")
        .annotate(
            num=Sum(weight * F("score"), output_field=IntegerField()),
            den=Sum(weight, output_field=IntegerField()),
        )
        .annotate(
            hundredths=Case(
                When(den__gt=0, then=(Value(200) * F("num") + F("den")) / (Value(2) * F("den"))),
                default=None,
                output_field=IntegerField(),
            )
        )
        .values("hundredths")
    )
    return Subquery(scored, output_field=IntegerField())


def with_weighted_scores(queryset: QuerySet[Review]) -> QuerySet[Review]:
    """Annotate `self_h` and `manager_h`: each side's weighted score in hundredths, only once that side
    is submitted (the self side from self_submitted on, the manager side from manager_submitted on) and
    complete."""
    return queryset.annotate(
        self_h=Case(
            When(
                Q(state__in=SELF_DONE_STATES) & _side_complete(Rating.Side.SELF),
                then=side_hundredths(Rating.Side.SELF),
            ),
            default=None,
            output_field=IntegerField(),
        ),
        manager_h=Case(
            When(
                Q(state__in=MANAGER_DONE_STATES) & _side_complete(Rating.Side.MANAGER),
                then=side_hundredths(Rating.Side.MANAGER),
            ),
            default=None,
            output_field=IntegerField(),
        ),
    )


def _from_hundredths(value: Any) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(int(value)) / 100).quantize(TWO_PLACES)


def scope_reviews(*, user: Any, cycle: Cycle) -> QuerySet[Review]:
    """The cycle's reviews the caller calibrates or reads in calibration, never their own."""
    queryset = Review.objects.filter(cycle=cycle)
    employees = access.calibration_employee_ids(user)
    if employees is not None:
        queryset = queryset.filter(employee_id__in=employees)
        visible = access.review_visibility_q(user)
        if visible is not None:
            queryset = queryset.filter(visible)
    me = access.viewer(user).employee
    if me is not None:
        queryset = queryset.exclude(employee_id=me.pk)
    return queryset


def _filtered(queryset: QuerySet[Review], filters: CalibrationFilters) -> QuerySet[Review]:
    if filters.team is not None:
        queryset = queryset.filter(employee__team_id=filters.team)
    if filters.manager is not None:
        queryset = queryset.filter(reviewer_id=filters.manager)
    if filters.level:
        queryset = queryset.filter(employee__level=filters.level)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    return queryset


def _ordering(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "gap":
        descending = not descending  # "gap": the largest disagreement first
    expressions = {
        "name": F("employee__name"),
        "manager_score": F("manager_h"),
        "gap": F("gap_size"),
        "manager": F("reviewer__name"),
        "team": F("employee__team__name"),
        "level": F("level_or_null"),
        "final": F("final_rating"),
        "state": F("state_order"),
    }
    expression = expressions.get(key, expressions["name"])
    first = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return [first, F("employee__name").asc(), "pk"]


def _rows_queryset(base: QuerySet[Review], sort: str) -> QuerySet[Review]:
    queryset = with_weighted_scores(base).select_related("employee__user", "employee__team", "reviewer")
    queryset = queryset.annotate(
        gap_size=Abs(F("manager_h") - F("self_h")),
        level_or_null=Case(When(employee__level="", then=None), default=F("employee__level"), output_field=CharField()),
        state_order=Case(
            *(When(state=state, then=Value(index)) for index, state in enumerate(STATE_ORDER)),
            output_field=IntegerField(),
        ),
    )
    return queryset.order_by(*_ordering(sort))


def _gaps(base: QuerySet[Review]) -> dict[int, list[Gap]]:
    """Dimensions whose self and manager scores are GAP_THRESHOLD or more apart, on reviews whose two
    sides are submitted: one query."""
    # Both sides of a dimension in one pass, grouped by review and dimension: a subquery per self rating
    # for its manager rating takes a third of a second at two thousand reviews.
    rows = (
        Rating.objects.filter(
            review__in=base.filter(state__in=MANAGER_DONE_STATES).values("pk"),
            score__isnull=False,
        )
        .values("review_id", "dimension_id", "dimension__name", "dimension__position")
        .annotate(
            self_score=Max("score", filter=Q(side=Rating.Side.SELF)),
            manager_score=Max("score", filter=Q(side=Rating.Side.MANAGER)),
        )
        .annotate(difference=F("manager_score") - F("self_score"))
        .filter(Q(difference__gte=GAP_THRESHOLD) | Q(difference__lte=-GAP_THRESHOLD))
        .order_by("review_id", "dimension__position")
        .values_list("review_id", "dimension__name", "self_score", "manager_score", "difference")
    )
    gaps: dict[int, list[Gap]] = {}
    for review_id, name, self_score, manager, difference in rows:
        gaps.setdefault(review_id, []).append(
            Gap(dimension=name, self_score=int(self_score or 0), manager_score=int(manager), difference=int(difference))
        )
    return gaps


def _row(review: Any, gaps: dict[int, list[Gap]], user: Any) -> CalibrationRow:
    see_potential = access.can_see_potential(user, review)
    weighted_manager = _from_hundredths(review.manager_h)
    team = review.employee.team
    return CalibrationRow(
        review_id=review.pk,
        version=review.version,
        state=review.state,
        employee_id=review.employee_id,
        employee_name=review.employee.name,
        username=review.employee.user.username,
        team_name=team.name if team is not None else "",
        team_id=team.pk if team is not None else None,
        level=review.employee.level,
        reviewer_id=review.reviewer_id,
        reviewer_name=review.reviewer.name if review.reviewer is not None else "",
        weighted_self=_from_hundredths(review.self_h),
        weighted_manager=weighted_manager,
        proposed=rounded_rating(weighted_manager),
        final_rating=review.final_rating,
        potential=review.potential if see_potential else "",
        potential_visible=see_potential,
        justification=review.calibration_justification,
        gaps=tuple(gaps.get(review.pk, ())),
        calibrated_at=review.calibrated_at,
    )


def calibration_rows(
    *, user: Any, cycle: Cycle, filters: CalibrationFilters, review_ids: Collection[int] | None = None
) -> tuple[CalibrationRow, ...]:
    """The rows of the calibration table (of `review_ids` only, when given), filtered and sorted: two
    queries (plus the caller's subtree, once per request)."""
    access.subtree_of(user)  # cached: the potential checks below then need no query per row
    base = _filtered(scope_reviews(user=user, cycle=cycle), filters)
    if review_ids is not None:
        base = base.filter(pk__in=list(review_ids))
    reviews = list(_rows_queryset(base, filters.sort))
    gaps = _gaps(base) if reviews else {}
    return tuple(_row(review, gaps, user) for review in reviews)


# --- Figures, in SQL over the scored reviews ------------------------------------------------------


def _scored_sql(queryset: QuerySet[Review]) -> tuple[str, tuple[Any, ...]]:
    """The reviews with their weighted manager score in hundredths, as SQL to select from."""
    scored = with_weighted_scores(queryset).annotate(
        c_reviewer=F("reviewer_id"),
        c_reviewer_name=F("reviewer__name"),
        c_team=F("employee__team_id"),
        c_team_name=F("employee__team__name"),
        c_level=F("employee__level"),
        c_state=F("state"),
        c_final=F("final_rating"),
    )
    columns = ("c_reviewer", "c_reviewer_name", "c_team", "c_team_name", "c_level", "c_state", "c_final", "manager_h")
    sql, params = scored.order_by().values(*columns).query.sql_with_params()
    return sql, tuple(params)


def _computed_once(sql: str) -> str:
    """A derived table the database computes once per row. Without the fence (a LIMIT or OFFSET it may
    not look through), PostgreSQL and SQLite merge it into the outer query and run a weighted score's
    subqueries again for every mention of the column: four times over in the grouped counts."""
    return f"{sql} OFFSET 0" if connection.vendor == "postgresql" else f"{sql} LIMIT -1 OFFSET 0"


def _grouped_counts(queryset: QuerySet[Review]) -> list[dict[str, Any]]:
    """Reviews counted per (reviewer, team, level, state, rounded manager score, final rating), with the
    sum of their weighted manager scores: one query, the rows far fewer than the reviews."""
    try:
        sql, params = _scored_sql(queryset)
    except EmptyResultSet:  # a scope that cannot match anyone
        return []
    query = (
        "SELECT c_reviewer, c_reviewer_name, c_team, c_team_name, c_level, c_state, c_final,"  # noqa: S608
        " (manager_h + 50) / 100 AS c_rating, COUNT(*), COUNT(manager_h), SUM(manager_h)"
        f" FROM ({_computed_once(sql)}) scored"
        " GROUP BY c_reviewer, c_reviewer_name, c_team, c_team_name, c_level, c_state, c_final,"
        " (manager_h + 50) / 100"
    )
    names = (
        "reviewer",
        "reviewer_name",
        "team",
        "team_name",
        "level",
        "state",
        "final",
        "rating",
        "n",
        "scored",
        "sum",
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _manager_sums(queryset: QuerySet[Review]) -> list[tuple[int, str, int, int, int]]:
    """(reviewer id, name, count, sum, sum of squares) of the weighted manager scores in hundredths,
    per reviewer: one query."""
    try:
        sql, params = _scored_sql(queryset)
    except EmptyResultSet:
        return []
    query = (
        "SELECT c_reviewer, c_reviewer_name, COUNT(*), SUM(manager_h), SUM(manager_h * manager_h)"  # noqa: S608
        f" FROM ({_computed_once(sql)}) scored"
        " WHERE manager_h IS NOT NULL AND c_reviewer IS NOT NULL"
        " GROUP BY c_reviewer, c_reviewer_name"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [(int(r), str(name), int(n), int(s), int(ss)) for r, name, n, s, ss in cursor.fetchall()]


def _mean(total: int, count: int) -> Decimal | None:
    """The mean of `count` values summing to `total` hundredths, in rating points, to two places."""
    if not count:
        return None
    return (Decimal(total) / count / 100).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _spread(total: int, squares: int, count: int) -> Decimal | None:
    """The population standard deviation of `count` values (in hundredths), in rating points."""
    if not count:
        return None
    with localcontext() as context:
        context.prec = 40
        variance = (Decimal(squares) * count - Decimal(total) ** 2) / (Decimal(count) ** 2)
        deviation = max(variance, Decimal(0)).sqrt() / 100
    return deviation.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _distribution(label: str, counts: dict[int, int], total_sum: int, scored: int, *, group: str = "") -> Distribution:
    full = {rating: counts.get(rating, 0) for rating in RATINGS}
    return Distribution(label=label, counts=full, total=sum(full.values()), mean=_mean(total_sum, scored), group=group)


def _point(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"


def skew_threshold(*, count: int, rest_spread: Decimal | None) -> Decimal:
    """How far a manager's mean must be from the rest's to be flagged: half a rating point, or twice
    the standard error of a mean of `count` reviews drawn like the rest's, whichever is more."""
    noise = Decimal(2) * (rest_spread or Decimal(0)) / Decimal(count).sqrt() if count else Decimal(0)
    return max(SKEW_MEAN_DIFFERENCE, noise)


def manager_skews(sums: list[tuple[int, str, int, int, int]]) -> tuple[ManagerSkew, ...]:
    """Each manager's weighted manager scores against every other manager's (docs/adr/0016)."""
    all_n = sum(n for _r, _name, n, _s, _ss in sums)
    all_s = sum(s for _r, _name, _n, s, _ss in sums)
    all_ss = sum(ss for _r, _name, _n, _s, ss in sums)
    skews = []
    for reviewer, name, n, s, ss in sums:
        rest_n, rest_s, rest_ss = all_n - n, all_s - s, all_ss - ss
        mean, spread = _mean(s, n), _spread(s, ss, n)
        rest_mean, rest_spread = _mean(rest_s, rest_n), _spread(rest_s, rest_ss, rest_n)
        difference = mean - rest_mean if mean is not None and rest_mean is not None else None
        kind, reason = "", ""
        if n < SKEW_MIN_REVIEWS or rest_n < SKEW_MIN_REVIEWS:
            kind = "few"
            reason = (
                f"Too few reviews to compare ({n} of this manager's, {rest_n} of the rest; "
                f"{SKEW_MIN_REVIEWS} each are needed)"
            )
        elif difference is not None and mean is not None and rest_mean is not None:
            direction = "above" if difference > 0 else "below"
            rates = f"rates {_point(abs(difference))} {direction} the rest ({_point(mean)} vs {_point(rest_mean)})"
            if abs(difference) >= skew_threshold(count=n, rest_spread=rest_spread):
                kind = "lenient" if difference > 0 else "harsh"
                reason = rates[0].upper() + rates[1:]
            elif abs(difference) >= SKEW_MEAN_DIFFERENCE:
                reason = f"Within what {n} reviews vary by chance: {rates}"
            elif (
                spread is not None
                and rest_spread is not None
                and rest_spread > 0
                and spread < rest_spread * SKEW_COMPRESSED_RATIO
            ):
                kind = "compressed"
                reason = f"Compressed: ratings spread {spread} vs {rest_spread} for the rest"
            else:
                reason = f"Within range ({_point(mean)} vs {_point(rest_mean)} for the rest)"
        skews.append(
            ManagerSkew(
                reviewer_id=reviewer,
                name=name,
                count=n,
                mean=mean,
                spread=spread,
                rest_mean=rest_mean,
                rest_spread=rest_spread,
                difference=difference,
                flagged=kind in ("lenient", "harsh", "compressed"),
                reason=reason,
                rest_count=rest_n,
                kind=kind,
            )
        )
    return tuple(sorted(skews, key=lambda skew: (not skew.flagged, skew.name.lower(), skew.reviewer_id)))


def _band(rating: int | None) -> str:
    if rating is None:
        return ""
    return "low" if rating <= 2 else "medium" if rating == 3 else "high"


def nine_box(rows: tuple[CalibrationRow, ...]) -> tuple[tuple[NineBoxCell, ...], tuple[CalibrationRow, ...]]:
    """The 9-box cells (high potential and high performance first) and the rows it cannot place."""
    cells: dict[tuple[str, str], list[CalibrationRow]] = {
        (performance, potential): [] for potential in POTENTIAL_LEVELS for performance in PERFORMANCE_LEVELS
    }
    not_placed = []
    for row in rows:
        performance = _band(row.performance)
        if performance and row.potential in POTENTIAL_LEVELS:
            cells[(performance, row.potential)].append(row)
        else:
            not_placed.append(row)
    return (
        tuple(
            NineBoxCell(performance=performance, potential=potential, rows=tuple(cells[(performance, potential)]))
            for potential in POTENTIAL_LEVELS
            for performance in PERFORMANCE_LEVELS
        ),
        tuple(not_placed),
    )


def _choices(scope: QuerySet[Review]) -> tuple[tuple[Choice, ...], tuple[Choice, ...], tuple[Choice, ...]]:
    """The teams, managers and levels of the caller's scope, for the filter form: one query."""
    rows = (
        scope.order_by()
        .values_list("employee__team_id", "employee__team__name", "reviewer_id", "reviewer__name", "employee__level")
        .distinct()
    )
    teams: dict[int, str] = {}
    managers: dict[int, str] = {}
    levels: set[str] = set()
    for team_id, team_name, reviewer_id, reviewer_name, level in rows:
        if team_id is not None:
            teams[team_id] = team_name
        if reviewer_id is not None:
            managers[reviewer_id] = reviewer_name
        if level:
            levels.add(level)

    def ordered(items: dict[int, str]) -> tuple[Choice, ...]:
        return tuple(
            Choice(pk, name) for pk, name in sorted(items.items(), key=lambda item: (item[1].lower(), item[0]))
        )

    return ordered(teams), ordered(managers), tuple(Choice(level, level) for level in sorted(levels))


def _nine_box_sample(
    queryset: QuerySet[Review], names: int
) -> tuple[tuple[NineBoxCell, ...], tuple[NineBoxPerson, ...], int]:
    """The 9-box of the reviews as the page shows it: each cell's count with its first `names` people by
    name, and the same of the people it cannot place (with their number): one query.

    Every review of the calibration scope is one whose manager side the caller reads (scope_reviews,
    staffrole.access), so its potential is the caller's to see and the cells count it."""
    people: dict[tuple[str, str], list[NineBoxPerson]] = {}
    totals: dict[tuple[str, str], int] = {}
    scored = with_weighted_scores(queryset).annotate(
        c_id=F("pk"),
        c_name=F("employee__name"),
        c_username=F("employee__user__username"),
        c_potential=F("potential"),
        c_final=F("final_rating"),
    )
    columns = ("c_id", "c_name", "c_username", "c_potential", "c_final", "manager_h")
    try:
        sql, params = scored.order_by().values(*columns).query.sql_with_params()
    except EmptyResultSet:
        sql = ""
    if sql:
        levels = ", ".join(f"'{level}'" for level in POTENTIAL_LEVELS)
        unplaced = f"c_rating IS NULL OR c_potential NOT IN ({levels})"
        # Performance is the final rating once set, else the proposed one (see _band); a person without
        # either, or without a potential, falls in the ("", "") group: not placed.
        query = (
            "SELECT c_id, c_name, c_username, c_performance, c_box, c_place, c_total FROM ("  # noqa: S608
            " SELECT c_id, c_name, c_username, c_performance, c_box,"
            " ROW_NUMBER() OVER (PARTITION BY c_performance, c_box ORDER BY c_name, c_id) AS c_place,"
            " COUNT(*) OVER (PARTITION BY c_performance, c_box) AS c_total"
            " FROM ("
            " SELECT c_id, c_name, c_username,"
            f" CASE WHEN {unplaced} THEN '' WHEN c_rating <= 2 THEN 'low' WHEN c_rating = 3 THEN 'medium'"
            " ELSE 'high' END AS c_performance,"
            f" CASE WHEN {unplaced} THEN '' ELSE c_potential END AS c_box"
            " FROM (SELECT c_id, c_name, c_username, c_potential, COALESCE(c_final, (manager_h + 50) / 100) AS c_rating"
            f" FROM ({_computed_once(sql)}) scored) rated"
            " ) boxed"
            ") ranked WHERE c_place <= %s ORDER BY c_performance, c_box, c_place"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, (*params, max(names, 1)))
            for pk, name, username, performance, potential, place, total in cursor.fetchall():
                key = (str(performance), str(potential))
                totals[key] = int(total)
                if place <= names:
                    people.setdefault(key, []).append(
                        NineBoxPerson(review_id=int(pk), employee_name=str(name), username=str(username))
                    )
    cells = tuple(
        NineBoxCell(
            performance=performance,
            potential=potential,
            rows=tuple(people.get((performance, potential), ())),
            total=totals.get((performance, potential), 0),
        )
        for potential in POTENTIAL_LEVELS
        for performance in PERFORMANCE_LEVELS
    )
    return cells, tuple(people.get(("", ""), ())), totals.get(("", ""), 0)


def calibration_overview(*, user: Any, cycle: Cycle, filters: CalibrationFilters) -> CalibrationOverview:
    """Everything the calibration pack shows, for the caller's scope, with the row of every filtered
    review and everyone in the 9-box: six queries (plus the caller's subtree, once per request) whatever
    the number of reviews. The page shows one page of the rows: calibration_overview_page."""
    rows = calibration_rows(user=user, cycle=cycle, filters=filters)
    cells, not_placed = nine_box(rows)
    return _overview(
        cycle=cycle,
        filters=filters,
        scope=scope_reviews(user=user, cycle=cycle),
        rows=rows,
        cells=cells,
        not_placed=not_placed,
    )


def calibration_overview_page(
    *,
    user: Any,
    cycle: Cycle,
    filters: CalibrationFilters,
    page: int = 1,
    per_page: int = CALIBRATION_PAGE_SIZE,
    names: int = NINE_BOX_NAMES,
) -> CalibrationOverview:
    """What the calibration page shows, for the caller's scope: the figures, distributions, skews and
    9-box counted over every filtered review, but the table's rows of one page only (page `page`, or
    the nearest page there is) and the first `names` people of each 9-box cell by name. Seven queries
    (plus the caller's subtree, once per request) whatever the number of reviews."""
    access.subtree_of(user)  # cached: the potential checks of the rows then need no query per row
    scope = scope_reviews(user=user, cycle=cycle)
    base = _filtered(scope, filters)
    paginator = Paginator(_rows_queryset(base, filters.sort), per_page)
    number = min(max(page, 1), paginator.num_pages)
    reviews = list(paginator.page(number).object_list)
    gaps = _gaps(base.filter(pk__in=[review.pk for review in reviews])) if reviews else {}
    rows = tuple(_row(review, gaps, user) for review in reviews)
    cells, not_placed, not_placed_total = _nine_box_sample(base, names)
    return _overview(
        cycle=cycle,
        filters=filters,
        scope=scope,
        rows=rows,
        cells=cells,
        not_placed=not_placed,
        page=Page(rows, number, paginator),
        not_placed_total=not_placed_total,
    )


def calibration_figures(*, user: Any, cycle: Cycle, filters: CalibrationFilters) -> CalibrationOverview:
    """The summary figures and distributions alone (no rows, no 9-box), to show again after a final
    rating is set: three queries."""
    return _overview(
        cycle=cycle, filters=filters, scope=scope_reviews(user=user, cycle=cycle), rows=(), cells=(), not_placed=()
    )


def calibration_acceptable(*, user: Any, cycle: Cycle, filters: CalibrationFilters) -> AcceptOffer:
    """The reviews "accept as is" covers under the filters, whichever page of the table is shown: every
    manager-submitted review in the caller's scope with a complete manager side. One query."""
    columns = ("pk", "version", "manager_h")  # manager_h: the weighted manager score in hundredths
    reviews = (
        with_weighted_scores(_filtered(scope_reviews(user=user, cycle=cycle), filters))
        .filter(state=Review.State.MANAGER_SUBMITTED)
        .order_by("pk")
        .values_list(*columns)
    )
    found = []
    proposed = dict.fromkeys(RATINGS, 0)
    for pk, version, hundredths in reviews:
        if hundredths is None:  # the manager side is incomplete
            continue
        found.append((int(pk), int(version)))
        rating = rounded_rating(_from_hundredths(hundredths))
        if rating in proposed:
            proposed[rating] += 1
    return AcceptOffer(reviews=tuple(found), proposed=proposed)


def _overview(
    *,
    cycle: Cycle,
    filters: CalibrationFilters,
    scope: QuerySet[Review],
    rows: tuple[CalibrationRow, ...],
    cells: tuple[NineBoxCell, ...],
    not_placed: tuple[CalibrationRow | NineBoxPerson, ...],
    page: Page | None = None,
    not_placed_total: int | None = None,
) -> CalibrationOverview:
    """The figures, distributions, skews and filter choices around the rows: three queries."""
    grouped = _grouped_counts(_filtered(scope, filters))
    teams, managers, levels = _choices(scope)

    def fold(key: str, name: str) -> dict[Any, dict[str, Any]]:
        groups: dict[Any, dict[str, Any]] = {}
        for item in grouped:
            if item["rating"] is None:
                continue
            group = groups.setdefault(item[key], {"name": item[name], "counts": {}, "sum": 0, "scored": 0})
            group["counts"][item["rating"]] = group["counts"].get(item["rating"], 0) + item["n"]
            group["sum"] += int(item["sum"] or 0)
            group["scored"] += item["scored"]
        return groups

    manager_counts: dict[int, int] = {}
    manager_sum = manager_scored = 0
    for item in grouped:
        if item["rating"] is not None:
            manager_counts[item["rating"]] = manager_counts.get(item["rating"], 0) + item["n"]
            manager_sum += int(item["sum"] or 0)
            manager_scored += item["scored"]
    final_counts: dict[int, int] = {}
    final_total = 0
    for item in grouped:
        if item["final"] is not None:
            final_counts[item["final"]] = final_counts.get(item["final"], 0) + item["n"]
            final_total += item["final"] * item["n"]

    def by(key: str, name: str, blank: str, label: str) -> tuple[Distribution, ...]:
        groups = fold(key, name)
        ordered = sorted(groups.items(), key=lambda kv: (kv[1]["name"] is None, str(kv[1]["name"] or "").lower()))
        return tuple(
            _distribution(
                label.format(name=group["name"] or blank),
                group["counts"],
                group["sum"],
                group["scored"],
                group=group["name"] or blank,
            )
            for _key, group in ordered
        )

    def count(condition: Any) -> int:
        return sum(item["n"] for item in grouped if condition(item))

    total = count(lambda item: True)
    figures: dict[str, Any] = {
        "count": total,
        "awaiting_manager": count(lambda item: item["state"] not in MANAGER_DONE_STATES),
        "manager_submitted": count(lambda item: item["state"] == Review.State.MANAGER_SUBMITTED),
        "calibrated": count(lambda item: item["final"] is not None),
        "adjusted": count(lambda item: item["final"] is not None and item["final"] != item["rating"]),
        "scored": manager_scored,
        "mean_weighted_manager": _mean(manager_sum, manager_scored),
        "mean_final": (
            (Decimal(final_total) / sum(final_counts.values())).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
            if final_counts
            else None
        ),
    }
    skews = manager_skews(_manager_sums(scope))
    figures["flagged_managers"] = sum(1 for skew in skews if skew.flagged)
    return CalibrationOverview(
        cycle=cycle,
        filters=filters,
        rows=rows,
        manager_score_distribution=_distribution(
            "Weighted manager scores, rounded to the nearest rating", manager_counts, manager_sum, manager_scored
        ),
        final_distribution=replace(_distribution("Final ratings", final_counts, 0, 0), mean=figures["mean_final"]),
        by_manager=by("reviewer", "reviewer_name", "No reviewer", "Weighted manager scores of {name}'s reviews"),
        by_team=by("team", "team_name", "No team", "Weighted manager scores in {name}"),
        by_level=by("level", "level", "No level", "Weighted manager scores at level {name}"),
        skews=skews,
        nine_box=cells,
        figures=figures,
        teams=teams,
        managers=managers,
        levels=levels,
        not_placed=not_placed,
        potential_visible=any(row.potential_visible for row in rows) or not rows,
        page=page,
        not_placed_total=not_placed_total,
    )


# --- History of adjustments ----------------------------------------------------------------------


def calibration_adjustments(*, user: Any, cycle: Cycle, review_ids: Collection[int] | None = None) -> list[Adjustment]:
    """Every calibration whose final rating differs from the proposed one (the rounded weighted manager
    score), from the audit trail, for the reviews in the caller's scope (of `review_ids` only, when
    given), oldest first: one query."""
    from audit.models import AuditEntry

    keys = scope_reviews(user=user, cycle=cycle).annotate(key=Cast("pk", CharField())).values("key")
    # The entries' target ids are the keys above: numbers, so the cast back is safe.
    reviews = Review.objects.filter(pk=Cast(OuterRef("target_id"), IntegerField()))
    entries = (
        AuditEntry.objects.filter(target_type="reviews.review", action="review.calibrate", target_id__in=keys)
        # Accepting as is sets each final rating to the proposed one: never an adjustment, so a cycle
        # accepted in bulk is not read back entry by entry.
        .filter(Q(after__bulk__isnull=True) | Q(after__bulk=False))
        .select_related("actor__employee")
        .annotate(
            employee_name=Subquery(reviews.values("employee__name")[:1]),
            reviewer_name=Subquery(reviews.values("reviewer__name")[:1]),
        )
        .order_by("created_at", "pk")
    )
    wanted = {int(pk) for pk in review_ids} if review_ids is not None else None
    found = []
    for entry in entries:
        review_id = int(entry.target_id)
        if wanted is not None and review_id not in wanted:
            continue
        before = entry.before if isinstance(entry.before, dict) else {}
        after = entry.after if isinstance(entry.after, dict) else {}
        final = after.get("final_rating")
        weighted = after.get("weighted_manager_score")
        if not isinstance(final, int) or weighted in (None, ""):
            continue  # a plain "calibrate" accepts the proposed rating
        try:
            proposed = rounded_rating(Decimal(str(weighted)))
        except ArithmeticError:
            continue
        if final == proposed:
            continue
        actor = entry.actor
        actor_name = ""
        if actor is not None:
            employee = getattr(actor, "employee", None)
            actor_name = employee.name if employee is not None else actor.get_full_name() or actor.get_username()
        previous = before.get("final_rating")
        found.append(
            Adjustment(
                review_id=review_id,
                employee_name=entry.employee_name or "",
                reviewer_name=entry.reviewer_name or "",
                proposed=proposed,
                before=previous if isinstance(previous, int) else None,
                after=final,
                justification=entry.reason,
                actor=actor_name or "the system",
                at=entry.created_at,
                bulk=bool(after.get("bulk")),
            )
        )
    return found
