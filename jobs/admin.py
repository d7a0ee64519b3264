from django.contrib import admin
from django.http import HttpRequest

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "requester", "state", "progress", "attempts", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["id", "requester__username"]
    list_select_related = ["requester"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False  # jobs are started by the app, never by hand
