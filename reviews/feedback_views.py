"""Peer feedback pages: the caller's feedback inbox, a peer's answer form, and a review's requests."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews import feedback
from reviews.feedback_forms import FeedbackAnswerForm, FeedbackApproveForm, FeedbackDeclineForm, FeedbackRequestForm
from reviews.models import FeedbackAnswer, FeedbackRequest
from scorecards.models import ScorecardDimension
from staffrole import access
from staffrole.access import FeedbackView


@login_required
@require_GET
def feedback_inbox(request: HttpRequest) -> HttpResponse:
    context = {"inbox": feedback.feedback_inbox(user=request.user), "today": timezone.localdate()}
    return render(request, "reviews/feedback_inbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    """The peer answers here; the reviewer, their chain and HR read the answers with the peer's name."""
    feedback_request = access.get_feedback_request_for_user(request.user, request_id)
    review = feedback_request.review
    peer = access.is_feedback_peer(request.user, feedback_request)
    if not peer and access.feedback_view(request.user, review) is not FeedbackView.NAMES:
        raise access.refuse(
            in_scope=True, why="Peers' answers reach the person reviewed only as a summary, once the review is shared."
        )
    if request.method == "POST" and not peer:
        raise PermissionDenied(f"Only {feedback_request.peer.name}, who was asked, answers this request.")
    refusal = feedback.feedback_answer_refusal(feedback_request) if peer else None
    dimensions = feedback.request_dimensions(request=feedback_request)
    form = None
    status = 200
    if peer and refusal is None:
        form = FeedbackAnswerForm(request.POST if request.method == "POST" else None, dimensions=dimensions)
        if request.method == "POST" and form.is_valid():
            try:
                feedback.feedback_answer(actor=request.user, request=feedback_request, answers=form.answers())
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(form.field_for(name), error)
            except PermissionDenied as exc:
                refusal, form, status = str(exc), None, 403
                feedback_request.refresh_from_db(fields=["state", "answered_at", "due"])
            else:
                messages.success(request, f"Thank you: your feedback on {review.employee.name} is submitted.")
                return redirect("feedback:answer", request_id=feedback_request.pk)
    elif request.method == "POST":
        status = 403  # answers are final, or the request is closed: the page says why
    answers = feedback.request_answers(request=feedback_request) if form is None else {}
    context = {
        "feedback_request": feedback_request,
        "review": review,
        "peer": peer,
        "form": form,
        "refusal": refusal,
        "rows": [_answer_row(d, answers.get(d.pk)) for d in dimensions],
    }
    return render(request, "reviews/feedback_answer.html", context, status=status)


def _answer_row(dimension: ScorecardDimension, answer: FeedbackAnswer | None) -> dict[str, Any]:
    return {"dimension": dimension, "answer": answer, "label": feedback.score_label(answer.score if answer else None)}


@login_required
@require_http_methods(["GET", "POST"])
def feedback_review(request: HttpRequest, review_id: int) -> HttpResponse:
    """Ask peers for feedback on a review, follow the requests, read the answers as far as allowed."""
    review = access.get_review_for_user(request.user, review_id)
    can_request = access.can_request_feedback(request.user, review)
    if request.method == "POST" and not can_request:
        raise PermissionDenied("Only the reviewer and the person reviewed ask peers for feedback.")
    refusal = feedback.feedback_request_refusal(review) if can_request else None
    form = None
    status = 200
    if can_request and (refusal is None or request.method == "POST"):
        form = FeedbackRequestForm(
            request.POST if request.method == "POST" else None, initial={"due": feedback.default_due(review.cycle)}
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            created = feedback.feedback_request(
                actor=request.user,
                review=review,
                peers=form.cleaned_data["peers"],
                due=form.cleaned_data["due"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        except PermissionDenied as exc:
            refusal, form, status = str(exc), None, 403
        else:
            names = ", ".join(r.peer.name for r in created)
            if created and created[0].state == FeedbackRequest.State.AWAITING_APPROVAL:
                reviewer = review.reviewer.name if review.reviewer else "your reviewer"
                messages.success(request, f"Asked for feedback from {names}; {reviewer} approves before they are told.")
            else:
                messages.success(request, f"Asked {names} for feedback; they have been emailed.")
            return redirect("feedback:review", review_id=review.pk)
    context = {
        "review": review,
        "form": form,
        "refusal": refusal,
        "can_request": can_request,
        "needs_approval": can_request and access.feedback_request_needs_approval(request.user, review),
        "can_decide": access.can_decide_feedback(request.user, review),
        "suggestions": feedback.peer_suggestions(review=review) if form is not None else [],
        "today": timezone.localdate(),
        "new_due": feedback.default_due(review.cycle),
        **feedback.feedback_for_review(user=request.user, review=review),
    }
    return render(request, "reviews/feedback_review.html", context, status=status)


def _decided(request: HttpRequest, feedback_request: FeedbackRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("feedback:review", kwargs={"review_id": feedback_request.review_id})
    return redirect(target)


def _decision_request(request: HttpRequest, request_id: int) -> FeedbackRequest:
    feedback_request = access.get_feedback_request_for_user(request.user, request_id)
    if not access.can_decide_feedback(request.user, feedback_request.review):
        raise PermissionDenied("Only the reviewer decides on feedback requests.")
    return feedback_request


@login_required
@require_POST
def feedback_approve(request: HttpRequest, request_id: int) -> HttpResponse:
    feedback_request = _decision_request(request, request_id)
    form = FeedbackApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The date is not valid; use the date picker or YYYY-MM-DD.")
        return _decided(request, feedback_request)
    try:
        feedback_request = feedback.feedback_approve(
            actor=request.user, request=feedback_request, due=form.cleaned_data["due"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(_flat(exc)))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        due = feedback.format_day(feedback_request.due)
        messages.success(request, f"Approved: {feedback_request.peer.name} is asked to answer by {due}.")
    return _decided(request, feedback_request)


@login_required
@require_POST
def feedback_decline(request: HttpRequest, request_id: int) -> HttpResponse:
    feedback_request = _decision_request(request, request_id)
    form = FeedbackDeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    was = feedback_request.state
    try:
        feedback_request = feedback.feedback_decline_request(
            actor=request.user, request=feedback_request, reason=reason
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        verb = "Declined the request" if was == FeedbackRequest.State.AWAITING_APPROVAL else "Withdrew the request"
        messages.success(request, f"{verb} for feedback from {feedback_request.peer.name}.")
    return _decided(request, feedback_request)


def _flat(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages_ in exc.message_dict.values() for message in messages_]
    return list(exc.messages)
