"""A self-assessment as people read it: the figures, the gap view, the charts and the trend.

`assessment_sheet` builds plain data that both the results page and the PDF render, so the two never
disagree. Nothing here is marked safe except the SVG charts, which escape every text themselves.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import formats

from kpis.charts import Point, trend_chart
from ladder.charts import Bar, standing_bars
from ladder.models import READINESS_LABELS, Assessment
from ladder.selectors import TrendPoint, assessment_trend, standing_for
from ladder.standing import EXPECTED, IMPORTANCE_ORDER, IMPORTANCE_WEIGHTS, SUGGESTION_LABEL, Standing
from reviews.models import SCORE_LABELS
from scorecards.models import Skill

IMPORTANCE_LABELS = dict(Skill.Importance.choices)


def weights_sentence() -> str:
    return ", ".join(f"{IMPORTANCE_LABELS[key].lower()} {IMPORTANCE_WEIGHTS[key]}" for key in IMPORTANCE_ORDER)


def _when(point: TrendPoint) -> str:
    text = formats.date_format(point.when, "j M Y") if point.when else ""
    return f"{text} (draft)" if point.draft else text


@dataclass(frozen=True)
class SkillLine:
    name: str
    group: str
    importance: str
    importance_label: str
    weight: int
    score: int | None
    score_label: str
    gap: int | None
    weighted_gap: int | None
    evidence: str
    links: list[str]
    kpis: list[str]


def _line(standing: Any, group_label: str) -> SkillLine:
    row = standing.row
    return SkillLine(
        name=standing.skill.name,
        group=group_label,
        importance=standing.skill.importance,
        importance_label=str(IMPORTANCE_LABELS.get(standing.skill.importance, standing.skill.importance)).capitalize(),
        weight=standing.weight,
        score=standing.score,
        score_label=SCORE_LABELS.get(standing.score or 0, ""),
        gap=standing.gap,
        weighted_gap=standing.weighted_gap,
        evidence=row.evidence,
        links=[str(link) for link in row.links] if isinstance(row.links, list) else [],
        kpis=[str(name) for name in row.kpis] if isinstance(row.kpis, list) else [],
    )


def assessment_sheet(assessment: Assessment, *, chart_width: int = 640) -> dict[str, Any]:
    """Everything the results page and the PDF show of a loaded assessment (selectors.assessment_loaded)."""
    standing: Standing = standing_for(assessment)
    groups = standing.groups
    group_of = {s.skill.pk: group.label for group in groups for s in group.skills}
    lines = {s.skill.pk: _line(s, group_of[s.skill.pk]) for s in standing.skills}
    group_chart = standing_bars(
        [
            Bar(
                label=group.label,
                value=group.weighted_score,
                note=f"weighted gap {group.weighted_gap}" if group.weighted_gap else "",
            )
            for group in groups
        ],
        title="Weighted score per skill group against the bar",
        expected=EXPECTED,
        width=chart_width,
    )
    trend = assessment_trend(employee=assessment.employee, including=assessment)
    scored = [point for point in trend if point.weighted_score is not None]
    trend_svg = (
        trend_chart(
            [Point(label=_when(point), value=point.weighted_score) for point in scored],
            title="Weighted score over time",
            y_label="weighted score",
            target=Decimal(EXPECTED),
            width=chart_width,
            height=200,
        )
        if scored
        else None
    )
    suggestion = standing.suggestion
    views = list(assessment.manager_views.all())
    return {
        "assessment": assessment,
        "person": assessment.employee,
        "blueprint": assessment.blueprint_version,
        "standing": standing,
        "groups": [
            {
                "key": group.key,
                "label": group.label,
                "weighted_score": group.weighted_score,
                "weighted_gap": group.weighted_gap,
                "cells": group.cells,
                "skills": [lines[s.skill.pk] for s in group.skills],
            }
            for group in groups
        ],
        "importances": [
            (key, str(IMPORTANCE_LABELS[key]).capitalize(), IMPORTANCE_WEIGHTS[key]) for key in IMPORTANCE_ORDER
        ],
        "gaps": [lines[s.skill.pk] for s in standing.gaps],
        "group_chart": group_chart,
        "trend": [
            {
                "when": _when(point),
                "weighted_score": point.weighted_score,
                "weighted_gap": None if point.weighted_gap is None else int(point.weighted_gap),
                "suggestion": READINESS_LABELS.get(point.suggested_readiness, ""),
                "assessment_id": point.assessment_id,
                "current": point.assessment_id == assessment.pk,
                "draft": point.draft,
            }
            for point in trend
        ],
        "trend_chart": trend_svg,
        "suggestion": suggestion,
        "suggestion_text": READINESS_LABELS.get(suggestion or "", ""),
        "suggestion_label": SUGGESTION_LABEL,
        "criteria": standing.criteria,
        "criteria_share": standing.criteria_share,
        "manager_views": views,
        "latest_view": views[0] if views else None,
        "weights_sentence": weights_sentence(),
        "expected": EXPECTED,
    }


def assessment_pdf(*, assessment_id: int, requester: Any) -> tuple[str, bytes]:
    """The PDF of an assessment as `requester` may read it now: (file name, PDF bytes). Raises Http404 or
    PermissionDenied when they may no longer read it."""
    # Imported here so that web processes, which never render PDFs, never load WeasyPrint.
    from django.template.loader import render_to_string
    from django.utils import timezone
    from django.utils.text import slugify

    from ladder.selectors import assessment_loaded
    from staffrole import access
    from staffrole.pdf import render_pdf

    access.get_assessment_for_user(requester, assessment_id)
    loaded = assessment_loaded(assessment_id=assessment_id)
    context = assessment_sheet(loaded, chart_width=600)
    context["generated_at"] = timezone.localtime()
    html = render_to_string("ladder/pdf/assessment.html", context)
    when = loaded.submitted_at or loaded.created_at
    name = (
        f"self-assessment-{slugify(loaded.employee.name) or loaded.employee.pk}-{timezone.localtime(when):%Y-%m-%d}.pdf"
    )
    return name, render_pdf(html)
