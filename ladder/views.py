"""The ladder pages: the ladder itself (HR edits it), one's own self-assessment, its results, a person's
assessments for those over them. Every object is fetched through staffrole.access; every write goes
through ladder.services. The self-assessment is one plain form that works without JavaScript."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs.models import Job
from jobs.services import job_request
from ladder import selectors, services
from ladder.forms import (
    AssessmentCriterionForm,
    AssessmentSkillForm,
    LevelForm,
    LevelMoveForm,
    ManagerViewForm,
    TrackForm,
    criterion_prefix,
    links_text,
    skill_prefix,
)
from ladder.models import READINESS_LABELS, Assessment, AssessmentCriterion, AssessmentSkill, Level, Track
from ladder.sheets import assessment_sheet, weights_sentence
from ladder.standing import EXPECTED, SUGGESTION_LABEL
from reviews.forms import SCORE_CHOICES
from reviews.models import SCORE_LABELS
from staffrole import access

MESSAGE_ALREADY_RUNNING = "The same export is already running; this is its progress."


# --- The ladder -----------------------------------------------------------------------------------


def _index(request: HttpRequest, *, status: int = 200, errors: dict[str, Any] | None = None) -> HttpResponse:
    editable = access.can_edit_ladder(request.user)
    context: dict[str, Any] = {
        "tracks": selectors.ladder_tracks(),
        "editable": editable,
        "errors": errors or {},
        "roles": list(selectors.roles_for_choice()) if editable else [],
        "me": access.viewer(request.user).employee,
    }
    return render(request, "ladder/index.html", context, status=status)


@login_required
@require_GET
def ladder_index(request: HttpRequest) -> HttpResponse:
    if not access.can_view_ladder(request.user):
        raise Http404
    return _index(request)


def _require_editor(request: HttpRequest) -> None:
    if not access.can_edit_ladder(request.user):
        raise PermissionDenied("Only HR edits the career ladder.")


def _track(track_id: int) -> Track:
    track = Track.objects.filter(pk=track_id).first()
    if track is None:
        raise Http404("No such track.")
    return track


def _level(level_id: int) -> Level:
    level = Level.objects.select_related("track").filter(pk=level_id).first()
    if level is None:
        raise Http404("No such level.")
    return level


def _form_errors(form: Any) -> list[str]:
    return [
        f"{form.fields[name].label or name}: {message}" if name != "__all__" else str(message)
        for name, messages_ in form.errors.items()
        for message in messages_
    ]


def _invalid(request: HttpRequest, key: str, problems: list[str]) -> HttpResponse:
    return _index(request, status=400, errors={key: problems})


def _validation_problems(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


@login_required
@require_POST
def track_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = TrackForm(request.POST)
    if not form.is_valid():
        return _invalid(request, "new-track", _form_errors(form))
    try:
        track = services.ladder_track_create(
            actor=request.user, name=form.cleaned_data["name"], description=form.cleaned_data["description"]
        )
    except ValidationError as exc:
        return _invalid(request, "new-track", _validation_problems(exc))
    messages.success(request, f"Added the track {track.name}.")
    return redirect(reverse("ladder:index") + f"#track-{track.slug}")


@login_required
@require_POST
def track_edit(request: HttpRequest, track_id: int) -> HttpResponse:
    _require_editor(request)
    track = _track(track_id)
    form = TrackForm(request.POST)
    if not form.is_valid():
        return _invalid(request, f"track-{track.pk}", _form_errors(form))
    try:
        track = services.ladder_track_save(
            actor=request.user,
            track=track,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as exc:
        return _invalid(request, f"track-{track.pk}", _validation_problems(exc))
    messages.success(request, f"Saved the track {track.name}.")
    return redirect(reverse("ladder:index") + f"#track-{track.slug}")


@login_required
@require_POST
def level_create(request: HttpRequest, track_id: int) -> HttpResponse:
    _require_editor(request)
    track = _track(track_id)
    form = LevelForm(request.POST)
    if not form.is_valid():
        return _invalid(request, f"new-level-{track.pk}", _form_errors(form))
    try:
        level = services.ladder_level_save(actor=request.user, track=track, **form.cleaned_data)
    except ValidationError as exc:
        return _invalid(request, f"new-level-{track.pk}", _validation_problems(exc))
    messages.success(request, f"Added the level {level.name} to {track.name}.")
    return redirect(reverse("ladder:index") + f"#track-{track.slug}")


@login_required
@require_POST
def level_edit(request: HttpRequest, level_id: int) -> HttpResponse:
    _require_editor(request)
    level = _level(level_id)
    form = LevelForm(request.POST)
    if not form.is_valid():
        return _invalid(request, f"level-{level.pk}", _form_errors(form))
    try:
        level = services.ladder_level_save(actor=request.user, track=level.track, level=level, **form.cleaned_data)
    except ValidationError as exc:
        return _invalid(request, f"level-{level.pk}", _validation_problems(exc))
    messages.success(request, f"Saved the level {level.name}.")
    return redirect(reverse("ladder:index") + f"#level-{level.pk}")


@login_required
@require_POST
def level_move(request: HttpRequest, level_id: int) -> HttpResponse:
    _require_editor(request)
    level = _level(level_id)
    form = LevelMoveForm(request.POST)
    if not form.is_valid():
        return _invalid(request, f"level-{level.pk}", ["Choose to move the level up or down."])
    position = level.position + (-1 if form.cleaned_data["direction"] == "up" else 1)
    try:
        services.ladder_level_move(actor=request.user, level=level, position=_rank(level, position))
    except ValidationError:
        return _invalid(request, f"level-{level.pk}", ["This level cannot move further that way."])
    messages.success(request, f"Moved {level.name} {form.cleaned_data['direction']}.")
    return redirect(reverse("ladder:index") + f"#level-{level.pk}")


def _rank(level: Level, position: int) -> int:
    """Positions may have holes (a level removed in the admin): move by rank, not by number."""
    ordered = list(Level.objects.filter(track_id=level.track_id).order_by("position").values_list("pk", flat=True))
    rank = ordered.index(level.pk) + 1
    return rank + (position - level.position)


# --- The self-assessment form --------------------------------------------------------------------


@dataclass
class SkillField:
    row: AssessmentSkill
    score: int | None
    evidence: str
    links: str
    kpis: list[str]
    error: str = ""

    @property
    def prefix(self) -> str:
        return skill_prefix(self.row.skill_id)

    @property
    def skill(self) -> Any:
        return self.row.skill


@dataclass
class CriterionField:
    row: AssessmentCriterion
    status: str
    evidence: str
    error: str = ""

    @property
    def prefix(self) -> str:
        return criterion_prefix(self.row.criterion_id)


@dataclass
class Posted:
    data: Any = None
    skill_errors: dict[int, str] = field(default_factory=dict)
    criterion_errors: dict[int, str] = field(default_factory=dict)


def _skill_fields(assessment: Assessment, posted: Posted | None) -> list[SkillField]:
    fields = []
    for row in assessment.skills.all():
        item = SkillField(
            row=row, score=row.score, evidence=row.evidence, links=links_text(row.links), kpis=list(row.kpis)
        )
        if posted is not None and posted.data is not None and f"{item.prefix}-score" in posted.data:
            data, prefix = posted.data, item.prefix
            raw = data.get(f"{prefix}-score", "")
            item.score = int(raw) if raw in {"1", "2", "3", "4", "5"} else None
            item.evidence = data.get(f"{prefix}-evidence", "")
            item.links = data.get(f"{prefix}-links", "")
            item.kpis = data.getlist(f"{prefix}-kpis")
            item.error = posted.skill_errors.get(row.skill_id, "")
        fields.append(item)
    return fields


def _criterion_fields(assessment: Assessment, posted: Posted | None) -> list[CriterionField]:
    fields = []
    for row in assessment.criteria.all():
        item = CriterionField(row=row, status=row.status, evidence=row.evidence)
        if posted is not None and posted.data is not None and f"{item.prefix}-status" in posted.data:
            item.status = posted.data.get(f"{item.prefix}-status", "")
            item.evidence = posted.data.get(f"{item.prefix}-evidence", "")
            item.error = posted.criterion_errors.get(row.criterion_id, "")
        fields.append(item)
    return fields


def _grouped(fields: list[SkillField]) -> list[dict[str, Any]]:
    from scorecards.models import Skill

    labels = dict(Skill.Group.choices)
    groups: dict[str, dict[str, Any]] = {}
    for item in fields:
        key = item.skill.group
        if key not in groups:
            label = str(labels.get(key, key))
            groups[key] = {"key": key, "label": label[:1].upper() + label[1:], "fields": []}
        groups[key]["fields"].append(item)
    for group in groups.values():
        group["rated"] = sum(1 for item in group["fields"] if item.row.score is not None)
    return list(groups.values())


def _me(
    request: HttpRequest,
    *,
    status: int = 200,
    posted: Posted | None = None,
    error: str = "",
    missing: list[str] | None = None,
    version: int | None = None,
) -> HttpResponse:
    me = access.viewer(request.user).employee
    draft = selectors.current_draft(employee=me) if me else None
    context: dict[str, Any] = {
        "me": me,
        "draft": draft,
        "error": error,
        "missing": missing or [],
        "score_choices": SCORE_CHOICES,
        "score_labels": SCORE_LABELS,
        "expected": EXPECTED,
        "weights_sentence": weights_sentence(),
        "role_version": selectors.newest_published(me.role_id) if me else None,
        "history": selectors.assessments_of(employee=me, include_drafts=False) if me else [],
    }
    if draft is not None:
        fields = _skill_fields(draft, posted)
        context |= {
            "groups": _grouped(fields),
            "criteria": _criterion_fields(draft, posted),
            "kpi_names": selectors.blueprint_kpis(version_id=draft.blueprint_version_id),
            "rated": sum(1 for item in fields if item.row.score is not None),
            "total": len(fields),
            "version": version if version is not None else draft.version,
            "criteria_from_next": bool(
                draft.next_level_id
                and draft.criteria.all()
                and draft.criteria.all()[0].criterion.version_id != draft.blueprint_version_id
            ),
        }
    else:
        context["place"] = selectors.ladder_place(employee=me) if me else None
    return render(request, "ladder/me.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def my_assessment(request: HttpRequest) -> HttpResponse:
    """The caller's current draft: rate every skill with evidence, answer the criteria, save, submit."""
    if request.method == "POST":
        return _save(request)
    return _me(request)


