"""GET /api/v1/reviews/ lists the reviews the caller may open, filtered by cycle, person and state."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from reviews.services import cycle_create, cycle_open
from tests.reviews.api_support import as_, move_to, review_of

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reviews/"


def people(response):
    assert response.status_code == 200, response.content
    return sorted(item["employee"]["username"] for item in response.json())


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("engineer", ["engineer"]),
        ("engineer2", ["engineer2"]),
        ("manager", ["engineer", "newhire"]),
        ("manager2", ["engineer2"]),
        ("director", ["engineer", "engineer2", "newhire"]),
        ("hr", ["engineer", "engineer2", "newhire"]),
    ],
)
def test_it_lists_the_reviews_each_caller_may_open(open_cycle, persona, expected):
    assert people(as_(persona).get(LIST, cycle=str(open_cycle.pk))) == expected


def test_list_items_hide_what_the_detail_hides(open_cycle):
    move_to(review_of(open_cycle, "engineer"), "calibrated")
    [item] = as_("engineer").get(LIST, cycle=str(open_cycle.pk)).json()
    assert item["state"] == "calibrated"
    assert item["weighted_self_score"] == 4.0
    assert item["weighted_manager_score"] is None and item["final_rating"] is None
    [theirs] = as_("manager").get(LIST, cycle=str(open_cycle.pk), employee="engineer").json()
    assert theirs["weighted_manager_score"] == 3.0 and theirs["final_rating"] == 3


def test_it_filters_by_person_and_state(open_cycle):
    move_to(review_of(open_cycle, "engineer"), "self_submitted")
    director, cycle = as_("director"), str(open_cycle.pk)
    assert people(director.get(LIST, cycle=cycle, employee="engineer")) == ["engineer"]
    assert people(director.get(LIST, cycle=cycle, employee="nobody")) == []
    assert people(director.get(LIST, cycle=cycle, state="self_submitted")) == ["engineer"]
    assert people(director.get(LIST, cycle=cycle, state="draft")) == ["engineer2", "newhire"]
    # A filter never widens what the caller may see.
    assert people(as_("engineer2").get(LIST, employee="engineer")) == []


def test_it_filters_by_cycle(open_cycle):
    hr = User.objects.get(username="hr")
    later = cycle_create(
        actor=hr,
        name="2027 Q1",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 3, 31),
        self_due=date(2027, 3, 5),
        manager_due=date(2027, 3, 12),
        calibration_due=date(2027, 3, 19),
        signoff_due=date(2027, 4, 9),
    )
    cycle_open(actor=hr, cycle=later)
    everyone = as_("hr").get(LIST).json()
    assert {open_cycle.pk, later.pk} <= {item["cycle"] for item in everyone}
    in_later = as_("hr").get(LIST, cycle=str(later.pk)).json()
    assert {item["cycle"] for item in in_later} == {later.pk} and len(in_later) == 3
    assert len(as_("manager").get(LIST, cycle=str(open_cycle.pk)).json()) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cycle": "abc"}, "cycle"),
        ({"cycle": "-1"}, "cycle"),
        ({"cycle": "1.5"}, "cycle"),
        ({"cycle": "99999999999999999999999"}, "cycle"),
        ({"cycle": "424242"}, "cycle"),
        ({"state": "finished"}, "state"),
    ],
)
def test_it_answers_400_for_a_bad_filter(open_cycle, params, field):
    response = as_("hr").get(LIST, **params)
    assert response.status_code == 400
    assert field in response.json()


def test_it_pages_with_limit_and_offset(open_cycle):
    cycle = str(open_cycle.pk)
    body = as_("hr").get(LIST, cycle=cycle, limit="2", offset="1").json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert [item["id"] for item in body["results"]] == [item["id"] for item in as_("hr").get(LIST, cycle=cycle).json()][
        1:3
    ]


def test_it_answers_401_to_anonymous_callers(open_cycle):
    assert as_(None).get(LIST).status_code == 401
