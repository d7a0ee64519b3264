"""The person reviewed: before sharing, whom feedback was asked of and whether they answered; once the
review is shared, an anonymised summary per dimension."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, share, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    first, second = dimension_names(review)[:2]
    engineer2, newhire, director = ask("manager", review, ["engineer2", "newhire", "director"])
    answer(engineer2, {first: (4, "Words of engineer2 on design."), second: (None, "engineer2 on the rest.")})
    answer(newhire, {first: (3, "Words of newhire on design.")})
    return {"review": review, "requests": [engineer2, newhire, director], "first": first, "second": second}


def test_it_shows_the_engineer_only_who_was_asked_before_the_review_is_shared(client, answered):
    client.force_login(user("engineer"))
    response = client.get(reverse("feedback:review", kwargs={"review_id": answered["review"].pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Emery Engineer" in body and "Noor Newhire" in body and "Dana Director" in body
    assert body.count("Answered</span>") == 2 and "Not answered yet" in body
    assert "Words of" not in body and "engineer2 on the rest" not in body
    for request in answered["requests"]:
        assert client.get(reverse("feedback:answer", kwargs={"request_id": request.pk})).status_code == 403


def test_it_shows_the_engineer_an_anonymised_summary_once_shared(client, answered):
    share(review_of(answered["review"].cycle, "engineer"))
    client.force_login(user("engineer"))
    body = client.get(reverse("feedback:review", kwargs={"review_id": answered["review"].pk})).content.decode()
    summary = body[body.index('id="fb-summary"') :]
    for words in ("Words of engineer2 on design.", "Words of newhire on design.", "engineer2 on the rest."):
        assert words in summary
    for name in ("Emery Engineer", "Noor Newhire", "engineer2</a>"):
        assert name not in summary
    # Two scores on the first dimension make an average; the second has none, one score would name its author.
    assert summary.count("average score") == 1 and "average score <strong>3.5</strong>" in summary
    assert escape(answered["second"]) in summary
    for request in answered["requests"]:
        assert reverse("feedback:answer", kwargs={"request_id": request.pk}) not in body
        assert client.get(reverse("feedback:answer", kwargs={"request_id": request.pk})).status_code == 403
