"""Hiring: openings for a role (pinning its blueprint version), candidates, interview loops built from the
blueprint's practical exercises, interviewer scorecards on the role's weighted scorecard, and decisions.

A submitted scorecard never changes: an amendment is a new scorecard that names the one it replaces
(docs/adr/0020-hiring-scorecards.md). A decision is a new row each time, never overwritten.
"""

from django.conf import settings
from django.db import models

from org.models import Employee
from scorecards.models import BlueprintVersion, Role, ScorecardDimension


class Rating(models.TextChoices):
    """Four steps with no neutral middle, or an explicit 'no decision'."""

    STRONG_NO = "strong_no", "Strong no"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong yes"
    NO_DECISION = "no_decision", "No decision"


class Opening(models.Model):
    class State(models.TextChoices):
        OPEN = "open"
        CLOSED = "closed"

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="openings")
    blueprint_version = models.ForeignKey(BlueprintVersion, on_delete=models.PROTECT, related_name="openings")
    title = models.CharField(max_length=200)
    hiring_manager = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="managed_openings")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class HiringTeamMember(models.Model):
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="members")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="hiring_memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opening", "employee"], name="hiring_member_unique")]

    def __str__(self) -> str:
        return f"{self.employee} on {self.opening}"


class Candidate(models.Model):
    class Stage(models.TextChoices):
        APPLIED = "applied"
        SCREEN = "screen"
        ONSITE = "onsite"
        OFFER = "offer"
        HIRED = "hired"
        REJECTED = "rejected"

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    source = models.CharField(max_length=200, blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.APPLIED)
    private_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Interview(models.Model):
    """One of the blueprint's practical exercises for a candidate. Each of its interviewers writes their
    own scorecard for it; an interview of the default loop starts with nobody assigned."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="interviews")
    exercise = models.CharField(max_length=255, help_text="A practical exercise of the pinned blueprint.")
    interviewers = models.ManyToManyField(Employee, related_name="interviews", blank=True)
    focus = models.ManyToManyField(ScorecardDimension, related_name="+")
    scheduled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_at", "pk"]

    def __str__(self) -> str:
        return self.exercise


class Scorecard(models.Model):
    """Written once, at submission; an amendment is a new row with `amends` set."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="scorecards")
    recommendation = models.CharField(max_length=12, choices=Rating.choices)
    notes = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    amends = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="amended_by")
    amend_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"Scorecard of {self.interviewer} ({self.interview.exercise})"


class ScorecardDraft(models.Model):
    """An interviewer's unsubmitted scorecard for an interview: theirs alone (nobody else reads it, HR
    included), never in the debrief or calibration, replaced on every save and deleted on submission.

    `data`: {"recommendation": str, "notes": str, "amend_reason": str,
             "ratings": {dimension name: {"rating": str, "notes": str}},
             "signals": [{"kind": str, "text": str, "evidence": str}]}
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="drafts")
    interviewer = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="scorecard_drafts")
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview", "interviewer"], name="hiring_draft_one_per_interviewer")
        ]

    def __str__(self) -> str:
        return f"Draft of {self.interviewer} ({self.interview.exercise})"


class ScorecardRating(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey(ScorecardDimension, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=12, choices=Rating.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["dimension__position"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "dimension"], name="hiring_rating_unique_dimension")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.rating}"


class SignalCheck(models.Model):
    class Kind(models.TextChoices):
        STRONG = "strong", "Strong signal"
        WEAK = "weak", "Weak signal"
        RED_FLAG = "red_flag", "Red flag"

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        HIRE = "hire", "Hire"
        NO_HIRE = "no_hire", "No hire"
        MORE_SIGNAL = "more_signal", "More signal needed"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="hiring_decision_has_reason")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.candidate}"