def _save(request: HttpRequest) -> HttpResponse:
    me = access.viewer(request.user).employee
    draft = selectors.current_draft(employee=me) if me else None
    if draft is None:
        messages.info(request, "You have no self-assessment in progress: start one first.")
        return redirect("ladder:me")
    data = request.POST
    try:
        version = int(data.get("version", ""))
    except ValueError:
        return _me(
            request,
            status=400,
            posted=Posted(data=data),
            error="Nothing was saved: the form is incomplete; reload the page.",
        )
    kpi_names = selectors.blueprint_kpis(version_id=draft.blueprint_version_id)
    posted = Posted(data=data)
    skills: list[services.SkillInput] = []
    for row in draft.skills.all():
        prefix = skill_prefix(row.skill_id)
        if f"{prefix}-score" not in data:
            continue
        form = AssessmentSkillForm(data, prefix=prefix, kpi_names=kpi_names)
        if not form.is_valid():
            posted.skill_errors[row.skill_id] = form.first_error()
            continue
        values = form.cleaned_data
        skills.append(
            services.SkillInput(
                skill=row.skill_id,
                score=values["score"],
                clear_score=values["score"] is None,
                evidence=values["evidence"],
                links=values["links"],
                kpis=values["kpis"],
            )
        )
    criteria: list[services.CriterionInput] = []
    for answer in draft.criteria.all():
        prefix = criterion_prefix(answer.criterion_id)
        if f"{prefix}-status" not in data:
            continue
        cform = AssessmentCriterionForm(data, prefix=prefix)
        if not cform.is_valid():
            posted.criterion_errors[answer.criterion_id] = cform.first_error()
            continue
        criteria.append(
            services.CriterionInput(
                criterion=answer.criterion_id,
                status=cform.cleaned_data["status"],
                evidence=cform.cleaned_data["evidence"],
            )
        )
    if posted.skill_errors or posted.criterion_errors:
        count = len(posted.skill_errors) + len(posted.criterion_errors)
        return _me(
            request,
            status=400,
            posted=posted,
            error=f"Nothing was saved: correct the {count} answer{'s' if count != 1 else ''} marked below.",
        )
    try:
        saved = services.assessment_save(
            actor=request.user, assessment=draft, version=version, skills=skills, criteria=criteria
        )
    except services.AssessmentConflict as exc:
        return _me(
            request,
            status=409,
            posted=posted,
            version=exc.current_version,
            error="Nothing was saved: this self-assessment was changed elsewhere (another tab?) since you opened it. "
            "What you typed is kept below: save again to keep it.",
        )
    except ValidationError as exc:
        return _me(request, status=400, posted=posted, error="Nothing was saved: " + " ".join(exc.messages))
    if data.get("action") != "submit":
        messages.success(request, "Saved your self-assessment.")
        return redirect("ladder:me")
    try:
        submitted = services.assessment_submit(actor=request.user, assessment=saved)
    except services.AssessmentIncomplete as exc:
        return _me(request, status=400, error=str(exc), missing=exc.missing_skills + exc.missing_criteria)
    messages.success(request, "Submitted your self-assessment. Here is where you stand.")
    return redirect("ladder:assessment", assessment_id=submitted.pk)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    try:
        _assessment, created = services.assessment_start(actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect("ladder:me")
    if created:
        messages.success(request, "Started a self-assessment against your role's blueprint.")
    return redirect("ladder:me")


# --- Results, people, views and the PDF ----------------------------------------------------------


def _results(request: HttpRequest, assessment: Assessment, *, status: int = 200, view_form: Any = None) -> HttpResponse:
    loaded = selectors.assessment_loaded(assessment_id=assessment.pk)
    context = assessment_sheet(loaded)
    relation = access.relation_to(request.user, loaded.employee)
    context |= {
        "relation": relation.value,
        "can_record_view": access.can_record_manager_view(request.user, loaded),
        "can_edit": access.can_edit_assessment(request.user, loaded),
        "view_form": view_form or ManagerViewForm(),
        "can_read_person": access.can_read_assessments(request.user, loaded.employee),
    }
    return render(request, "ladder/assessment.html", context, status=status)


@login_required
@require_GET
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _results(request, access.get_assessment_for_user(request.user, assessment_id))


@login_required
@require_POST
def manager_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, assessment_id)
    if not access.can_record_manager_view(request.user, assessment):
        raise PermissionDenied("Their manager and those above them record a view on a submitted self-assessment.")
    form = ManagerViewForm(request.POST)
    if not form.is_valid():
        return _results(request, assessment, status=400, view_form=form)
    try:
        view = services.manager_view_record(
            actor=request.user,
            assessment=assessment,
            readiness=form.cleaned_data["readiness"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _results(request, assessment, status=400, view_form=form)
    messages.success(request, f"Recorded your view: {READINESS_LABELS[view.readiness]}.")
    return redirect(reverse("ladder:assessment", args=[assessment.pk]) + "#manager-views")


@login_required
@require_POST
def assessment_pdf(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, assessment_id)
    job, created = job_request(
        kind=Job.Kind.ASSESSMENT_PDF, requester=request.user, params={"assessment": assessment.pk}
    )
    if getattr(request, "htmx", False):
        return render(request, "jobs/_progress.html", {"job": job, "already_running": not created})
    if not created:
        messages.info(request, MESSAGE_ALREADY_RUNNING)
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_GET
def person(request: HttpRequest, username: str) -> HttpResponse:
    employee = access.get_employee_for_user(request.user, username)
    if not access.can_read_assessments(request.user, employee):
        raise Http404("No such person.")
    own = access.relation_to(request.user, employee) is access.Relation.SELF
    assessments = selectors.assessments_of(employee=employee, include_drafts=own)
    rows = [
        {
            "assessment": assessment,
            "latest_view": next(iter(assessment.manager_views.all()), None),
            "suggestion": READINESS_LABELS.get(assessment.suggested_readiness, ""),
        }
        for assessment in assessments
    ]
    context = {
        "person": employee,
        "rows": rows,
        "own": own,
        "suggestion_label": SUGGESTION_LABEL,
    }
    return render(request, "ladder/person.html", context)
