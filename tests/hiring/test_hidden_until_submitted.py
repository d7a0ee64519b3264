import pytest
from django.urls import reverse

from tests.hiring.conftest import client_for
from tests.hiring.support import submit

pytestmark = pytest.mark.django_db


def test_it_hides_other_scorecards_on_the_page_until_one_submits(hiring):
    submit(hiring["engineer_interview"], {"System design & architecture": "strong_yes"})
    url = reverse("hiring:candidate", args=[hiring["candidate"].pk])
    page = client_for("manager2").get(url).content.decode()
    assert "hidden until you submit yours" in page
    assert "notes on System design" not in page
    submit(hiring["manager2_interview"], {"Hands-on coding & debugging": "no"})
    page = client_for("manager2").get(url).content.decode()
    assert "notes on System design" in page
    assert "hidden until you submit yours" not in page


def _seat(body, username):  # type: ignore[no-untyped-def]
    return next(seat for row in body["loop"] for seat in row["panel"] if seat["interviewer"]["username"] == username)


def test_it_hides_other_scorecards_in_the_api_until_one_submits(hiring):
    submit(hiring["engineer_interview"], {"System design & architecture": "strong_yes"})
    url = reverse("api-hiring-candidate-detail", args=[hiring["candidate"].pk])
    body = client_for("manager2").get(url).json()
    engineers = _seat(body, "engineer")
    assert engineers["scorecard"] is None and engineers["scorecard_hidden"] is True
    # The submitter sees their own; the other interview has nothing yet.
    mine = client_for("engineer").get(url).json()
    assert _seat(mine, "engineer")["scorecard"] is not None
    submit(hiring["manager2_interview"], {"Hands-on coding & debugging": "no"})
    body = client_for("manager2").get(url).json()
    assert _seat(body, "engineer")["scorecard"]["ratings"][0]["rating"] == "strong_yes"


def test_it_shows_the_hiring_manager_every_submitted_scorecard(hiring):
    submit(hiring["engineer_interview"], {"System design & architecture": "yes"})
    body = client_for("manager").get(reverse("api-hiring-candidate-detail", args=[hiring["candidate"].pk])).json()
    assert any(seat["scorecard"] for row in body["loop"] for seat in row["panel"])
    assert not any(seat["scorecard_hidden"] for row in body["loop"] for seat in row["panel"])
