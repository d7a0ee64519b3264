"""Role blueprints as versioned data.

A Role has numbered BlueprintVersions. A version is a draft until it is published and never
changes afterwards: an edit starts a new draft (docs/adr/0003-blueprint-versioning.md). Reviews
and openings pin the version they were made against.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models


class Role(models.Model):
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class BlueprintVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    mission = models.TextField(blank=True)
    # Every other section of the document (deliverables, tools, stakeholders, hiring criteria…),
    # structured as the importer read it; see scorecards/blueprint_parser.py.
    sections = models.JSONField(default=dict, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    change_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role__title", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["role", "number"], name="blueprint_version_unique_number"),
            models.UniqueConstraint(
                fields=["role"], condition=models.Q(status="draft"), name="blueprint_one_draft_per_role"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="blueprint_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number} ({self.status})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class BlueprintPart(models.Model):
    version = models.ForeignKey(BlueprintVersion, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        abstract = True
        ordering = ["position"]


class Responsibility(BlueprintPart):
    class Category(models.TextChoices):
        STRATEGIC = "strategic"
        OPERATIONAL = "operational"
        TECHNICAL = "technical"
        CROSS_FUNCTIONAL = "cross_functional", "Cross-functional"
        GOVERNANCE = "governance"
        LEADERSHIP = "leadership"

    version = models.ForeignKey(BlueprintVersion, on_delete=models.CASCADE, related_name="responsibilities")
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.TextField()

    class Meta(BlueprintPart.Meta):
        verbose_name_plural = "responsibilities"

    def __str__(self) -> str:
        return self.text[:80]


class Skill(BlueprintPart):
    class Group(models.TextChoices):
        TECHNICAL_MUST_HAVE = "technical_must_have", "Must-have technical"
        TECHNICAL_GOOD_TO_HAVE = "technical_good_to_have", "Good-to-have technical"
        TECHNICAL_ADVANCED = "technical_advanced", "Advanced or expert-level technical"
        TECHNICAL_EMERGING = "technical_emerging", "Emerging"
        SOFT = "soft", "Soft skills and behaviours"

    class Importance(models.TextChoices):
        CRITICAL = "critical"
        IMPORTANT = "important"
        OPTIONAL = "optional"
        EXPERT = "expert"

    version = models.ForeignKey(BlueprintVersion, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=255)
    group = models.CharField(max_length=30, choices=Group.choices)
    importance = models.CharField(max_length=12, choices=Importance.choices)
    context_specific = models.BooleanField(default=False)
    importance_note = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    use = models.TextField(blank=True)
    why_it_matters = models.TextField(blank=True)
    how_it_shows_up = models.TextField(blank=True)
    strong_performance = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name[:80]


class KPIDefinition(BlueprintPart):
    class Direction(models.TextChoices):
        AT_LEAST = "at_least", "at least"
        AT_MOST = "at_most", "at most"
        INCREASE = "increase"
        DECREASE = "decrease"

    version = models.ForeignKey(BlueprintVersion, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=255)
    measures = models.TextField(blank=True)
    why = models.TextField(blank=True)
    target = models.TextField(blank=True)
    frequency = models.CharField(max_length=100, blank=True)
    # Read from `target` where its text allows; blank where it does not (never a guess).
    target_direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    target_threshold = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    target_unit = models.CharField(max_length=40, blank=True)
    target_relative = models.BooleanField(default=False)

    class Meta(BlueprintPart.Meta):
        verbose_name = "KPI definition"

    def __str__(self) -> str:
        return self.name[:80]


class Milestone(BlueprintPart):
    class Horizon(models.TextChoices):
        D30 = "30d", "30 days"
        D60 = "60d", "60 days"
        D90 = "90d", "90 days"
        M6 = "6m", "6 months"
        M12 = "12m", "12 months"
        LONG_TERM = "long_term", "Long term"

    version = models.ForeignKey(BlueprintVersion, on_delete=models.CASCADE, related_name="milestones")
    horizon = models.CharField(max_length=10, choices=Horizon.choices)
    title = models.CharField(max_length=255, blank=True)
    goals = models.JSONField(default=list)
    success_indicators = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.title[:80]


class ScorecardDimension(BlueprintPart):
    version = models.ForeignKey(BlueprintVersion, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(max_length=200)
    meets_bar = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta(BlueprintPart.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=Decimal("0")) & models.Q(weight__lte=Decimal("100")),
                name="dimension_weight_between_0_and_100",
            ),
            models.UniqueConstraint(fields=["version", "name"], name="dimension_unique_name_per_version"),
        ]

    def __str__(self) -> str:
        return self.name[:80]


class PromotionCriterion(BlueprintPart):
    version = models.ForeignKey(BlueprintVersion, on_delete=models.CASCADE, related_name="promotion_criteria")
    text = models.TextField()

    class Meta(BlueprintPart.Meta):
        verbose_name_plural = "promotion criteria"

    def __str__(self) -> str:
        return self.text[:80]
