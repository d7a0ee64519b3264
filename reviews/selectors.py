"""Reads over cycles and reviews, with fixed query counts."""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, QuerySet

from reviews.models import Cycle, Rating, Review, SkillRating
from scorecards.models import Responsibility, ScorecardDimension, Skill
from staffrole import access


def reviews_for_user(
    *, user: Any, cycle: int | None = None, employee: str | None = None, state: str | None = None
) -> QuerySet[Review]:
    """The reviews the caller may open, filtered; ordered by cycle then person."""
    queryset = Review.objects.select_related(
        "cycle", "employee__user", "employee__team", "reviewer__user", "blueprint_version__role"
    )
    visible = access.review_visibility_q(user)
    if visible is not None:
        queryset = queryset.filter(visible)
    if cycle is not None:
        queryset = queryset.filter(cycle_id=cycle)
    if employee:
        queryset = queryset.filter(employee__user__username=employee)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-cycle__period_end", "cycle_id", "employee__name", "pk")


def with_ratings(queryset: QuerySet[Review]) -> QuerySet[Review]:
    """Prefetch every review's ratings with their dimensions: one query more, whatever the count."""
    return queryset.prefetch_related(
        Prefetch("ratings", queryset=Rating.objects.select_related("dimension").order_by("dimension__position", "side"))
    )


def review_with_ratings(*, review: Review) -> list[Rating]:
    """One review's ratings with their dimensions, in scorecard order: one query."""
    return list(review.ratings.select_related("dimension").order_by("dimension__position", "side"))


def cycles_for_user(*, user: Any) -> QuerySet[Cycle]:
    return Cycle.objects.all().order_by("-period_end", "-pk")


