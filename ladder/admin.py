from django.contrib import admin

from ladder.models import Assessment, Level, ManagerView, Track


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0
    fields = ["position", "name", "role", "summary"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    inlines = [LevelInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read-only: assessments are written by their people through the pages and the API."""

    list_display = ["employee", "state", "created_at", "submitted_at", "weighted_score", "suggested_readiness"]
    list_filter = ["state"]
    readonly_fields = [field.name for field in Assessment._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ManagerView)
class ManagerViewAdmin(admin.ModelAdmin):
    list_display = ["assessment", "manager", "readiness", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
