"""The review page and the review list.

The review page is one form. Without JavaScript it posts whole: every field carries the version it was read
at and a fingerprint of the value shown, so a field someone else changed meanwhile comes back as a conflict
(keeping what this person typed) instead of being overwritten, and a field left alone is no conflict at all.
With htmx each field saves itself as it changes, through the same service and the same version check.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans.selectors import plan_panel
from reviews import selectors
from reviews.evidence import evidence_links, kpi_entries, kpi_evidence
from reviews.feedback import feedback_panel
from reviews.forms import (
    SCORE_CHOICES,
    PotentialForm,
    RatingFieldForm,
    ReviewFilterForm,
    TransitionForm,
    evidence_text,
    field_prefix,
    rating_fingerprint,
)
from reviews.kpi_views import kpi_panel_context
from reviews.models import SCORE_LABELS, Rating, Review
from reviews.scoring import TWO_PLACES, explain, rounded_rating
from reviews.services import (
    RatingInput,
    ReviewConflict,
    ReviewIncomplete,
    review_calibrate,
    review_rate,
    review_transition,
)
from scorecards.models import ScorecardDimension
from staffrole import access
from staffrole.access import Access, Relation

PAGE_SIZE = 50
SIDES = (Rating.Side.SELF, Rating.Side.MANAGER)
SIDE_TITLES: dict[str, str] = {Rating.Side.SELF: "Self-assessment", Rating.Side.MANAGER: "Manager review"}
STEPS = [
    (Review.State.DRAFT, "Draft"),
    (Review.State.SELF_SUBMITTED, "Self-assessment submitted"),
    (Review.State.MANAGER_SUBMITTED, "Manager review submitted"),
    (Review.State.CALIBRATED, "Calibrated"),
    (Review.State.SHARED, "Shared"),
    (Review.State.ACKNOWLEDGED, "Acknowledged"),
]
STATE_ORDER: list[str] = [state for state, _label in STEPS]
STATE_LABELS: dict[str, str] = dict(STEPS)
SUBMIT_ACTIONS = {"submit_self": Rating.Side.SELF, "submit_manager": Rating.Side.MANAGER}
DONE_MESSAGES = {
    "submit_self": "Submitted your self-assessment.",
    "submit_manager": "Submitted your review.",
    "calibrate": "Calibrated: the final rating is {final}.",
    "share": "Shared the review with {name}.",
    "acknowledge": "Acknowledged the review.",
    "reopen": "Reopened the review.",
}
# Answers htmx swaps in although they are not 2xx: the field shows why it was not saved.
# htmx's settings for the review and calibration pages: base.html's (no eval, no injected styles, no scripts
# from fragments: the Content-Security-Policy, ADR 0023) and which answers to swap.
HTMX_CONFIG = (
    '{"allowEval": false, "allowScriptTags": false, "includeIndicatorStyles": false,'
    ' "responseHandling": [{"code": "204", "swap": false}, {"code": "[23]..", "swap": true},'
    ' {"code": "(400|401|403|409)", "swap": true, "error": false}, {"code": "...", "swap": false, "error": true}]}'
)


# --- What the page shows -------------------------------------------------------------------------


@dataclass
class Field:
    """One dimension on one side, as this caller sees it; on a re-render, with what they posted."""

    review_id: int
    dimension: ScorecardDimension
    side: str
    access: Access
    rating: Rating | None
    score: int | None = None
    comment: str = ""
    evidence: str = ""  # one link per line, as in the text box
    version: int = 0
    orig: str = ""
    theirs: int | None = None  # on a conflict: the version now stored, which "Keep mine" overwrites
    conflict: bool = False
    errors: list[str] = field(default_factory=list)
    missing: bool = False
    viewer_id: int | None = None

    @property
    def prefix(self) -> str:
        return field_prefix(self.dimension.pk, self.side)

    @property
    def editable(self) -> bool:
        return self.access is Access.EDIT

    @property
    def url(self) -> str:
        return reverse("reviews:rating", args=[self.review_id, self.dimension.pk, self.side])

    @property
    def side_title(self) -> str:
        return SIDE_TITLES[self.side]

    @property
    def params(self) -> str:
        """The only values an autosave sends (htmx would otherwise send the whole page form)."""
        return ",".join(f"{self.prefix}-{name}" for name in ("score", "comment", "evidence", "version", "orig"))

    @property
    def stored_score_label(self) -> str:
        score = self.rating.score if self.rating else None
        return SCORE_LABELS.get(score, "") if score else ""

    @property
    def stored_evidence(self) -> list[dict[str, str]]:
        return _links(self.rating.evidence if self.rating else [])

    @property
    def kpi_evidence(self) -> list[Any]:
        """The KPIs attached to this rating, as they stood when attached."""
        return [kpi_evidence(entry) for entry in kpi_entries(self.rating.evidence if self.rating else [])]

    @property
    def updated_by_name(self) -> str:
        return _name(self.rating.updated_by) if self.rating and self.rating.updated_by_id else ""

    @property
    def updated_by_is_you(self) -> bool:
        return bool(self.rating and self.viewer_id and self.rating.updated_by_id == self.viewer_id)


def _links(evidence: Any) -> list[dict[str, str]]:
    """Evidence as stored; only web addresses become links (an API client may have stored anything)."""
    items = [link.strip() for link in evidence_links(evidence) if link.strip()]
    return [{"text": text, "href": text if text.startswith(("https://", "http://")) else ""} for text in items]


def _field_from_rating(
    review: Review, dimension: ScorecardDimension, side: str, rights: Access, rating: Rating | None, viewer_id: Any
) -> Field:
    score = rating.score if rating else None
    comment = rating.comment if rating else ""
    evidence = rating.evidence if rating else []
    return Field(
        review_id=review.pk,
        dimension=dimension,
        side=side,
        access=rights,
        rating=rating,
        score=score,
        comment=comment,
        evidence=evidence_text(evidence),
        version=rating.version if rating else 0,
        orig=rating_fingerprint(score, comment, evidence if isinstance(evidence, list) else []),
        viewer_id=viewer_id,
    )


def _field_from_post(base: Field, data: Any) -> Field:
    """The field as this person left it in the form they posted (their text is never dropped)."""
    prefix = base.prefix
    raw_score = data.get(f"{prefix}-score", "")
    base.score = int(raw_score) if raw_score in {"1", "2", "3", "4", "5"} else None
    base.comment = data.get(f"{prefix}-comment", "")
    base.evidence = data.get(f"{prefix}-evidence", "")
    base.version = _int(data.get(f"{prefix}-version"), base.version)
    base.orig = data.get(f"{prefix}-orig", base.orig)[:64]
    return base


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@dataclass
class DimensionRow:
    dimension: ScorecardDimension
    related: selectors.RelatedParts | None
    fields: list[Field]  # the sides this caller may see, self first
    total_weight: Decimal

    @property
    def weight_text(self) -> str:
        weight = _plain(self.dimension.weight)
        return f"{weight}%" if self.total_weight == 100 else f"{weight} of {_plain(self.total_weight)}"

    @property
    def missing(self) -> bool:
        return any(f.missing for f in self.fields)


@dataclass
class ExplainLine:
    dimension: str
    weight: str
    score: int | None
    label: str
    product: str | None
    contribution: str | None


@dataclass
class ScoreSummary:
    """A side's weighted score with its explanation: weight times score per dimension, summed."""

    side: str
    title: str
    lines: list[ExplainLine]
    total_weight: str
    total_product: str | None
    weighted: str | None
    rounded: int | None
    missing: list[str]
    places: int

    @property
    def rounded_label(self) -> str:
        return SCORE_LABELS.get(self.rounded, "") if self.rounded else ""


