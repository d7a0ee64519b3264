"""Reads of the ladder and the self-assessments, each in a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from ladder.models import Assessment, AssessmentCriterion, AssessmentSkill, Level, ManagerView, Track
from ladder.standing import Standing, standing_of
from org.models import Employee
from scorecards.documents import _career_path
from scorecards.models import BlueprintVersion, KPIDefinition, PromotionCriterion, Role


def newest_published(role_id: int | None) -> BlueprintVersion | None:
    if role_id is None:
        return None
    return (
        BlueprintVersion.objects.select_related("role")
        .filter(role_id=role_id, status=BlueprintVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class Place:
    """Where a person stands on the ladder: their level and the next one (either may be None)."""

    level: Level | None
    next_level: Level | None


def ladder_place(*, employee: Employee) -> Place:
    """The level tied to the person's role; among several, the one named like their level (ignoring
    case), else the first by track name and position. The next level is the next position of its track."""
    if employee.role_id is None:
        return Place(None, None)
    levels = list(Level.objects.select_related("track", "role").filter(role_id=employee.role_id))
    if not levels:
        return Place(None, None)
    levels.sort(key=lambda level: (level.track.name, level.position))
    wanted = (employee.level or "").strip().casefold()
    level = next((candidate for candidate in levels if candidate.name.casefold() == wanted), levels[0])
    following = (
        Level.objects.select_related("track", "role")
        .filter(track_id=level.track_id, position__gt=level.position)
        .order_by("position")
        .first()
    )
    return Place(level, following)


def criteria_source(*, current: BlueprintVersion, next_level: Level | None) -> BlueprintVersion:
    """The blueprint whose promotion criteria an assessment answers: the next level's, when that level has
    a published blueprint; else the person's own (whose criteria describe the step up)."""
    if next_level is not None and next_level.role_id is not None:
        version = newest_published(next_level.role_id)
        if version is not None:
            return version
    return current


# --- The ladder page ------------------------------------------------------------------------------


@dataclass
class LevelRow:
    level: Level
    blueprint: BlueprintVersion | None
    criteria: list[PromotionCriterion]
    career_path: list[dict[str, Any]]


@dataclass
class TrackRow:
    track: Track
    levels: list[LevelRow]


def ladder_tracks() -> list[TrackRow]:
    """Every track with its levels in order, each level's newest published blueprint, its promotion criteria
    and career path: four queries whatever the size of the ladder."""
    tracks = list(
        Track.objects.prefetch_related(
            Prefetch("levels", queryset=Level.objects.select_related("role").order_by("position"))
        ).order_by("name", "id")
    )
    role_ids = {level.role_id for track in tracks for level in track.levels.all() if level.role_id}
    newest: dict[int, BlueprintVersion] = {}
    for version in (
        BlueprintVersion.objects.filter(role_id__in=role_ids, status=BlueprintVersion.Status.PUBLISHED)
        .select_related("role")
        .prefetch_related("promotion_criteria")
        .order_by("role_id", "-number")
    ):
        newest.setdefault(version.role_id, version)
    rows = []
    for track in tracks:
        levels = []
        for level in track.levels.all():
            linked = newest.get(level.role_id) if level.role_id else None
            levels.append(
                LevelRow(
                    level=level,
                    blueprint=linked,
                    criteria=list(linked.promotion_criteria.all()) if linked else [],
                    career_path=_career_path(linked.sections.get("career_path")) if linked else [],
                )
            )
        rows.append(TrackRow(track=track, levels=levels))
    return rows


def roles_for_choice() -> QuerySet[Role]:
    return Role.objects.order_by("title")


# --- Assessments ----------------------------------------------------------------------------------


def with_rows(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return queryset.prefetch_related(
        Prefetch("skills", queryset=AssessmentSkill.objects.select_related("skill").order_by("skill__position")),
        Prefetch(
            "criteria", queryset=AssessmentCriterion.objects.select_related("criterion").order_by("criterion__position")
        ),
        Prefetch("manager_views", queryset=ManagerView.objects.select_related("manager__user", "author")),
    )


def assessment_loaded(*, assessment_id: int) -> Assessment:
    """One assessment with its skills, criteria and manager views: four queries."""
    return with_rows(
        Assessment.objects.select_related(
            "employee__user", "employee__manager__user", "blueprint_version__role", "level__track", "next_level__track"
        )
    ).get(pk=assessment_id)


def standing_for(assessment: Assessment) -> Standing:
    return standing_of(assessment.skills.all(), assessment.criteria.all())


def blueprint_kpis(*, version_id: int) -> list[str]:
    return list(KPIDefinition.objects.filter(version_id=version_id).order_by("position").values_list("name", flat=True))


def current_draft(*, employee: Employee) -> Assessment | None:
    draft = Assessment.objects.filter(employee=employee, state=Assessment.State.DRAFT).values_list("pk", flat=True)
    pk = draft.first()
    return assessment_loaded(assessment_id=pk) if pk else None


@dataclass(frozen=True)
class TrendPoint:
    assessment_id: int
    when: Any
    weighted_score: Decimal | None
    weighted_gap: Decimal | None
    suggested_readiness: str
    draft: bool = False


def assessment_trend(*, employee: Employee, including: Assessment | None = None) -> list[TrendPoint]:
    """The person's submitted assessments, oldest first (one query); a draft being looked at is added
    last, its figures computed now."""
    points = [
        TrendPoint(
            assessment_id=row["pk"],
            when=row["submitted_at"],
            weighted_score=row["weighted_score"],
            weighted_gap=row["weighted_gap"],
            suggested_readiness=row["suggested_readiness"],
        )
        for row in Assessment.objects.filter(employee=employee, state=Assessment.State.SUBMITTED)
        .order_by("submitted_at", "pk")
        .values("pk", "submitted_at", "weighted_score", "weighted_gap", "suggested_readiness")
    ]
    if including is not None and including.is_draft:
        standing = standing_for(including)
        if standing.rated:
            points.append(
                TrendPoint(
                    assessment_id=including.pk,
                    when=including.updated_at,
                    weighted_score=standing.weighted_score,
                    weighted_gap=Decimal(standing.weighted_gap),
                    suggested_readiness=standing.suggestion or "",
                    draft=True,
                )
            )
    return points


def assessments_of(*, employee: Employee, include_drafts: bool) -> list[Assessment]:
    """A person's assessments, newest first, each with its manager views: two queries."""
    queryset = Assessment.objects.filter(employee=employee).select_related("blueprint_version", "next_level")
    if not include_drafts:
        queryset = queryset.filter(state=Assessment.State.SUBMITTED)
    return list(
        queryset.prefetch_related(
            Prefetch("manager_views", queryset=ManagerView.objects.select_related("manager"))
        ).order_by("-created_at", "-pk")
    )


def assessment_list(*, user: Any, employee: Employee, include_drafts: bool) -> list[Assessment]:
    """For the API: assessments with every row loaded (five queries whatever their number)."""
    queryset = Assessment.objects.filter(employee=employee).select_related(
        "employee__user", "blueprint_version__role", "level", "next_level"
    )
    if not include_drafts:
        queryset = queryset.filter(state=Assessment.State.SUBMITTED)
    return list(with_rows(queryset).order_by("-created_at", "-pk"))
