"""Review cycles and reviews.

A Cycle enrols people; each Review pins, when the cycle opens, the reviewer (the person's manager
at that moment) and the blueprint version of their role, so later edits to the org or the
blueprint never change a review in flight. Ratings are per scorecard dimension and side (the
engineer's self-assessment, the manager's review); skill ratings are the engineer's optional
detailed self-assessment. Every change is recorded in the audit trail (docs/adr/0011-review-history.md).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
SCORE_LABELS = {
    1: "Does not meet",
    2: "Partially meets",
    3: "Meets the bar",
    4: "Exceeds",
    5: "Far exceeds",
}


class Cycle(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned"
        OPEN = "open"
        CALIBRATING = "calibrating"
        CLOSED = "closed"

    name = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    self_due = models.DateField()
    manager_due = models.DateField()
    calibration_due = models.DateField()
    signoff_due = models.DateField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.PLANNED, db_index=True)
    # Empty means everyone; otherwise only members of these teams are enrolled.
    teams = models.ManyToManyField("org.Team", blank=True, related_name="cycles")
    # Which State of DevOps report's tiers judge the DORA figures of this cycle (kpis.DoraTier rows).
    dora_report_year = models.PositiveSmallIntegerField(default=2023)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="cycle_period_in_order"
            ),
            models.CheckConstraint(
                condition=models.Q(self_due__lte=models.F("manager_due"))
                & models.Q(manager_due__lte=models.F("calibration_due"))
                & models.Q(calibration_due__lte=models.F("signoff_due")),
                name="cycle_deadlines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft"
        SELF_SUBMITTED = "self_submitted"
        MANAGER_SUBMITTED = "manager_submitted"
        CALIBRATED = "calibrated"
        SHARED = "shared"
        ACKNOWLEDGED = "acknowledged"

    class Potential(models.TextChoices):
        LOW = "low"
        MEDIUM = "medium"
        HIGH = "high"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="reviews")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews_to_write"
    )
    blueprint_version = models.ForeignKey("scorecards.BlueprintVersion", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    # Optimistic locking: every write names the version it read; a stale one is refused (409).
    version = models.PositiveIntegerField(default=1)
    potential = models.CharField(max_length=6, choices=Potential.choices, blank=True)
    final_rating = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)
    calibration_justification = models.TextField(blank=True)
    acknowledgement_comment = models.TextField(blank=True)
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    manager_submitted_at = models.DateTimeField(null=True, blank=True)
    calibrated_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "employee__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="review_one_per_person_and_cycle"),
            models.CheckConstraint(
                condition=models.Q(final_rating__isnull=True) | models.Q(final_rating__gte=1, final_rating__lte=5),
                name="review_final_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.employee}"


class Rating(models.Model):
    class Side(models.TextChoices):
        SELF = "self"
        MANAGER = "manager"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey("scorecards.ScorecardDimension", on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)
    comment = models.TextField(blank=True)
    evidence = models.JSONField(default=list, blank=True)
    # Per-field optimistic locking for autosave: two tabs of one person never overwrite each other.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "dimension__position", "side"]
        constraints = [
            models.UniqueConstraint(fields=["review", "dimension", "side"], name="rating_one_per_dimension_side"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.dimension_id} · {self.side}"


class SkillRating(models.Model):
    """The engineer's optional rating of one skill of their blueprint, within a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="skill_ratings")
    skill = models.ForeignKey("scorecards.Skill", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)
    comment = models.TextField(blank=True)
    evidence = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "skill__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "skill"], name="skill_rating_one_per_skill"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="skill_rating_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} · skill {self.skill_id}"


class FeedbackRequest(models.Model):
    """A request for a peer's feedback on a review (360). The manager asks directly; a request the
    engineer makes waits for the manager's approval. Peers never see each other's answers."""

    class State(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval"
        OPEN = "open"
        ANSWERED = "answered"
        DECLINED = "declined"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="feedback_requests")
    peer = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="feedback_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN, db_index=True)
    due = models.DateField()
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "peer"], name="feedback_one_request_per_peer"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · feedback from {self.peer}"


class FeedbackAnswer(models.Model):
    """A peer's answer on one dimension: the comment is required, the score optional."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="answers")
    dimension = models.ForeignKey("scorecards.ScorecardDimension", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)
    comment = models.TextField()

    class Meta:
        ordering = ["request", "dimension__position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "dimension"], name="feedback_one_answer_per_dimension"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="feedback_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.dimension_id}"


class ReminderLog(models.Model):
    """One reminder email per person per day, whatever runs the task."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="reminder_once_per_person_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.day}"
