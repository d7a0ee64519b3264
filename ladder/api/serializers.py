"""What the ladder endpoints read and answer. Input serializers check shapes and types strictly (a score is
a JSON whole number 1..5 or null); the rules are the services'. Output is built by `track_data` and
`assessment_data`; the output serializers describe it for the schema."""

from typing import Any

from rest_framework import serializers

from ladder.models import Assessment, AssessmentCriterion, ManagerView
from ladder.selectors import TrackRow, standing_for
from ladder.services import COMMENT_MAX_LENGTH, EVIDENCE_MAX_LENGTH, NAME_MAX_LENGTH
from ladder.standing import SUGGESTION_LABEL
from reviews.api.serializers import WholeNumberField
from reviews.services import EVIDENCE_MAX_LINKS
from scorecards.models import Skill

SCORE_MESSAGE = "A score is a whole number from 1 to 5 (null clears it)."
MAX_ITEMS = 500


class LadderConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="The assessment's current version: reload, then write again.")


class LadderIncompleteSerializer(serializers.Serializer):
    detail = serializers.CharField()
    missing_skills = serializers.ListField(child=serializers.CharField())
    missing_criteria = serializers.ListField(child=serializers.CharField())


# --- Input ---------------------------------------------------------------------------------------


class TrackInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5_000)


class TrackPatchSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=NAME_MAX_LENGTH)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5_000)


class LevelInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    role = serializers.SlugField(required=False, allow_null=True, help_text="A role's slug; null for no blueprint.")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5_000)


class LevelPatchSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=NAME_MAX_LENGTH)
    role = serializers.SlugField(required=False, allow_null=True, help_text="A role's slug; null unlinks.")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5_000)
    position = WholeNumberField(required=False, min_value=1, help_text="Move the level to this rung (1 is the first).")


class LadderSkillAnswerSerializer(serializers.Serializer):
    skill = WholeNumberField(min_value=1, help_text="The skill's id, as `skills[].skill` of the assessment.")
    score = WholeNumberField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=5,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value", "max_string_length"), SCORE_MESSAGE),
        help_text="1..5; null clears it; absent keeps it.",
    )
    evidence = serializers.CharField(
        required=False, allow_blank=True, max_length=EVIDENCE_MAX_LENGTH, trim_whitespace=False
    )
    links = serializers.ListField(
        child=serializers.URLField(max_length=500), required=False, max_length=EVIDENCE_MAX_LINKS
    )
    kpis = serializers.ListField(
        child=serializers.CharField(max_length=255),
        required=False,
        max_length=100,
        help_text="KPI names of the blueprint.",
    )


class LadderCriterionAnswerSerializer(serializers.Serializer):
    criterion = WholeNumberField(min_value=1, help_text="The criterion's id, as `criteria[].criterion`.")
    status = serializers.ChoiceField(
        choices=[("", "not answered"), *AssessmentCriterion.Status.choices], required=False, allow_blank=True
    )
    evidence = serializers.CharField(
        required=False, allow_blank=True, max_length=EVIDENCE_MAX_LENGTH, trim_whitespace=False
    )


class AssessmentPatchSerializer(serializers.Serializer):
    version = WholeNumberField(
        min_value=1,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "null"), "The assessment's version you read, a whole number."
        ),
        help_text="The assessment's `version` as you read it; a stale one answers 409.",
    )
    skills = serializers.ListField(child=LadderSkillAnswerSerializer(), required=False, max_length=MAX_ITEMS)
    criteria = serializers.ListField(child=LadderCriterionAnswerSerializer(), required=False, max_length=MAX_ITEMS)


class LadderSubmitSerializer(serializers.Serializer):
    version = WholeNumberField(required=False, min_value=1, help_text="With it, a stale version answers 409.")


class ManagerViewInputSerializer(serializers.Serializer):
    readiness = serializers.ChoiceField(choices=ManagerView.Readiness.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH)


# --- Output --------------------------------------------------------------------------------------


def _blueprint(version: Any) -> dict[str, Any] | None:
    if version is None:
        return None
    return {"slug": version.role.slug, "title": version.title, "version": version.number}


def track_data(row: TrackRow) -> dict[str, Any]:
    return {
        "id": row.track.pk,
        "name": row.track.name,
        "slug": row.track.slug,
        "description": row.track.description,
        "levels": [
            {
                "id": item.level.pk,
                "name": item.level.name,
                "position": item.level.position,
                "role": item.level.role.slug if item.level.role else None,
                "summary": item.level.summary,
                "blueprint": _blueprint(item.blueprint),
                "promotion_criteria": [criterion.text for criterion in item.criteria],
                "career_path": (item.blueprint.sections.get("career_path") if item.blueprint else None) or {},
            }
            for item in row.levels
        ],
    }


def _level(level: Any) -> dict[str, Any] | None:
    return None if level is None else {"id": level.pk, "name": level.name}


