"""Autosave: each field posts itself with the version it read; a newer value is never overwritten."""

import pytest
from django.urls import reverse

from reviews.forms import rating_fingerprint
from reviews.models import Rating
from tests.reviews.page_helpers import AUTH_QUERIES, engineer_review, rate, user, walk

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def review(open_cycle):
    return engineer_review(open_cycle)


def _rating(review, name, side="self"):
    return Rating.objects.get(review=review, dimension__name=name, side=side)


def _post(client, rating, **values):
    prefix = f"r-{rating.dimension_id}-{rating.side}"
    data = {f"{prefix}-{key}": value for key, value in values.items()}
    url = reverse("reviews:rating", args=[rating.review_id, rating.dimension_id, rating.side])
    return client.post(url, data, **HTMX)


def test_it_saves_a_field_and_answers_the_new_versions(client, review):
    client.force_login(user("engineer"))
    rating = _rating(review, "Communication")
    response = _post(client, rating, score="4", comment="Wrote the RFC", evidence="https://docs.test/rfc", version="0")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved at" in html
    rating.refresh_from_db()
    assert (rating.score, rating.comment, rating.evidence, rating.version) == (
        4,
        "Wrote the RFC",
        ["https://docs.test/rfc"],
        1,
    )
    prefix = f"r-{rating.dimension_id}-self"
    # The field's version and fingerprint, the review's version and the score are swapped in out of band.
    assert f'id="{prefix}-version" value="1" hx-swap-oob="true"' in html
    assert rating_fingerprint(4, "Wrote the RFC", ["https://docs.test/rfc"]) in html
    review.refresh_from_db()
    assert f'value="{review.version}" class="review-version" hx-swap-oob="outerHTML:.review-version"' in html
    assert 'id="score-self-value" class="score-card__body" hx-swap-oob="true"' in html
    assert "1 of 7" not in html and "6 of 7 dimensions not rated" in html


def test_it_answers_a_conflict_with_the_value_now_stored_and_saves_nothing(client, review):
    rating = _rating(review, "Communication")
    client.force_login(user("engineer"))
    assert _post(client, rating, score="3", comment="first tab", version="0").status_code == 200
    # A second tab still holds version 0.
    response = _post(client, rating, score="5", comment="second tab", version="0")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Conflict: not saved" in html
    assert "first tab" in html and "3 · Meets the bar" in html
    assert "You saved this field in another tab or window" in html
    assert f'hx-vals=\'{{"r-{rating.dimension_id}-self-version": "1"}}\'' in html
    assert "Keep mine" in html and "Use theirs" in html
    # The conflict partial leaves the person's own text alone: it swaps only the state and the panel.
    assert "second tab" not in html and "<textarea" not in html
    rating.refresh_from_db()
    assert (rating.score, rating.comment, rating.version) == (3, "first tab", 1)


def test_it_keeps_mine_when_asked_with_the_version_the_conflict_showed(client, review):
    rating = _rating(review, "Communication")
    client.force_login(user("engineer"))
    _post(client, rating, score="3", comment="first tab", version="0")
    response = _post(client, rating, score="5", comment="second tab", version="1")
    assert response.status_code == 200
    rating.refresh_from_db()
    assert (rating.score, rating.comment, rating.version) == (5, "second tab", 2)


