from django.contrib import admin

from hiring.models import Candidate, Decision, Opening, Scorecard


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "role", "blueprint_version", "hiring_manager", "state"]
    list_filter = ["state"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "opening", "stage"]
    list_filter = ["stage"]


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    """Read-only: a submitted scorecard never changes (an amendment is a new one)."""

    list_display = ["interview", "interviewer", "recommendation", "submitted_at", "amends"]
    readonly_fields = [field.name for field in Scorecard._meta.fields]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are recorded through the debrief and never overwritten."""

    list_display = ["candidate", "outcome", "decided_by", "decided_at"]
    readonly_fields = [field.name for field in Decision._meta.fields]
