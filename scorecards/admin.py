"""The admin edits drafts; published versions are read-only here as everywhere."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from scorecards.models import (
    BlueprintVersion,
    KPIDefinition,
    Milestone,
    PromotionCriterion,
    Responsibility,
    Role,
    ScorecardDimension,
    Skill,
)


def _editable(obj: BlueprintVersion | None) -> bool:
    return obj is None or not obj.is_published


class DraftOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)


class ResponsibilityInline(DraftOnlyInline):
    model = Responsibility
    fields = ("position", "category", "text")


class SkillInline(DraftOnlyInline):
    model = Skill
    fields = ("position", "name", "group", "importance", "context_specific", "importance_note")


class KPIInline(DraftOnlyInline):
    model = KPIDefinition
    fields = ("position", "name", "target", "frequency", "target_direction", "target_threshold", "target_unit")


class MilestoneInline(DraftOnlyInline):
    model = Milestone
    fields = ("position", "horizon", "title", "goals", "success_indicators")


class DimensionInline(DraftOnlyInline):
    model = ScorecardDimension
    fields = ("position", "name", "meets_bar", "weight")


class PromotionCriterionInline(DraftOnlyInline):
    model = PromotionCriterion
    fields = ("position", "text")


@admin.register(BlueprintVersion)
class BlueprintVersionAdmin(admin.ModelAdmin):
    list_display = ("title", "number", "status", "created_at", "published_at")
    list_filter = ("status", "role")
    search_fields = ("title", "role__slug")
    fields = (
        "role",
        "number",
        "status",
        "title",
        "summary",
        "mission",
        "change_note",
        "sections",
        "source_name",
        "created_by",
        "created_at",
        "published_by",
        "published_at",
    )
    inlines = [DimensionInline, ResponsibilityInline, SkillInline, KPIInline, MilestoneInline, PromotionCriterionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: BlueprintVersion | None = None) -> Any:
        fixed = ("role", "number", "status", "source_name", "created_by", "created_at", "published_by", "published_at")
        if obj is not None and obj.is_published:
            return self.fields
        return fixed

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from the importer or "Start new draft" on the role page

    def has_delete_permission(self, request: HttpRequest, obj: BlueprintVersion | None = None) -> bool:
        return False  # drafts are discarded from the role page, which records it


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "created_at")
    readonly_fields = ("slug",)
    search_fields = ("title", "slug")

    def has_delete_permission(self, request: HttpRequest, obj: Role | None = None) -> bool:
        return False
