from django.contrib import admin

from plans.models import Goal, Indicator, Plan


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ("horizon", "position", "text", "due_date", "status", "removed", "version")
    readonly_fields = fields
    can_delete = False


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("horizon", "position", "text", "checked", "checked_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """Read-only: plans change through their pages and API, which check rights and audit every write."""

    list_display = ("employee", "blueprint_version", "start_date", "reason", "state", "created_at")
    list_filter = ("state", "reason")
    search_fields = ("employee__name", "employee__user__username")
    inlines = [GoalInline, IndicatorInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
