"""What the review and cycle endpoints read and answer.

Input serializers check shapes and types strictly (a score is a JSON whole number, never "4", 3.5 or
true); the rules of the review itself are the services'. Output is built by `review_data` and
`cycle_data` from the access policy; the output serializers describe it for the schema.
"""

from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from org.models import Team
from reviews.evidence import evidence_links, kpi_entries
from reviews.models import Cycle, Rating, Review, SkillRating
from reviews.services import (
    ACTIONS,
    EVIDENCE_MAX_LENGTH,
    EVIDENCE_MAX_LINKS,
    SKILL_COMMENT_MAX_LENGTH,
    OpenResult,
    review_explanation,
    skill_rating_value,
)
from scorecards.models import Skill
from staffrole import access
from staffrole.access import Access

SCORE_MESSAGE = "A score is a whole number from 1 to 5."
# Far more than any scorecard has dimensions.
MAX_RATINGS = 100


class WholeNumberField(serializers.IntegerField):
    """An integer that must arrive as a JSON integer: "4", 4.0, 3.5 and true are refused."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


def _score_field(**kwargs: Any) -> WholeNumberField:
    return WholeNumberField(
        min_value=1,
        max_value=5,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value", "null", "max_string_length"), SCORE_MESSAGE),
        **kwargs,
    )


def _version_field(**kwargs: Any) -> WholeNumberField:
    message = "The review's version you read, a whole number (see `version` in the review)."
    return WholeNumberField(
        min_value=1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "null", "max_string_length"), message),
        help_text="The review's `version` as you read it; a stale one answers 409.",
        **kwargs,
    )


# --- Input ---------------------------------------------------------------------------------------


class RatingInputSerializer(serializers.Serializer):
    dimension = serializers.CharField(max_length=200, help_text="The scorecard dimension's name.")
    score = _score_field(required=False, help_text="1..5; absent keeps the stored score.")
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=10_000, trim_whitespace=False, help_text="Absent keeps it."
    )
    evidence = serializers.ListField(
        child=serializers.URLField(max_length=500),
        required=False,
        max_length=20,
        help_text="Links to evidence; absent keeps them, [] clears them. KPIs attached as evidence on the review "
        "page are kept either way.",
    )


class RatingsUpdateSerializer(serializers.Serializer):
    version = _version_field()
    ratings = RatingInputSerializer(many=True, required=False)
    potential = serializers.ChoiceField(
        choices=[*Review.Potential.values, ""],
        required=False,
        help_text="The reviewer's view of potential for calibration's 9-box; \"\" clears it.",
        error_messages={"invalid_choice": "Potential is low, medium or high."},
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(_named_rating_errors(exc.detail, data)) from exc

    def validate_ratings(self, ratings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(ratings) > MAX_RATINGS:
            raise serializers.ValidationError([f"At most {MAX_RATINGS} ratings at once."])
        names = [rating["dimension"] for rating in ratings]
        repeated = [name for name in dict.fromkeys(names) if names.count(name) > 1]
        if repeated:
            raise serializers.ValidationError([f"{name}: named more than once." for name in repeated])
        return ratings


def _named_rating_errors(
    detail: Any,
    data: Any,
    *,
    key: str = "ratings",
    name_field: str = "dimension",
    named: str = "{name}",
    unnamed: str = "Rating {n}",
) -> Any:
    """Nested errors come per index of the list; say which dimension (or skill) each is about instead."""
    if not isinstance(detail, dict) or not isinstance(detail.get(key), dict | list):
        return detail
    nested = detail[key]
    if isinstance(nested, list):
        if not any(isinstance(error, dict) for error in nested):
            return detail  # errors about the list itself
        nested = dict(enumerate(nested))
    items = data.get(key) if isinstance(data, dict) else None
    messages: list[str] = []
    for index, error in nested.items():
        if not isinstance(index, int):  # about the list as a whole
            messages += _flat(error)
            continue
        item = items[index] if isinstance(items, list) and index < len(items) else None
        name = item.get(name_field) if isinstance(item, dict) else None
        known = (isinstance(name, str) and name) or (isinstance(name, int) and not isinstance(name, bool))
        label = named.format(name=name) if known else unnamed.format(n=index + 1)
        fields = error if isinstance(error, dict) else {"non_field_errors": error}
        for field, errors in fields.items():
            prefix = label if field in ("score", "non_field_errors") else f"{label}: {field}"
            messages += [f"{prefix}: {message}" for message in _flat(errors)]
    return {**detail, key: messages}


def _flat(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _flat(value)]
    if isinstance(errors, list):
        return [message for value in errors for message in _flat(value)]
    return [str(errors)]


# More than any blueprint has skills.
MAX_SKILL_RATINGS = 500


class SkillRatingInputSerializer(serializers.Serializer):
    skill = WholeNumberField(min_value=1, help_text="The skill's id, as `GET .../skills/` lists it.")
    score = _score_field(required=False, allow_null=True, help_text="1..5, or null for not rated; absent keeps it.")
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SKILL_COMMENT_MAX_LENGTH,
        trim_whitespace=False,
        help_text="Absent keeps it.",
    )
    evidence = serializers.ListField(
        child=serializers.URLField(max_length=EVIDENCE_MAX_LENGTH),
        required=False,
        max_length=EVIDENCE_MAX_LINKS,
        help_text="http(s) links to evidence; absent keeps them, [] clears them.",
    )
    version = WholeNumberField(
        min_value=0,
        help_text="The skill rating's `version` as you read it (0 for a skill not rated yet); a stale one answers 409.",
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "null", "max_string_length"),
            "The skill rating's version you read, a whole number (0 for a skill not rated yet).",
        ),
    )


class SkillRatingsUpdateSerializer(serializers.Serializer):
    skills = SkillRatingInputSerializer(many=True)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = _named_rating_errors(
                exc.detail, data, key="skills", name_field="skill", named="Skill {name}", unnamed="Item {n} of skills"
            )
            raise serializers.ValidationError(detail) from exc

    def validate_skills(self, skills: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(skills) > MAX_SKILL_RATINGS:
            raise serializers.ValidationError([f"At most {MAX_SKILL_RATINGS} skills at once."])
        ids = [item["skill"] for item in skills]
        repeated = [pk for pk in dict.fromkeys(ids) if ids.count(pk) > 1]
        if repeated:
            raise serializers.ValidationError([f"Skill {pk}: named more than once." for pk in repeated])
        return skills


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=list(ACTIONS),
        error_messages={"invalid_choice": f'Unknown action "{{input}}"; expected one of {", ".join(ACTIONS)}.'},
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5_000,
        help_text="Required for reopen; for acknowledge, the person's comment (disagreement is recorded).",
    )
    version = _version_field(required=False)


class CalibrationSerializer(serializers.Serializer):
    version = _version_field()
    final_rating = _score_field()
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5_000,
        help_text="Required when the final rating differs from the rounded weighted manager score.",
    )


class ReassignSerializer(serializers.Serializer):
    reviewer = serializers.CharField(max_length=150, help_text="The new reviewer's username.")
    reason = serializers.CharField(
        max_length=5_000,
        error_messages={"required": "Say why the reviewer changes.", "blank": "Say why the reviewer changes."},
    )


DATE_FIELDS = ("period_start", "period_end", "self_due", "manager_due", "calibration_due", "signoff_due")


class CycleCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    self_due = serializers.DateField(help_text="Self-assessments due.")
    manager_due = serializers.DateField(help_text="Manager reviews due; not before self_due.")
    calibration_due = serializers.DateField(help_text="Calibration done; not before manager_due.")
    signoff_due = serializers.DateField(help_text="Shared and acknowledged; not before calibration_due.")
    teams = serializers.ListField(
        child=serializers.SlugField(max_length=100),
        required=False,
        allow_empty=True,
        help_text="Team slugs to enrol; absent or empty enrols everyone.",
    )
    dora_report_year = serializers.IntegerField(
        required=False,
        default=2023,
        help_text="The DORA report (2023 or 2021) whose tiers judge the cycle's KPIs; 2023 when absent.",
    )

    def validate_teams(self, slugs: list[str]) -> list[Team]:
        from org.selectors import teams_by_slug

        found = teams_by_slug(slugs)
        unknown = [slug for slug in dict.fromkeys(slugs) if slug not in found]
        if unknown:
            raise serializers.ValidationError([f"No team has the slug {slug!r}." for slug in unknown])
        return list(found.values())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        if attrs["period_start"] > attrs["period_end"]:
            errors["period_end"] = ["The review period ends before it starts."]
        deadlines = DATE_FIELDS[2:]
        for earlier, later in pairwise(deadlines):
            if attrs[later] < attrs[earlier]:
                errors[later] = [f"Comes before {earlier}; deadlines run self, manager, calibration, sign-off."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class CycleCloseSerializer(serializers.Serializer):
    confirm_unfinished = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Ids of every unfinished review (not yet shared) that may stay unfinished.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5_000)


# --- Output --------------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class KPIEvidenceSerializer(serializers.Serializer):
    """A KPI attached to a rating on the review page, as it stood when attached (later measurements do
    not change it)."""

    series = serializers.IntegerField(help_text="The KPI series' id.")
    kpi = serializers.CharField(help_text="The KPI's name in the blueprint.")
    subject = serializers.CharField(help_text="The person, team or service measured.")
    subject_kind = serializers.CharField(help_text="engineer, team or service.")
    unit = serializers.CharField()
    period = serializers.CharField(help_text="The series' granularity: week, month or quarter.")
    period_range = serializers.ListField(
        child=serializers.DateField(), help_text="First days of the first and last periods overlapping the cycle."
    )
    value = serializers.CharField(
        allow_null=True, help_text="The latest value in the cycle's period, as a decimal string; null: not collected."
    )
    value_period = serializers.DateField(allow_null=True, help_text="First day of the period of `value`.")
    attainment = serializers.CharField(
        allow_blank=True, help_text='Target attainment: "met", "missed", or "" when no target can judge it.'
    )
    tier = serializers.CharField(allow_null=True, help_text="The DORA tier in `report_year`, for a DORA KPI.")
    report_year = serializers.IntegerField()
    attached_by = serializers.CharField(help_text="The username of who attached it.")
    attached_at = serializers.DateTimeField()


class ReviewRatingSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    weight = serializers.FloatField(help_text="The dimension's weight; a scorecard's weights sum to 100.")
    self_score = serializers.IntegerField(allow_null=True)
    self_comment = serializers.CharField(allow_null=True)
    self_evidence = serializers.ListField(child=serializers.CharField(), allow_null=True, help_text="Evidence links.")
    self_kpi_evidence = KPIEvidenceSerializer(many=True, allow_null=True)
    manager_score = serializers.IntegerField(allow_null=True)
    manager_comment = serializers.CharField(allow_null=True)
    manager_evidence = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="Evidence links."
    )
    manager_kpi_evidence = KPIEvidenceSerializer(many=True, allow_null=True)


def _sides(name: str, child: serializers.Field, help_text: str) -> serializers.Serializer:
    return inline_serializer(name=name, fields={"self": child, "manager": child}, help_text=help_text)


class ReviewSerializer(serializers.Serializer):
    """A review as the caller may see it: whatever the policy hides from them now is null."""

    id = serializers.IntegerField()
    cycle = serializers.IntegerField(help_text="The cycle's id.")
    cycle_name = serializers.CharField()
    employee = PersonSerializer()
    reviewer = PersonSerializer(allow_null=True)
    role = serializers.CharField(help_text="The role blueprint's slug.")
    blueprint_version = serializers.IntegerField(help_text="The blueprint version number, fixed when the cycle opened.")
    state = serializers.ChoiceField(choices=Review.State.choices)
    version = serializers.IntegerField(help_text="Send it back with every write; a stale one answers 409.")
    ratings = ReviewRatingSerializer(many=True)
    weighted_self_score = serializers.FloatField(allow_null=True, help_text="Null while a dimension is unrated.")
    weighted_manager_score = serializers.FloatField(allow_null=True, help_text="Null while a dimension is unrated.")
    final_rating = serializers.IntegerField(allow_null=True)
    calibration_justification = serializers.CharField(allow_null=True)
    potential = serializers.ChoiceField(
        choices=Review.Potential.choices, allow_null=True, help_text="Null when unset or not visible."
    )
    acknowledgement_comment = serializers.CharField(allow_blank=True)
    # Plain strings here: the same choices as a transition's `action`, which names them in the schema.
    actions = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            "Transitions (see the transition's `action`) the caller may take now; completeness and the cycle's "
            "state are checked when one is taken."
        ),
    )
    editable = _sides("ReviewEditableSides", serializers.BooleanField(), "Which side the caller may write now.")
    missing = _sides(
        "ReviewMissingSides",
        serializers.ListField(child=serializers.CharField(), allow_null=True),
        "Unrated dimensions per side (null for a side the caller may not see).",
    )
    self_submitted_at = serializers.DateTimeField(allow_null=True)
    manager_submitted_at = serializers.DateTimeField(allow_null=True)
    calibrated_at = serializers.DateTimeField(allow_null=True)
    shared_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    page_url = serializers.CharField(help_text="The review page in the browser.")


class SkillRatingSerializer(serializers.Serializer):
    """One skill of the pinned blueprint with the engineer's rating of it (all null or empty when not rated)."""

    skill = serializers.IntegerField(help_text="The skill's id.")
    name = serializers.CharField()
    group = serializers.ChoiceField(choices=Skill.Group.choices)
    importance = serializers.ChoiceField(choices=Skill.Importance.choices)
    score = serializers.IntegerField(allow_null=True, help_text="1..5; null when not rated.")
    comment = serializers.CharField(allow_blank=True)
    evidence = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField(help_text="Send it back with a write; 0 for a skill not rated yet.")