def assessment_data(assessment: Assessment) -> dict[str, Any]:
    """An assessment loaded with selectors.with_rows (skills, criteria, manager views)."""
    standing = standing_for(assessment)
    groups = standing.groups
    return {
        "id": assessment.pk,
        "employee": {"username": assessment.employee.user.username, "name": assessment.employee.name},
        "state": assessment.state,
        "version": assessment.version,
        "created_at": assessment.created_at,
        "submitted_at": assessment.submitted_at,
        "blueprint_version": _blueprint(assessment.blueprint_version),
        "level": _level(assessment.level),
        "next_level": _level(assessment.next_level),
        "skills": [
            {
                "skill": s.skill.pk,
                "name": s.skill.name,
                "group": s.skill.group,
                "importance": s.skill.importance,
                "weight": s.weight,
                "score": s.score,
                "gap": s.gap,
                "weighted_gap": s.weighted_gap,
                "evidence": s.row.evidence,
                "links": s.row.links,
                "kpis": s.row.kpis,
            }
            for s in standing.skills
        ],
        "criteria": [
            {"criterion": c.criterion_id, "text": c.criterion.text, "status": c.status, "evidence": c.evidence}
            for c in standing.criteria
        ],
        "standing": {
            "weighted_score": standing.weighted_score,
            "weighted_gap": standing.weighted_gap,
            "largest_gap": standing.largest_gap,
            "rated": len(standing.rated),
            "skills": len(standing.skills),
            "gaps": [s.skill.pk for s in standing.gaps],
            "by_group": [
                {
                    "group": group.key,
                    "weighted_score": group.weighted_score,
                    "weighted_gap": group.weighted_gap,
                    "by_importance": {cell.importance: cell.weighted_gap for cell in group.cells if cell.skills},
                }
                for group in groups
            ],
            "suggested_readiness": standing.suggestion,
            "suggestion_label": SUGGESTION_LABEL,
        },
        "manager_views": [
            {
                "manager": {"username": view.manager.user.username, "name": view.manager.name},
                "readiness": view.readiness,
                "comment": view.comment,
                "created_at": view.created_at,
            }
            for view in assessment.manager_views.all()
        ],
    }


class LadderBlueprintRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    version = serializers.IntegerField()


class LadderLevelOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.IntegerField()
    role = serializers.CharField(allow_null=True)
    summary = serializers.CharField()
    blueprint = LadderBlueprintRefSerializer(allow_null=True)
    promotion_criteria = serializers.ListField(child=serializers.CharField())
    career_path = serializers.DictField(help_text="feeder_roles, next_roles, adjacent_paths, evolution")


class TrackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField()
    levels = LadderLevelOutSerializer(many=True)


class LadderPersonRefSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class LadderLevelRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LadderSkillOutSerializer(serializers.Serializer):
    skill = serializers.IntegerField()
    name = serializers.CharField()
    group = serializers.ChoiceField(choices=Skill.Group.choices)
    importance = serializers.ChoiceField(choices=Skill.Importance.choices)
    weight = serializers.IntegerField(help_text="critical 3, important 2, optional 1, expert 1")
    score = serializers.IntegerField(allow_null=True)
    gap = serializers.IntegerField(allow_null=True, help_text="max(0, 3 - score)")
    weighted_gap = serializers.IntegerField(allow_null=True)
    evidence = serializers.CharField()
    links = serializers.ListField(child=serializers.URLField())
    kpis = serializers.ListField(child=serializers.CharField())


class LadderCriterionOutSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    text = serializers.CharField()
    status = serializers.CharField(help_text="not_yet, partly, met, or empty")
    evidence = serializers.CharField()


class LadderGroupStandingSerializer(serializers.Serializer):
    group = serializers.CharField()
    weighted_score = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True)
    weighted_gap = serializers.IntegerField()
    by_importance = serializers.DictField(child=serializers.IntegerField())


class LadderStandingSerializer(serializers.Serializer):
    weighted_score = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True)
    weighted_gap = serializers.IntegerField()
    largest_gap = serializers.IntegerField()
    rated = serializers.IntegerField()
    skills = serializers.IntegerField()
    gaps = serializers.ListField(child=serializers.IntegerField(), help_text="Skill ids below the bar, critical first.")
    by_group = LadderGroupStandingSerializer(many=True)
    suggested_readiness = serializers.ChoiceField(choices=ManagerView.Readiness.choices, allow_null=True)
    suggestion_label = serializers.CharField()


class LadderManagerViewOutSerializer(serializers.Serializer):
    manager = LadderPersonRefSerializer()
    readiness = serializers.ChoiceField(choices=ManagerView.Readiness.choices)
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = LadderPersonRefSerializer()
    state = serializers.ChoiceField(choices=Assessment.State.choices)
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    blueprint_version = LadderBlueprintRefSerializer()
    level = LadderLevelRefSerializer(allow_null=True)
    next_level = LadderLevelRefSerializer(allow_null=True)
    skills = LadderSkillOutSerializer(many=True)
    criteria = LadderCriterionOutSerializer(many=True)
    standing = LadderStandingSerializer()
    manager_views = LadderManagerViewOutSerializer(many=True)
