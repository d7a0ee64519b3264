"""Without JavaScript the review page is one form: it saves what this person changed, leaves what they did
not touch, and shows a conflict (keeping their text) for a field someone else changed meanwhile."""

import pytest
from django.urls import reverse

from reviews.forms import rating_fingerprint
from reviews.models import Rating
from reviews.services import RatingInput, review_rate
from tests.reviews.page_helpers import engineer_review, user, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(open_cycle):
    return engineer_review(open_cycle)


def _form(review, side="self", **changes):
    """The page's form as loaded now, with `changes` ({dimension name: {score, comment, evidence}}) typed in."""
    data = {"version": str(review.version), "intent": "save"}
    for rating in Rating.objects.filter(review=review, side=side).select_related("dimension"):
        prefix = f"r-{rating.dimension_id}-{side}"
        value = {"score": rating.score, "comment": rating.comment, "evidence": "\n".join(rating.evidence)}
        value.update(changes.get(rating.dimension.name, {}))
        data |= {
            f"{prefix}-comment": value["comment"],
            f"{prefix}-evidence": value["evidence"],
            f"{prefix}-version": str(rating.version),
            f"{prefix}-orig": rating_fingerprint(rating.score, rating.comment, rating.evidence),
        }
        if value["score"]:
            data[f"{prefix}-score"] = str(value["score"])
    return data


def _rating(review, name, side="self"):
    return Rating.objects.get(review=review, dimension__name=name, side=side)


def test_it_saves_the_changed_fields_and_redirects_with_a_message(client, review):
    client.force_login(user("engineer"))
    data = _form(review, **{"Communication": {"score": 4, "comment": "Line one\r\nline two  "}})
    response = client.post(reverse("reviews:detail", args=[review.pk]), data, follow=True)
    assert response.redirect_chain == [(reverse("reviews:detail", args=[review.pk]), 302)]
    assert "Saved at" in response.content.decode()
    rating = _rating(review, "Communication")
    assert (rating.score, rating.comment, rating.version) == (4, "Line one\nline two", 1)
    assert _rating(review, "Technical leadership").version == 0


def test_it_leaves_alone_a_field_this_person_did_not_touch_though_someone_changed_it(client, review):
    data = _form(review, **{"Communication": {"score": 4, "comment": "mine"}})
    review_rate(
        actor=user("engineer"),
        review=review,
        ratings=[RatingInput("Technical leadership", 5, "other tab")],
        version=None,
    )
    client.force_login(user("engineer"))
    response = client.post(reverse("reviews:detail", args=[review.pk]), data)
    assert response.status_code == 302
    assert _rating(review, "Technical leadership").comment == "other tab"
    assert _rating(review, "Communication").comment == "mine"


def test_it_shows_a_conflict_with_the_posted_text_kept_and_saves_the_rest(client, review):
    data = _form(
        review,
        **{
            "Communication": {"score": 2, "comment": "my words, kept"},
            "Technical leadership": {"score": 4, "comment": "fine"},
        },
    )
    review_rate(
        actor=user("engineer"), review=review, ratings=[RatingInput("Communication", 5, "their words")], version=None
    )
    client.force_login(user("engineer"))
    response = client.post(reverse("reviews:detail", args=[review.pk]), data)
    assert response.status_code == 409
    html = response.content.decode()
    communication = _rating(review, "Communication")
    prefix = f"r-{communication.dimension_id}-self"
    assert ">my words, kept</textarea>" in html
    assert "their words" in html and "5 · Far exceeds" in html
    assert f'name="{prefix}-theirs" value="1"' in html
    assert f'value="{prefix}:mine"' in html and f'value="{prefix}:theirs"' in html
    assert "Everything else is saved" in html
    assert (communication.score, communication.comment) == (5, "their words")
    assert _rating(review, "Technical leadership").comment == "fine"

    # Keep mine: the page posts again with the version the conflict showed.
    data[f"{prefix}-theirs"] = "1"
    data["resolve"] = f"{prefix}:mine"
    assert client.post(reverse("reviews:detail", args=[review.pk]), data).status_code == 302
    assert _rating(review, "Communication").comment == "my words, kept"


def test_it_uses_theirs_when_asked(client, review):
    data = _form(review, **{"Communication": {"score": 2, "comment": "mine"}})
    review_rate(
        actor=user("engineer"), review=review, ratings=[RatingInput("Communication", 5, "theirs")], version=None
    )
    prefix = f"r-{_rating(review, 'Communication').dimension_id}-self"
    data |= {f"{prefix}-theirs": "1", "resolve": f"{prefix}:theirs"}
    client.force_login(user("engineer"))
    assert client.post(reverse("reviews:detail", args=[review.pk]), data).status_code == 302
    assert _rating(review, "Communication").comment == "theirs"


def test_it_saves_nothing_when_a_field_is_invalid_and_keeps_what_was_typed(client, review):
    data = _form(
        review,
        **{"Communication": {"comment": "keep me", "evidence": "not a link"}, "Technical leadership": {"score": 3}},
    )
    client.force_login(user("engineer"))
    response = client.post(reverse("reviews:detail", args=[review.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert ">keep me</textarea>" in html and ">not a link</textarea>" in html
    assert "Not saved: Evidence is one web address" in html
    assert _rating(review, "Technical leadership").version == 0


def test_it_saves_the_potential_and_shows_a_conflict_for_a_newer_one(client, review):
    review = walk(review, "self_submitted")
    client.force_login(user("manager"))
    data = _form(review, side="manager") | {"potential": "medium", "potential-orig": ""}
    assert client.post(reverse("reviews:detail", args=[review.pk]), data).status_code == 302
    review.refresh_from_db()
    assert review.potential == "medium"
    stale = _form(review, side="manager") | {"potential": "high", "potential-orig": ""}
    response = client.post(reverse("reviews:detail", args=[review.pk]), stale)
    assert response.status_code == 409 and "changed to “medium”" in response.content.decode()
    review.refresh_from_db()
    assert review.potential == "medium"


def test_it_saves_then_submits_in_one_post(client, review):
    names = list(review.blueprint_version.dimensions.values_list("name", flat=True))
    data = _form(review, **{name: {"score": 3, "comment": "done"} for name in names}) | {"intent": "submit_self"}
    client.force_login(user("engineer"))
    response = client.post(reverse("reviews:detail", args=[review.pk]), data, follow=True)
    assert "Submitted your self-assessment." in response.content.decode()
    review.refresh_from_db()
    assert review.state == "self_submitted"


@pytest.mark.parametrize("username", ["director", "hr"])
def test_it_refuses_a_post_from_someone_with_nothing_to_edit(client, review, username):
    client.force_login(user(username))
    assert client.post(reverse("reviews:detail", args=[review.pk]), _form(review)).status_code == 403
