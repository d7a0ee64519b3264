"""The calibration page of a review cycle: figures, distributions, each manager's skew, the table of
reviews with their gaps, the 9-box, and for HR the final ratings to set.

HR edits; a manager reads their reports' calibration and a director their org (staffrole.access).
Everything works as plain GET and POST forms; with htmx an adjustment swaps its row, and the summary
and the final ratings' distribution out of band. The changes themselves are the services'
(reviews.services.review_calibrate,
reviews.calibration_services.calibration_accept_as_is).

The table shows one page of the filtered reviews (?page=N, beside the filters and the order); the
figures, distributions, skews and the 9-box are over every filtered review, and "accept as is" covers
every manager-submitted review under the filters, on every page, naming how many before it is sent."""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEntry
from reviews import services
from reviews.calibration import (
    SKEW_MEAN_DIFFERENCE,
    SKEW_MIN_REVIEWS,
    SORT_KEYS,
    AcceptOffer,
    CalibrationFilters,
    CalibrationRow,
    calibration_acceptable,
    calibration_adjustments,
    calibration_figures,
    calibration_overview_page,
    calibration_rows,
    scope_reviews,
)
from reviews.calibration_services import CalibrationConflict, calibration_accept_as_is
from reviews.cycle_views import STATE_LABELS, _cycle_for_user
from reviews.forms import REASON_MAX_LENGTH, SCORE_CHOICES, normalise_text
from reviews.models import SCORE_LABELS, Cycle, Review
from reviews.views import HTMX_CONFIG
from staffrole import access
from staffrole.access import Access

ROW_TEMPLATE = "reviews/partials/calibration_row.html"
PAGE_TEMPLATE = "reviews/calibration.html"
# The first click on a column sorts it this way; the next click reverses it.
FIRST_SORT = {key: key for key in SORT_KEYS} | {"manager_score": "-manager_score", "final": "-final"}
COLUMNS = (
    ("name", "Person"),
    ("team", "Team"),
    ("level", "Level"),
    ("manager", "Manager"),
    ("state", "State"),
    (None, "Self score"),
    ("manager_score", "Manager score"),
    (None, "Proposed"),
    ("final", "Final"),
    ("gap", "Gaps (2+ apart)"),
    (None, "Potential"),
)

NUMERIC_COLUMNS = {"Self score", "Manager score", "Proposed", "Final"}


@dataclass(frozen=True)
class Change:
    """A final rating just set, as the page shows it after the change."""

    proposed: int | None
    before: int | None
    after: int
    justification: str


@dataclass
class AdjustState:
    """The adjustment form of one row: what it shows, and why a post was not saved."""

    final_rating: int | None
    justification: str
    version: int
    errors: dict[str, list[str]] = field(default_factory=dict)
    problem: str = ""
    conflict: bool = False
    change: Change | None = None

    @property
    def open(self) -> bool:
        return bool(self.errors or self.problem)


@dataclass(frozen=True)
class RowView:
    row: CalibrationRow
    state_label: str
    form: AdjustState | None  # None: the caller may not adjust this row (now)


# --- Rights --------------------------------------------------------------------------------------


def _calibration_cycle(user: Any, cycle_id: int) -> tuple[Cycle, Access]:
    """The cycle and the caller's access to its calibration: 404 for no such cycle; 403 for those who
    may see the cycle but not its calibration (an engineer without reports)."""
    cycle = _cycle_for_user(user, cycle_id)
    level = access.calibration_access(user)
    if level is Access.NONE:
        raise access.refuse(
            in_scope=True, why="Calibration is for HR, and for managers and directors over the people reviewed."
        )
    return cycle, level


def _review_in_scope(user: Any, cycle: Cycle, review_id: int) -> Review:
    """One review of the cycle in the caller's calibration scope; 404 otherwise, so that a review out of
    scope is not revealed."""
    review = scope_reviews(user=user, cycle=cycle).filter(pk=review_id).select_related("employee").first()
    if review is None:
        raise Http404("No such review in this calibration.")
    return review


def _editable(level: Access, cycle: Cycle, row: CalibrationRow) -> bool:
    return level is Access.EDIT and cycle.state in services.WRITABLE_CYCLE_STATES and row.calibratable


# --- The page ------------------------------------------------------------------------------------


def _query(filters: CalibrationFilters, *, page: int = 1, **changes: str) -> str:
    """The page's query string: the filters and order (with `changes`), and the table's page after 1."""
    values = {**filters.as_query(), **changes}
    if values.get("sort") == "name":
        values.pop("sort")
    if page > 1:
        values["page"] = str(page)
    return urlencode({key: value for key, value in values.items() if value})


