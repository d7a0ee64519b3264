"""Writes to role blueprints: import, publish, new drafts. Each runs in one transaction,
checks rights through staffrole.access and records an audit entry."""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import CharField, Model
from django.utils import timezone
from django.utils.text import slugify

from audit.services import audit_record
from scorecards.blueprint_parser import BlueprintParseError, parse_blueprint
from scorecards.kpi_targets import threshold_fits
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
from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id
from staffrole import access

# The keys of the blueprint JSON that are content; slug, version and status describe where it is stored.
CONTENT_KEYS = (
    "title",
    "summary",
    "mission",
    "responsibilities",
    "skills",
    "kpis",
    "milestones",
    "scorecard",
    "promotion_criteria",
    "sections",
)
SKILL_TEXT_FIELDS = ("importance_note", "description", "use", "why_it_matters", "how_it_shows_up", "strong_performance")


class BlueprintImportError(Exception):
    """An import or publish that cannot go ahead, with a message for the person who asked."""


@dataclass(frozen=True)
class ImportResult:
    version: BlueprintVersion
    created: bool


def _fail(path: str, expected: str) -> BlueprintParseError:
    """An error for a JSON blueprint: "expected a number, found 'x' (at scorecard[0].weight)"."""
    return BlueprintParseError(None, f"{expected.removeprefix('expected ')} (at {path})")


def _text(data: dict[str, Any], key: str, path: str, *, required: bool = False, max_length: int = 0) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _fail(f"{path}.{key}", "expected text")
    if required and not value.strip():
        raise _fail(f"{path}.{key}", "expected a non-empty text")
    if max_length and len(value) > max_length:
        raise _fail(f"{path}.{key}", f"expected at most {max_length} characters, found {len(value)}")
    return value


def _choice(data: dict[str, Any], key: str, path: str, choices: type) -> str:
    value = data.get(key)
    allowed = [str(c) for c in choices.values]  # type: ignore[attr-defined]
    if value not in allowed:
        raise _fail(f"{path}.{key}", f"expected one of {', '.join(allowed)}, found {value!r}")
    return str(value)


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _fail(path, f"expected a number, found {value!r}")
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation as exc:
        raise _fail(path, f"expected a number, found {value!r}") from exc
    if not number.is_finite():
        raise _fail(path, f"expected a number, found {value!r}")
    return number


def _text_limit(model: type[Model], name: str) -> int:
    """The max_length of a CharField; 0 (no limit) for a TextField."""
    field = model._meta.get_field(name)
    return (field.max_length or 0) if isinstance(field, CharField) else 0


def _threshold(value: Any, path: str) -> Decimal:
    number = _decimal(value, path)
    if not threshold_fits(number):
        raise _fail(path, f"expected a number below 100000000 with at most 4 decimals, found {value!r}")
    return number


def _list(data: dict[str, Any], key: str, path: str, *, required: bool = True) -> list[Any]:
    value = data.get(key, [] if not required else None)
    if not isinstance(value, list) or (required and not value):
        raise _fail(f"{path}.{key}" if path else key, "expected a non-empty list" if required else "expected a list")
    return value


