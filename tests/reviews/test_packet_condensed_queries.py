"""condensed_pages loads what every page needs in a fixed number of queries, whatever the number of reviews."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.demo import demo_seed
from reviews.models import Rating, Review
from reviews.packets import condensed_pages
from tests.reviews.page_helpers import user

pytestmark = pytest.mark.django_db

# The requester's groups, employee record and subtree; the reviews with their people; the scorecards; the ratings.
CONDENSED_QUERIES = 6


@pytest.fixture
def demo_reviews(staff_blueprint):
    """The demo cycle with 30 synthetic engineers' reviews spread from draft to shared."""
    demo_seed(engineers=30, events=False)
    ids = list(Review.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 32
    assert Rating.objects.filter(review_id__in=ids, score__isnull=False).count() > 100
    return ids


def _count(ids, username):
    requester = user(username)  # a fresh user each time: nothing of the first call is cached on it
    with CaptureQueriesContext(connection) as queries:
        people = condensed_pages(review_ids=ids, requester=requester)
    return len(queries), len(people)


@pytest.mark.parametrize("username", ["hr", "director"])
def test_it_loads_2_and_30_people_in_the_same_number_of_queries(demo_reviews, username):
    (few, few_people), (many, many_people) = _count(demo_reviews[:2], username), _count(demo_reviews[:30], username)
    assert few_people == 2 and many_people == 30
    assert few == many <= CONDENSED_QUERIES, (few, many)


def test_it_stays_within_the_bound(demo_reviews, django_assert_max_num_queries):
    hr = user("hr")
    with django_assert_max_num_queries(CONDENSED_QUERIES):
        people = condensed_pages(review_ids=demo_reviews, requester=hr)
    assert people and all(person.dimensions for person in people)
