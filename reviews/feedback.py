"""Peer feedback (360): requests, answers, and what each person sees of them.

The reviewer asks peers directly; a request the person reviewed makes waits for the reviewer's
approval. A peer answers per dimension (a comment each, a score if they like) until the due date,
once: answers are final. Writes run in one transaction, check rights through staffrole.access and
audit against the request (target reviews.feedbackrequest), so the review's own timeline, which the
person reviewed reads, never carries a peer's name or words. Reads run in a fixed number of queries.
"""

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.services import AuditItem, audit_record_many
from org.models import Employee
from reviews.models import SCORE_LABELS, Cycle, FeedbackAnswer, FeedbackRequest, Review
from scorecards.models import ScorecardDimension
from staffrole import access
from staffrole.access import FeedbackView

State = FeedbackRequest.State
MAX_COMMENT = 5000
MAX_MESSAGE = 2000
MAX_PEERS = 20
# Enough to answer, short of the manager's own deadline in most cycles.
DEFAULT_DUE_DAYS = 7
# An average of one score would name its author.
MIN_SCORES_FOR_AVERAGE = 2
INBOX_ANSWERED = 20


def format_day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- Rules shared by the services and the pages ---------------------------------------------------


def feedback_request_refusal(review: Review, *, today: date | None = None) -> str | None:
    """Why nobody can ask for feedback on this review now, or None."""
    today = today or timezone.localdate()
    cycle = review.cycle
    if cycle.state != Cycle.State.OPEN:
        return f"The cycle {cycle.name} is {cycle.get_state_display().lower()}; feedback is asked for while it is open."
    if cycle.manager_due < today:
        return f"The manager review was due on {format_day(cycle.manager_due)}; it is too late to ask peers."
    if review.state not in access.MANAGER_EDITABLE_STATES:
        # Feedback informs the manager review; once that is submitted, new answers could change nothing.
        return "The manager review is submitted; peers are asked while it is being written."
    return None


def feedback_answer_refusal(request: FeedbackRequest, *, today: date | None = None) -> str | None:
    """Why the peer cannot answer this request now, or None."""
    today = today or timezone.localdate()
    if request.state == State.ANSWERED:
        when = format_day(timezone.localtime(request.answered_at).date()) if request.answered_at else "earlier"
        return f"You submitted this feedback on {when}; answers are final."
    if request.state == State.AWAITING_APPROVAL:
        reviewer = request.review.reviewer.name if request.review.reviewer else "the reviewer"
        return f"This request is waiting for {reviewer}'s approval; you can answer once it is approved."
    if request.state == State.DECLINED:
        return "This request was withdrawn; there is nothing to answer."
    cycle = request.review.cycle
    if cycle.state != Cycle.State.OPEN:
        return f"The cycle {cycle.name} is {cycle.get_state_display().lower()}; feedback is no longer collected."
    if request.due < today:
        return f"The deadline for this feedback was {format_day(request.due)}; answers are closed."
    return None


def _due_problems(cycle: Cycle, due: date | None, today: date) -> list[str]:
    if due is None:
        return ["Choose the date by which peers answer."]
    if due < today:
        return [f"The due date {format_day(due)} is in the past."]
    if due > cycle.manager_due:
        return [f"Peers must answer by the manager review's deadline, {format_day(cycle.manager_due)}."]
    return []


def default_due(cycle: Cycle, *, today: date | None = None) -> date:
    today = today or timezone.localdate()
    return max(today, min(today + timedelta(days=DEFAULT_DUE_DAYS), cycle.manager_due))


# --- Writes ----------------------------------------------------------------------------------------


def _locked_review(review_id: int) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("cycle", "employee__user", "reviewer__user", "blueprint_version")
        .get(pk=review_id)
    )


def _locked_request(request_id: int) -> FeedbackRequest:
    return (
        FeedbackRequest.objects.select_for_update(of=("self",))
        .select_related("peer__user", "review__cycle", "review__employee__user", "review__reviewer__user")
        .get(pk=request_id)
    )


def _snapshot(request: FeedbackRequest) -> dict[str, Any]:
    return {
        "review": request.review_id,
        "peer": request.peer.user.username,
        "state": request.state,
        "due": request.due.isoformat(),
    }