def _plain(value: Decimal) -> str:
    """25.00 → "25", 12.50 → "12.5": weights as people write them."""
    return format(value.normalize(), "f")


def score_summary(
    *, side: str, dimensions: list[ScorecardDimension], ratings: dict[tuple[int, str], Rating]
) -> ScoreSummary:
    pairs = [(d.name, d.weight, getattr(ratings.get((d.pk, side)), "score", None)) for d in dimensions]
    explanation = explain(pairs)
    total = explanation.total_weight
    products = [line.weight * line.score if line.score is not None else None for line in explanation.lines]
    # Contributions are shown to two places when those add up to the score as shown, else to four.
    contributions = [line.contribution for line in explanation.lines if line.contribution is not None]
    shown = sum((c.quantize(TWO_PLACES, ROUND_HALF_UP) for c in contributions), Decimal(0))
    places = 4 if explanation.weighted_score is not None and shown != explanation.weighted_score else 2
    quantum = Decimal(1).scaleb(-places)
    lines = [
        ExplainLine(
            dimension=line.dimension,
            weight=_plain(line.weight),
            score=line.score,
            label=SCORE_LABELS.get(line.score, "") if line.score else "",
            product=_plain(product) if product is not None else None,
            contribution=str(line.contribution.quantize(quantum, ROUND_HALF_UP))
            if line.contribution is not None
            else None,
        )
        for line, product in zip(explanation.lines, products, strict=True)
    ]
    total_product = (
        _plain(sum((p for p in products if p is not None), Decimal(0)))
        if explanation.weighted_score is not None
        else None
    )
    return ScoreSummary(
        side=side,
        title=SIDE_TITLES[side],
        lines=lines,
        total_weight=_plain(total),
        total_product=total_product,
        weighted=str(explanation.weighted_score) if explanation.weighted_score is not None else None,
        rounded=rounded_rating(explanation.weighted_score),
        missing=explanation.missing,
        places=places,
    )


@dataclass
class Step:
    label: str
    status: str  # done, current, todo


def _steps(review: Review) -> list[Step]:
    current = STATE_ORDER.index(review.state)
    return [
        Step(label=label, status="done" if i < current else "current" if i == current else "todo")
        for i, (_state, label) in enumerate(STEPS)
    ]


