"""30/60/90 onboarding plans (docs/adr/0019-onboarding-plans.md).

A Plan is made from the milestones of the blueprint version a person starts in (pinned, like a review's),
one Goal per milestone goal with a due date counted from the plan's start, one Indicator per success
indicator. The manager adapts goals (text, due date, add, remove); the person and their manager keep each
goal's status, notes and evidence. A plan is never deleted: a role change closes it and starts a new one.
"""

from datetime import date

from django.conf import settings
from django.db import models

from scorecards.models import Milestone

Horizon = Milestone.Horizon
# Horizons in the order a plan shows them.
HORIZONS: list[str] = [h.value for h in Horizon]


class Plan(models.Model):
    class Reason(models.TextChoices):
        START = "start", "Started in the role"
        ROLE_CHANGE = "role_change", "Changed role"

    class State(models.TextChoices):
        ACTIVE = "active"
        CLOSED = "closed"

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="plans")
    blueprint_version = models.ForeignKey("scorecards.BlueprintVersion", on_delete=models.PROTECT, related_name="plans")
    start_date = models.DateField()
    reason = models.CharField(max_length=12, choices=Reason.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=models.Q(state="active"), name="plan_one_active_per_employee"
            ),
            models.CheckConstraint(
                condition=models.Q(state="active") | models.Q(closed_at__isnull=False),
                name="plan_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"30/60/90 plan of employee {self.employee_id} from {self.start_date.isoformat()}"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE


class Goal(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    horizon = models.CharField(max_length=10, choices=Horizon.choices)
    position = models.PositiveIntegerField()
    text = models.TextField()
    # None for long-term goals: shown, never due, never overdue.
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED, db_index=True)
    notes = models.TextField(blank=True)
    evidence = models.TextField(blank=True)  # links or short texts, one per line
    added_by_manager = models.BooleanField(default=False)
    # Removed goals stay for the history (and the audit trail) but leave the plan's counts.
    removed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "position", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="plans_goal_status_due")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def open(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    def overdue_days(self, today: date) -> int:
        """Days past the due date while the goal is neither done nor missed; 0 otherwise."""
        if self.removed or not self.open or self.due_date is None or self.due_date >= today:
            return 0
        return (today - self.due_date).days

    @property
    def evidence_lines(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    horizon = models.CharField(max_length=10, choices=Horizon.choices)
    position = models.PositiveIntegerField()
    text = models.TextField()
    checked = models.BooleanField(default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