def _emails_on_commit(request_ids: list[int]) -> None:
    if request_ids:
        # A mail server that is down must not undo the requests: the failure is logged, the reminders retry.
        transaction.on_commit(partial(feedback_emails_send, request_ids=request_ids), robust=True)


def feedback_request(
    *, actor: Any, review: Review, peers: Sequence[Employee], due: date, message: str = ""
) -> list[FeedbackRequest]:
    """Ask peers for feedback on a review: open at once when the reviewer asks, awaiting the
    reviewer's approval when the person reviewed asks."""
    today = timezone.localdate()
    with transaction.atomic():
        review = _locked_review(review.pk)
        if not access.can_request_feedback(actor, review):
            raise PermissionDenied("Only the reviewer and the person reviewed ask peers for feedback.")
        refusal = feedback_request_refusal(review, today=today)
        if refusal:
            raise PermissionDenied(refusal)
        state = State.AWAITING_APPROVAL if access.feedback_request_needs_approval(actor, review) else State.OPEN
        if state == State.AWAITING_APPROVAL and review.reviewer_id is None:
            raise PermissionDenied("Your review has no reviewer to approve requests yet; HR assigns one.")
        errors: dict[str, list[str]] = {}
        asked = set(review.feedback_requests.values_list("peer_id", flat=True))
        seen: set[int] = set()
        peer_errors = []
        for peer in peers:
            if peer.pk == review.employee_id:
                peer_errors.append(f"{peer.name} is the person reviewed.")
            elif peer.pk == review.reviewer_id:
                peer_errors.append(f"{peer.name} writes this review; their view is the manager review itself.")
            elif not peer.active:
                peer_errors.append(f"{peer.name} is deactivated.")
            elif peer.pk in asked:
                peer_errors.append(f"{peer.name} has already been asked for feedback on this review.")
            elif peer.pk in seen:
                peer_errors.append(f"{peer.name} is named twice.")
            seen.add(peer.pk)
        if not peers:
            peer_errors.append("Name at least one peer.")
        elif len(peers) > MAX_PEERS:
            peer_errors.append(f"Ask at most {MAX_PEERS} peers at once.")
        if peer_errors:
            errors["peers"] = peer_errors
        due_errors = _due_problems(review.cycle, due, today)
        if due_errors:
            errors["due"] = due_errors
        message = message.strip()
        if len(message) > MAX_MESSAGE:
            errors["message"] = [f"Keep the message under {MAX_MESSAGE} characters."]
        if errors:
            raise ValidationError(errors)
        created = [
            FeedbackRequest.objects.create(
                review=review, peer=peer, requested_by=actor, state=state, due=due, message=message
            )
            for peer in peers
        ]
        audit_record_many(
            actor=actor,
            items=[
                AuditItem.about(
                    request, action="feedback.request", after={**_snapshot(request), "message": request.message}
                )
                for request in created
            ],
        )
        _emails_on_commit([request.pk for request in created if request.state == State.OPEN])
    return created


def _decision_check(actor: Any, request: FeedbackRequest) -> None:
    if not access.can_decide_feedback(actor, request.review):
        reviewer = request.review.reviewer.name if request.review.reviewer else "the reviewer"
        raise PermissionDenied(f"Only {reviewer}, who writes this review, decides on feedback requests.")
    cycle = request.review.cycle
    if cycle.state != Cycle.State.OPEN:
        raise PermissionDenied(f"The cycle {cycle.name} is {cycle.get_state_display().lower()}.")


def feedback_approve(*, actor: Any, request: FeedbackRequest, due: date | None = None) -> FeedbackRequest:
    """The reviewer approves a request the person reviewed made: it opens and the peer is told.
    `due` moves the deadline (needed when the one asked for has passed meanwhile)."""
    today = timezone.localdate()
    with transaction.atomic():
        request = _locked_request(request.pk)
        _decision_check(actor, request)
        if request.state != State.AWAITING_APPROVAL:
            raise PermissionDenied(
                f"This request is {request.get_state_display().lower()}; only one awaiting approval is approved."
            )
        refusal = feedback_request_refusal(request.review, today=today)
        if refusal:
            raise PermissionDenied(refusal)
        new_due = due or request.due
        problems = _due_problems(request.review.cycle, new_due, today)
        if problems:
            if due is None and request.due < today:
                problems = [f"The due date asked for, {format_day(request.due)}, has passed: choose a new one."]
            raise ValidationError({"due": problems})
        before = _snapshot(request)
        request.state, request.due = State.OPEN, new_due
        request.save(update_fields=["state", "due"])
        audit_record_many(
            actor=actor,
            items=[AuditItem.about(request, action="feedback.approve", before=before, after=_snapshot(request))],
        )
        _emails_on_commit([request.pk])
    return request


