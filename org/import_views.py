"""HR's organisation import: upload a CSV, see what it would change, confirm."""

import base64
import hashlib
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from org.forms import OrgImportConfirmForm, OrgUploadForm
from org.importer import COLUMNS, MAX_BYTES, MAX_ROWS, OrgPlan, org_import_plan
from org.services import OrgImportError, OrgImportResult, OrgImportStale, org_import
from staffrole import access

PENDING_IMPORT_KEY = "org.pending_import"
# Each list on the preview shows this many people; the counts are always complete.
PREVIEW_LIMIT = 500


def _require_import(user: Any) -> None:
    if not access.can_import_org(user):
        raise PermissionDenied("Only HR can import the organisation.")


@login_required
@require_http_methods(["GET", "POST"])
def org_import_upload(request: HttpRequest) -> HttpResponse:
    _require_import(request.user)
    form = OrgUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        token = secrets.token_urlsafe(16)
        # One pending upload per session: a newer upload replaces it, and its preview's token then expires.
        request.session[PENDING_IMPORT_KEY] = {
            "token": token,
            "name": form.cleaned_data["file"].name,
            "content": base64.b64encode(form.content).decode("ascii"),
            "sha256": form.sha256,
            "keep_missing": form.cleaned_data["keep_missing"],
            "send_invites": form.cleaned_data["send_invites"],
        }
        return redirect("org:import_preview", token=token)
    return render(
        request,
        "org/import_upload.html",
        {"form": form, "max_bytes": MAX_BYTES, "max_rows": MAX_ROWS, "columns": COLUMNS},
    )


def _done_message(name: str, result: OrgImportResult) -> str:
    if result.plan.empty:
        return f"Nothing to change: the organisation already matches {name}."
    counts = result.counts()
    parts = [
        f"{counts['created']} created",
        f"{counts['updated']} changed",
        f"{counts['reactivated']} reactivated",
        f"{counts['deactivated']} deactivated",
        f"{counts['unchanged']} unchanged",
    ]
    if counts["teams_created"]:
        parts.append(f"{counts['teams_created']} new team{'s' if counts['teams_created'] != 1 else ''}")
    message = f"Imported {name}: {', '.join(parts)}."
    if result.invited:
        message += f" {result.invited} invitation{'s are' if result.invited != 1 else ' is'} being emailed."
    return message


@login_required
@require_http_methods(["GET", "POST"])
def org_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """Show what an upload would change and, on POST, apply it.

    The bytes stay in the session under a random token and are planned again on every request.
    Confirming sends back the fingerprint of the plan the page showed; if the organisation (or the
    options) changed meanwhile, the import is refused and the new plan is shown instead.
    """
    _require_import(request.user)
    pending = request.session.get(PENDING_IMPORT_KEY)
    if not pending or not secrets.compare_digest(str(pending.get("token", "")), token):
        messages.warning(
            request, "That upload has expired or was replaced by a newer one. Please upload the file again."
        )
        return redirect("org:import")
    content = base64.b64decode(pending["content"])
    if hashlib.sha256(content).hexdigest() != pending["sha256"]:
        raise PermissionDenied("The stored upload does not match its checksum.")

    if request.method == "POST":
        form = OrgImportConfirmForm(request.POST)
        if form.is_valid():
            options_changed = form.cleaned_data["keep_missing"] != pending["keep_missing"]
            pending["keep_missing"] = form.cleaned_data["keep_missing"]
            pending["send_invites"] = form.cleaned_data["send_invites"]
            request.session[PENDING_IMPORT_KEY] = pending
            if request.POST.get("action") == "refresh":
                return redirect("org:import_preview", token=token)
            try:
                result = org_import(
                    actor=request.user,
                    content=content,
                    source_name=pending["name"],
                    deactivate_missing=not pending["keep_missing"],
                    send_invites=pending["send_invites"],
                    expected_fingerprint=form.cleaned_data["fingerprint"],
                )
            except OrgImportStale:
                messages.warning(
                    request,
                    "With the options you chose, the import does something else. Nothing was imported: "
                    "check the new preview and confirm again."
                    if options_changed
                    else "The organisation changed since this preview was made. Nothing was imported: "
                    "check the new preview and confirm again.",
                )
            except OrgImportError as exc:
                messages.error(request, str(exc))
            else:
                del request.session[PENDING_IMPORT_KEY]
                messages.success(request, _done_message(pending["name"], result))
                return redirect("org:people")
            return redirect("org:import_preview", token=token)

    plan = org_import_plan(content=content, deactivate_missing=not pending["keep_missing"], actor=request.user)
    form = OrgImportConfirmForm(
        initial={
            "keep_missing": pending["keep_missing"],
            "send_invites": pending["send_invites"],
            "fingerprint": plan.fingerprint,
        }
    )
    return render(request, "org/import_preview.html", _preview_context(plan, pending, form, token))


FIELD_LABELS = {
    "name": "Name",
    "email": "Email",
    "title": "Title",
    "role": "Role",
    "level": "Level",
    "team": "Team",
    "manager": "Manager",
    "start_date": "Start date",
    "active": "Active",
}


def _shown_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _preview_context(plan: OrgPlan, pending: dict[str, Any], form: OrgImportConfirmForm, token: str) -> dict[str, Any]:
    sections = []
    for key, title, people in (
        ("changed", "Changed", plan.changed),
        ("reactivated", "Reactivated", plan.reactivated),
        ("deactivated", "Deactivated", plan.deactivated),
    ):
        entries = [
            {
                "person": person,
                "changes": [
                    (FIELD_LABELS[name], _shown_value(before), _shown_value(after))
                    for name, (before, after) in person.changes.items()
                ],
            }
            for person in people[:PREVIEW_LIMIT]
        ]
        sections.append({"key": key, "title": title, "entries": entries, "more": max(0, len(people) - PREVIEW_LIMIT)})
    return {
        "form": form,
        "token": token,
        "source_name": pending["name"],
        "sha256": pending["sha256"],
        "plan": plan,
        "counts": plan.counts(),
        "created": [
            {"person": person, "values": {name: after for name, (_before, after) in person.changes.items()}}
            for person in plan.created[:PREVIEW_LIMIT]
        ],
        "created_more": max(0, len(plan.created) - PREVIEW_LIMIT),
        "sections": sections,
        "rows_in_file": len(plan.rows),
    }
