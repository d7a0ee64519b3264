"""The review packet: a printable PDF of one review, and the condensed page per person of a calibration pack.

A packet holds what its requester may see of the review right now, exactly as the review page shows it to
them: the sides of the scorecard, the final rating, the potential and the peer feedback are each decided
by staffrole.access, never here. The weighted scores come from the same score_summary the page uses, so
the figures agree to the last digit. Every text a person typed goes through the templates' autoescaping;
the PDF renderer (staffrole.pdf) fetches nothing but our static files (docs/adr/0004-pdf-safety.md).

Reads run in a fixed number of queries: a packet whatever the number of dimensions, ratings, KPI series
and peer answers; the condensed pages whatever the number of reviews.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator, slugify

from kpis.charts import trend_chart
from org.models import Employee
from plans.selectors import packet_plan
from reviews.evidence import evidence_links, kpi_entries, kpi_evidence
from reviews.feedback import feedback_for_review
from reviews.kpi_panel import PanelRow, review_kpi_panel
from reviews.models import SCORE_LABELS, Rating, Review
from reviews.views import STATE_LABELS, ScoreSummary, score_summary
from scorecards.models import ScorecardDimension
from staffrole import access
from staffrole.access import Access, FeedbackView

SIDES = (Rating.Side.SELF, Rating.Side.MANAGER)
# Self and manager scores this far apart are worth a word in calibration.
GAP_FLAG = 2
# A condensed page quotes each manager comment up to this many characters, so a person fits one page.
SHORT_COMMENT = 170
SHORT_JUSTIFICATION = 400
CHART_WIDTH, CHART_HEIGHT = 330, 150


def _plain(value: Decimal) -> str:
    """25.00 -> "25", 12.50 -> "12.5": weights as people write them."""
    return format(value.normalize(), "f")


def _short(text: str, length: int) -> str:
    return Truncator(" ".join(text.split())).chars(length)


def _rights(requester: Any, review: Review) -> dict[str, Access]:
    self_access, manager_access = access.review_access(requester, review)
    return {Rating.Side.SELF: self_access, Rating.Side.MANAGER: manager_access}


# --- The packet ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SideCell:
    """One dimension on one side, as the requester may see it."""

    score: int | None
    label: str
    product: str | None
    contribution: str | None
    comment: str
    evidence: list[str]


@dataclass(frozen=True)
class PacketDimension:
    dimension: ScorecardDimension
    weight: str
    cells: dict[str, SideCell]  # only the sides the requester may see

    @property
    def self(self) -> SideCell | None:
        return self.cells.get(Rating.Side.SELF)

    @property
    def manager(self) -> SideCell | None:
        return self.cells.get(Rating.Side.MANAGER)

    @property
    def has_comments(self) -> bool:
        return any(cell.comment or cell.evidence for cell in self.cells.values())


@dataclass(frozen=True)
class KPIChart:
    row: PanelRow
    chart: SafeString | None  # None: nothing collected in the cycle's period

    @property
    def missing_words(self) -> str:
        return (
            f"No data collected for {self.row.name} of {self.row.subject} "
            f"in the {len(self.row.starts)} {self.row.series.period}{'s' if len(self.row.starts) != 1 else ''} "
            "of this cycle."
        )


def _evidence_texts(evidence: Any) -> list[str]:
    """Evidence links and attached KPIs as plain text: a packet carries no links to follow."""
    texts = [link.strip() for link in evidence_links(evidence) if link.strip()]
    texts += [kpi_evidence(entry).summary for entry in kpi_entries(evidence)]
    return texts


def _final(review: Review, manager: ScoreSummary | None, see_final: bool) -> dict[str, Any]:
    if not see_final:
        return {"visible": False}
    proposed = manager.rounded if manager else None
    return {
        "visible": True,
        "rating": review.final_rating,
        "label": SCORE_LABELS.get(review.final_rating or 0, ""),
        "proposed": proposed,
        "proposed_label": SCORE_LABELS.get(proposed or 0, ""),
        "differs": review.final_rating is not None and proposed is not None and review.final_rating != proposed,
        "justification": review.calibration_justification,
        "calibrated_at": review.calibrated_at,
    }


def _hidden_notes(review: Review, relation: access.Relation, rights: dict[str, Access], see_final: bool) -> list[str]:
    """What this packet leaves out for its reader, and when it will be in: never a silent gap."""
    notes = []
    if rights[Rating.Side.MANAGER] is Access.NONE and relation is access.Relation.SELF:
        notes.append("Your manager's ratings and comments are in the packet once the review is shared with you.")
    if rights[Rating.Side.SELF] is Access.NONE:
        notes.append(f"{review.employee.name}'s self-assessment is in the packet once they submit it.")
    if not see_final and relation is access.Relation.SELF:
        notes.append("The final rating is in the packet once the review is shared with you.")
    return notes


def _kpi_charts(requester: Any, review: Review) -> dict[str, Any]:
    panel = review_kpi_panel(user=requester, review=review)
    charts = [
        KPIChart(
            row=row,
            chart=trend_chart(
                row.points,
                title=f"{row.name} of {row.subject} per {row.series.period}, {row.period_range}",
                # The unit names the axis; ticks carry bare numbers, so a "%" on the axis never overlaps them.
                unit="",
                y_label=row.unit,
                width=CHART_WIDTH,
                height=CHART_HEIGHT,
            )
            if row.collected
            else None,
        )
        for row in panel.rows
    ]
    return {"panel": panel, "charts": charts, "pairs": [charts[i : i + 2] for i in range(0, len(charts), 2)]}


def _reader_name(requester: Any) -> str:
    employee = access.viewer(requester).employee
    return employee.name if employee is not None else requester.get_username()


def review_packet_context(*, review_id: int, requester: Any) -> dict[str, Any]:
    """Everything the packet template reads, as `requester` may see it now; Http404 when they may not
    open the review at all."""
    review = access.get_review_for_user(requester, review_id)
    relation = access.review_relation(requester, review)
    rights = _rights(requester, review)
    visible = [side for side in SIDES if rights[side] is not Access.NONE]
    see_final = access.can_see_final_rating(requester, review)
    see_potential = access.can_see_potential(requester, review)
    person = Employee.objects.select_related("team", "manager", "user").get(pk=review.employee_id)
    dimensions = list(ScorecardDimension.objects.filter(version_id=review.blueprint_version_id).order_by("position"))
    ratings = {(r.dimension_id, r.side): r for r in Rating.objects.filter(review=review, side__in=visible)}
    summaries = {side: score_summary(side=side, dimensions=dimensions, ratings=ratings) for side in visible}
    lines = {side: {line.dimension: line for line in summaries[side].lines} for side in visible}
    rows = []
    for dimension in dimensions:
        cells: dict[str, SideCell] = {}
        for side in visible:
            rating = ratings.get((dimension.pk, side))
            line = lines[side][dimension.name]
            cells[side] = SideCell(
                score=line.score,
                label=line.label,
                product=line.product,
                contribution=line.contribution,
                comment=rating.comment if rating else "",
                evidence=_evidence_texts(rating.evidence if rating else []),
            )
        rows.append(PacketDimension(dimension=dimension, weight=_plain(dimension.weight), cells=cells))
    total_weight = sum((d.weight for d in dimensions), Decimal(0))
    feedback_view = access.feedback_view(requester, review)
    feedback = (
        feedback_for_review(user=requester, review=review)
        if feedback_view in (FeedbackView.NAMES, FeedbackView.SUMMARY)
        else None
    )
    manager_summary = summaries.get(Rating.Side.MANAGER)
    kpis = _kpi_charts(requester, review)
    return {
        "review": review,
        "person": person,
        "cycle": review.cycle,
        "blueprint": review.blueprint_version,
        "reviewer": review.reviewer,
        "state_label": STATE_LABELS[review.state],
        "relation": relation.value,
        "reader": _reader_name(requester),
        "generated_at": timezone.localtime(),
        "show_self": Rating.Side.SELF in visible,
        "show_manager": Rating.Side.MANAGER in visible,
        "visible_sides": len(visible),
        "rows": rows,
        "total_weight": _plain(total_weight) if dimensions else "0",
        "summaries": [summaries[side] for side in visible],
        "final": _final(review, manager_summary, see_final),
        "see_potential": see_potential,
        "potential": review.get_potential_display() if review.potential else "",
        "hidden_notes": _hidden_notes(review, relation, rights, see_final),
        "kpis": kpis,
        # After the KPI panel, which loads the requester's place in the chain that the plan's policy reads.
        "plan": packet_plan(user=requester, employee_id=review.employee_id, today=timezone.localdate()),
        "feedback_view": feedback_view.value,
        "feedback": feedback,
    }


def review_packet_html(*, review_id: int, requester: Any) -> str:
    """The packet's HTML, as given to WeasyPrint."""
    return render_to_string("reviews/pdf/packet.html", review_packet_context(review_id=review_id, requester=requester))