def _strings(value: Any, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(path, "expected a list of texts")
    return list(value)


def blueprint_validate(data: Any) -> dict[str, Any]:
    """Check a blueprint dict (from the parser or an exported JSON file) and return its content,
    normalised. Raises BlueprintParseError naming the offending path."""
    if not isinstance(data, dict):
        raise _fail("document", "expected a JSON object")
    title = _text(data, "title", "blueprint", required=True).strip()
    longest = _text_limit(BlueprintVersion, "title")
    if len(title) > longest:
        raise _fail("blueprint.title", f"expected a title of at most {longest} characters, found {len(title)}")
    if not slugify(title):
        raise _fail("blueprint.title", "expected a title with letters or digits")
    content: dict[str, Any] = {
        "title": title,
        "summary": _text(data, "summary", "blueprint"),
        "mission": _text(data, "mission", "blueprint"),
    }
    content["responsibilities"] = [
        {
            "category": _choice(item, "category", f"responsibilities[{i}]", Responsibility.Category),
            "text": _text(item, "text", f"responsibilities[{i}]", required=True),
        }
        for i, item in enumerate(_dicts(data, "responsibilities"))
    ]
    content["skills"] = []
    for i, item in enumerate(_dicts(data, "skills")):
        path = f"skills[{i}]"
        context_specific = item.get("context_specific", False)
        if not isinstance(context_specific, bool):
            raise _fail(f"{path}.context_specific", "expected true or false")
        skill = {
            "name": _text(item, "name", path, required=True, max_length=_text_limit(Skill, "name")),
            "group": _choice(item, "group", path, Skill.Group),
            "importance": _choice(item, "importance", path, Skill.Importance),
            "context_specific": context_specific,
        }
        skill.update(
            {field: _text(item, field, path, max_length=_text_limit(Skill, field)) for field in SKILL_TEXT_FIELDS}
        )
        content["skills"].append(skill)
    content["kpis"] = []
    for i, item in enumerate(_dicts(data, "kpis")):
        path = f"kpis[{i}]"
        kpi: dict[str, Any] = {
            field: _text(item, field, path, required=field == "name", max_length=_text_limit(KPIDefinition, field))
            for field in ("name", "measures", "why", "target", "frequency")
        }
        kpi["target_parsed"] = _target(item.get("target_parsed"), f"{path}.target_parsed")
        content["kpis"].append(kpi)
    content["milestones"] = []
    for i, item in enumerate(_dicts(data, "milestones")):
        path = f"milestones[{i}]"
        content["milestones"].append(
            {
                "horizon": _choice(item, "horizon", path, Milestone.Horizon),
                "title": _text(item, "title", path, max_length=_text_limit(Milestone, "title")),
                "goals": _strings(item.get("goals", []), f"{path}.goals"),
                "success_indicators": _strings(item.get("success_indicators", []), f"{path}.success_indicators"),
            }
        )
    content["scorecard"] = []
    names: set[str] = set()
    for i, item in enumerate(_dicts(data, "scorecard")):
        path = f"scorecard[{i}]"
        name = _text(item, "name", path, required=True, max_length=_text_limit(ScorecardDimension, "name"))
        if name in names:
            raise _fail(f"{path}.name", f"expected a dimension name used once, found {name!r} twice")
        names.add(name)
        weight = _decimal(item.get("weight"), f"{path}.weight")
        if not Decimal(0) < weight <= Decimal(100) or weight.as_tuple().exponent < -2:  # type: ignore[operator]
            raise _fail(
                f"{path}.weight", f"expected a weight above 0, at most 100, with at most 2 decimals, found {weight}"
            )
        content["scorecard"].append({"name": name, "meets_bar": _text(item, "meets_bar", path), "weight": weight})
    total = sum((d["weight"] for d in content["scorecard"]), Decimal(0))
    if total != Decimal(100):
        raise _fail("scorecard", f"expected weights that sum to 100, found {total:f}")
    content["promotion_criteria"] = _strings(data.get("promotion_criteria", []), "promotion_criteria")
    sections = data.get("sections", {})
    if not isinstance(sections, dict):
        raise _fail("sections", "expected a JSON object")
    content["sections"] = sections
    return content


def _dicts(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = _list(data, key, "")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail(f"{key}[{i}]", "expected a JSON object")
    return items


def _target(value: Any, path: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _fail(path, "expected an object or null")
    direction = _choice(value, "direction", path, KPIDefinition.Direction)
    threshold = value.get("threshold")
    return {
        "direction": direction,
        "threshold": None if threshold is None else _threshold(threshold, f"{path}.threshold"),
        "unit": _text(value, "unit", path, max_length=_text_limit(KPIDefinition, "target_unit")),
        "relative": bool(value.get("relative", False)),
    }


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def blueprint_parse_upload(*, name: str, content: bytes) -> dict[str, Any]:
    """Read an uploaded or given file: a blueprint document (text) or an export_blueprint JSON file."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BlueprintParseError(None, "a UTF-8 text file") from exc
    if "\x00" in text:
        # PostgreSQL cannot store a NUL character in text; no document needs one.
        raise BlueprintParseError(text.count("\n", 0, text.index("\x00")) + 1, "text", "a NUL character")
    if name.lower().endswith(".json") or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BlueprintParseError(exc.lineno, f"valid JSON ({exc.msg})") from exc
        if _holds_nul(data):
            raise BlueprintParseError(None, "text", "a NUL character (\\u0000) in a JSON string")
    else:
        data = parse_blueprint(text)
    return blueprint_validate(data)


def blueprint_summary(data: dict[str, Any]) -> list[tuple[str, int]]:
    """Counts per section, for the importer's one-screen summary and the upload preview."""
    counts: list[tuple[str, int]] = []
    for category in Responsibility.Category:
        counts.append(
            (
                f"Responsibilities: {category.label}",
                sum(1 for r in data["responsibilities"] if r["category"] == category.value),
            )
        )
    for group in Skill.Group:
        counts.append((f"Skills: {group.label}", sum(1 for s in data["skills"] if s["group"] == group.value)))
    counts.append(("KPIs", len(data["kpis"])))
    counts.append(("KPIs with a machine-readable target", sum(1 for k in data["kpis"] if k["target_parsed"])))
    counts.append(("Milestones", len(data["milestones"])))
    counts.append(("Scorecard dimensions", len(data["scorecard"])))
    counts.append(("Promotion criteria", len(data["promotion_criteria"])))
    tools = data["sections"].get("tools", {})
    counts.append(("Tools", len(tools.get("items", [])) if isinstance(tools, dict) else 0))
    counts.append(("Other sections", len(data["sections"])))
    return counts


def content_fingerprint(data: dict[str, Any]) -> str:
    """A hash of a blueprint's content (not its slug, number or status), to recognise a re-import."""
    validated = blueprint_validate(data)
    content = {key: validated[key] for key in CONTENT_KEYS}
    canonical = json.dumps(_plain(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        normalised = value.normalize()
        return str(normalised) if normalised != normalised.to_integral_value() else str(int(normalised))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return _plain(Decimal(str(value)))
    return value


@transaction.atomic
def blueprint_import(
    *,
    actor: Any,
    data: dict[str, Any],
    source_name: str = "",
    source_sha256: str = "",
    publish: bool = False,
) -> ImportResult:
    """Store a blueprint as the role's next version (a draft, or published when asked).

    Importing content identical to the role's newest version changes nothing. Rights are checked
    for people; `actor=None` is the command line, which runs with the server's own authority.
    """
    if actor is not None and not access.can_manage_blueprints(actor):
        raise PermissionDenied("Only HR may import role blueprints.")
    content = blueprint_validate(data)
    slug = slugify(content["title"])
    role, _ = Role.objects.get_or_create(slug=slug, defaults={"title": content["title"]})
    Role.objects.select_for_update().filter(pk=role.pk).first()  # serialise imports of one role
    latest = BlueprintVersion.objects.filter(role=role).order_by("-number").first()
    if latest is not None:
        latest = blueprint_version_by_id(latest.pk)
        if content_fingerprint(blueprint_to_dict(latest)) == content_fingerprint(content):
            if publish and not latest.is_published:
                return ImportResult(blueprint_publish(actor=actor, version=latest), created=False)
            return ImportResult(latest, created=False)
        if not latest.is_published:
            raise BlueprintImportError(
                f"{role.title} already has a draft (version {latest.number}). "
                "Publish or discard it before importing another version."
            )
    version = BlueprintVersion.objects.create(
        role=role,
        number=(latest.number + 1) if latest else 1,
        title=content["title"],
        summary=content["summary"],
        mission=content["mission"],
        sections=content["sections"],
        source_name=source_name[:255],
        source_sha256=source_sha256,
        created_by=actor,
    )
    _create_parts(version, content)
    audit_record(
        actor=actor,
        action="blueprint.import",
        target=version,
        after={"role": slug, "number": version.number, "source": source_name, "sha256": source_sha256},
    )
    if publish:
        version = blueprint_publish(actor=actor, version=version)
    return ImportResult(version, created=True)


def _create_parts(version: BlueprintVersion, content: dict[str, Any]) -> None:
    Responsibility.objects.bulk_create(
        Responsibility(version=version, position=i, **item) for i, item in enumerate(content["responsibilities"])
    )
    Skill.objects.bulk_create(Skill(version=version, position=i, **item) for i, item in enumerate(content["skills"]))
    KPIDefinition.objects.bulk_create(
        KPIDefinition(
            version=version,
            position=i,
            name=item["name"],
            measures=item["measures"],
            why=item["why"],
            target=item["target"],
            frequency=item["frequency"],
            target_direction=(item["target_parsed"] or {}).get("direction", ""),
            target_threshold=(item["target_parsed"] or {}).get("threshold"),
            target_unit=(item["target_parsed"] or {}).get("unit", ""),
            target_relative=(item["target_parsed"] or {}).get("relative", False),
        )
        for i, item in enumerate(content["kpis"])
    )
    Milestone.objects.bulk_create(
        Milestone(version=version, position=i, **item) for i, item in enumerate(content["milestones"])
    )
    ScorecardDimension.objects.bulk_create(
        ScorecardDimension(version=version, position=i, **item) for i, item in enumerate(content["scorecard"])
    )
    PromotionCriterion.objects.bulk_create(
        PromotionCriterion(version=version, position=i, text=text)
        for i, text in enumerate(content["promotion_criteria"])
    )


def _lock(version: BlueprintVersion) -> BlueprintVersion:
    return BlueprintVersion.objects.select_for_update().select_related("role").get(pk=version.pk)


@transaction.atomic
def blueprint_publish(*, actor: Any, version: BlueprintVersion) -> BlueprintVersion:
    """Publish a draft. Its weights must sum to 100; after this the version never changes."""
    if actor is not None and not access.can_manage_blueprints(actor):
        raise PermissionDenied("Only HR may publish role blueprints.")
    version = _lock(version)
    if version.is_published:
        raise BlueprintImportError(f"{version.title} version {version.number} is already published.")
    weights = list(ScorecardDimension.objects.filter(version=version).values_list("weight", flat=True))
    total = sum(weights, Decimal(0))
    if not weights or total != Decimal(100):
        raise BlueprintImportError(
            f"The scorecard weights of {version.title} version {version.number} sum to {total.normalize():f}, "
            "not 100; correct them before publishing."
        )
    version.status = BlueprintVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["status", "published_at", "published_by"])
    audit_record(
        actor=actor,
        action="blueprint.publish",
        target=version,
        before={"status": "draft"},
        after={"status": "published"},
    )
    return version


@transaction.atomic
def blueprint_start_draft(*, actor: Any, role: Role, change_note: str = "") -> BlueprintVersion:
    """Start a new draft as a copy of the role's newest version, to be edited and published."""
    if actor is not None and not access.can_manage_blueprints(actor):
        raise PermissionDenied("Only HR may edit role blueprints.")
    Role.objects.select_for_update().filter(pk=role.pk).first()
    latest = BlueprintVersion.objects.filter(role=role).order_by("-number").first()
    if latest is None:
        raise BlueprintImportError(f"{role.title} has no version to start from; import one.")
    if not latest.is_published:
        raise BlueprintImportError(f"{role.title} already has a draft (version {latest.number}).")
    content = blueprint_validate(blueprint_to_dict(blueprint_version_by_id(latest.pk)))
    try:
        draft = BlueprintVersion.objects.create(
            role=role,
            number=latest.number + 1,
            title=content["title"],
            summary=content["summary"],
            mission=content["mission"],
            sections=content["sections"],
            source_name=latest.source_name,
            change_note=change_note,
            created_by=actor,
        )
    except IntegrityError as exc:
        raise BlueprintImportError(f"{role.title} already has a draft.") from exc
    _create_parts(draft, content)
    audit_record(
        actor=actor,
        action="blueprint.start_draft",
        target=draft,
        after={"from_version": latest.number, "number": draft.number},
    )
    return draft


@transaction.atomic
def blueprint_discard_draft(*, actor: Any, version: BlueprintVersion) -> None:
    """Remove a draft nobody relies on yet. Published versions are never removed."""
    if actor is not None and not access.can_manage_blueprints(actor):
        raise PermissionDenied("Only HR may discard blueprint drafts.")
    version = _lock(version)
    if version.is_published:
        raise BlueprintImportError("A published version cannot be discarded.")
    audit_record(
        actor=actor,
        action="blueprint.discard_draft",
        target=version,
        before={"number": version.number, "status": "draft"},
    )
    version.delete()