@dataclass
class Deadline:
    label: str
    due: date
    done: bool
    next: bool = False
    overdue: bool = False


def _deadlines(review: Review) -> list[Deadline]:
    cycle, at = review.cycle, STATE_ORDER.index(review.state)
    deadlines = [
        Deadline("Self-assessment", cycle.self_due, done=at >= 1),
        Deadline("Manager review", cycle.manager_due, done=at >= 2),
        Deadline("Calibration", cycle.calibration_due, done=at >= 3),
        Deadline("Sign-off", cycle.signoff_due, done=at >= 5),
    ]
    today = timezone.localdate()
    upcoming = next((d for d in deadlines if not d.done), None)
    if upcoming is not None:
        upcoming.next = True
    for deadline in deadlines:
        deadline.overdue = not deadline.done and deadline.due < today
    return deadlines


def _name(user: Any) -> str:
    if user is None:
        return "The system"
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else (user.get_full_name() or user.get_username())


def _day(value: date) -> str:
    return dateformat.format(value, "j M Y")


def _next_step(review: Review, relation: Relation, hr: bool) -> str:
    """One sentence saying what happens next, for this caller."""
    state, person = review.state, review.employee.name
    reviewer = review.reviewer.name if review.reviewer else "the reviewer"
    cycle = review.cycle
    if relation is Relation.SELF:
        return {
            "draft": f"Rate yourself on each dimension, then submit your self-assessment by {_day(cycle.self_due)}.",
            "self_submitted": f"You submitted your self-assessment. {reviewer} writes their review next.",
            "manager_submitted": "Your manager's review is in calibration; you will read it once it is shared.",
            "calibrated": "Your review is calibrated; you will read it once your manager shares it.",
            "shared": "Read your manager's review, then acknowledge it. A comment is optional: use it to record "
            "disagreement.",
            "acknowledged": "You acknowledged this review. Only HR can reopen it.",
        }[state]
    if relation is Relation.MANAGER:
        return {
            "draft": f"{person} has not submitted their self-assessment yet. You can start your ratings now and "
            "submit once they have.",
            "self_submitted": f"Rate {person} on each dimension, set their potential and submit your review by "
            f"{_day(cycle.manager_due)}.",
            "manager_submitted": "HR calibrates the ratings next.",
            "calibrated": f"Calibration is done: share the review with {person}.",
            "shared": f"Waiting for {person} to acknowledge the review.",
            "acknowledged": f"{person} acknowledged the review. Only HR can reopen it.",
        }[state]
    if hr and state in ("manager_submitted", "calibrated"):
        return "Calibrate: accept the manager's weighted score as the final rating, or set another and say why."
    return {
        "draft": "The self-assessment is being written.",
        "self_submitted": f"{reviewer} is writing the manager review.",
        "manager_submitted": "The review waits for calibration.",
        "calibrated": f"Calibrated; {reviewer} shares it next.",
        "shared": f"Shared with {person}, who acknowledges it next.",
        "acknowledged": "Signed off.",
    }[state]


# --- Timeline ------------------------------------------------------------------------------------

TRANSITION_TITLES = {
    "review.enrol": "Enrolled in the cycle",
    "review.reassign": "Changed the reviewer",
    "review.submit_self": "Submitted the self-assessment",
    "review.submit_manager": "Submitted the manager review",
    "review.calibrate": "Calibrated the review",
    "review.share": "Shared the review",
    "review.acknowledge": "Acknowledged the review",
    "review.reopen": "Reopened the review",
    "review.potential": "Set the potential",
}
REASON_LABELS = {"review.acknowledge": "Comment", "review.calibrate": "Justification"}
SNIPPET = 160


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class TimelineRow:
    who: str
    at: Any
    first_at: Any
    title: str
    changes: list[Change]
    reason_label: str
    reason: str
    edits: int
    kind: str  # rating, state, other


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    text = str(value)
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def _score_text(score: Any) -> str:
    return f"{score} ({SCORE_LABELS[score]})" if score in SCORE_LABELS else "—"