def review_packet_filename(review: Review) -> str:
    username = slugify(review.employee.user.username) or f"person-{review.employee_id}"
    cycle = slugify(review.cycle.name) or f"cycle-{review.cycle_id}"
    return f"review-packet-{username}-{cycle}.pdf"


def review_packet_pdf(*, review_id: int, requester: Any) -> tuple[str, bytes]:
    """The review packet for `requester`: (file name, PDF bytes)."""
    # Imported here so that web processes, which never render PDFs, never load WeasyPrint.
    from staffrole.pdf import render_pdf

    context = review_packet_context(review_id=review_id, requester=requester)
    html = render_to_string("reviews/pdf/packet.html", context)
    return review_packet_filename(context["review"]), render_pdf(html)


# --- Condensed pages for calibration packs ---------------------------------------------------------


@dataclass(frozen=True)
class CondensedDimension:
    name: str
    weight: Decimal
    self_score: int | None  # None: not rated, or not visible to the reader
    manager_score: int | None
    # weight x manager score / total weight, as the review page shows it (2 or 4 places); None without a score.
    contribution: Decimal | None
    manager_comment: str  # shortened to SHORT_COMMENT characters

    @property
    def weight_text(self) -> str:
        return _plain(self.weight)

    @property
    def gap(self) -> int | None:
        """Manager score minus self score."""
        if self.self_score is None or self.manager_score is None:
            return None
        return self.manager_score - self.self_score

    @property
    def gap_text(self) -> str:
        """ "+2", "-1", "0"; "" without both scores."""
        gap = self.gap
        return "" if gap is None else f"{gap:+d}" if gap else "0"

    @property
    def flagged(self) -> bool:
        return self.gap is not None and abs(self.gap) >= GAP_FLAG


