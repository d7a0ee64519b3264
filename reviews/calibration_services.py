"""Writes of calibration beyond one review (reviews.services.review_calibrate sets one final rating)."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import AuditItem, audit_record_many
from reviews.calibration import with_weighted_scores
from reviews.models import Cycle, Review
from reviews.scoring import TWO_PLACES, rounded_rating
from reviews.services import WRITABLE_CYCLE_STATES, ReviewConflict
from staffrole import access
from staffrole.access import Access


class CalibrationConflict(ReviewConflict):
    """Reviews changed since the caller loaded them: every one of them is named, nothing was written."""

    def __init__(self, *, reviews: list[Review]) -> None:
        super().__init__(review=reviews[0])
        self.reviews = reviews
        names = ", ".join(review.employee.name for review in reviews)
        self.args = (f"Changed since you loaded the page: {names}. Nothing was accepted.",)


def calibration_accept_as_is(*, actor: Any, cycle: Cycle, reviews: Mapping[int, int]) -> list[Review]:
    """Accept the proposed rating (the rounded weighted manager score) of each review as its final rating.

    `reviews` maps each review id to the version the caller saw. All or nothing: each review must be in
    this cycle, manager-submitted with a complete manager side, and unchanged since; otherwise a
    ValidationError (or, when the only problem is that some changed, a CalibrationConflict) names every
    person concerned and nothing is written."""
    if access.calibration_access(actor) is not Access.EDIT:
        raise PermissionDenied("Only HR accepts final ratings.")
    if not reviews:
        raise ValidationError({"reviews": ["Choose at least one review to accept."]})
    ids = sorted(reviews)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.state not in WRITABLE_CYCLE_STATES:
            raise PermissionDenied(f"The cycle {cycle.name} is {cycle.state}; its final ratings no longer change.")
        # Lock every review, in id order so that two bulk accepts never wait on each other crosswise.
        locked = list(
            Review.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("cycle", "employee", "reviewer")
            .order_by("pk")
        )
        columns = ("pk", "manager_h")  # manager_h: the weighted manager score in hundredths, from SQL
        scores = dict(with_weighted_scores(Review.objects.filter(pk__in=ids)).values_list(*columns))
        by_id = {review.pk: review for review in locked}
        problems: list[str] = []
        stale: list[Review] = []
        for pk in ids:
            review = by_id.get(pk)
            if review is None or review.cycle_id != cycle.pk:
                problems.append(f"Review {pk} is not a review of {cycle.name}.")
                continue
            name = review.employee.name
            if review.version != reviews[pk]:
                stale.append(review)
            elif review.state != Review.State.MANAGER_SUBMITTED:
                label = review.get_state_display().lower().replace("_", " ")
                problems.append(f"{name}: the review is {label}, not waiting for calibration.")
            elif "calibrate" not in access.review_actions(actor, review):
                problems.append(f"{name}: you may not calibrate this review (it is your own).")
            elif scores.get(pk) is None:
                problems.append(f"{name}: the manager review is not complete.")
        if problems:
            problems += [f"{review.employee.name}: changed since you loaded the page." for review in stale]
            raise ValidationError({"reviews": problems})
        if stale:
            raise CalibrationConflict(reviews=stale)
        now = timezone.now()
        others = len(locked) - 1
        reason = "Accepted as is" + (f" with {others} other{'s' if others != 1 else ''}" if others else "")
        items = []
        for review in locked:
            weighted = _hundredths_to_score(scores[review.pk])
            proposed = rounded_rating(weighted)
            items.append(
                AuditItem.about(
                    review,
                    action="review.calibrate",
                    before={"state": review.state, "final_rating": review.final_rating},
                    after={
                        "state": Review.State.CALIBRATED,
                        "final_rating": proposed,
                        "weighted_manager_score": str(weighted),
                        "bulk": True,
                    },
                    reason=reason,
                )
            )
            review.final_rating = proposed
            review.calibration_justification = ""
            review.state = Review.State.CALIBRATED
            review.calibrated_at = now
            review.version += 1
            review.updated_at = now
        Review.objects.bulk_update(
            locked,
            ["final_rating", "calibration_justification", "state", "calibrated_at", "version", "updated_at"],
            batch_size=500,
        )
        audit_record_many(actor=actor, items=items)
    return locked


def _hundredths_to_score(value: Any) -> Decimal:
    return (Decimal(int(value)) / 100).quantize(TWO_PLACES)