def feedback_decline_request(*, actor: Any, request: FeedbackRequest, reason: str = "") -> FeedbackRequest:
    """The reviewer declines a request awaiting approval, or withdraws an unanswered one."""
    with transaction.atomic():
        request = _locked_request(request.pk)
        _decision_check(actor, request)
        if request.state not in (State.AWAITING_APPROVAL, State.OPEN):
            raise PermissionDenied(
                f"This request is {request.get_state_display().lower()}; "
                "only one awaiting approval or not yet answered can be declined."
            )
        before = _snapshot(request)
        request.state = State.DECLINED
        request.save(update_fields=["state"])
        audit_record_many(
            actor=actor,
            items=[
                AuditItem.about(
                    request,
                    action="feedback.decline",
                    before=before,
                    after=_snapshot(request),
                    reason=reason.strip()[:500],
                )
            ],
        )
    return request


def feedback_answer(
    *, actor: Any, request: FeedbackRequest, answers: Mapping[str, tuple[int | None, str]]
) -> FeedbackRequest:
    """The peer's answers, {dimension name: (score or None, comment)}: a comment for every dimension
    answered, at least one dimension, before the due date. Submitted answers are final."""
    today = timezone.localdate()
    with transaction.atomic():
        request = _locked_request(request.pk)
        if not access.is_feedback_peer(actor, request):
            raise PermissionDenied(f"Only {request.peer.name}, who was asked, answers this request.")
        refusal = feedback_answer_refusal(request, today=today)
        if refusal:
            raise PermissionDenied(refusal)
        dimensions = {
            d.name: d for d in ScorecardDimension.objects.filter(version_id=request.review.blueprint_version_id)
        }
        errors: dict[str, list[str]] = {}
        rows = []
        for name, (score, comment) in answers.items():
            comment = (comment or "").strip()
            problems = []
            if name not in dimensions:
                errors.setdefault("answers", []).append(f"Unknown dimension {name!r}.")
                continue
            if score is not None and not (isinstance(score, int) and not isinstance(score, bool) and 1 <= score <= 5):
                problems.append("A score is a whole number from 1 to 5, or none.")
            if not comment:
                problems.append("Say what you saw: a comment is required for each dimension you answer.")
            elif len(comment) > MAX_COMMENT:
                problems.append(f"Keep the comment under {MAX_COMMENT} characters.")
            if problems:
                errors[name] = problems
            else:
                rows.append(FeedbackAnswer(request=request, dimension=dimensions[name], score=score, comment=comment))
        if not answers:
            errors.setdefault("answers", []).append("Answer at least one dimension.")
        if errors:
            raise ValidationError(errors)
        FeedbackAnswer.objects.bulk_create(rows)
        before = _snapshot(request)
        request.state, request.answered_at = State.ANSWERED, timezone.now()
        request.save(update_fields=["state", "answered_at"])
        rows.sort(key=lambda row: row.dimension.position)
        audit_record_many(
            actor=actor,
            items=[
                AuditItem.about(
                    request,
                    action="feedback.answer",
                    before=before,
                    after={
                        **_snapshot(request),
                        "answers": [
                            {"dimension": row.dimension.name, "score": row.score, "comment": row.comment}
                            for row in rows
                        ],
                    },
                )
            ],
        )
    return request


