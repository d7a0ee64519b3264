"""Reads of role blueprints, each with a fixed number of queries."""

from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from scorecards.models import (
    BlueprintVersion,
    KPIDefinition,
    Milestone,
    PromotionCriterion,
    Responsibility,
    Role,
    ScorecardDimension,
    Skill,
)
from staffrole import access

CHILDREN = ("responsibilities", "skills", "kpis", "milestones", "dimensions", "promotion_criteria")


def _count(model: type, **filters: Any) -> Coalesce:
    rows = (
        model.objects.filter(version=OuterRef("pk"), **filters)  # type: ignore[attr-defined]
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _with_counts(versions: QuerySet[BlueprintVersion]) -> QuerySet[BlueprintVersion]:
    return versions.select_related("role").annotate(
        skill_count=_count(Skill),
        kpi_count=_count(KPIDefinition),
        dimension_count=_count(ScorecardDimension),
        responsibility_count=_count(Responsibility),
    )


def role_list(*, user: Any) -> list[BlueprintVersion]:
    """The newest published version of every role; HR also sees each role's draft."""
    newest_published = (
        BlueprintVersion.objects.filter(role=OuterRef("role"), status=BlueprintVersion.Status.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    visible = Q(pk=Subquery(newest_published))
    if access.can_view_draft_blueprints(user):
        visible |= Q(status=BlueprintVersion.Status.DRAFT)
    return list(_with_counts(BlueprintVersion.objects.filter(visible)).order_by("role__title", "-number"))


def published_versions() -> QuerySet[BlueprintVersion]:
    """Newest published version per role, for the API's role list."""
    newest_published = (
        BlueprintVersion.objects.filter(role=OuterRef("role"), status=BlueprintVersion.Status.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    return BlueprintVersion.objects.filter(pk=Subquery(newest_published)).select_related("role").order_by("role__slug")


def _prefetched(versions: QuerySet[BlueprintVersion]) -> QuerySet[BlueprintVersion]:
    return versions.select_related("role", "created_by", "published_by").prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.order_by("position")),
        Prefetch("skills", queryset=Skill.objects.order_by("position")),
        Prefetch("kpis", queryset=KPIDefinition.objects.order_by("position")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("position")),
        Prefetch("dimensions", queryset=ScorecardDimension.objects.order_by("position")),
        Prefetch("promotion_criteria", queryset=PromotionCriterion.objects.order_by("position")),
    )


def blueprint_get(
    *, user: Any, slug: str, number: int | None = None, newest_draft_fallback: bool = True
) -> BlueprintVersion:
    """A version the user may see, with every part loaded; 404 when it does not exist or is hidden.

    Without a number: the newest published version; HR, when nothing is published yet, the draft.
    """
    versions = BlueprintVersion.objects.filter(role__slug=slug)
    if not access.can_view_draft_blueprints(user):
        versions = versions.filter(status=BlueprintVersion.Status.PUBLISHED)
    if number is not None:
        versions = versions.filter(number=number)
    elif not newest_draft_fallback:
        versions = versions.filter(status=BlueprintVersion.Status.PUBLISHED).order_by("-number")
    else:
        # Published first (status "published" sorts after "draft", hence the descending order).
        versions = versions.order_by("-status", "-number")
    version = _prefetched(versions).first()
    if version is None:
        raise Http404("No such role blueprint.")
    return version


def blueprint_version_by_id(version_id: int) -> BlueprintVersion:
    """A version with every part loaded, for background rendering (no user: the job was checked)."""
    return _prefetched(BlueprintVersion.objects.filter(pk=version_id)).get()


def blueprint_versions(*, role: Role, user: Any) -> list[BlueprintVersion]:
    versions = BlueprintVersion.objects.filter(role=role)
    if not access.can_view_draft_blueprints(user):
        versions = versions.filter(status=BlueprintVersion.Status.PUBLISHED)
    return list(_with_counts(versions).select_related("created_by", "published_by").order_by("-number"))


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    normalised = value.normalize()
    return int(normalised) if normalised == normalised.to_integral_value() else float(normalised)


def kpi_target_parsed(kpi: KPIDefinition) -> dict[str, Any] | None:
    if not kpi.target_direction:
        return None
    return {
        "direction": kpi.target_direction,
        "threshold": _number(kpi.target_threshold),
        "unit": kpi.target_unit,
        "relative": kpi.target_relative,
    }


def blueprint_to_dict(version: BlueprintVersion) -> dict[str, Any]:
    """The blueprint JSON of CONTRACTS.md (and `sections`, everything else the document holds)."""
    return {
        "slug": version.role.slug,
        "title": version.title,
        "version": version.number,
        "status": version.status,
        "summary": version.summary,
        "mission": version.mission,
        "responsibilities": [{"category": r.category, "text": r.text} for r in version.responsibilities.all()],
        "skills": [
            {
                "name": s.name,
                "group": s.group,
                "importance": s.importance,
                "context_specific": s.context_specific,
                "importance_note": s.importance_note,
                "description": s.description,
                "use": s.use,
                "why_it_matters": s.why_it_matters,
                "how_it_shows_up": s.how_it_shows_up,
                "strong_performance": s.strong_performance,
            }
            for s in version.skills.all()
        ],
        "kpis": [
            {
                "name": k.name,
                "measures": k.measures,
                "why": k.why,
                "target": k.target,
                "frequency": k.frequency,
                "target_parsed": kpi_target_parsed(k),
            }
            for k in version.kpis.all()
        ],
        "milestones": [
            {"horizon": m.horizon, "title": m.title, "goals": m.goals, "success_indicators": m.success_indicators}
            for m in version.milestones.all()
        ],
        "scorecard": [
            {"name": d.name, "meets_bar": d.meets_bar, "weight": _number(d.weight)} for d in version.dimensions.all()
        ],
        "promotion_criteria": [p.text for p in version.promotion_criteria.all()],
        "sections": version.sections,
    }


def weight_chart(version: BlueprintVersion) -> list[dict[str, Any]]:
    dimensions = list(version.dimensions.all())
    total = sum((d.weight for d in dimensions), Decimal(0)) or Decimal(1)
    return [{"name": d.name, "weight": d.weight, "percent": float(d.weight * 100 / total)} for d in dimensions]


# Each list section of a blueprint, and the field that identifies one of its entries across versions.
DIFF_KEYS = {
    "responsibilities": "text",
    "skills": "name",
    "kpis": "name",
    "milestones": "horizon",
    "scorecard": "name",
}


def blueprint_diff(*, old: BlueprintVersion, new: BlueprintVersion) -> list[dict[str, Any]]:
    """What changed between two versions, section by section (only sections that changed)."""
    before, after = blueprint_to_dict(old), blueprint_to_dict(new)
    changes: list[dict[str, Any]] = []
    for field in ("title", "summary", "mission"):
        if before[field] != after[field]:
            changes.append(
                {
                    "section": field,
                    "added": [],
                    "removed": [],
                    "changed": [{"name": field, "field": field, "old": before[field], "new": after[field]}],
                }
            )
    for section, key in DIFF_KEYS.items():
        old_items = {item[key]: item for item in before[section]}
        new_items = {item[key]: item for item in after[section]}
        changed = [
            {"name": name, "field": field, "old": old_items[name][field], "new": new_items[name][field]}
            for name in old_items.keys() & new_items.keys()
            for field in new_items[name]
            if old_items[name][field] != new_items[name][field]
        ]
        added = [name for name in new_items if name not in old_items]
        removed = [name for name in old_items if name not in new_items]
        if added or removed or changed:
            changes.append({"section": section, "added": added, "removed": removed, "changed": changed})
    old_criteria, new_criteria = before["promotion_criteria"], after["promotion_criteria"]
    if old_criteria != new_criteria:
        changes.append(
            {
                "section": "promotion_criteria",
                "added": [c for c in new_criteria if c not in old_criteria],
                "removed": [c for c in old_criteria if c not in new_criteria],
                "changed": [],
            }
        )
    for key in sorted(before["sections"].keys() | after["sections"].keys()):
        if before["sections"].get(key) != after["sections"].get(key):
            changes.append(
                {
                    "section": key,
                    "added": [key] if key not in before["sections"] else [],
                    "removed": [key] if key not in after["sections"] else [],
                    "changed": []
                    if key not in before["sections"] or key not in after["sections"]
                    else [
                        {"name": key, "field": "content", "old": before["sections"][key], "new": after["sections"][key]}
                    ],
                }
            )
    return changes
