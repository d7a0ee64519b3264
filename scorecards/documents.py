"""How a role blueprint is presented to people: the role page and the printable one-pager.

`role_sheet` turns a loaded BlueprintVersion into plain, grouped data that both the web page and
the PDF template render, so the two never disagree about what a role says. Nothing here is
marked safe: every text of a blueprint is escaped by the templates.
"""

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from scorecards.models import BlueprintVersion, KPIDefinition, Milestone, Responsibility, Skill
from scorecards.selectors import blueprint_version_by_id, weight_chart

SECTION_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "mission": "Mission",
    "responsibilities": "Responsibilities",
    "skills": "Skills",
    "kpis": "KPIs",
    "milestones": "Milestones",
    "scorecard": "Scorecard dimensions",
    "promotion_criteria": "Promotion criteria",
    "role_summary_details": "Role summary details",
    "mission_details": "Mission details",
    "day_to_day": "Day-to-day activities",
    "deliverables": "Key deliverables",
    "goals_extra": "Success and high performance",
    "kpi_guidance": "KPI guidance",
    "tools": "Tools, platforms and software",
    "tech_stack": "Technical environment",
    "stakeholders": "Stakeholders and collaboration",
    "decision_rights": "Decision rights and scope of authority",
    "experience": "Education, experience and certifications",
    "risks": "Risks, challenges and failure modes",
    "variants": "Role variants",
    "ai_impact": "AI and automation impact",
    "career_path": "Career path",
    "hiring": "Hiring evaluation criteria",
    "summary_table": "Role scorecard summary",
    "unrecognised": "Other content of the document",
    "source": "Document outline",
}

# Sections with a page block of their own; every other key of `sections` is shown generically,
# except the parser's own record of the document's outline.
DEDICATED_SECTIONS = ("career_path", "hiring", "tools", "summary_table", "source")

CAREER_PATH_LABELS = {
    "feeder_roles": "Typical feeder roles",
    "next_roles": "Next likely roles",
    "adjacent_paths": "Adjacent career paths",
    "evolution": "How the role evolves",
}

FIRST_NINETY_DAYS = (Milestone.Horizon.D30, Milestone.Horizon.D60, Milestone.Horizon.D90)

TARGET_SYMBOLS: dict[str, str] = {
    KPIDefinition.Direction.AT_LEAST: "≥",
    KPIDefinition.Direction.AT_MOST: "≤",
    KPIDefinition.Direction.INCREASE: "↑",
    KPIDefinition.Direction.DECREASE: "↓",
}


def section_label(key: str) -> str:
    return SECTION_LABELS.get(key) or key.replace("_", " ").capitalize()


def _decimal_text(value: Decimal) -> str:
    normalised = value.normalize()
    if normalised == normalised.to_integral_value():
        normalised = normalised.quantize(Decimal(1))
    return format(normalised, "f")


def kpi_target_badge(kpi: KPIDefinition) -> str:
    """The machine-read target as a short badge ("≥ 99.9 %", "↓ 20 %"); empty when none was read."""
    if not kpi.target_direction:
        return ""
    parts = [TARGET_SYMBOLS.get(kpi.target_direction, kpi.get_target_direction_display())]
    if kpi.target_threshold is not None:
        parts.append(_decimal_text(kpi.target_threshold))
    badge = " ".join(parts)
    if kpi.target_unit:
        # "≥ 99.9 %", "≤ 7 days", but "≥ 4.2/5"
        badge += kpi.target_unit if kpi.target_unit.startswith("/") else f" {kpi.target_unit}"
    return badge