def _timeline_rows(entries: Iterable[selectors.TimelineEntry], skill_names: dict[int, str]) -> list[TimelineRow]:
    rows = []
    for entry in entries:
        before, after = entry.before, entry.after
        changes: list[Change] = []
        kind = "other"
        if entry.action == "review.rating":
            kind = "rating"
            side = SIDE_TITLES.get(entry.side, entry.side).lower()
            title = f"Rated {entry.dimension} ({side})"
            if before.get("score") != after.get("score"):
                changes.append(Change("Score", _score_text(before.get("score")), _score_text(after.get("score"))))
            if (before.get("comment") or "") != (after.get("comment") or ""):
                changes.append(Change("Comment", _shown(before.get("comment")), _shown(after.get("comment"))))
            links_before, links_after = evidence_links(before.get("evidence")), evidence_links(after.get("evidence"))
            if links_before != links_after:
                changes.append(Change("Evidence", f"{len(links_before)} links", f"{len(links_after)} links"))
        elif entry.action in ("review.evidence_attach", "review.evidence_detach"):
            kind = "rating"
            side = SIDE_TITLES.get(entry.side, entry.side).lower()
            attached = entry.action == "review.evidence_attach"
            title = f"{'Attached a KPI to' if attached else 'Removed a KPI from'} {entry.dimension} ({side})"
            snapshot = (after if attached else before).get("kpi")
            if isinstance(snapshot, dict):
                summary = kpi_evidence(snapshot).summary
                none = _shown(None)
                changes.append(Change("KPI", none if attached else summary, summary if attached else none))
        elif entry.action == "review.skill_rating":
            kind = "rating"
            skill = _int(after.get("skill") or before.get("skill"), 0)
            title = f"Rated the skill {skill_names.get(skill, f'#{skill}')} (self-assessment)"
            if before.get("score") != after.get("score"):
                changes.append(Change("Score", _score_text(before.get("score")), _score_text(after.get("score"))))
            if (before.get("comment") or "") != (after.get("comment") or ""):
                changes.append(Change("Comment", _shown(before.get("comment")), _shown(after.get("comment"))))
            if (before.get("evidence") or []) != (after.get("evidence") or []):
                changes.append(
                    Change(
                        "Evidence",
                        f"{len(before.get('evidence') or [])} links",
                        f"{len(after.get('evidence') or [])} links",
                    )
                )
        else:
            title = TRANSITION_TITLES.get(entry.action, entry.action.split(".", 1)[-1].replace("_", " ").capitalize())
            kind = "state" if "state" in after else "other"
            for key in dict.fromkeys([*before, *after]):
                if before.get(key) == after.get(key):
                    continue
                label = key.replace("_", " ").capitalize()
                if key == "state":
                    old, new = (str(v).replace("_", " ") if v else "—" for v in (before.get(key), after.get(key)))
                elif key == "final_rating":
                    old, new = _score_text(before.get(key)), _score_text(after.get(key))
                else:
                    old, new = _shown(before.get(key)), _shown(after.get(key))
                changes.append(Change(label, old, new))
        rows.append(
            TimelineRow(
                who=_name(entry.actor),
                at=entry.at,
                first_at=entry.first_at,
                title=title,
                changes=changes,
                reason_label=REASON_LABELS.get(entry.action, "Reason"),
                reason=entry.reason,
                edits=entry.edits,
                kind=kind,
            )
        )
    return rows


# --- The review list ------------------------------------------------------------------------------


@dataclass
class ListRow:
    review: Review
    self_score: str | None
    manager_score: str | None
    final_rating: int | None
    see_self: bool
    see_manager: bool
    see_final: bool
    relation: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.review.state]


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """The caller's reviews: their own, those they write, their organisation's; HR sees all."""
    form = ReviewFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {"cycle": None, "state": ""}
    who = access.viewer(request.user)
    if who.employee is not None:
        access.subtree_of(request.user)  # one query now, so that no row asks for its chain
    queryset = selectors.with_ratings(
        selectors.reviews_for_user(user=request.user, cycle=filters["cycle"], state=filters["state"] or None)
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for review in page.object_list:
        self_access, manager_access = access.review_access(request.user, review)
        ratings = {(r.dimension_id, r.side): r for r in review.ratings.all()}
        dimensions = sorted({r.dimension for r in review.ratings.all()}, key=lambda d: d.position)
        relation = access.review_relation(request.user, review)
        rows.append(
            ListRow(
                review=review,
                self_score=score_summary(side="self", dimensions=dimensions, ratings=ratings).weighted
                if self_access is not Access.NONE
                else None,
                manager_score=score_summary(side="manager", dimensions=dimensions, ratings=ratings).weighted
                if manager_access is not Access.NONE
                else None,
                final_rating=review.final_rating,
                see_self=self_access is not Access.NONE,
                see_manager=manager_access is not Access.NONE,
                see_final=access.can_see_final_rating(request.user, review),
                relation={Relation.SELF: "You", Relation.MANAGER: "You review"}.get(relation, ""),
            )
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/review_list.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "filters": filters,
            "cycles": selectors.cycles_for_user(user=request.user),
            "states": STEPS,
            "query": query.urlencode(),
        },
    )


# --- The review page ------------------------------------------------------------------------------


def _own_side(user: Any, review: Review) -> str | None:
    """The side the caller writes on this review now, if any."""
    relation = access.review_relation(user, review)
    side = {Relation.SELF: Rating.Side.SELF, Relation.MANAGER: Rating.Side.MANAGER}.get(relation)
    if side is None:
        return None
    self_access, manager_access = access.review_access(user, review)
    return side if (self_access if side == Rating.Side.SELF else manager_access) is Access.EDIT else None


