"""GET /api/v1/cycles/ and /api/v1/cycles/{id}/: every signed-in person reads cycles, with counts of
the reviews they may open."""

import pytest

from tests.reviews.api_support import as_, move_to, review_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "draft", "self_submitted"),
    [("engineer", 0, 1), ("engineer2", 1, 0), ("manager", 1, 1), ("manager2", 1, 0), ("director", 2, 1), ("hr", 2, 1)],
)
def test_each_caller_counts_the_reviews_they_may_open(open_cycle, persona, draft, self_submitted):
    move_to(review_of(open_cycle, "engineer"), "self_submitted")
    listed = {cycle["id"]: cycle for cycle in as_(persona).get("/api/v1/cycles/").json()}
    detail = as_(persona).get(f"/api/v1/cycles/{open_cycle.pk}/").json()
    for body in (listed[open_cycle.pk], detail):
        assert body["state"] == "open" and body["name"] == "2026 Q4"
        assert body["review_counts"]["draft"] == draft
        assert body["review_counts"]["self_submitted"] == self_submitted
        assert body["review_counts"]["shared"] == 0
        assert body["actions"] == (["advance"] if persona == "hr" else [])


def test_cycles_list_newest_first(open_cycle):
    listed = as_("engineer").get("/api/v1/cycles/").json()
    assert [c["period_end"] for c in listed] == sorted((c["period_end"] for c in listed), reverse=True)


def test_an_unknown_cycle_answers_404(open_cycle):
    response = as_("hr").get("/api/v1/cycles/424242/")
    assert response.status_code == 404 and response.json() == {"detail": "No such cycle."}


def test_anonymous_callers_get_401(open_cycle):
    assert as_(None).get("/api/v1/cycles/").status_code == 401
    assert as_(None).get(f"/api/v1/cycles/{open_cycle.pk}/").status_code == 401


def test_the_cycle_list_reads_in_a_fixed_number_of_queries(open_cycle, django_assert_max_num_queries):
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(User.objects.get(username="director"))
    # The caller (employee, groups, reports), the cycles, their teams, the counts.
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/cycles/").status_code == 200