def test_it_renders_the_stored_field_afresh_to_use_theirs(client, review):
    rating = _rating(review, "Communication")
    rate(user("engineer"), review, {"Communication": 2}, "stored text")
    client.force_login(user("engineer"))
    response = client.get(reverse("reviews:rating", args=[review.pk, rating.dimension_id, "self"]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert ">stored text</textarea>" in html
    assert 'value="2" checked' in html
    assert f'id="r-{rating.dimension_id}-self-version" value="1"' in html


def test_it_takes_a_stale_version_that_carries_the_stored_value_as_saved(client, review):
    rating = _rating(review, "Communication")
    rate(user("engineer"), review, {"Communication": 2}, "same text")
    client.force_login(user("engineer"))
    response = _post(client, rating, score="2", comment="same text", version="0")
    assert response.status_code == 200 and "Saved at" in response.content.decode()


def test_it_refuses_evidence_that_is_not_a_web_address(client, review):
    rating = _rating(review, "Communication")
    client.force_login(user("engineer"))
    response = _post(client, rating, evidence="javascript:alert(1)", version="0")
    assert response.status_code == 400
    assert "Not saved: Evidence is one web address" in response.content.decode()
    rating.refresh_from_db()
    assert rating.evidence == [] and rating.version == 0


def test_it_says_why_a_field_can_no_longer_be_saved(client, review):
    rating = _rating(review, "Communication")
    walk(review, "self_submitted")
    client.force_login(user("engineer"))
    assert _post(client, rating, score="1", version="1").status_code == 403


def test_it_refuses_the_other_side_and_people_out_of_scope(client, review):
    client.force_login(user("engineer"))
    manager_rating = _rating(review, "Communication", side="manager")
    assert _post(client, manager_rating, score="5", version="0").status_code == 403
    client.force_login(user("director"))
    assert _post(client, _rating(review, "Communication"), score="5", version="0").status_code == 403
    client.force_login(user("engineer2"))
    assert _post(client, _rating(review, "Communication"), score="5", version="0").status_code == 404
    assert client.get(reverse("reviews:rating", args=[review.pk, 999999, "self"])).status_code == 404
    client.force_login(user("engineer"))
    assert (
        client.get(reverse("reviews:rating", args=[review.pk, manager_rating.dimension_id, "boss"])).status_code == 404
    )


def test_it_saves_the_potential_and_refuses_to_overwrite_a_newer_one(client, review):
    review = walk(review, "self_submitted")
    client.force_login(user("manager"))
    url = reverse("reviews:potential", args=[review.pk])
    response = client.post(url, {"potential": "medium", "potential-orig": ""}, **HTMX)
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    stale = client.post(url, {"potential": "high", "potential-orig": ""}, **HTMX)
    assert stale.status_code == 409 and "changed to “medium”" in stale.content.decode()
    review.refresh_from_db()
    assert review.potential == "medium"
    mine = client.post(
        url, {"potential": "high", "potential-orig": "", "potential-theirs": "medium", "resolve": "mine"}, **HTMX
    )
    assert mine.status_code == 200
    review.refresh_from_db()
    assert review.potential == "high"
    client.force_login(user("engineer"))
    assert client.post(url, {"potential": "low", "potential-orig": "high"}).status_code == 403


def test_it_tells_a_logged_out_autosave_to_log_in_without_leaving_the_page(client, review):
    rating = _rating(review, "Communication")
    response = _post(client, rating, comment="typed before the session ended", version="0")
    assert response.status_code == 401
    assert "Not saved: you are logged out" in response.content.decode()
    plain = client.post(reverse("reviews:rating", args=[review.pk, rating.dimension_id, "self"]))
    assert plain.status_code == 302 and plain["Location"].startswith(reverse("login"))


# An autosave that changes a field: the review with its cycle, people and blueprint; the scorecard; the
# field's stored rating; then the service's transaction (begin, the review locked, the side's ratings,
# the rating and the review updated, the audit entry, commit); then the review's ratings once, for the
# saved field and the side's weighted score. A save that changes nothing skips the transaction.
AUTOSAVE_QUERIES = AUTH_QUERIES + 3 + 7 + 1
UNCHANGED_AUTOSAVE_QUERIES = AUTH_QUERIES + 3 + 1


def test_an_autosave_runs_in_a_fixed_number_of_queries(client, review, django_assert_num_queries):
    client.force_login(user("engineer"))
    rating = _rating(review, "Communication")
    with django_assert_num_queries(AUTOSAVE_QUERIES):
        response = _post(client, rating, score="4", comment="Wrote the RFC", evidence="", version="0")
    assert response.status_code == 200
    with django_assert_num_queries(UNCHANGED_AUTOSAVE_QUERIES):
        again = _post(client, rating, score="4", comment="Wrote the RFC", evidence="", version="1")
    assert again.status_code == 200 and "Saved at" in again.content.decode()