def _page_number(raw: Any) -> int:
    """The table page a query asks for: a whole number, else 1 (the selector shows the nearest page
    there is, so 0 is the first and a number past the end the last)."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    return int(text) if len(text) < 10 else 10**9


def _pager(filters: CalibrationFilters, page: Page) -> dict[str, Any]:
    """Links to the table's other pages, keeping the filters and the order; numbers far from the current
    page are elided."""

    def url(number: int) -> str:
        return f"?{_query(filters, page=number)}#people-title"

    numbers = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == Paginator.ELLIPSIS:
            numbers.append({"number": number, "url": "", "current": False})
        else:
            numbers.append({"number": number, "url": url(int(number)), "current": number == page.number})
    return {
        "numbers": numbers,
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


def _sort_links(filters: CalibrationFilters) -> list[dict[str, Any]]:
    links = []
    current_key = filters.sort.lstrip("-")
    for key, label in COLUMNS:
        if key is None:
            links.append({"label": label, "url": "", "sorted": "", "numeric": label in NUMERIC_COLUMNS})
            continue
        first = FIRST_SORT[key]
        if current_key == key:
            target = filters.sort[1:] if filters.sort.startswith("-") else f"-{filters.sort}"
            # gap sorts the largest first, so its plain key is the descending one
            descending = filters.sort.startswith("-") != (key == "gap")
            sorted_ = "descending" if descending else "ascending"
        else:
            target, sorted_ = first, ""
        query = _query(filters, sort=target)
        links.append(
            {
                "label": label,
                "url": f"?{query}" if query else "?",
                "sorted": sorted_,
                "key": key,
                "numeric": label in NUMERIC_COLUMNS,
            }
        )
    return links


def _form_state(row: CalibrationRow) -> AdjustState:
    selected = row.final_rating if row.final_rating is not None else row.proposed
    return AdjustState(final_rating=selected, justification=row.justification, version=row.version)


def _row_view(row: CalibrationRow, level: Access, cycle: Cycle, state: AdjustState | None = None) -> RowView:
    form = None
    if _editable(level, cycle, row):
        form = state or _form_state(row)
    return RowView(row=row, state_label=STATE_LABELS[Review.State(row.state)], form=form)


def _render_page(
    request: HttpRequest,
    cycle: Cycle,
    level: Access,
    filters: CalibrationFilters,
    *,
    page: int = 1,
    filter_errors: dict[str, str] | None = None,
    row_states: dict[int, AdjustState] | None = None,
    page_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    overview = calibration_overview_page(user=user, cycle=cycle, filters=filters, page=page)
    assert overview.page is not None  # noqa: S101 - the page selector always pages
    current = overview.page
    states = row_states or {}
    items = [_row_view(row, level, cycle, states.get(row.review_id)) for row in overview.rows]
    can_edit = level is Access.EDIT and cycle.state in services.WRITABLE_CYCLE_STATES
    may_export = access.can_export_calibration(user)
    accept = calibration_acceptable(user=user, cycle=cycle, filters=filters) if can_edit else AcceptOffer()
    context: dict[str, Any] = {
        "cycle": cycle,
        "overview": overview,
        "filters": filters,
        "figures": overview.figures,
        "items": items,
        "page": current,
        "pager": _pager(filters, current),
        "table_query": _query(filters),
        "columns": _sort_links(filters),
        "filter_errors": list((filter_errors or {}).values()),
        "page_errors": page_errors or [],
        "return_query": _query(filters, page=current.number),
        "state_choices": [(state, STATE_LABELS[Review.State(state)]) for state in Review.State.values],
        "score_choices": SCORE_CHOICES,
        "can_edit": can_edit,
        "scope_all": access.viewer(user).hr,
        "accept": accept,
        "accept_list_query": _query(filters, state=Review.State.MANAGER_SUBMITTED),
        "adjustments": calibration_adjustments(user=user, cycle=cycle),
        "export_url": reverse("cycles:calibration-export", args=[cycle.pk]) if may_export else "",
        "packets_url": reverse("cycles:calibration-packets", args=[cycle.pk]) if may_export else "",
        "skew_difference": SKEW_MEAN_DIFFERENCE,
        "skew_min": SKEW_MIN_REVIEWS,
        "htmx_config": HTMX_CONFIG,
        "nine_box_rows": [
            [overview.cell(performance, potential) for performance in ("low", "medium", "high")]
            for potential in ("high", "medium", "low")
        ],
    }
    return render(request, PAGE_TEMPLATE, context, status=status)


@login_required
@require_GET
def calibration_page(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle, level = _calibration_cycle(request.user, cycle_id)
    filters, errors = CalibrationFilters.from_query(request.GET)
    page = _page_number(request.GET.get("page"))
    return _render_page(request, cycle, level, filters, page=page, filter_errors=errors)


# --- Setting a final rating ----------------------------------------------------------------------


def _return_filters(data: Any) -> tuple[CalibrationFilters, int]:
    """The filters, order and table page of the page the form was on (a hidden field), to go back to it."""
    raw = QueryDict(str(data.get("return", ""))[:2000])
    filters, _errors = CalibrationFilters.from_query(raw)
    return filters, _page_number(raw.get("page"))


def _page_url(cycle: Cycle, filters: CalibrationFilters, page: int = 1, anchor: str = "") -> str:
    query = _query(filters, page=page)
    url = reverse("cycles:calibration", args=[cycle.pk]) + (f"?{query}" if query else "")
    return url + (f"#{anchor}" if anchor else "")


def _rating_text(value: int | None) -> str:
    return f"{value} ({SCORE_LABELS[value]})" if value is not None else "not set"


def _conflict_message(review: Review) -> str:
    """Who changed the review since the form was loaded, and its final rating now: one query."""
    entry = (
        AuditEntry.objects.filter(target_type="reviews.review", target_id=str(review.pk))
        .select_related("actor__employee")
        .order_by("-created_at", "-pk")
        .first()
    )
    who = "someone"
    when = ""
    if entry is not None:
        actor = entry.actor
        employee = getattr(actor, "employee", None) if actor is not None else None
        who = employee.name if employee is not None else (actor.get_username() if actor is not None else "the system")
        when = f" at {entry.created_at:%Y-%m-%d %H:%M}"
    return (
        f"Not saved: {review.employee.name}'s review was changed by {who}{when} since you loaded the page. "
        f"The final rating is now {_rating_text(review.final_rating)}. "
        "Check it, then save again to replace it with yours."
    )


def _posted_state(data: Any) -> tuple[AdjustState, int | None, int | None]:
    """The form as posted, with its version and final rating when they are valid numbers."""
    errors: dict[str, list[str]] = {}
    raw_rating = str(data.get("final_rating", "")).strip()
    rating = int(raw_rating) if raw_rating.isascii() and raw_rating.isdigit() and len(raw_rating) < 3 else None
    if rating not in SCORE_LABELS:
        errors["final_rating"] = ["Choose a final rating from 1 to 5."]
        rating = None
    raw_version = str(data.get("version", "")).strip()
    version = int(raw_version) if raw_version.isascii() and raw_version.isdigit() and len(raw_version) < 10 else None
    justification = normalise_text(str(data.get("justification", "")))
    if len(justification) > REASON_MAX_LENGTH:
        errors["justification"] = [f"Keep the justification under {REASON_MAX_LENGTH} characters."]
    state = AdjustState(final_rating=rating, justification=justification, version=version or 0, errors=errors)
    if version is None:
        state.problem = "The form did not say which version of the review it showed; reload the page and try again."
    return state, rating, version


def _row_context(item: RowView, cycle: Cycle, filters: CalibrationFilters, page: int) -> dict[str, Any]:
    return {
        "item": item,
        "cycle": cycle,
        "can_edit": True,
        "score_choices": SCORE_CHOICES,
        "return_query": _query(filters, page=page),
    }


def _answer(
    request: HttpRequest,
    cycle: Cycle,
    level: Access,
    filters: CalibrationFilters,
    page: int,
    review: Review,
    state: AdjustState,
    *,
    status: int,
) -> HttpResponse:
    """The row again (htmx), or the page with the row's form open and why nothing was saved."""
    rows = calibration_rows(user=request.user, cycle=cycle, filters=CalibrationFilters(), review_ids=[review.pk])
    if getattr(request, "htmx", False):
        if not rows:
            raise Http404("No such review in this calibration.")
        item = _row_view(rows[0], level, cycle, state)
        if item.form is None and (state.problem or state.errors):
            item = RowView(row=item.row, state_label=item.state_label, form=state)
        return render(
            request,
            ROW_TEMPLATE,
            _row_context(item, cycle, filters, page),
            status=status,
        )
    problems = [state.problem] if state.problem else []
    problems += [message for messages_ in state.errors.values() for message in messages_]
    page_errors = [f"Nothing was saved for {review.employee.name}: {' '.join(problems)}"] if problems else []
    return _render_page(
        request,
        cycle,
        level,
        filters,
        page=page,
        row_states={review.pk: state},
        page_errors=page_errors,
        status=status,
    )


