import pytest
from django.urls import reverse

from tests.reviews.feedback_builders import answer, ask, dimension_names, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    (request,) = ask("manager", review, ["engineer2"])
    answer(request, {dimension_names(review)[0]: (2, "Words only the chain reads with a name.")})
    return request


@pytest.mark.parametrize("username", ["manager", "director", "hr"])
def test_it_shows_the_reviewer_their_chain_and_hr_who_said_what(client, answered, username):
    client.force_login(user(username))
    body = client.get(reverse("feedback:review", kwargs={"review_id": answered.review_id})).content.decode()
    said = body[body.index('id="fb-who-said-what"') :]
    assert "Emery Engineer</a>" in said and "Words only the chain reads with a name." in said
    assert "2 · Partially meets" in said
    single = client.get(reverse("feedback:answer", kwargs={"request_id": answered.pk}))
    assert single.status_code == 200 and "Words only the chain reads with a name." in single.content.decode()
    assert "<textarea" not in single.content.decode()


def test_it_hides_the_feedback_from_another_manager(client, answered):
    client.force_login(user("manager2"))
    assert client.get(reverse("feedback:review", kwargs={"review_id": answered.review_id})).status_code == 404
    assert client.get(reverse("feedback:answer", kwargs={"request_id": answered.pk})).status_code == 404
