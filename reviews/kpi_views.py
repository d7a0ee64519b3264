"""The review page's KPI panel and the forms that attach a KPI to a rating as evidence, or take it off.

Without JavaScript each form posts and the page comes back (a redirect when done, the page with the
reason when not). With htmx the panel swaps itself, and the rating's KPI list, its version and the
review's version are swapped out of band, so the rating's autosave goes on from the new version.
Every form carries the version of each rating of the caller's side as the page read it; htmx sends
the rating field's own version instead, which autosave keeps current.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from reviews.evidence import kpi_entries, kpi_evidence
from reviews.forms import field_prefix
from reviews.kpi_panel import KPIPanel, PanelRow, review_kpi_panel
from reviews.models import Rating, Review
from reviews.services import SIDE_NAMES, ReviewConflict, rating_kpi_attach, rating_kpi_detach
from scorecards.models import ScorecardDimension
from staffrole import access


@dataclass
class AttachTarget:
    """A rating of the caller's side that KPIs can be attached to."""

    dimension: ScorecardDimension
    side: str
    version: int
    attached: list[Any]  # the rating's KPI snapshots

    @property
    def prefix(self) -> str:
        return field_prefix(self.dimension.pk, self.side)

    @property
    def attached_ids(self) -> set[int]:
        return {entry.series for entry in self.attached}


@dataclass
class PanelEntry:
    row: PanelRow
    attach_to: list[AttachTarget]  # the caller's ratings it is not evidence for yet
    attached_to: list[AttachTarget]


def kpi_panel_context(
    *,
    user: Any,
    review: Review,
    own_side: str | None,
    dimensions: list[ScorecardDimension],
    ratings: dict[tuple[int, str], Rating],
    panel: KPIPanel | None = None,
) -> dict[str, Any]:
    """What the panel template reads: the rows, and for the caller's side the attach and detach forms."""
    panel = panel if panel is not None else review_kpi_panel(user=user, review=review)
    targets: list[AttachTarget] = []
    if own_side is not None:
        for dimension in dimensions:
            rating = ratings.get((dimension.pk, own_side))
            if rating is not None:
                attached = [kpi_evidence(entry) for entry in kpi_entries(rating.evidence)]
                targets.append(AttachTarget(dimension, own_side, rating.version, attached))
    entries = [
        PanelEntry(
            row=row,
            attach_to=[t for t in targets if row.series.pk not in t.attached_ids],
            attached_to=[t for t in targets if row.series.pk in t.attached_ids],
        )
        for row in panel.rows
    ]
    return {
        "kpi_panel": panel,
        "kpi_entries": entries,
        "kpi_targets": targets,
        "kpi_side": own_side,
        "kpi_side_name": SIDE_NAMES.get(own_side or "", ""),
    }


def _posted_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class EvidenceForm:
    series: int | None
    dimension: int | None
    side: str
    version: int | None

    @classmethod
    def parse(cls, data: Any) -> "EvidenceForm":
        dimension = _posted_int(data.get("dimension"))
        side = str(data.get("side", ""))
        # htmx sends the rating field's own version (kept current by autosave); a plain post the page's.
        version = _posted_int(data.get(f"{field_prefix(dimension, side)}-version")) if dimension else None
        if version is None and dimension is not None:
            version = _posted_int(data.get(f"version-{dimension}"))
        return cls(series=_posted_int(data.get("series")), dimension=dimension, side=side, version=version)

    def problem(self) -> str:
        if self.series is None:
            return "Choose a KPI."
        if self.dimension is None:
            return "Choose the dimension the KPI is evidence for."
        if self.version is None:
            return "The form lacks the rating's version: reload the page and try again."
        return ""


def _panel_response(
    request: HttpRequest, review: Review, *, status: int, message: str = "", problem: str = "", field: Any = None
) -> HttpResponse:
    from reviews.views import _own_side, selectors

    review = Review.objects.select_related("cycle", "employee__user", "reviewer__user", "blueprint_version").get(
        pk=review.pk
    )
    dimensions = list(ScorecardDimension.objects.filter(version_id=review.blueprint_version_id).order_by("position"))
    context = kpi_panel_context(
        user=request.user,
        review=review,
        own_side=_own_side(request.user, review),
        dimensions=dimensions,
        ratings=selectors.review_ratings(review=review),
    )
    context |= {
        "review": review,
        "cycle": review.cycle,
        "person": review.employee,
        "kpi_message": message,
        "kpi_problem": problem,
        "field": field,
        "review_version": review.version,
    }
    return render(request, "reviews/partials/review_kpis_response.html", context, status=status)


def _evidence_view(request: HttpRequest, review_id: int, *, attach: bool) -> HttpResponse:
    from reviews.views import _field_for, _own_side, _render_page, _scorecard

    review = access.get_review_for_user(request.user, review_id)
    htmx = bool(getattr(request, "htmx", False))

    def refused(status: int, problem: str) -> HttpResponse:
        if htmx:
            return _panel_response(request, review, status=status, problem=problem)
        review.refresh_from_db()
        return _render_page(request, review, status=status, error=problem)

    if _own_side(request.user, review) is None:
        return refused(403, "Nothing on this review is yours to edit now.")
    form = EvidenceForm.parse(request.POST)
    if form.problem():
        return refused(400, f"Nothing was changed: {form.problem()}")
    assert form.series is not None and form.dimension is not None  # noqa: S101 - checked by problem()
    service = rating_kpi_attach if attach else rating_kpi_detach
    try:
        rating = service(
            actor=request.user,
            review=review,
            dimension_id=form.dimension,
            side=form.side,
            series_id=form.series,
            version=form.version,
        )
    except ReviewConflict:
        return refused(
            409,
            "Nothing was changed: this rating was changed elsewhere since the page showed it. "
            "Check it, then try again.",
        )
    except ValidationError as exc:
        return refused(400, "Nothing was changed: " + " ".join(exc.messages))
    except PermissionDenied as exc:
        return refused(403, str(exc))
    entry = next((kpi_evidence(e) for e in kpi_entries(rating.evidence) if e.get("series") == form.series), None)
    where = f"{rating.dimension.name} ({SIDE_NAMES[rating.side]})"
    if attach and entry is not None:
        message = f"Attached {entry.kpi} of {entry.subject} to {where}."
    else:
        message = f"Removed the KPI from {where}."
    if htmx:
        field = _field_for(request, review, rating.dimension_id, rating.side, dimensions=_scorecard(review))
        return _panel_response(request, review, status=200, message=message, field=field)
    messages.success(request, message)
    return redirect(reverse("reviews:detail", args=[review.pk]) + f"#kpi-{form.series}")


@login_required
@require_POST
def review_kpi_attach(request: HttpRequest, review_id: int) -> HttpResponse:
    """Attach a KPI of the panel to a rating of the caller's side: `series`, `dimension`, `side` and the
    rating's version."""
    return _evidence_view(request, review_id, attach=True)


@login_required
@require_POST
def review_kpi_detach(request: HttpRequest, review_id: int) -> HttpResponse:
    """Take a KPI off a rating of the caller's side: the same fields."""
    return _evidence_view(request, review_id, attach=False)