def kpi_target_title(kpi: KPIDefinition) -> str:
    """The badge in words, for screen readers and tooltips."""
    if not kpi.target_direction:
        return ""
    words = [kpi.get_target_direction_display()]
    if kpi.target_threshold is not None:
        words.append(_decimal_text(kpi.target_threshold))
    if kpi.target_unit:
        words.append(kpi.target_unit)
    if kpi.target_relative:
        words.append("(relative change)")
    return "Target read as: " + " ".join(words)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "; ".join(f"{section_label(str(k))}: {_text(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return str(value)


def _texts(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [_text(v) for v in value if v not in (None, "")]
    return [_text(value)]


def _item(value: Any) -> dict[str, Any]:
    if isinstance(value, dict) and ("text" in value or "label" in value):
        label, text = _text(value.get("label")), _text(value.get("text"))
        return {"text": f"{label}: {text}" if label and text else label or text, "items": _texts(value.get("items"))}
    return {"text": _text(value), "items": []}


def _group(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "heading": _text(value.get("heading")),
        "paragraphs": _texts(value.get("paragraphs")),
        "items": [_item(item) for item in value.get("items") or []],
    }


def generic_section(value: Any) -> dict[str, Any]:
    """Any JSON a section holds, in the one shape the generic include renders:
    {"intro": [paragraph], "groups": [{"heading", "paragraphs": [...], "items": [{"text", "items": [...]}]}]}.
    """
    if isinstance(value, dict) and ("groups" in value or "intro" in value):
        groups = []
        for group in value.get("groups") or []:
            if not isinstance(group, dict):
                groups.append({"heading": "", "paragraphs": [], "items": [_item(group)]})
                continue
            groups.append(_group(group))
        extra = {k: v for k, v in value.items() if k not in ("intro", "groups") and v not in (None, "", [], {})}
        for key, inner in extra.items():
            groups.append(
                {"heading": section_label(key), "paragraphs": [], "items": [_item(v) for v in _as_list(inner)]}
            )
        return {"intro": _texts(value.get("intro")), "groups": groups}
    if isinstance(value, str):
        return {"intro": [value] if value else [], "groups": []}
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "heading" in v for v in value):
            return {"intro": [], "groups": [_group(v) for v in value]}
        return {"intro": [], "groups": [{"heading": "", "paragraphs": [], "items": [_item(v) for v in value]}]}
    if isinstance(value, dict):
        groups = []
        for key, inner in value.items():
            if inner in (None, "", [], {}):
                continue
            if isinstance(inner, str):
                groups.append({"heading": section_label(str(key)), "paragraphs": [inner], "items": []})
            else:
                groups.append(
                    {
                        "heading": section_label(str(key)),
                        "paragraphs": [],
                        "items": [_item(v) for v in _as_list(inner)],
                    }
                )
        return {"intro": [], "groups": groups}
    return {"intro": _texts(value), "groups": []}


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [f"{section_label(str(k))}: {_text(v)}" for k, v in value.items()]
    return [value]


def _grouped(rows: list[Any], attribute: str, choices: Any) -> list[dict[str, Any]]:
    groups = []
    for value, label in choices.choices:
        members = [row for row in rows if getattr(row, attribute) == value]
        if members:
            groups.append({"key": value, "label": label[:1].upper() + label[1:], "rows": members})
    return groups


def _hiring(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or not any(value.values()):
        return None
    return {
        "assess": [
            {"name": _text(a.get("name")), "text": _text(a.get("text"))}
            if isinstance(a, dict)
            else {"name": "", "text": _text(a)}
            for a in value.get("assess") or []
        ],
        "exercises": [
            {
                "name": _text(e.get("name")),
                "duration": _text(e.get("duration")),
                "details": _texts(e.get("details")),
            }
            if isinstance(e, dict)
            else {"name": _text(e), "duration": "", "details": []}
            for e in value.get("exercises") or []
        ],
        "strong_signals": _texts(value.get("strong_signals")),
        "weak_signals": _texts(value.get("weak_signals")),
        "red_flags": _texts(value.get("red_flags")),
    }


def _career_path(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, dict):
        return [{"label": "", "section": generic_section(value)}] if value else []
    return [
        {"label": CAREER_PATH_LABELS.get(key) or section_label(key), "section": generic_section(inner)}
        for key, inner in value.items()
        if inner not in (None, "", [], {})
    ]


def _tools(value: Any) -> dict[str, Any] | None:
    if not value:
        return None
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        rows = [item for item in value["items"] if isinstance(item, dict)]
        return {
            "intro": _texts(value.get("intro")),
            "rows": [{key: _text(row.get(key)) for key in ("category", "tool", "use", "commonality")} for row in rows],
        }
    return {"intro": [], "rows": [], "generic": generic_section(value)}


def _summary_table(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        return []
    return [
        {"category": _text(row.get("category")), "summary": _text(row.get("summary"))}
        for row in value
        if isinstance(row, dict)
    ]


def weight_bars(version: BlueprintVersion) -> list[dict[str, Any]]:
    """weight_chart rows plus each bar's length, relative to the heaviest dimension so the chart uses its width."""
    rows = weight_chart(version)
    longest = max((row["percent"] for row in rows), default=0) or 1
    return [{**row, "bar": row["percent"] * 100 / longest} for row in rows]


def role_sheet(version: BlueprintVersion) -> dict[str, Any]:
    """Everything the role page and the one-pager show, grouped and labelled, from a version
    loaded by a selector (all parts prefetched: no query runs here)."""
    sections = version.sections if isinstance(version.sections, dict) else {}
    skills = list(version.skills.all())
    kpis = [
        {"kpi": kpi, "badge": kpi_target_badge(kpi), "badge_title": kpi_target_title(kpi)} for kpi in version.kpis.all()
    ]
    milestones = sorted(
        version.milestones.all(), key=lambda m: (list(Milestone.Horizon.values).index(m.horizon), m.position)
    )
    generic_keys = [key for key in SECTION_LABELS if key in sections and key not in DEDICATED_SECTIONS]
    generic_keys += [key for key in sections if key not in SECTION_LABELS and key not in DEDICATED_SECTIONS]
    generic = [
        {"key": key, "label": section_label(key), "section": generic_section(sections[key])}
        for key in generic_keys
        if sections[key] not in (None, "", [], {})
    ]
    return {
        "version": version,
        "role": version.role,
        "weights": weight_bars(version),
        "responsibility_groups": _grouped(list(version.responsibilities.all()), "category", Responsibility.Category),
        "skill_groups": _grouped(skills, "group", Skill.Group),
        "critical_skills": [s for s in skills if s.importance == Skill.Importance.CRITICAL],
        "kpis": kpis,
        "milestones": milestones,
        "first_ninety_days": [m for m in milestones if m.horizon in FIRST_NINETY_DAYS],
        "promotion_criteria": list(version.promotion_criteria.all()),
        "hiring": _hiring(sections.get("hiring")),
        "career_path": _career_path(sections.get("career_path")),
        "tools": _tools(sections.get("tools")),
        "summary_table": _summary_table(sections.get("summary_table")),
        "generic_sections": generic,
    }


def role_one_pager_filename(version: BlueprintVersion) -> str:
    return f"{version.role.slug}-v{version.number}.pdf"


def role_one_pager_pdf(version_id: int) -> tuple[str, bytes]:
    """The printable one-pager of a blueprint version: (file name, PDF bytes)."""
    # Imported here so that web processes, which only render role pages, never load WeasyPrint.
    from staffrole.pdf import render_pdf

    version = blueprint_version_by_id(version_id)
    context = role_sheet(version)
    context["generated_at"] = timezone.now()
    html = render_to_string("scorecards/pdf/role_one_pager.html", context)
    return role_one_pager_filename(version), render_pdf(html)