@dataclass(frozen=True)
class CondensedPerson:
    """What one page of a calibration pack says about one person's review."""

    review_id: int
    name: str
    username: str
    role_title: str
    blueprint_version: int
    level: str
    team: str
    manager: str  # the reviewer the cycle pinned, else the person's manager now
    cycle: str
    state: str
    state_label: str
    self_visible: bool
    manager_visible: bool
    final_visible: bool
    potential_visible: bool
    dimensions: list[CondensedDimension]
    total_weight: Decimal
    weighted_self: Decimal | None
    weighted_manager: Decimal | None
    proposed_rating: int | None
    final_rating: int | None
    justification: str
    potential: str  # "High", "Medium", "Low"; "" when not set or not visible
    gaps: list[CondensedDimension] = field(default_factory=list)

    @property
    def total_weight_text(self) -> str:
        return _plain(self.total_weight)

    @property
    def proposed_label(self) -> str:
        return SCORE_LABELS.get(self.proposed_rating or 0, "")

    @property
    def final_label(self) -> str:
        return SCORE_LABELS.get(self.final_rating or 0, "")

    @property
    def final_differs(self) -> bool:
        return (
            self.final_rating is not None
            and self.proposed_rating is not None
            and self.final_rating != self.proposed_rating
        )

    @property
    def manager_comments(self) -> list[CondensedDimension]:
        return [d for d in self.dimensions if d.manager_comment]


