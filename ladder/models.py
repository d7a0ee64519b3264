"""The career ladder and the self-assessments people make against it.

A Track is an ordered list of Levels (Senior -> Staff -> Senior Staff -> Principal); a level may be tied to
the role whose blueprint describes it. An Assessment is one person's rating of every skill of their role's
blueprint (pinned to the version they assessed against) and of the promotion criteria for the next level.
It is a draft until submitted, then never changes; managers add their view as new rows (ManagerView), so
the history is kept. See docs/adr/0018-career-ladder-and-self-assessment.md.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

SCORE_MIN, SCORE_MAX = 1, 5


class Track(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(max_length=200)
    # 1 is the first rung; the next level is the next position of the same track.
    position = models.PositiveIntegerField()
    role = models.ForeignKey(
        "scorecards.Role", null=True, blank=True, on_delete=models.SET_NULL, related_name="ladder_levels"
    )
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["track", "position"]
        constraints = [
            models.UniqueConstraint(fields=["track", "position"], name="ladder_level_unique_position"),
            models.UniqueConstraint(fields=["track", "name"], name="ladder_level_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft"
        SUBMITTED = "submitted"

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="assessments")
    blueprint_version = models.ForeignKey(
        "scorecards.BlueprintVersion", on_delete=models.PROTECT, related_name="assessments"
    )
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    next_level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    # Optimistic locking: every write names the version it read; a stale one is refused (409).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Frozen at submission (the skills of a pinned version never change): what the trend plots.
    weighted_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    weighted_gap = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    suggested_readiness = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=models.Q(state="draft"), name="ladder_one_draft_per_employee"
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(submitted_at__isnull=False),
                name="ladder_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Self-assessment {self.pk} ({self.state})"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class AssessmentSkill(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("scorecards.Skill", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    evidence = models.TextField(blank=True)
    links = models.JSONField(default=list, blank=True)
    kpis = models.JSONField(default=list, blank=True)  # names of KPIs of the pinned blueprint

    class Meta:
        ordering = ["assessment", "skill__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "skill"], name="ladder_assessment_skill_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="ladder_assessment_skill_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id}: {self.score}"


class AssessmentCriterion(models.Model):
    class Status(models.TextChoices):
        NOT_YET = "not_yet", "Not yet"
        PARTLY = "partly", "Partly"
        MET = "met", "Met"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.ForeignKey("scorecards.PromotionCriterion", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="ladder_assessment_criterion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.status}"


class ManagerView(models.Model):
    """The manager's actual view of a submitted assessment: a new row each time, never overwritten."""

    class Readiness(models.TextChoices):
        NOT_READY = "not_ready", "Not ready yet"
        DEVELOPING = "developing", "Developing"
        READY_SOON = "ready_soon", "Ready soon"
        READY = "ready", "Ready"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="manager_views")
    manager = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    readiness = models.CharField(max_length=12, choices=Readiness.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_readiness_display()} ({self.created_at:%Y-%m-%d})"


READINESS_LABELS = dict(ManagerView.Readiness.choices)
ZERO = Decimal("0")
