"""Role blueprint pages: list, role at a glance, history and diff, PDF export, HR import and publishing."""

import base64
import difflib
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs.models import Job
from jobs.services import job_start
from scorecards import documents
from scorecards.blueprint_parser import BlueprintParseError
from scorecards.forms import BlueprintUploadForm, DiffForm, ImportConfirmForm, parse_error_message
from scorecards.models import BlueprintVersion, Role
from scorecards.selectors import (
    blueprint_diff,
    blueprint_get,
    blueprint_to_dict,
    blueprint_version_by_id,
    blueprint_versions,
    role_list,
)
from scorecards.services import (
    BlueprintImportError,
    blueprint_discard_draft,
    blueprint_import,
    blueprint_parse_upload,
    blueprint_publish,
    blueprint_start_draft,
    blueprint_summary,
    content_fingerprint,
)
from staffrole import access

PENDING_IMPORT_KEY = "scorecards.pending_import"


def _version_number(value: str | None) -> int | None:
    """A version number from the query string or a form; anything but a positive integer is a 404."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise Http404("No such version.") from exc
    if number < 1:
        raise Http404("No such version.")
    return number


def _require_manage(user: Any) -> None:
    if not access.can_manage_blueprints(user):
        raise PermissionDenied("Only HR may manage role blueprints.")


def _role_url(slug: str, number: int | None = None) -> str:
    url = reverse("scorecards:role_detail", args=[slug])
    return f"{url}?version={number}" if number else url


@login_required
@require_GET
def role_list_page(request: HttpRequest) -> HttpResponse:
    return render(request, "scorecards/role_list.html", {"versions": role_list(user=request.user)})


@login_required
@require_GET
def role_detail(request: HttpRequest, slug: str) -> HttpResponse:
    version = blueprint_get(user=request.user, slug=slug, number=_version_number(request.GET.get("version")))
    versions = blueprint_versions(role=version.role, user=request.user)
    context = documents.role_sheet(version)
    context.update(
        {
            "versions": versions,
            "newest_published": next((v for v in versions if v.is_published), None),
            "draft": next((v for v in versions if not v.is_published), None),
            "can_manage": access.can_manage_blueprints(request.user),
        }
    )
    return render(request, "scorecards/role_detail.html", context)


@login_required
@require_GET
def role_versions(request: HttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(Role, slug=slug)
    versions = blueprint_versions(role=role, user=request.user)
    if not versions:
        raise Http404("No such role blueprint.")
    rows = [
        {"version": v, "previous": versions[i + 1] if i + 1 < len(versions) else None} for i, v in enumerate(versions)
    ]
    return render(
        request,
        "scorecards/role_versions.html",
        {"role": role, "rows": rows, "can_manage": access.can_manage_blueprints(request.user)},
    )


def _lines(value: Any, indent: str = "") -> list[str]:
    """Any blueprint value as readable lines, so a change inside a long section shows as a few lines."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        lines = []
        for key, inner in value.items():
            inner_lines = _lines(inner, indent + "  ")
            if len(inner_lines) == 1 and not isinstance(inner, dict | list):
                lines.append(f"{indent}{documents.section_label(str(key))}: {inner_lines[0].strip()}")
            elif inner_lines:
                lines.append(f"{indent}{documents.section_label(str(key))}:")
                lines.extend(inner_lines)
        return lines
    if isinstance(value, list):
        return [line for item in value for line in _lines(item, indent)]
    return [f"{indent}{line}" for line in str(value).splitlines() if line.strip()] or [f"{indent}{value}"]


def _readable_change(change: dict[str, Any]) -> dict[str, Any]:
    old, new = _lines(change["old"]), _lines(change["new"])
    if len(old) <= 1 and len(new) <= 1:
        return {**change, "old_lines": old, "new_lines": new, "short": True}
    removed, added = [], []
    for line in difflib.ndiff(old, new):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return {**change, "old_lines": removed, "new_lines": added, "short": False}


