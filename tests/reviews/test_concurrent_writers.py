"""Two real writers at once (two threads, two database connections): exactly one save wins, the other
gets a conflict, and nothing is silently overwritten."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from reviews.models import Rating, Review
from reviews.services import RatingInput, ReviewConflict, review_rate
from tests.reviews.cycle_support import open_cycle_around_today


@pytest.fixture
def review(transactional_db, staff_blueprint):
    cycle = open_cycle_around_today("Concurrent")
    return Review.objects.select_related("blueprint_version").get(cycle=cycle, employee__user__username="engineer")


def _race(writes):
    """Run each write in its own thread, released together; return what each returned or raised."""
    barrier = threading.Barrier(len(writes))
    results: list[object] = [None] * len(writes)

    def run(index, write):
        try:
            barrier.wait(timeout=10)
            results[index] = write()
        except Exception as exc:  # the outcome under test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_it_lets_one_of_two_writers_of_the_same_version_win(review):
    dimension = review.blueprint_version.dimensions.order_by("position").first().name
    version = review.version

    def write(comment):
        user = User.objects.get(username="engineer")
        return lambda: review_rate(
            actor=user, review=review, version=version, ratings=[RatingInput(dimension, 4, comment)]
        )

    results = _race([write("from the laptop"), write("from the phone")])
    conflicts = [r for r in results if isinstance(r, ReviewConflict)]
    saved = [r for r in results if isinstance(r, Review)]
    assert len(saved) == 1 and len(conflicts) == 1, results
    stored = Rating.objects.get(review=review, dimension__name=dimension, side="self")
    assert stored.comment in ("from the laptop", "from the phone")
    assert Review.objects.get(pk=review.pk).version == version + 1
    assert conflicts[0].current_version == version + 1


def test_it_never_overwrites_a_newer_field_value_on_autosave(review):
    dimension = review.blueprint_version.dimensions.order_by("position").first().name
    field_version = Rating.objects.get(review=review, dimension__name=dimension, side="self").version

    def write(comment):
        user = User.objects.get(username="engineer")
        return lambda: review_rate(
            actor=user,
            review=review,
            version=None,
            ratings=[RatingInput(dimension, None, comment, field_version=field_version)],
        )

    results = _race([write("first tab"), write("second tab")])
    conflicts = [r for r in results if isinstance(r, ReviewConflict)]
    assert len(conflicts) == 1, results
    stored = Rating.objects.get(review=review, dimension__name=dimension, side="self")
    assert conflicts[0].fields[dimension]["comment"] == stored.comment
    assert stored.version == field_version + 1
