"""Accepting proposed ratings over the API: GET names the reviews a group holds with their versions, POST
accepts them all or none, as the calibration page's "accept as is" does. HR only."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from reviews.models import Review
from tests.reviews.calibration_support import calibration_cycle, place, review, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_blueprint):
    cycle = calibration_cycle(engineers=3)
    place(cycle, "eng0001", state="manager_submitted", self_scores=3, manager_scores=4)
    place(cycle, "eng0002", state="manager_submitted", self_scores=3, manager_scores=[4, 3, 3, 4, 3, 4, 3])  # 3.50
    place(cycle, "eng0003", state="manager_submitted", self_scores=3, manager_scores=2)
    place(cycle, "engineer", state="self_submitted", self_scores=3)
    return cycle


def api(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(user(username))
    return client


def url(cycle) -> str:
    return f"/api/v1/cycles/{cycle.pk}/calibration/accept/"


def snapshot(cycle) -> tuple[list[tuple], int]:
    rows = Review.objects.filter(cycle=cycle).order_by("pk")
    return list(rows.values_list("pk", "state", "final_rating", "version")), AuditEntry.objects.count()


def test_get_names_the_manager_submitted_reviews_with_versions_and_proposed_ratings(cycle):
    answer = api("hr").get(url(cycle))
    assert answer.status_code == 200
    body = answer.json()
    expected = sorted(review(cycle, name).pk for name in ("eng0001", "eng0002", "eng0003"))
    assert [item["id"] for item in body["reviews"]] == expected
    assert all(item["version"] == Review.objects.get(pk=item["id"]).version for item in body["reviews"])
    assert body["count"] == 3
    assert body["proposed"] == {"1": 0, "2": 1, "3": 0, "4": 2, "5": 0}


def test_get_narrows_to_a_manager(cycle):
    reviewer = review(cycle, "eng0001").reviewer_id
    assert reviewer is not None
    answer = api("hr").get(url(cycle), {"manager": reviewer})
    ids = {item["id"] for item in answer.json()["reviews"]}
    assert ids == set(
        Review.objects.filter(cycle=cycle, reviewer_id=reviewer, state="manager_submitted").values_list("pk", flat=True)
    )
    assert api("hr").get(url(cycle), {"manager": "nobody"}).status_code == 400


def test_post_accepts_what_get_named_and_audits_each(cycle):
    client = api("hr")
    offered = client.get(url(cycle)).json()["reviews"]
    answer = client.post(url(cycle), {"reviews": offered}, format="json")
    assert answer.status_code == 200, answer.json()
    accepted = {item["id"]: item for item in answer.json()["accepted"]}
    assert {pk: item["final_rating"] for pk, item in accepted.items()} == {
        review(cycle, "eng0001").pk: 4,
        review(cycle, "eng0002").pk: 4,
        review(cycle, "eng0003").pk: 2,
    }
    for item in offered:
        stored = Review.objects.get(pk=item["id"])
        assert stored.state == "calibrated" and stored.version == item["version"] + 1
        assert accepted[item["id"]]["version"] == stored.version
    assert AuditEntry.objects.filter(action="review.calibrate", actor=user("hr")).count() == 3
    assert client.get(url(cycle)).json()["count"] == 0


def test_a_stale_version_is_a_409_naming_it_and_nothing_is_written(cycle):
    client = api("hr")
    offered = client.get(url(cycle)).json()["reviews"]
    stale = offered[1]
    stale["version"] -= 1
    before = snapshot(cycle)
    answer = client.post(url(cycle), {"reviews": offered}, format="json")
    assert answer.status_code == 409
    body = answer.json()
    assert [item["id"] for item in body["reviews"]] == [stale["id"]]
    assert "Nothing was accepted" in body["detail"]
    assert snapshot(cycle) == before


def test_a_review_not_waiting_for_calibration_is_a_400_naming_it_and_nothing_is_written(cycle):
    client = api("hr")
    offered = client.get(url(cycle)).json()["reviews"]
    draft = review(cycle, "engineer")
    before = snapshot(cycle)
    answer = client.post(url(cycle), {"reviews": [*offered, {"id": draft.pk, "version": draft.version}]}, format="json")
    assert answer.status_code == 400
    assert any(draft.employee.name in problem for problem in answer.json()["reviews"])
    assert snapshot(cycle) == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reviews": []},
        {"reviews": [{"id": "x", "version": 1}]},
        {"reviews": [{"id": 1}]},
        {"reviews": "all"},
    ],
)
def test_a_malformed_body_is_a_400_and_nothing_is_written(cycle, body):
    before = snapshot(cycle)
    assert api("hr").post(url(cycle), body, format="json").status_code == 400
    assert snapshot(cycle) == before


def test_a_review_named_twice_with_two_versions_is_refused(cycle):
    first = api("hr").get(url(cycle)).json()["reviews"][0]
    twice = [first, {"id": first["id"], "version": first["version"] + 1}]
    answer = api("hr").post(url(cycle), {"reviews": twice}, format="json")
    assert answer.status_code == 400 and "named twice" in str(answer.json())


@pytest.mark.parametrize("username", ["manager", "director", "engineer"])
def test_only_hr_reads_or_accepts(cycle, username):
    offered = [
        {"id": r.pk, "version": r.version} for r in Review.objects.filter(cycle=cycle, state="manager_submitted")
    ]
    before = snapshot(cycle)
    assert api(username).get(url(cycle)).status_code == 403
    assert api(username).post(url(cycle), {"reviews": offered}, format="json").status_code == 403
    assert snapshot(cycle) == before


def test_an_unknown_cycle_is_a_404(cycle):
    assert api("hr").get(f"/api/v1/cycles/{cycle.pk + 1000}/calibration/accept/").status_code == 404
    assert APIClient().get(url(cycle)).status_code in (401, 403)
