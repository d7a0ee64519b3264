"""Who may see and do what: the one place where rights are decided.

Views and API endpoints call these functions (or the fetch-and-check helpers) instead of
testing groups themselves, so no view can forget a check.
"""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import Http404

if TYPE_CHECKING:
    from jobs.models import Job

HR_GROUP = "HR"
ADMIN_GROUP = "Admin"


def _in_group(user: Any, name: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_staffrole_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._staffrole_groups = cache
    return name in cache


def is_hr(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or _in_group(user, HR_GROUP) or _in_group(user, ADMIN_GROUP)


def can_view_blueprints(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_view_draft_blueprints(user: Any) -> bool:
    return is_hr(user)


def can_manage_blueprints(user: Any) -> bool:
    """Import, publish and start new drafts of role blueprints."""
    return is_hr(user)


def can_view_job(user: Any, job: "Job") -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (job.requester_id == user.pk or is_hr(user))


def get_job_for_user(user: Any, job_id: Any) -> "Job":
    """The job, if the user may see it; 404 otherwise (never reveal that it exists)."""
    from jobs.models import Job

    try:
        job = Job.objects.select_related("requester").get(pk=job_id)
    except (Job.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such job.") from exc
    if not can_view_job(user, job):
        raise Http404("No such job.")
    return job