def _hidden_notes(review: Review, relation: Relation, rights: dict[str, Access]) -> list[str]:
    """Say what is not shown yet, and when it will be, rather than leave a silent gap."""
    notes = []
    if rights[Rating.Side.MANAGER] is Access.NONE and relation is Relation.SELF:
        notes.append("Your manager's ratings and the final rating are shown to you once the review is shared.")
    if rights[Rating.Side.SELF] is Access.NONE:
        notes.append(f"{review.employee.name}'s self-assessment is shown once they submit it.")
    return notes


@dataclass
class PagePost:
    """What a posted page carried, to show again when it is not (all) saved."""

    data: Any = None
    conflicts: set[str] = field(default_factory=set)
    errors: dict[str, list[str]] = field(default_factory=dict)
    keep_posted: set[str] = field(default_factory=set)  # prefixes whose posted text is shown instead of the stored
    potential_conflict: bool = False
    potential_posted: str | None = None
    potential_orig: str | None = None
    potential_seen: str | None = None  # the value the page showed, checked again under the row lock


def _page_context(
    request: HttpRequest,
    review: Review,
    *,
    post: PagePost | None = None,
    missing: list[str] | None = None,
    missing_side: str = "",
    error: str = "",
) -> dict[str, Any]:
    user = request.user
    relation = access.review_relation(user, review)
    hr = access.viewer(user).hr
    self_access, manager_access = access.review_access(user, review)
    rights: dict[str, Access] = {Rating.Side.SELF: self_access, Rating.Side.MANAGER: manager_access}
    visible = [side for side in SIDES if rights[side] is not Access.NONE]
    parts = selectors.review_blueprint_parts(version_id=review.blueprint_version_id)
    total_weight = sum((d.weight for d in parts.dimensions), Decimal(0))
    ratings = selectors.review_ratings(review=review)
    post = post or PagePost()
    missing_names = set(missing or [])
    rows = []
    for dimension in parts.dimensions:
        fields = []
        for side in visible:
            item = _field_from_rating(review, dimension, side, rights[side], ratings.get((dimension.pk, side)), user.pk)
            if item.editable and item.prefix in post.keep_posted:
                item = _field_from_post(item, post.data)
            if item.prefix in post.conflicts and item.rating is not None:
                item.conflict, item.theirs = True, item.rating.version
            item.errors = post.errors.get(item.prefix, [])
            item.missing = side == missing_side and dimension.name in missing_names
            fields.append(item)
        rows.append(
            DimensionRow(
                dimension=dimension, related=parts.related.get(dimension.pk), fields=fields, total_weight=total_weight
            )
        )
    own_side = _own_side(user, review)
    actions = access.review_actions(user, review)
    summaries = {side: score_summary(side=side, dimensions=parts.dimensions, ratings=ratings) for side in visible}
    manager_summary = summaries.get(Rating.Side.MANAGER) or score_summary(
        side=Rating.Side.MANAGER, dimensions=parts.dimensions, ratings=ratings
    )
    pk_by_name = {d.name: d.pk for d in parts.dimensions}
    see_skills = self_access is not Access.NONE and bool(parts.skill_names)
    kpis = kpi_panel_context(user=user, review=review, own_side=own_side, dimensions=parts.dimensions, ratings=ratings)
    return {
        "review": review,
        "cycle": review.cycle,
        "person": review.employee,
        "blueprint": review.blueprint_version,
        "blueprint_url": reverse("scorecards:role_detail", args=[review.blueprint_version.role.slug])
        + f"?version={review.blueprint_version.number}",
        "steps": _steps(review),
        "deadlines": _deadlines(review),
        "relation": relation.value,
        "next_step": _next_step(review, relation, hr),
        "rows": rows,
        "summaries": [summaries[side] for side in visible],
        "hidden_notes": _hidden_notes(review, relation, rights),
        "own_side": own_side,
        "editable": own_side is not None,
        "score_choices": SCORE_CHOICES,
        "see_potential": access.can_see_potential(user, review),
        "potential_editable": own_side == Rating.Side.MANAGER,
        "potential": post.potential_posted if post.potential_posted is not None else review.potential,
        "potential_orig": post.potential_orig if post.potential_orig is not None else review.potential,
        "potential_conflict": post.potential_conflict,
        "potential_choices": Review.Potential.choices,
        "see_final": access.can_see_final_rating(user, review),
        "final_label": SCORE_LABELS.get(review.final_rating or 0, ""),
        "actions": actions,
        "other_actions": actions - set(SUBMIT_ACTIONS),
        "state_label": STATE_LABELS[review.state],
        "submit_action": next((a for a in SUBMIT_ACTIONS if a in actions), None),
        "proposed_rating": manager_summary.rounded,
        "proposed_label": manager_summary.rounded_label,
        "manager_weighted": manager_summary.weighted,
        "missing": missing or [],
        "missing_links": [{"name": name, "pk": pk_by_name.get(name)} for name in missing or []],
        "missing_side_title": SIDE_TITLES.get(missing_side, ""),
        "error": error,
        "timeline": _timeline_rows(selectors.review_timeline(user=user, review=review), parts.skill_names),
        "htmx_config": HTMX_CONFIG,
        "see_skills": see_skills,
        "skills_total": len(parts.skill_names),
        "skills_rated": selectors.review_skills_rated(review=review) if see_skills else 0,
        **feedback_panel(user, review),
        **kpis,
        # After the KPI panel, which loads the caller's place in the chain that the plan's policy reads.
        "plan_panel": plan_panel(user=user, employee_id=review.employee_id, today=timezone.localdate()),
    }


