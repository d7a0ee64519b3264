"""Writes of the ladder and the self-assessments: each in one transaction, checked against
staffrole.access, validated and recorded in the audit trail."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from audit.services import audit_record
from ladder.models import (
    SCORE_MAX,
    SCORE_MIN,
    Assessment,
    AssessmentCriterion,
    AssessmentSkill,
    Level,
    ManagerView,
    Track,
)
from ladder.selectors import criteria_source, ladder_place, newest_published, standing_for, with_rows
from org.models import Employee
from reviews.services import EVIDENCE_MAX_LINKS, is_evidence_link
from scorecards.models import KPIDefinition, PromotionCriterion, Role, Skill
from staffrole import access

EVIDENCE_MAX_LENGTH = 5_000
COMMENT_MAX_LENGTH = 5_000
NAME_MAX_LENGTH = 200


class AssessmentConflict(Exception):
    """The version named is not the stored one: someone (another tab) saved first."""

    def __init__(self, current_version: int) -> None:
        super().__init__("This self-assessment was changed elsewhere since you read it.")
        self.current_version = current_version


class AssessmentIncomplete(Exception):
    def __init__(self, missing_skills: list[str], missing_criteria: list[str]) -> None:
        parts = []
        if missing_skills:
            parts.append(f"{len(missing_skills)} skill{'s are' if len(missing_skills) != 1 else ' is'} not rated")
        if missing_criteria:
            count = len(missing_criteria)
            parts.append(f"{count} promotion criterion{'s have' if count != 1 else ' has'} no answer")
        super().__init__("Not submitted: " + " and ".join(parts) + ".")
        self.missing_skills = missing_skills
        self.missing_criteria = missing_criteria


# --- The ladder -----------------------------------------------------------------------------------


def _require_ladder_editor(actor: Any) -> None:
    if not access.can_edit_ladder(actor):
        raise PermissionDenied("Only HR edits the career ladder.")


def _clean_name(name: Any, field: str = "name") -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationError({field: "A name is required."})
    if len(text) > NAME_MAX_LENGTH:
        raise ValidationError({field: f"A name has at most {NAME_MAX_LENGTH} characters."})
    return text


def ladder_track_create(*, actor: Any, name: str, description: str = "") -> Track:
    _require_ladder_editor(actor)
    name = _clean_name(name)
    slug = slugify(name)[:200]
    if not slug:
        raise ValidationError({"name": "A name needs at least one letter or digit."})
    with transaction.atomic():
        if Track.objects.filter(slug=slug).exists():
            raise ValidationError({"name": f"A track named {name!r} exists already."})
        track = Track(name=name, slug=slug, description=description.strip())
        track.full_clean()
        track.save()
        audit_record(actor=actor, action="ladder.track_create", target=track, after={"name": name})
    return track


def ladder_track_save(*, actor: Any, track: Track, name: str, description: str) -> Track:
    """Rename a track or change its description; its slug (and links to it) stay."""
    _require_ladder_editor(actor)
    name = _clean_name(name)
    with transaction.atomic():
        track = Track.objects.select_for_update().get(pk=track.pk)
        before = {"name": track.name, "description": track.description}
        track.name, track.description = name, description.strip()
        track.full_clean()
        track.save()
        audit_record(
            actor=actor,
            action="ladder.track_save",
            target=track,
            before=before,
            after={"name": track.name, "description": track.description},
        )
    return track


def ladder_level_save(
    *,
    actor: Any,
    track: Track,
    name: str,
    role: Role | None,
    summary: str = "",
    level: Level | None = None,
) -> Level:
    """Add a level at the top of the track, or rename, describe or link (to a role) an existing one."""
    _require_ladder_editor(actor)
    name = _clean_name(name)
    with transaction.atomic():
        locked = list(Level.objects.select_for_update().filter(track=track).order_by("position"))
        if any(
            other.name.casefold() == name.casefold() and (level is None or other.pk != level.pk) for other in locked
        ):
            raise ValidationError({"name": f"The track has a level named {name!r} already."})
        if level is None:
            level = Level(track=track, position=(locked[-1].position + 1) if locked else 1)
            before = None
        else:
            level = next((other for other in locked if other.pk == level.pk), None)
            if level is None:
                raise ValidationError({"level": "This level belongs to another track."})
            before = {"name": level.name, "role": level.role_id, "summary": level.summary}
        level.name, level.role, level.summary = name, role, summary.strip()
        level.full_clean(validate_constraints=False)
        level.save()
        audit_record(
            actor=actor,
            action="ladder.level_create" if before is None else "ladder.level_save",
            target=level,
            before=before,
            after={"name": level.name, "role": level.role_id, "summary": level.summary, "position": level.position},
        )
    return level


def ladder_level_move(*, actor: Any, level: Level, position: int) -> Level:
    """Put a level at `position` (1 is the first rung) of its track; the others keep their order."""
    _require_ladder_editor(actor)
    with transaction.atomic():
        levels = list(Level.objects.select_for_update().filter(track_id=level.track_id).order_by("position"))
        if isinstance(position, bool) or not isinstance(position, int) or not 1 <= position <= len(levels):
            raise ValidationError({"position": f"A position is a whole number from 1 to {len(levels)}."})
        moving = next(other for other in levels if other.pk == level.pk)
        before = moving.position
        levels.remove(moving)
        levels.insert(position - 1, moving)
        # Two passes, so that no moment holds two levels at one position (the unique constraint).
        top = max(other.position for other in levels) + len(levels) + 1
        for offset, other in enumerate(levels):
            Level.objects.filter(pk=other.pk).update(position=top + offset)
        for index, other in enumerate(levels, start=1):
            Level.objects.filter(pk=other.pk).update(position=index)
            other.position = index
        audit_record(actor=actor, action="ladder.level_move", target=moving, before=before, after=position)
    return moving


# --- Self-assessments -----------------------------------------------------------------------------


def assessment_start(*, actor: Any, now: Any = None) -> tuple[Assessment, bool]:
    """The caller's draft: the one they have, or a new one against the newest published blueprint of their
    role, with every skill and the promotion criteria for the next level to answer. (assessment, created)."""
    who = access.viewer(actor)
    employee = who.employee
    if employee is None or not access.can_start_assessment(actor):
        raise PermissionDenied("Only people in the organisation assess themselves.")
    existing = Assessment.objects.filter(employee=employee, state=Assessment.State.DRAFT).first()
    if existing is not None:
        return existing, False
    version = newest_published(employee.role_id)
    if version is None:
        raise ValidationError("You have no role with a published blueprint yet, so there is nothing to assess against.")
    place = ladder_place(employee=employee)
    source = criteria_source(current=version, next_level=place.next_level)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                employee=employee,
                blueprint_version=version,
                level=place.level,
                next_level=place.next_level,
                created_at=now or timezone.now(),
            )
            AssessmentSkill.objects.bulk_create(
                AssessmentSkill(assessment=assessment, skill=skill) for skill in Skill.objects.filter(version=version)
            )
            AssessmentCriterion.objects.bulk_create(
                AssessmentCriterion(assessment=assessment, criterion=criterion)
                for criterion in PromotionCriterion.objects.filter(version=source)
            )
            audit_record(
                actor=actor,
                action="ladder.assessment_start",
                target=assessment,
                after={
                    "blueprint_version": version.pk,
                    "next_level": place.next_level.pk if place.next_level else None,
                },
            )
    except IntegrityError:
        # A second tab started one at the same instant: that one is the draft.
        return Assessment.objects.get(employee=employee, state=Assessment.State.DRAFT), False
    return assessment, True


@dataclass(frozen=True)
class SkillInput:
    """What to change of one skill; None leaves that part as it is."""

    skill: int
    score: int | None = None
    clear_score: bool = False
    evidence: str | None = None
    links: list[str] | None = None
    kpis: list[str] | None = None


@dataclass(frozen=True)
class CriterionInput:
    criterion: int
    status: str | None = None
    evidence: str | None = None


def _skill_problems(item: SkillInput, kpi_names: set[str]) -> list[str]:
    problems = []
    if item.score is not None and (
        isinstance(item.score, bool) or not isinstance(item.score, int) or not SCORE_MIN <= item.score <= SCORE_MAX
    ):
        problems.append(f"a score is a whole number from {SCORE_MIN} to {SCORE_MAX}.")
    if item.evidence is not None and len(item.evidence) > EVIDENCE_MAX_LENGTH:
        problems.append(f"evidence has at most {EVIDENCE_MAX_LENGTH} characters.")
    if item.links is not None:
        if len(item.links) > EVIDENCE_MAX_LINKS:
            problems.append(f"give at most {EVIDENCE_MAX_LINKS} links.")
        bad = [str(link)[:80] for link in item.links if not is_evidence_link(link)]
        if bad:
            problems.append("a link is one web address (http:// or https://); not one: " + ", ".join(bad) + ".")
    if item.kpis is not None:
        unknown = [str(name)[:80] for name in item.kpis if name not in kpi_names]
        if unknown:
            problems.append("not a KPI of this blueprint: " + ", ".join(unknown) + ".")
    return problems


def assessment_save(
    *,
    actor: Any,
    assessment: Assessment,
    version: int,
    skills: list[SkillInput] = (),  # type: ignore[assignment]
    criteria: list[CriterionInput] = (),  # type: ignore[assignment]
) -> Assessment:
    """Write the caller's answers to their draft, all or nothing. Raises AssessmentConflict for a stale
    `version`, ValidationError naming every bad skill or criterion, PermissionDenied unless it is their draft."""
    with transaction.atomic():
        locked = Assessment.objects.select_related("employee").select_for_update().get(pk=assessment.pk)
        if not access.can_edit_assessment(actor, locked):
            raise PermissionDenied(
                "Only its author changes a self-assessment, while it is a draft."
                if locked.is_draft
                else "This self-assessment is submitted: it can no longer be changed."
            )
        if version != locked.version:
            raise AssessmentConflict(locked.version)
        rows = {row.skill_id: row for row in AssessmentSkill.objects.filter(assessment=locked)}
        answers = {row.criterion_id: row for row in AssessmentCriterion.objects.filter(assessment=locked)}
        kpi_names = set(
            KPIDefinition.objects.filter(version_id=locked.blueprint_version_id).values_list("name", flat=True)
        )
        errors: dict[str, list[str]] = {}
        changed_skills: list[AssessmentSkill] = []
        for item in skills:
            row = rows.get(item.skill)
            if row is None:
                errors.setdefault("skills", []).append(f"{item.skill}: not a skill of this self-assessment.")
                continue
            problems = _skill_problems(item, kpi_names)
            if problems:
                errors.setdefault("skills", []).append(f"{item.skill}: " + " ".join(problems))
                continue
            if item.score is not None or item.clear_score:
                row.score = None if item.clear_score else item.score
            if item.evidence is not None:
                row.evidence = item.evidence
            if item.links is not None:
                row.links = list(item.links)
            if item.kpis is not None:
                row.kpis = list(dict.fromkeys(item.kpis))
            changed_skills.append(row)
        changed_criteria: list[AssessmentCriterion] = []
        for answer in criteria:
            row_c = answers.get(answer.criterion)
            if row_c is None:
                errors.setdefault("criteria", []).append(
                    f"{answer.criterion}: not a criterion of this self-assessment."
                )
                continue
            if answer.status is not None and answer.status not in {"", *AssessmentCriterion.Status.values}:
                errors.setdefault("criteria", []).append(
                    f"{answer.criterion}: the status is one of {', '.join(AssessmentCriterion.Status.values)}."
                )
                continue
            if answer.evidence is not None and len(answer.evidence) > EVIDENCE_MAX_LENGTH:
                errors.setdefault("criteria", []).append(
                    f"{answer.criterion}: evidence has at most {EVIDENCE_MAX_LENGTH} characters."
                )
                continue
            if answer.status is not None:
                row_c.status = answer.status
            if answer.evidence is not None:
                row_c.evidence = answer.evidence
            changed_criteria.append(row_c)
        if errors:
            raise ValidationError(errors)
        AssessmentSkill.objects.bulk_update(changed_skills, ["score", "evidence", "links", "kpis"])
        AssessmentCriterion.objects.bulk_update(changed_criteria, ["status", "evidence"])
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit_record(
            actor=actor,
            action="ladder.assessment_save",
            target=locked,
            after={
                "version": locked.version,
                "skills": {str(row.skill_id): row.score for row in changed_skills},
                "criteria": {str(row.criterion_id): row.status for row in changed_criteria},
            },
        )
    return locked


def assessment_submit(*, actor: Any, assessment: Assessment, version: int | None = None, now: Any = None) -> Assessment:
    """Submit the caller's draft once every skill is rated and every criterion answered; its figures are
    frozen (weighted score, weighted gap, the suggestion) for the trend."""
    with transaction.atomic():
        locked = Assessment.objects.select_related("employee").select_for_update().get(pk=assessment.pk)
        if not access.can_edit_assessment(actor, locked):
            raise PermissionDenied(
                "Only its author submits a self-assessment."
                if locked.is_draft
                else "This self-assessment is submitted."
            )
        if version is not None and version != locked.version:
            raise AssessmentConflict(locked.version)
        loaded = with_rows(Assessment.objects.filter(pk=locked.pk)).get()
        standing = standing_for(loaded)
        if not standing.complete:
            raise AssessmentIncomplete(
                [s.skill.name for s in standing.unrated], [c.criterion.text for c in standing.unanswered_criteria]
            )
        locked.state = Assessment.State.SUBMITTED
        locked.submitted_at = now or timezone.now()
        locked.weighted_score = standing.weighted_score
        locked.weighted_gap = Decimal(standing.weighted_gap)
        locked.suggested_readiness = standing.suggestion or ""
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            action="ladder.assessment_submit",
            target=locked,
            after={
                "weighted_score": str(locked.weighted_score),
                "weighted_gap": str(locked.weighted_gap),
                "suggested_readiness": locked.suggested_readiness,
            },
        )
    return locked


def manager_view_record(*, actor: Any, assessment: Assessment, readiness: str, comment: str = "") -> ManagerView:
    """Add the manager's view (a new row; earlier views stay)."""
    if not access.can_record_manager_view(actor, assessment):
        raise PermissionDenied(
            "Their manager and those above them record a view, once the self-assessment is submitted."
        )
    if readiness not in ManagerView.Readiness.values:
        raise ValidationError({"readiness": f"Choose one of: {', '.join(ManagerView.Readiness.values)}."})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": f"A comment has at most {COMMENT_MAX_LENGTH} characters."})
    manager = access.viewer(actor).employee
    assert manager is not None  # noqa: S101 - can_record_manager_view needs a place in the chain
    with transaction.atomic():
        view = ManagerView.objects.create(
            assessment=assessment, manager=manager, author=actor, readiness=readiness, comment=comment
        )
        audit_record(
            actor=actor,
            action="ladder.manager_view",
            target=assessment,
            after={"readiness": readiness, "view": view.pk},
        )
    return view


def employee_of(actor: Any) -> Employee | None:
    return access.viewer(actor).employee