def _decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _condensed(requester: Any, review: Review) -> CondensedPerson:
    rights = _rights(requester, review)
    visible = [side for side in SIDES if rights[side] is not Access.NONE]
    dimensions = sorted(review.blueprint_version.dimensions.all(), key=lambda d: (d.position, d.pk))
    ratings = {(r.dimension_id, r.side): r for r in review.ratings.all() if r.side in visible}
    summaries = {side: score_summary(side=side, dimensions=dimensions, ratings=ratings) for side in visible}
    manager_lines = (
        {line.dimension: line for line in summaries[Rating.Side.MANAGER].lines}
        if Rating.Side.MANAGER in summaries
        else {}
    )
    rows = []
    for dimension in dimensions:
        own = ratings.get((dimension.pk, Rating.Side.SELF))
        theirs = ratings.get((dimension.pk, Rating.Side.MANAGER))
        line = manager_lines.get(dimension.name)
        rows.append(
            CondensedDimension(
                name=dimension.name,
                weight=dimension.weight,
                self_score=own.score if own else None,
                manager_score=theirs.score if theirs else None,
                contribution=_decimal(line.contribution) if line else None,
                manager_comment=_short(theirs.comment, SHORT_COMMENT) if theirs else "",
            )
        )
    see_final = access.can_see_final_rating(requester, review)
    see_potential = access.can_see_potential(requester, review)
    self_summary, manager_summary = summaries.get(Rating.Side.SELF), summaries.get(Rating.Side.MANAGER)
    person = review.employee
    manager = review.reviewer or person.manager
    return CondensedPerson(
        review_id=review.pk,
        name=person.name,
        username=person.user.username,
        role_title=review.blueprint_version.title,
        blueprint_version=review.blueprint_version.number,
        level=person.level,
        team=person.team.name if person.team else "",
        manager=manager.name if manager else "",
        cycle=review.cycle.name,
        state=review.state,
        state_label=STATE_LABELS[review.state],
        self_visible=self_summary is not None,
        manager_visible=manager_summary is not None,
        final_visible=see_final,
        potential_visible=see_potential,
        dimensions=rows,
        total_weight=sum((d.weight for d in dimensions), Decimal(0)),
        weighted_self=_decimal(self_summary.weighted) if self_summary else None,
        weighted_manager=_decimal(manager_summary.weighted) if manager_summary else None,
        proposed_rating=manager_summary.rounded if manager_summary else None,
        final_rating=review.final_rating if see_final else None,
        justification=_short(review.calibration_justification, SHORT_JUSTIFICATION) if see_final else "",
        potential=review.get_potential_display() if see_potential and review.potential else "",
        gaps=[row for row in rows if row.flagged],
    )


def condensed_pages(*, review_ids: Sequence[int], requester: Any) -> list[CondensedPerson]:
    """One condensed page per review, in the order asked, for the reviews whose person is in the
    requester's calibration scope (the others are left out without a word). Each page holds what the
    requester may see of that review. Fixed queries: the requester's place in the org, the reviews
    with their people, the scorecards, the ratings."""
    wanted = list(dict.fromkeys(int(pk) for pk in review_ids))
    if not wanted or not access.is_authenticated(requester):
        return []
    scope = access.calibration_employee_ids(requester)
    # Loaded once, so that each review's relation to the requester is known without a query of its own.
    access.subtree_of(requester)
    queryset = Review.objects.filter(pk__in=wanted)
    if scope is not None:
        queryset = queryset.filter(employee_id__in=scope)
    reviews = queryset.select_related(
        "cycle", "employee__user", "employee__team", "employee__manager", "reviewer__user", "blueprint_version"
    ).prefetch_related(
        Prefetch("blueprint_version__dimensions", queryset=ScorecardDimension.objects.order_by("position", "pk")),
        Prefetch("ratings", queryset=Rating.objects.order_by("dimension_id", "side")),
    )
    by_id = {review.pk: review for review in reviews}
    return [_condensed(requester, by_id[pk]) for pk in wanted if pk in by_id]