@login_required
@require_GET
def role_diff(request: HttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(Role, slug=slug)
    versions = blueprint_versions(role=role, user=request.user)
    if not versions:
        raise Http404("No such role blueprint.")
    numbers = [v.number for v in versions]
    query = request.GET.copy()
    query.setdefault("to", str(numbers[0]))
    query.setdefault("from", str(numbers[1] if len(numbers) > 1 else numbers[0]))
    form = DiffForm(query, numbers=numbers)
    context: dict[str, Any] = {"role": role, "form": form, "versions": versions, "changes": None}
    if form.is_valid() and len(numbers) > 1:
        old = blueprint_get(user=request.user, slug=slug, number=form.cleaned_data["from_"])
        new = blueprint_get(user=request.user, slug=slug, number=form.cleaned_data["to"])
        context.update({"old": old, "new": new})
        if old.number != new.number:
            context["changes"] = [
                {
                    "section": change["section"],
                    "label": documents.section_label(change["section"]),
                    "added": change["added"],
                    "removed": change["removed"],
                    "changed": [_readable_change(c) for c in change["changed"]],
                }
                for change in blueprint_diff(old=old, new=new)
            ]
    return render(request, "scorecards/role_diff.html", context)


@login_required
@require_POST
def role_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Start the one-pager PDF job; htmx gets the progress partial, a plain POST the job page."""
    version = blueprint_get(user=request.user, slug=slug, number=_version_number(request.POST.get("version")))
    job = job_start(kind=Job.Kind.ROLE_PDF, requester=request.user, params={"role": slug, "version": version.number})
    if getattr(request, "htmx", False):
        return render(request, "scorecards/partials/export_started.html", {"job": job})
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def role_publish(request: HttpRequest, slug: str) -> HttpResponse:
    _require_manage(request.user)
    version = blueprint_get(user=request.user, slug=slug, number=_version_number(request.POST.get("version")))
    try:
        version = blueprint_publish(actor=request.user, version=version)
    except BlueprintImportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Published {version.title} version {version.number}.")
    return redirect(_role_url(slug, version.number))


@login_required
@require_POST
def role_start_draft(request: HttpRequest, slug: str) -> HttpResponse:
    _require_manage(request.user)
    role = get_object_or_404(Role, slug=slug)
    try:
        draft = blueprint_start_draft(actor=request.user, role=role, change_note=request.POST.get("change_note", ""))
    except BlueprintImportError as exc:
        messages.error(request, str(exc))
        return redirect(_role_url(slug))
    messages.success(request, f"Started draft version {draft.number} of {role.title}.")
    return redirect(_role_url(slug, draft.number))


@login_required
@require_POST
def role_discard_draft(request: HttpRequest, slug: str) -> HttpResponse:
    _require_manage(request.user)
    version = blueprint_get(user=request.user, slug=slug, number=_version_number(request.POST.get("version")))
    try:
        blueprint_discard_draft(actor=request.user, version=version)
    except BlueprintImportError as exc:
        messages.error(request, str(exc))
        return redirect(_role_url(slug, version.number))
    messages.success(request, f"Discarded draft version {version.number} of {version.title}.")
    # A draft is always a role's newest version: when it was version 1, nothing of the role is left to show.
    return redirect(_role_url(slug) if version.number > 1 else reverse("scorecards:role_list"))


@login_required
@require_http_methods(["GET", "POST"])
def blueprint_import_upload(request: HttpRequest) -> HttpResponse:
    _require_manage(request.user)
    form = BlueprintUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        token = secrets.token_urlsafe(16)
        # One pending upload per session: a newer upload replaces it, and its preview's token then expires.
        request.session[PENDING_IMPORT_KEY] = {
            "token": token,
            "name": form.cleaned_data["file"].name,
            "content": base64.b64encode(form.content).decode("ascii"),
            "sha256": form.sha256,
        }
        return redirect("scorecards:import_preview", token=token)
    return render(
        request,
        "scorecards/import_upload.html",
        {"form": form, "max_bytes": settings.BLUEPRINT_UPLOAD_MAX_BYTES},
    )


def _import_target(data: dict[str, Any]) -> dict[str, Any]:
    """Where an upload would land: the role (or a new one), the number it gets, and what stops it."""
    slug = slugify(data["title"])
    role = Role.objects.filter(slug=slug).first()
    latest = BlueprintVersion.objects.filter(role=role).order_by("-number").first() if role else None
    target: dict[str, Any] = {
        "slug": slug,
        "role": role,
        "latest": latest,
        "number": latest.number + 1 if latest else 1,
    }
    target["identical"] = latest is not None and content_fingerprint(
        blueprint_to_dict(blueprint_version_by_id(latest.pk))
    ) == content_fingerprint(data)
    target["blocked_by_draft"] = latest is not None and not latest.is_published and not target["identical"]
    return target


@login_required
@require_http_methods(["GET", "POST"])
def blueprint_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """Preview an upload and, on POST, import it.

    The upload stays on the server between preview and confirm: its bytes are kept in the session
    under a random token and parsed again on confirm. Nothing the browser sends back is trusted
    except the token and the "publish" choice, and re-parsing the stored bytes (checked against
    their sha256) imports exactly what the preview showed. The bytes are kept rather than the
    parsed dict because the dict holds Decimals, which the JSON session serializer cannot store.
    """
    _require_manage(request.user)
    pending = request.session.get(PENDING_IMPORT_KEY)
    if not pending or not secrets.compare_digest(str(pending.get("token", "")), token):
        messages.warning(
            request, "That upload has expired or was replaced by a newer one. Please upload the file again."
        )
        return redirect("scorecards:import")
    content = base64.b64decode(pending["content"])
    if hashlib.sha256(content).hexdigest() != pending["sha256"]:
        raise PermissionDenied("The stored upload does not match its checksum.")
    try:
        data = blueprint_parse_upload(name=pending["name"], content=content)
    except BlueprintParseError as exc:
        messages.error(request, parse_error_message(exc))
        return redirect("scorecards:import")
    form = ImportConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = blueprint_import(
                actor=request.user,
                data=data,
                source_name=pending["name"],
                source_sha256=pending["sha256"],
                publish=form.cleaned_data["publish"],
            )
        except BlueprintImportError as exc:
            messages.error(request, str(exc))
        else:
            del request.session[PENDING_IMPORT_KEY]
            version = result.version
            if result.created:
                state = "published" if version.is_published else "a draft"
                messages.success(request, f"Imported {version.title} version {version.number} as {state}.")
            else:
                messages.info(
                    request, f"{version.title} version {version.number} already holds this content; nothing was added."
                )
            return redirect(_role_url(version.role.slug, version.number))
    context = {
        "form": form,
        "token": token,
        "source_name": pending["name"],
        "sha256": pending["sha256"],
        "data": data,
        "summary": blueprint_summary(data),
        "target": _import_target(data),
    }
    return render(request, "scorecards/import_preview.html", context)
