"""The calibration selectors and page run a fixed number of queries, whatever the number of reviews."""

import pytest

from reviews.calibration import CalibrationFilters, calibration_adjustments, calibration_overview
from reviews.models import Review
from tests.reviews.calibration_support import calibration_cycle, client_as, page_url, place, user

pytestmark = pytest.mark.django_db

# The caller's groups, employee record and subtree; the rows, gaps, grouped counts, filter choices and
# the managers' sums.
OVERVIEW_QUERIES = 8
# The session, user and groups, employee record, the cycle and its teams; the caller's subtree; one page
# of rows, their count and gaps, the 9-box, the grouped counts, filter choices and managers' sums; the
# adjustments. HR, who may accept reviews as they are, also reads the reviews that covers.
PAGE_QUERIES = 15
PAGE_QUERIES_HR = PAGE_QUERIES + 1


def cycle_with(reviews: int):
    cycle = calibration_cycle(engineers=reviews - 3)
    usernames = list(Review.objects.filter(cycle=cycle).values_list("employee__user__username", flat=True))
    assert len(usernames) == reviews
    for index, username in enumerate(sorted(usernames)):
        score = 1 + index % 5
        if index % 3 == 0:
            place(cycle, username, state="manager_submitted", self_scores=3, manager_scores=score, potential="high")
        elif index % 3 == 1:
            place(
                cycle,
                username,
                state="calibrated",
                self_scores=5,
                manager_scores=score,
                final=1 + (score % 5),
                potential="low",
            )
    return cycle


@pytest.mark.parametrize("reviews", [3, 40])
def test_it_reads_the_overview_in_a_fixed_number_of_queries(staff_blueprint, django_assert_num_queries, reviews):
    cycle = cycle_with(reviews)
    hr = user("hr")
    with django_assert_num_queries(OVERVIEW_QUERIES):
        result = calibration_overview(user=hr, cycle=cycle, filters=CalibrationFilters(sort="gap"))
    assert len(result.rows) == reviews
    with django_assert_num_queries(1):
        calibration_adjustments(user=hr, cycle=cycle)


@pytest.mark.parametrize("reviews", [3, 40, 60])
def test_it_renders_the_page_in_a_fixed_number_of_queries(staff_blueprint, django_assert_num_queries, reviews):
    cycle = cycle_with(reviews)
    client = client_as("hr")
    with django_assert_num_queries(PAGE_QUERIES_HR):
        response = client.get(page_url(cycle))
    assert response.status_code == 200
    director = client_as("director")
    with django_assert_num_queries(PAGE_QUERIES):
        assert director.get(page_url(cycle)).status_code == 200


@pytest.mark.parametrize("query", ["?page=2", "?page=99&sort=gap", "?state=manager_submitted&sort=-final"])
def test_it_renders_any_page_of_sixty_reviews_in_as_many_queries_as_three(
    staff_blueprint, django_assert_num_queries, query
):
    cycle = cycle_with(60)
    client = client_as("hr")
    with django_assert_num_queries(PAGE_QUERIES_HR):
        response = client.get(page_url(cycle, query))
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="row-') <= 50