class StoredSkillRatingSerializer(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)
    evidence = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()


class SkillsConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="The review's current version.")
    skills = serializers.DictField(
        child=StoredSkillRatingSerializer(),
        help_text="For each skill whose `version` was stale (keyed by its id): the value stored now.",
    )


def skill_ratings_data(skills: Iterable[Skill], ratings: dict[int, SkillRating]) -> list[dict[str, Any]]:
    """Every skill of the blueprint with its rating, in blueprint order."""
    return [
        {
            "skill": skill.pk,
            "name": skill.name,
            "group": skill.group,
            "importance": skill.importance,
            **skill_rating_value(ratings.get(skill.pk)),
        }
        for skill in skills
    ]


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _score(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _person(employee: Any) -> dict[str, str] | None:
    return {"username": employee.user.username, "name": employee.name} if employee is not None else None


def _when(value: Any) -> str | None:
    return serializers.DateTimeField().to_representation(value) if value is not None else None


KPI_EVIDENCE_FIELDS = tuple(KPIEvidenceSerializer().fields)


def kpi_evidence_data(evidence: Any) -> list[dict[str, Any]]:
    """A rating's KPI evidence for the API: the stored snapshots' documented fields."""
    return [{key: entry.get(key) for key in KPI_EVIDENCE_FIELDS} for entry in kpi_entries(evidence)]


def review_data(review: Review, *, user: Any, ratings: Iterable[Rating]) -> dict[str, Any]:
    """The review's JSON for this caller; `ratings` are its ratings with their dimensions."""
    rows = list(ratings)
    self_access, manager_access = access.review_access(user, review)
    see_self, see_manager = self_access is not Access.NONE, manager_access is not Access.NONE
    see_final = access.can_see_final_rating(user, review)
    by_dimension: dict[int, dict[str, Rating]] = {}
    for rating in sorted(rows, key=lambda r: (r.dimension.position, r.dimension_id)):
        by_dimension.setdefault(rating.dimension_id, {})[rating.side] = rating
    lines = []
    for sides in by_dimension.values():
        own, theirs = sides.get(Rating.Side.SELF), sides.get(Rating.Side.MANAGER)
        dimension = next(iter(sides.values())).dimension
        lines.append(
            {
                "dimension": dimension.name,
                "weight": _number(dimension.weight),
                "self_score": own.score if see_self and own else None,
                "self_comment": own.comment if see_self and own else None,
                "self_evidence": evidence_links(own.evidence) if see_self and own else None,
                "self_kpi_evidence": kpi_evidence_data(own.evidence) if see_self and own else None,
                "manager_score": theirs.score if see_manager and theirs else None,
                "manager_comment": theirs.comment if see_manager and theirs else None,
                "manager_evidence": evidence_links(theirs.evidence) if see_manager and theirs else None,
                "manager_kpi_evidence": kpi_evidence_data(theirs.evidence) if see_manager and theirs else None,
            }
        )
    own_score = review_explanation(review=review, side=Rating.Side.SELF, ratings=rows) if see_self else None
    their_score = review_explanation(review=review, side=Rating.Side.MANAGER, ratings=rows) if see_manager else None
    return {
        "id": review.pk,
        "cycle": review.cycle_id,
        "cycle_name": review.cycle.name,
        "employee": _person(review.employee),
        "reviewer": _person(review.reviewer),
        "role": review.blueprint_version.role.slug,
        "blueprint_version": review.blueprint_version.number,
        "state": review.state,
        "version": review.version,
        "ratings": lines,
        "weighted_self_score": _score(own_score.weighted_score) if own_score else None,
        "weighted_manager_score": _score(their_score.weighted_score) if their_score else None,
        "final_rating": review.final_rating if see_final else None,
        "calibration_justification": review.calibration_justification if see_final else None,
        "potential": (review.potential or None) if access.can_see_potential(user, review) else None,
        "acknowledgement_comment": review.acknowledgement_comment,
        "actions": [action for action in ACTIONS if action in access.review_actions(user, review)],
        "editable": {"self": self_access is Access.EDIT, "manager": manager_access is Access.EDIT},
        "missing": {
            "self": own_score.missing if own_score else None,
            "manager": their_score.missing if their_score else None,
        },
        "self_submitted_at": _when(review.self_submitted_at),
        "manager_submitted_at": _when(review.manager_submitted_at),
        "calibrated_at": _when(review.calibrated_at),
        "shared_at": _when(review.shared_at),
        "acknowledged_at": _when(review.acknowledged_at),
        "page_url": reverse("reviews:detail", args=[review.pk]),
    }


class SkippedSerializer(serializers.Serializer):
    username = serializers.CharField()
    reason = serializers.CharField()


CYCLE_ACTIONS = {
    Cycle.State.PLANNED: "open",
    Cycle.State.OPEN: "advance",
    Cycle.State.CALIBRATING: "close",
}


class _CycleFields(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    self_due = serializers.DateField()
    manager_due = serializers.DateField()
    calibration_due = serializers.DateField()
    signoff_due = serializers.DateField()
    teams = serializers.ListField(child=serializers.CharField(), help_text="Team slugs; empty means everyone.")
    dora_report_year = serializers.IntegerField(help_text="The DORA report whose tiers judge the cycle's KPIs.")
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    review_counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Reviews the caller may open, per review state."
    )


class CycleSerializer(_CycleFields):
    state = serializers.ChoiceField(choices=Cycle.State.choices)
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=list(CYCLE_ACTIONS.values())),
        help_text="What the caller may do to the cycle now (HR only).",
    )