@login_required
@require_POST
def calibration_adjust(request: HttpRequest, cycle_id: int, review_id: int) -> HttpResponse:
    """HR sets one review's final rating (with a justification when it differs from the proposed one)."""
    cycle, level = _calibration_cycle(request.user, cycle_id)
    review = _review_in_scope(request.user, cycle, review_id)
    if level is not Access.EDIT:
        raise PermissionDenied("Only HR sets final ratings; you may read the calibration.")
    filters, page = _return_filters(request.POST)
    state, rating, version = _posted_state(request.POST)
    if state.errors or rating is None or version is None:
        return _answer(request, cycle, level, filters, page, review, state, status=400)
    before = review.final_rating
    try:
        saved = services.review_calibrate(
            actor=request.user, review=review, version=version, final_rating=rating, justification=state.justification
        )
    except services.ReviewConflict as exc:
        current = exc.review
        state.problem, state.conflict, state.version = _conflict_message(current), True, current.version
        return _answer(request, cycle, level, filters, page, current, state, status=409)
    except services.ReviewIncomplete as exc:
        state.problem = str(exc)
        return _answer(request, cycle, level, filters, page, review, state, status=400)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            state.errors = {key: list(value) for key, value in exc.message_dict.items()}
        else:
            state.problem = " ".join(exc.messages)
        return _answer(request, cycle, level, filters, page, review, state, status=400)
    except PermissionDenied as exc:
        state.problem = str(exc)
        return _answer(request, cycle, level, filters, page, review, state, status=403)
    rows = calibration_rows(user=request.user, cycle=cycle, filters=CalibrationFilters(), review_ids=[saved.pk])
    proposed = rows[0].proposed if rows else None
    change = Change(proposed=proposed, before=before, after=rating, justification=saved.calibration_justification)
    if getattr(request, "htmx", False) and rows:
        item = _row_view(rows[0], level, cycle)
        if item.form is not None:
            item.form.change = change
        # The row, and out of band the summary and the final ratings' distribution, counted again.
        overview = calibration_figures(user=request.user, cycle=cycle, filters=filters)
        counted = {"figures": overview.figures, "overview": overview, "oob": True}
        html = render_to_string(ROW_TEMPLATE, _row_context(item, cycle, filters, page), request=request)
        html += render_to_string("reviews/partials/calibration_figures.html", counted, request=request)
        html += render_to_string("reviews/partials/calibration_final_distribution.html", counted, request=request)
        return HttpResponse(html)
    why = f" Justification: {change.justification}" if change.justification else ""
    messages.success(
        request,
        f"Final rating of {saved.employee.name}: {_rating_text(rating)}, was {_rating_text(before)}; "
        f"proposed {_rating_text(proposed)}.{why}",
    )
    return redirect(_page_url(cycle, filters, page, anchor=f"row-{saved.pk}"))