def feedback_emails_send(*, request_ids: Sequence[int]) -> int:
    """Tell each peer of an open request what is asked, by when, and where to answer."""
    site = settings.SITE_URL.rstrip("/")
    messages = []
    requests = FeedbackRequest.objects.filter(pk__in=list(request_ids), state=State.OPEN).select_related(
        "peer__user", "requested_by", "review__employee", "review__reviewer", "review__cycle"
    )
    for request in requests.order_by("pk"):
        if not request.peer.active or not request.peer.user.email:
            continue
        review = request.review
        body = render_to_string(
            "reviews/feedback_request_email.txt",
            {
                "peer": request.peer,
                "subject": review.employee,
                "reviewer": review.reviewer,
                "asked_by": request.requested_by.get_full_name() or request.requested_by.get_username(),
                "cycle": review.cycle,
                "due": format_day(request.due),
                "message": request.message,
                "link": site + reverse("feedback:answer", kwargs={"request_id": request.pk}),
            },
        )
        subject = f"Feedback asked on {review.employee.name} by {format_day(request.due)}"
        messages.append(EmailMessage(subject, body, to=[request.peer.user.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


# --- Reads -----------------------------------------------------------------------------------------


@dataclass
class DimensionSummary:
    """What the peers said on one dimension, without their names."""

    dimension: ScorecardDimension
    answers: int = 0
    scores: list[int] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def average(self) -> Decimal | None:
        if len(self.scores) < MIN_SCORES_FOR_AVERAGE:
            return None
        return (Decimal(sum(self.scores)) / Decimal(len(self.scores))).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class PeerAnswer:
    request_id: int
    peer: Employee
    score: int | None
    label: str
    comment: str


@dataclass
class DimensionAnswers:
    """Who said what on one dimension."""

    dimension: ScorecardDimension
    answers: list[PeerAnswer] = field(default_factory=list)


def requests_for_review(*, review: Review) -> list[FeedbackRequest]:
    """Every request on the review with its peer, oldest first: one query."""
    return list(
        FeedbackRequest.objects.filter(review=review)
        .select_related("peer__user", "requested_by")
        .order_by("created_at", "pk")
    )


def answers_for_review(*, review: Review) -> list[FeedbackAnswer]:
    """Every submitted answer on the review with its dimension and peer, in scorecard order: one query."""
    return list(
        FeedbackAnswer.objects.filter(request__review=review, request__state=State.ANSWERED)
        .select_related("dimension", "request__peer")
        .order_by("dimension__position", "request__answered_at", "pk")
    )


def _anonymous_order(review: Review, answer: FeedbackAnswer) -> str:
    """A fixed order per review that nobody can map back to the order in which peers answered."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"feedback:{review.pk}:{answer.pk}".encode(), hashlib.sha256).hexdigest()


def feedback_summary(*, review: Review, answers: Sequence[FeedbackAnswer]) -> list[DimensionSummary]:
    """Per dimension: how many answered, the average score when at least two scored, the comments
    in an order that hides who wrote which."""
    by_dimension: dict[int, DimensionSummary] = {}
    for answer in sorted(answers, key=lambda a: _anonymous_order(review, a)):
        summary = by_dimension.setdefault(answer.dimension_id, DimensionSummary(dimension=answer.dimension))
        summary.answers += 1
        if answer.score is not None:
            summary.scores.append(answer.score)
        summary.comments.append(answer.comment)
    return sorted(by_dimension.values(), key=lambda s: s.dimension.position)


def feedback_by_dimension(*, answers: Sequence[FeedbackAnswer]) -> list[DimensionAnswers]:
    grouped: dict[int, DimensionAnswers] = {}
    for answer in answers:
        grouped.setdefault(answer.dimension_id, DimensionAnswers(dimension=answer.dimension)).answers.append(
            PeerAnswer(
                request_id=answer.request_id,
                peer=answer.request.peer,
                score=answer.score,
                label=score_label(answer.score),
                comment=answer.comment,
            )
        )
    return sorted(grouped.values(), key=lambda g: g.dimension.position)


def feedback_for_review(*, user: Any, review: Review) -> dict[str, Any]:
    """The feedback page's content for this caller: requests, and answers as far as they may see them.
    Two queries: the requests, then the answers (when the caller sees any)."""
    view = access.feedback_view(user, review)
    requests = requests_for_review(review=review)
    answers = answers_for_review(review=review) if view in (FeedbackView.NAMES, FeedbackView.SUMMARY) else []
    return {
        "view": view.value,
        "requests": requests,
        "counts": _counts(requests),
        "who_said_what": feedback_by_dimension(answers=answers) if view is FeedbackView.NAMES else [],
        "summary": feedback_summary(review=review, answers=answers) if view is FeedbackView.SUMMARY else [],
        "answered_peers": sum(1 for r in requests if r.state == State.ANSWERED),
    }


def _counts(requests: Sequence[FeedbackRequest]) -> dict[str, int]:
    counts = dict.fromkeys(State.values, 0)
    for request in requests:
        counts[request.state] += 1
    counts["asked"] = len(requests) - counts[State.DECLINED]
    return counts


def feedback_panel(user: Any, review: Review) -> dict[str, Any]:
    """Context for templates/reviews/partials/review_feedback.html on the review page: one query.

    Merge it into the page's context: `feedback_enabled` says whether to include the partial."""
    view = access.feedback_view(user, review)
    if view is FeedbackView.NONE:
        return {"feedback_enabled": False, "feedback": None}
    requests = requests_for_review(review=review)
    return {
        "feedback_enabled": True,
        "feedback": {
            "view": view.value,
            "review_id": review.pk,
            "requests": requests,
            "counts": _counts(requests),
            "can_request": access.can_request_feedback(user, review) and feedback_request_refusal(review) is None,
            "can_decide": access.can_decide_feedback(user, review),
            "url": reverse("feedback:review", kwargs={"review_id": review.pk}),
        },
    }


def peer_suggestions(*, review: Review, limit: int = 50) -> QuerySet[Employee]:
    """Colleagues worth asking: the person's teammates and fellow reports, active, not yet asked."""
    employee = review.employee
    nearby = Q(pk__in=[])
    if employee.team_id:
        nearby |= Q(team_id=employee.team_id)
    if employee.manager_id:
        nearby |= Q(manager_id=employee.manager_id)
    return (
        Employee.objects.filter(nearby, active=True)
        .exclude(pk__in=[pk for pk in (review.employee_id, review.reviewer_id) if pk])
        .exclude(feedback_requests__review=review)
        .select_related("user")
        .order_by("name", "pk")[:limit]
    )


@dataclass
class Inbox:
    to_answer: list[FeedbackRequest]
    answered: list[FeedbackRequest]
    to_approve: list[FeedbackRequest]
    reviews_to_write: list[Review]
    own_reviews: list[Review]


def feedback_inbox(*, user: Any) -> Inbox:
    """The caller's feedback work: requests to answer, answers given, requests to approve, and the
    reviews (theirs, and those they write) in open cycles. Five queries, whatever the counts."""
    employee = access.viewer(user).employee
    if employee is None:
        return Inbox([], [], [], [], [])
    related = ("review__cycle", "review__employee__user", "review__reviewer", "peer__user")
    mine = FeedbackRequest.objects.filter(peer=employee).select_related(*related)
    reviews = Review.objects.filter(cycle__state=Cycle.State.OPEN).select_related("cycle", "employee__user")
    with_counts = reviews.annotate(
        asked=Count("feedback_requests", filter=~Q(feedback_requests__state=State.DECLINED)),
        answered=Count("feedback_requests", filter=Q(feedback_requests__state=State.ANSWERED)),
        pending=Count("feedback_requests", filter=Q(feedback_requests__state=State.AWAITING_APPROVAL)),
    )
    return Inbox(
        to_answer=list(mine.filter(state=State.OPEN).order_by("due", "pk")),
        answered=list(mine.filter(state=State.ANSWERED).order_by("-answered_at", "-pk")[:INBOX_ANSWERED]),
        to_approve=list(
            FeedbackRequest.objects.filter(review__reviewer=employee, state=State.AWAITING_APPROVAL)
            .select_related(*related, "requested_by")
            .order_by("due", "pk")
        ),
        reviews_to_write=list(
            with_counts.filter(reviewer=employee).order_by("-cycle__period_end", "cycle_id", "employee__name", "pk")
        ),
        own_reviews=list(with_counts.filter(employee=employee).order_by("-cycle__period_end", "pk")),
    )


def request_dimensions(*, request: FeedbackRequest) -> list[ScorecardDimension]:
    """The review's scorecard dimensions with their meets-the-bar text: one query."""
    return list(ScorecardDimension.objects.filter(version_id=request.review.blueprint_version_id).order_by("position"))


def request_answers(*, request: FeedbackRequest) -> dict[int, FeedbackAnswer]:
    """The request's answers by dimension id: one query."""
    return {answer.dimension_id: answer for answer in request.answers.all()}


def score_label(score: int | None) -> str:
    return f"{score} · {SCORE_LABELS[score]}" if score else ""