class CycleOpenSerializer(_CycleFields):
    # Plain strings: a second component with the cycle's enums would make the schema name them twice.
    state = serializers.CharField(help_text='"open"')
    actions = serializers.ListField(child=serializers.CharField(), help_text='["advance"] for HR')
    enrolled = serializers.IntegerField(help_text="Reviews created.")
    skipped = SkippedSerializer(many=True, help_text="Active people in scope who got no review, and why.")


def cycle_data(cycle: Cycle, *, user: Any, counts: dict[str, int] | None) -> dict[str, Any]:
    """The cycle's JSON; `cycle.teams` should be prefetched."""
    action = CYCLE_ACTIONS.get(Cycle.State(cycle.state))
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "state": cycle.state,
        **{name: getattr(cycle, name).isoformat() for name in DATE_FIELDS},
        "teams": sorted(team.slug for team in cycle.teams.all()),
        "dora_report_year": cycle.dora_report_year,
        "opened_at": _when(cycle.opened_at),
        "closed_at": _when(cycle.closed_at),
        "review_counts": counts if counts is not None else dict.fromkeys(Review.State.values, 0),
        "actions": [action] if action and access.can_manage_cycles(user) else [],
    }


def cycle_open_data(result: OpenResult, *, user: Any, counts: dict[str, int] | None) -> dict[str, Any]:
    return {
        **cycle_data(result.cycle, user=user, counts=counts),
        "enrolled": result.enrolled,
        "skipped": [{"username": person.user.username, "reason": reason} for person, reason in result.skipped],
    }


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="The review's current version: reload, then write again.")


class IncompleteSerializer(serializers.Serializer):
    detail = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField(), help_text="The unrated dimensions.")
    side = serializers.ChoiceField(choices=Rating.Side.choices)
