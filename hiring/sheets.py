"""The debrief as a PDF (rendered by hiring.tasks through staffrole.pdf, static files only)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from hiring import selectors
from staffrole import access
from staffrole.pdf import render_pdf


def debrief_pdf(*, candidate_id: int, requester: Any) -> tuple[str, bytes]:
    """(file name, PDF bytes); raises Http404/PermissionDenied when the requester may no longer see it."""
    candidate = access.get_candidate_for_user(requester, candidate_id)
    if not access.is_hiring_manager(requester, candidate.opening):
        raise PermissionDenied("The debrief is the hiring manager's and HR's.")
    context = {
        "candidate": candidate,
        "opening": candidate.opening,
        "view": selectors.candidate_debrief(candidate),
        "generated_at": timezone.now(),
    }
    html = render_to_string("hiring/pdf/debrief.html", context)
    return f"debrief-{slugify(candidate.name) or candidate.pk}.pdf", render_pdf(html)
