"""PATCH /api/v1/reviews/{id}/ratings/ writes the caller's own side and answers the review's new version."""

import pytest

from audit.models import AuditEntry
from reviews.models import Rating
from tests.reviews.api_support import as_, dimensions, fresh, move_to, review_of, url

pytestmark = pytest.mark.django_db


def test_the_person_reviewed_writes_the_self_assessment(open_cycle):
    review = review_of(open_cycle, "engineer")
    first, second = dimensions(review)[:2]
    response = as_("engineer").patch(
        url(review, "ratings"),
        {
            "version": review.version,
            "ratings": [
                {"dimension": first, "score": 4, "comment": "Led the storage migration."},
                {"dimension": second, "score": 2, "comment": ""},
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == review.version + 1 == fresh(review).version
    assert [(line["self_score"], line["self_comment"]) for line in body["ratings"][:3]] == [
        (4, "Led the storage migration."),
        (2, ""),
        (None, ""),
    ]
    assert body["missing"]["self"] == dimensions(review)[2:]
    stored = Rating.objects.get(review=review, dimension__name=first, side="self")
    assert (stored.score, stored.updated_by.username) == (4, "engineer")
    assert not Rating.objects.filter(review=review, side="manager").exclude(score=None).exists()
    entries = AuditEntry.objects.filter(target_type="reviews.review", target_id=str(review.pk), action="review.rating")
    assert entries.count() == 2 and entries.filter(actor__username="engineer").count() == 2


def test_dimensions_not_named_keep_their_values(open_cycle):
    review = review_of(open_cycle, "engineer")
    name = dimensions(review)[0]
    first = as_("engineer").patch(
        url(review, "ratings"),
        {"version": review.version, "ratings": [{"dimension": name, "score": 5, "comment": "a"}]},
    )
    second = as_("engineer").patch(
        url(review, "ratings"),
        {"version": first.json()["version"], "ratings": [{"dimension": name, "comment": "b"}]},
    )
    assert second.status_code == 200
    assert (second.json()["ratings"][0]["self_score"], second.json()["ratings"][0]["self_comment"]) == (5, "b")


def test_the_reviewer_writes_the_manager_review_and_potential(open_cycle):
    review = move_to(review_of(open_cycle, "engineer"), "self_submitted")
    response = as_("manager").patch(
        url(review, "ratings"),
        {
            "version": review.version,
            "ratings": [{"dimension": name, "score": 3, "comment": "solid"} for name in dimensions(review)],
            "potential": "high",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["weighted_manager_score"] == 3.0 and body["potential"] == "high"
    assert [line["self_score"] for line in body["ratings"]] == [4] * 7
    assert body["missing"]["manager"] == []
    assert fresh(review).potential == "high"
    assert AuditEntry.objects.filter(action="review.potential", target_id=str(review.pk)).exists()


def test_evidence_links_are_stored(open_cycle):
    review = review_of(open_cycle, "engineer")
    name = dimensions(review)[0]
    links = ["https://git.example.com/pr/12", "https://docs.example.com/adr/7"]
    response = as_("engineer").patch(
        url(review, "ratings"), {"version": review.version, "ratings": [{"dimension": name, "evidence": links}]}
    )
    assert response.status_code == 200
    assert response.json()["ratings"][0]["self_evidence"] == links


def test_a_write_that_changes_nothing_keeps_the_version(open_cycle):
    review = review_of(open_cycle, "engineer")
    response = as_("engineer").patch(url(review, "ratings"), {"version": review.version, "ratings": []})
    assert response.status_code == 200 and response.json()["version"] == review.version


def test_only_the_reviewer_records_potential(open_cycle):
    review = review_of(open_cycle, "engineer")
    response = as_("engineer").patch(url(review, "ratings"), {"version": review.version, "potential": "high"})
    assert response.status_code == 400 and "potential" in response.json()
    response = as_("manager").patch(url(review, "ratings"), {"version": review.version, "potential": "stellar"})
    assert response.status_code == 400 and response.json()["potential"] == ["Potential is low, medium or high."]
    assert fresh(review).potential == ""