# --- Accepting many as they are ------------------------------------------------------------------


def _posted_reviews(values: list[str]) -> dict[int, int] | None:
    """The review ids and versions the accept form posts ("id:version", one a field or comma-separated in
    one field); None when one is not that."""
    chosen: dict[int, int] = {}
    for value in (pair for field_value in values for pair in field_value.split(",") if field_value):
        pk, _sep, version = value.partition(":")
        if not (pk.isascii() and pk.isdigit() and version.isascii() and version.isdigit()):
            return None
        if len(pk) > 10 or len(version) > 10:
            return None
        chosen[int(pk)] = int(version)
    return chosen


@login_required
@require_POST
def calibration_accept(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """HR accepts the proposed rating of the manager-submitted reviews the page offered: every one under
    its filters, on every page of the table, each at the version the page read."""
    cycle, level = _calibration_cycle(request.user, cycle_id)
    if level is not Access.EDIT:
        raise PermissionDenied("Only HR sets final ratings; you may read the calibration.")
    filters, page = _return_filters(request.POST)
    chosen = _posted_reviews(request.POST.getlist("review"))
    if chosen is None:
        return _render_page(
            request,
            cycle,
            level,
            filters,
            page=page,
            page_errors=["Nothing was accepted: the form was not understood."],
            status=400,
        )
    try:
        accepted = calibration_accept_as_is(actor=request.user, cycle=cycle, reviews=chosen)
    except CalibrationConflict as exc:
        names = ", ".join(review.employee.name for review in exc.reviews)
        return _render_page(
            request,
            cycle,
            level,
            filters,
            page=page,
            page_errors=[
                f"Nothing was accepted: {names} changed since you loaded the page. "
                "The page below is as they are now; check them and accept again."
            ],
            status=409,
        )
    except ValidationError as exc:
        return _render_page(
            request, cycle, level, filters, page=page, page_errors=["Nothing was accepted:", *exc.messages], status=400
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(_page_url(cycle, filters, page))
    count = len(accepted)
    messages.success(
        request,
        f"Accepted {count} review{'s' if count != 1 else ''} as {'they are' if count != 1 else 'it is'}: "
        "each final rating is the proposed rating.",
    )
    return redirect(_page_url(cycle, filters, page))
