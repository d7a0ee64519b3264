"""Reads over cycles and reviews, with fixed query counts."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from reviews.models import Cycle, Rating, Review
from staffrole import access


def reviews_for_user(
    *, user: Any, cycle: int | None = None, employee: str | None = None, state: str | None = None
) -> QuerySet[Review]:
    """The reviews the caller may open, filtered; ordered by cycle then person."""
    queryset = Review.objects.select_related(
        "cycle", "employee__user", "employee__team", "reviewer__user", "blueprint_version__role"
    )
    visible = access.review_visibility_q(user)
    if visible is not None:
        queryset = queryset.filter(visible)
    if cycle is not None:
        queryset = queryset.filter(cycle_id=cycle)
    if employee:
        queryset = queryset.filter(employee__user__username=employee)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-cycle__period_end", "cycle_id", "employee__name", "pk")


def with_ratings(queryset: QuerySet[Review]) -> QuerySet[Review]:
    """Prefetch every review's ratings with their dimensions: one query more, whatever the count."""
    return queryset.prefetch_related(
        Prefetch("ratings", queryset=Rating.objects.select_related("dimension").order_by("dimension__position", "side"))
    )


def review_with_ratings(*, review: Review) -> list[Rating]:
    """One review's ratings with their dimensions, in scorecard order: one query."""
    return list(review.ratings.select_related("dimension").order_by("dimension__position", "side"))


def cycles_for_user(*, user: Any) -> QuerySet[Cycle]:
    return Cycle.objects.all().order_by("-period_end", "-pk")