def _render_page(request: HttpRequest, review: Review, *, status: int = 200, **kwargs: Any) -> HttpResponse:
    return render(request, "reviews/review_detail.html", _page_context(request, review, **kwargs), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.get_review_for_user(request.user, review_id)
    if request.method == "POST":
        return _save_page(request, review)
    return _render_page(request, review)


def _save_page(request: HttpRequest, review: Review) -> HttpResponse:
    """The page posted whole (no JavaScript): save the fields this person changed, then submit if asked."""
    side = _own_side(request.user, review)
    if side is None:
        raise PermissionDenied("Nothing on this review is yours to edit now.")
    data = request.POST
    resolve = data.get("resolve", "")
    post = PagePost(data=data)
    stored = {
        dimension_id: rating
        for (dimension_id, s), rating in selectors.review_ratings(review=review).items()
        if s == side
    }
    inputs: list[RatingInput] = []
    prefixes: dict[str, str] = {}  # dimension name → prefix
    for dimension in ScorecardDimension.objects.filter(version_id=review.blueprint_version_id).order_by("position"):
        prefix = field_prefix(dimension.pk, side)
        if f"{prefix}-version" not in data:
            continue
        form = RatingFieldForm(data, prefix=prefix)
        if not form.is_valid():
            post.errors[prefix] = [form.first_error()]
            post.keep_posted.add(prefix)
            continue
        if not form.touched() or resolve == f"{prefix}:theirs":
            continue
        current = stored.get(dimension.pk)
        if current is not None and form.fingerprint() == rating_fingerprint(
            current.score, current.comment, current.evidence
        ):
            continue  # already saved (by autosave, or the same value from elsewhere)
        values = form.cleaned_data
        field_version = values["version"]
        if resolve == f"{prefix}:mine" and values["theirs"] is not None:
            field_version = values["theirs"]
        prefixes[dimension.name] = prefix
        post.keep_posted.add(prefix)
        inputs.append(
            RatingInput(
                dimension=dimension.name,
                score=values["score"],
                comment=values["comment"],
                evidence=values["evidence"],
                field_version=field_version,
            )
        )
    potential = _posted_potential(review, side, data, resolve, post)
    if post.errors:
        return _render_page(
            request, review, status=400, post=post, error="Nothing was saved: correct the fields marked below."
        )
    saved = _rate_what_is_not_stale(request, review, inputs, potential, post, prefixes)
    if post.conflicts or post.potential_conflict:
        review.refresh_from_db()
        return _render_page(
            request,
            review,
            status=409,
            post=post,
            error="Someone else saved some of these fields since you opened the page. What you typed is kept below: "
            "for each, keep yours or use theirs." + (" Everything else is saved." if saved else ""),
        )
    intent = data.get("intent", "save")
    if intent in SUBMIT_ACTIONS and intent in access.review_actions(request.user, review):
        return _transition(request, review, action=intent, reason="", version=None)
    messages.success(request, f"Saved at {timezone.localtime():%H:%M}." if saved else "Nothing to save: no changes.")
    return redirect("reviews:detail", review.pk)


def _posted_potential(review: Review, side: str, data: Any, resolve: str, post: PagePost) -> str | None:
    """The potential to write, if the reviewer changed it; a value set elsewhere meanwhile is a conflict."""
    if side != Rating.Side.MANAGER or "potential-orig" not in data:
        return None
    form = _potential_form(data)
    if not form.is_valid():
        post.errors["potential"] = ["Potential is low, medium or high."]
        return None
    wanted, seen = form.cleaned_data["potential"], form.cleaned_data["orig"]
    if wanted == seen or resolve == "potential:theirs" or wanted == review.potential:
        return None
    if resolve == "potential:mine":
        seen = form.cleaned_data["theirs"]
    if review.potential != seen:
        post.potential_conflict = True
        post.potential_posted, post.potential_orig = wanted, seen
        return None
    post.potential_seen = seen
    return wanted


def _rate_what_is_not_stale(
    request: HttpRequest,
    review: Review,
    inputs: list[RatingInput],
    potential: str | None,
    post: PagePost,
    prefixes: dict[str, str],
) -> bool:
    """Write the changed fields; the ones someone else changed meanwhile become conflicts and the rest
    are saved all the same. Returns whether anything was written."""
    pending = list(inputs)
    while pending or potential is not None:
        try:
            review_rate(
                actor=request.user,
                review=review,
                ratings=pending,
                version=None,
                potential=potential,
                potential_seen=post.potential_seen,
            )
        except ReviewConflict as exc:
            stale = set(exc.fields)
            post.conflicts |= {prefixes[name] for name in stale if name in prefixes}
            pending = [item for item in pending if item.dimension not in stale]
            if "potential" in stale and potential is not None:
                # Set elsewhere between the page's check and the save: the same conflict, found later.
                post.potential_conflict = True
                post.potential_posted, post.potential_orig = potential, post.potential_seen
                potential = None
            continue
        # Saved: the stored values are the posted ones now, with new versions; show those.
        post.keep_posted -= {prefixes[item.dimension] for item in pending}
        return True
    return False


def _transition(request: HttpRequest, review: Review, *, action: str, reason: str, version: int | None) -> HttpResponse:
    try:
        review = review_transition(actor=request.user, review=review, action=action, reason=reason, version=version)
    except ReviewIncomplete as exc:
        review.refresh_from_db()
        return _render_page(request, review, status=400, missing=exc.missing, missing_side=exc.side)
    except ReviewConflict as exc:
        review.refresh_from_db()
        return _render_page(request, review, status=409, error=_stale_message(exc))
    except ValidationError as exc:
        return _render_page(request, review, status=400, error=" ".join(exc.messages))
    except PermissionDenied as exc:
        return _render_page(request, review, status=403, error=str(exc))
    messages.success(request, _done_message(action, review))
    return redirect("reviews:detail", review.pk)


def _stale_message(exc: ReviewConflict) -> str:
    state = exc.review.get_state_display().lower()
    return f"This review changed since you opened it (it is {state} now). Nothing was done: check it and try again."


def _done_message(action: str, review: Review) -> str:
    final = f"{review.final_rating} ({SCORE_LABELS.get(review.final_rating or 0, '')})" if review.final_rating else ""
    return DONE_MESSAGES[action].format(final=final, name=review.employee.name)


@login_required
@require_POST
def review_transition_view(request: HttpRequest, review_id: int) -> HttpResponse:
    """Share, calibrate, acknowledge, reopen (and submit, from a page with nothing left to save)."""
    review = access.get_review_for_user(request.user, review_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(str(message) for errors in form.errors.values() for message in errors)
        return _render_page(request, review, status=400, error=f"Nothing was done: {problems}")
    data = form.cleaned_data
    if data["action"] != "calibrate" or data["final_rating"] is None:
        return _transition(request, review, action=data["action"], reason=data["reason"], version=data["version"])
    try:
        review = review_calibrate(
            actor=request.user,
            review=review,
            version=data["version"] if data["version"] is not None else review.version,
            final_rating=data["final_rating"],
            justification=data["justification"],
        )
    except ReviewIncomplete as exc:
        return _render_page(request, review, status=400, missing=exc.missing, missing_side=exc.side)
    except ReviewConflict as exc:
        review.refresh_from_db()
        return _render_page(request, review, status=409, error=_stale_message(exc))
    except ValidationError as exc:
        return _render_page(request, review, status=400, error=" ".join(exc.messages))
    except PermissionDenied as exc:
        return _render_page(request, review, status=403, error=str(exc))
    messages.success(request, _done_message("calibrate", review))
    return redirect("reviews:detail", review.pk)


# --- Autosave -------------------------------------------------------------------------------------


def _keeping_work_when_logged_out(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An autosave after the session ended says so in the field instead of following the redirect to the
    login page (which would swap a whole page into the field, or lose what was typed)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and getattr(request, "htmx", False):
            problem = (
                "you are logged out. Log in again in another tab, then change the field again: "
                "what you typed is still here."
            )
            return render(request, "reviews/partials/review_field_state.html", {"problem": problem}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


def _field_for(
    request: HttpRequest,
    review: Review,
    dimension_id: int,
    side: str,
    *,
    dimensions: list[ScorecardDimension],
    ratings: dict[tuple[int, str], Rating] | None = None,
) -> Field:
    """The field as stored; `ratings` (all of the review's, read after a save) spares reading it alone."""
    if side not in Rating.Side.values:
        raise Http404("No such side.")
    dimension = next((d for d in dimensions if d.pk == dimension_id), None)
    if dimension is None:
        raise Http404("No such dimension on this review.")
    self_access, manager_access = access.review_access(request.user, review)
    rights = self_access if side == Rating.Side.SELF else manager_access
    if rights is Access.NONE:
        raise PermissionDenied(f"The {SIDE_TITLES[side].lower()} is not yours to read yet.")
    if ratings is not None:
        rating = ratings.get((dimension.pk, side))
    else:
        rating = (
            Rating.objects.select_related("updated_by__employee")
            .filter(review=review, dimension=dimension, side=side)
            .first()
        )
    return _field_from_rating(review, dimension, side, rights, rating, request.user.pk)


def _scorecard(review: Review) -> list[ScorecardDimension]:
    return list(ScorecardDimension.objects.filter(version_id=review.blueprint_version_id).order_by("position"))


def _field_response(request: HttpRequest, template: str, item: Field, *, status: int = 200, **extra: Any):
    return render(request, template, {"field": item, "score_choices": SCORE_CHOICES, **extra}, status=status)


@_keeping_work_when_logged_out
@login_required
@require_http_methods(["GET", "POST"])
def review_rating_field(request: HttpRequest, review_id: int, dimension_id: int, side: str) -> HttpResponse:
    """One field of the review page: GET renders it afresh ("Use theirs"); POST saves it (autosave).

    The answer is a piece of the page for htmx to swap in: saved (200), not valid (400), no longer
    editable (403) or a conflict (409) that shows the value now stored next to what this person typed."""
    review = access.get_review_for_user(request.user, review_id)
    dimensions = _scorecard(review)
    item = _field_for(request, review, dimension_id, side, dimensions=dimensions)
    if request.method == "GET":
        template = "reviews/partials/review_field.html" if item.editable else "reviews/partials/review_field_read.html"
        return _field_response(request, template, item)
    if not item.editable or _own_side(request.user, review) != side:
        raise PermissionDenied(f"The {item.side_title.lower()} is not yours to edit now.")
    form = RatingFieldForm(request.POST, prefix=item.prefix)
    if not form.is_valid():
        return _field_response(
            request, "reviews/partials/review_field_state.html", item, status=400, problem=form.first_error()
        )
    values = form.cleaned_data
    rating = item.rating
    same = rating is not None and form.fingerprint() == rating_fingerprint(
        rating.score, rating.comment, rating.evidence
    )
    if not same:
        try:
            review = review_rate(
                actor=request.user,
                review=review,
                ratings=[
                    RatingInput(
                        dimension=item.dimension.name,
                        score=values["score"],
                        comment=values["comment"],
                        evidence=values["evidence"],
                        field_version=values["version"],
                    )
                ],
                version=None,
            )
        except ReviewConflict:
            fresh = _field_for(request, review, dimension_id, side, dimensions=dimensions)
            fresh.conflict, fresh.theirs = True, fresh.version
            return _field_response(request, "reviews/partials/review_field_conflict.html", fresh, status=409)
        except ValidationError as exc:
            return _field_response(
                request, "reviews/partials/review_field_state.html", item, status=400, problem=" ".join(exc.messages)
            )
        except PermissionDenied as exc:
            return _field_response(
                request, "reviews/partials/review_field_state.html", item, status=403, problem=str(exc)
            )
    # One read of the review's ratings after the save serves both the field and the side's score;
    # the review (as locked and saved by the service, or as read above when nothing changed) has its version.
    ratings = selectors.review_ratings(review=review)
    fresh = _field_for(request, review, dimension_id, side, dimensions=dimensions, ratings=ratings)
    return _field_response(
        request,
        "reviews/partials/review_field_saved.html",
        fresh,
        summary=score_summary(side=side, dimensions=dimensions, ratings=ratings),
        review_version=review.version,
    )


def _potential_form(data: Any) -> PotentialForm:
    return PotentialForm(
        {
            "potential": data.get("potential", ""),
            "orig": data.get("potential-orig", ""),
            "theirs": data.get("potential-theirs", ""),
        }
    )


@_keeping_work_when_logged_out
@login_required
@require_http_methods(["GET", "POST"])
def review_potential(request: HttpRequest, review_id: int) -> HttpResponse:
    """The reviewer's potential: GET renders the control afresh ("Use theirs"); POST saves it as it
    changes, refusing to overwrite a value set elsewhere since the page showed it."""
    review = access.get_review_for_user(request.user, review_id)
    if _own_side(request.user, review) != Rating.Side.MANAGER:
        raise PermissionDenied("Only the reviewer sets the potential, until they submit their review.")
    context: dict[str, Any] = {
        "review": review,
        "person": review.employee,
        "potential_choices": Review.Potential.choices,
    }
    if request.method == "GET":
        context |= {"potential": review.potential, "potential_orig": review.potential}
        return render(request, "reviews/partials/review_potential.html", context)
    form = _potential_form(request.POST)
    template = "reviews/partials/review_potential_state.html"
    if not form.is_valid():
        return render(request, template, {**context, "problem": "Potential is low, medium or high."}, status=400)
    wanted, seen = form.cleaned_data["potential"], form.cleaned_data["orig"]
    if request.POST.get("resolve") == "mine":
        seen = form.cleaned_data["theirs"]
    try:
        review = review_rate(
            actor=request.user, review=review, ratings=[], version=None, potential=wanted, potential_seen=seen
        )
    except ReviewConflict as exc:
        theirs = exc.fields.get("potential", exc.review.potential)
        return render(request, template, {**context, "conflict": True, "theirs": theirs}, status=409)
    except ValidationError as exc:
        return render(request, template, {**context, "problem": " ".join(exc.messages)}, status=400)
    except PermissionDenied as exc:
        return render(request, template, {**context, "problem": str(exc)}, status=403)
    return render(request, template, {**context, "review": review, "saved_at": timezone.now()})