def review_state_counts(*, user: Any, cycle_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """{cycle id: {state: number of reviews the caller may open}}, every state present: one query."""
    from django.db.models import Count

    queryset = Review.objects.all()
    visible = access.review_visibility_q(user)
    if visible is not None:
        queryset = queryset.filter(visible)
    if cycle_ids is not None:
        queryset = queryset.filter(cycle_id__in=cycle_ids)
    counts: dict[int, dict[str, int]] = {}
    for row in queryset.order_by().values("cycle_id", "state").annotate(n=Count("pk")):
        counts.setdefault(row["cycle_id"], dict.fromkeys(Review.State.values, 0))[row["state"]] = row["n"]
    return counts


# --- Cycle pages ---------------------------------------------------------------------------------


def cycle_progress(*, user: Any, cycle: Cycle) -> dict[str, Any]:
    """The cycle's reviews the caller may open, counted per state overall, per reviewer and per team
    of the person reviewed: one query (plus the caller's subtree, once per request)."""
    from django.db.models import Count

    states = list(Review.State.values)
    totals = dict.fromkeys(states, 0)
    by_reviewer: dict[Any, dict[str, Any]] = {}
    by_team: dict[Any, dict[str, Any]] = {}
    rows = (
        reviews_for_user(user=user, cycle=cycle.pk)
        .order_by()
        .values("state", "reviewer_id", "reviewer__name", "reviewer__user__username", "employee__team__name")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        state, n = row["state"], row["n"]
        totals[state] += n
        reviewer = by_reviewer.setdefault(
            row["reviewer_id"],
            {
                "name": row["reviewer__name"],
                "username": row["reviewer__user__username"],
                "counts": dict.fromkeys(states, 0),
                "total": 0,
            },
        )
        team = by_team.setdefault(
            row["employee__team__name"],
            {"name": row["employee__team__name"], "counts": dict.fromkeys(states, 0), "total": 0},
        )
        for group in (reviewer, team):
            group["counts"][state] += n
            group["total"] += n

    def ordered(groups: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
        # Named groups first, alphabetically; the group without a name (no reviewer, no team) last.
        return sorted(groups.values(), key=lambda g: (g["name"] is None, (g["name"] or "").lower()))

    return {
        "states": states,
        "totals": totals,
        "total": sum(totals.values()),
        "by_reviewer": ordered(by_reviewer),
        "by_team": ordered(by_team),
    }


def cycle_reviews_missing_a_reviewer(*, user: Any, cycle: Cycle) -> QuerySet[Review]:
    """Reviews in the caller's scope whose reviewer is missing or has left: one query."""
    from django.db.models import Q

    return reviews_for_user(user=user, cycle=cycle.pk).filter(Q(reviewer__isnull=True) | Q(reviewer__active=False))


def cycle_skipped(*, user: Any, cycle: Cycle) -> list[dict[str, Any]]:
    """The people left out when the cycle opened, with the reason (from the cycle.open audit entry):
    everyone for HR, the caller's subtree for a manager or director. Two queries."""
    from audit.models import AuditEntry
    from org.models import Employee

    after = (
        AuditEntry.objects.filter(action="cycle.open", target_type="reviews.cycle", target_id=str(cycle.pk))
        .values_list("after", flat=True)
        .first()
    )
    skipped = after.get("skipped", []) if isinstance(after, dict) else []
    if not skipped:
        return []
    reasons = {item["username"]: item["reason"] for item in skipped}
    people = Employee.objects.filter(user__username__in=list(reasons)).values("pk", "name", "user__username")
    scope = None if access.viewer(user).hr else access.subtree_of(user)
    rows = [
        {"name": person["name"], "username": person["user__username"], "reason": reasons[person["user__username"]]}
        for person in people
        if scope is None or person["pk"] in scope
    ]
    return sorted(rows, key=lambda row: (row["name"].lower(), row["username"]))


# --- Review page ---------------------------------------------------------------------------------
# The review page and the review list: the pinned blueprint's parts, the related skills and
# responsibilities of each dimension, and the review's history as the caller may see it.

RELATED_LIMIT = 3
# Words that say nothing about which skill a dimension is about.
_GENERIC_WORDS = frozenset(
    """about across after all also and any are been both but can clear does each ensure ensures ensuring etc
    for from good hands has have high how including into its key make makes making may mindset more most much
    must new nor not off one only other others our out over own per same sets should some such than that the
    their them then there these they this those through too under until upon very via was well were what when
    where which while who why will with within without would""".split()  # noqa: SIM905 - a word list reads best as prose
)
_SUFFIXES = ("ship", "ings", "ing", "able", "ers", "er", "ed", "es", "e", "s")


@lru_cache(maxsize=4096)
def significant_words(text: str) -> frozenset[str]:
    """The text's significant words, each cut to a short stem so that "designs", "designing" and
    "design" meet, as do "leadership" and "leads". Blueprint texts repeat on every review page, so
    the stems of the last few thousand texts are kept."""
    stems = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len(word) < 3 or word in _GENERIC_WORDS:
            continue
        shortened = True
        while shortened:
            shortened = False
            for suffix in _SUFFIXES:
                if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                    word, shortened = word[: -len(suffix)], True
                    break
        stems.add(word[:5])
    return frozenset(stems)


@dataclass(frozen=True)
class RelatedParts:
    skills: list[Skill]
    responsibilities: list[Responsibility]


def related_parts(
    *,
    dimensions: Sequence[ScorecardDimension],
    skills: Sequence[Skill],
    responsibilities: Sequence[Responsibility],
    limit: int = RELATED_LIMIT,
) -> dict[int, RelatedParts]:
    """For each dimension, the blueprint's skills and responsibilities that share the most significant
    words with its name and "meets the bar" text, best first (ties in blueprint order).

    A word counts for more the fewer parts use it (never for nothing), and twice when it is in the
    dimension's name; a part is related when it shares a word of the name, or two of the "meets the bar"
    text."""
    parts: list[tuple[str, Any, frozenset[str]]] = [
        ("skill", skill, significant_words(f"{skill.name} {skill.description}")) for skill in skills
    ] + [("responsibility", item, significant_words(item.text)) for item in responsibilities]
    uses: dict[str, int] = {}
    for _kind, _part, words in parts:
        for word in words:
            uses[word] = uses.get(word, 0) + 1
    rarity = {word: math.log((len(parts) + 1) / count) for word, count in uses.items()}
    related = {}
    for dimension in dimensions:
        name_words = significant_words(dimension.name)
        bar_words = significant_words(dimension.meets_bar) - name_words
        ranked: dict[str, list[tuple[float, int, Any]]] = {"skill": [], "responsibility": []}
        for index, (kind, part, words) in enumerate(parts):
            in_name, in_bar = words & name_words, words & bar_words
            if not in_name and len(in_bar) < 2:
                continue
            weight = sum(2 * rarity[word] for word in sorted(in_name)) + sum(rarity[word] for word in sorted(in_bar))
            ranked[kind].append((-round(weight, 6), index, part))
        related[dimension.pk] = RelatedParts(
            skills=[part for *_key, part in sorted(ranked["skill"], key=lambda row: row[:2])[:limit]],
            responsibilities=[
                part for *_key, part in sorted(ranked["responsibility"], key=lambda row: row[:2])[:limit]
            ],
        )
    return related


@dataclass(frozen=True)
class BlueprintParts:
    dimensions: list[ScorecardDimension]
    related: dict[int, RelatedParts]
    skill_names: dict[int, str]


def review_blueprint_parts(*, version_id: int) -> BlueprintParts:
    """The pinned blueprint's scorecard, with each dimension's related skills and responsibilities:
    three queries, whatever their number."""
    dimensions = list(ScorecardDimension.objects.filter(version_id=version_id).order_by("position"))
    skills = list(Skill.objects.filter(version_id=version_id).only("pk", "name", "description", "position"))
    responsibilities = list(
        Responsibility.objects.filter(version_id=version_id).only("pk", "text", "category", "position")
    )
    return BlueprintParts(
        dimensions=dimensions,
        related=related_parts(dimensions=dimensions, skills=skills, responsibilities=responsibilities),
        skill_names={skill.pk: skill.name for skill in skills},
    )


def review_ratings(*, review: Review) -> dict[tuple[int, str], Rating]:
    """{(dimension id, side): rating} with who last changed each: one query."""
    rows = Rating.objects.filter(review=review).select_related("updated_by__employee")
    return {(rating.dimension_id, rating.side): rating for rating in rows}


def review_skills(*, review: Review) -> tuple[list[Skill], dict[int, SkillRating]]:
    """The pinned blueprint's skills in blueprint order, and the review's skill ratings by skill id:
    two queries, whatever their number."""
    skills = list(Skill.objects.filter(version_id=review.blueprint_version_id).order_by("position", "pk"))
    ratings = {rating.skill_id: rating for rating in SkillRating.objects.filter(review=review)}
    return skills, ratings


def review_skills_rated(*, review: Review) -> int:
    """How many skills the engineer has given a score: one query."""
    return SkillRating.objects.filter(review=review, score__isnull=False).count()


# Consecutive edits of one field by one person closer together than this show as one step.
TIMELINE_MERGE_WINDOW = timedelta(minutes=15)
TIMELINE_LIMIT = 1000


@dataclass
class TimelineEntry:
    action: str
    actor: Any  # the User, or None for the system
    at: datetime
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    edits: int = 1  # how many recorded changes this entry stands for
    first_at: datetime | None = None

    @property
    def dimension(self) -> str:
        return str(self.after.get("dimension") or self.before.get("dimension") or "")

    @property
    def side(self) -> str:
        return str(self.after.get("side") or self.before.get("side") or "")


SELF_SIDE_ACTIONS = frozenset({"review.skill_rating"})
# Changes to one rating: shown to those who may read that rating's side.
SIDE_ACTIONS = frozenset({"review.rating", "review.evidence_attach", "review.evidence_detach"})
TRANSITION_ACTIONS = frozenset(
    {
        "review.enrol",
        "review.reassign",
        "review.submit_self",
        "review.submit_manager",
        "review.share",
        "review.acknowledge",
        "review.calibrate",
        "review.reopen",
    }
)
# What a transition entry may carry that only those who see the final rating may read.
RATING_KEYS = ("final_rating", "weighted_manager_score")


def review_timeline(*, user: Any, review: Review) -> list[TimelineEntry]:
    """The review's history, newest first, as the caller may see it: one query.

    Ratings of a side the caller may not read are left out, so nobody learns the manager's ratings
    before the review is shared; potential and the final rating likewise. Entries of kinds this page
    does not know are shown only to those who read the manager side."""
    from audit.models import AuditEntry

    self_access, manager_access = access.review_access(user, review)
    see_side: dict[str, access.Access] = {Rating.Side.SELF: self_access, Rating.Side.MANAGER: manager_access}
    see_potential = access.can_see_potential(user, review)
    see_final = access.can_see_final_rating(user, review)
    entries = (
        AuditEntry.objects.filter(target_type="reviews.review", target_id=str(review.pk))
        .select_related("actor__employee")
        .order_by("created_at", "id")[:TIMELINE_LIMIT]
    )
    timeline: list[TimelineEntry] = []
    last_rating: dict[tuple[Any, str, str], TimelineEntry] = {}
    for entry in entries:
        before = entry.before if isinstance(entry.before, dict) else {}
        after = entry.after if isinstance(entry.after, dict) else {}
        reason = entry.reason
        if entry.action in SIDE_ACTIONS:
            side = str(after.get("side") or before.get("side"))
            if see_side.get(side, access.Access.NONE) is access.Access.NONE:
                continue
        elif entry.action in SELF_SIDE_ACTIONS:
            if self_access is access.Access.NONE:
                continue
        elif entry.action == "review.potential":
            if not see_potential:
                continue
        elif entry.action in TRANSITION_ACTIONS:
            if not see_final:
                before = {k: v for k, v in before.items() if k not in RATING_KEYS}
                after = {k: v for k, v in after.items() if k not in RATING_KEYS}
                if entry.action == "review.calibrate":
                    reason = ""
        elif manager_access is access.Access.NONE:
            continue
        item = TimelineEntry(
            action=entry.action, actor=entry.actor, at=entry.created_at, before=before, after=after, reason=reason
        )
        if item.action != "review.rating":
            last_rating.clear()  # a step of the review separates the edits before it from those after
            timeline.append(item)
            continue
        # Autosave records every pause in typing: one person's edits of one field, each soon after the
        # last, show as one change from the first old value to the last new one.
        key = (entry.actor_id, item.dimension, item.side)
        previous = last_rating.get(key)
        if previous is not None and item.at - previous.at <= TIMELINE_MERGE_WINDOW:
            previous.after, previous.edits = item.after, previous.edits + 1
            previous.first_at = previous.first_at or previous.at
            previous.at = item.at
            continue
        last_rating[key] = item
        timeline.append(item)
    timeline.reverse()  # newest first, also among entries of the same instant
    timeline.sort(key=lambda row: row.at, reverse=True)
    return timeline


# --- Dashboard -----------------------------------------------------------------------------------


def dashboard_reviews(*, employee: Any) -> list[Review]:
    """Reviews in running cycles (open or calibrating) that concern the person: their own, those they
    write, and their direct reports'. Newest cycle first: one query."""
    from django.db.models import Q

    return list(
        Review.objects.filter(cycle__state__in=(Cycle.State.OPEN, Cycle.State.CALIBRATING))
        .filter(Q(employee=employee) | Q(reviewer=employee) | Q(employee__manager=employee))
        .select_related("cycle", "employee", "reviewer")
        .order_by("-cycle__period_end", "-cycle_id", "employee__name", "pk")
    )
