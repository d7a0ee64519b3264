"""The review list: the caller's own review, those they write, their organisation's; HR sees all."""

import pytest
from django.urls import reverse

from tests.reviews.page_helpers import engineer_review, user, walk

pytestmark = pytest.mark.django_db


def _names(html):
    body = html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""
    return sorted(part.split("</a>")[0].split(">")[-1] for part in body.split('<th scope="row">')[1:])


def _list(client, username, query=""):
    client.force_login(user(username))
    response = client.get(reverse("reviews:list") + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("engineer", ["Eli Engineer"]),
        ("engineer2", ["Emery Engineer"]),
        ("manager", ["Eli Engineer", "Noor Newhire"]),
        ("manager2", ["Emery Engineer"]),
        ("director", ["Eli Engineer", "Emery Engineer", "Noor Newhire"]),
        ("hr", ["Eli Engineer", "Emery Engineer", "Noor Newhire"]),
    ],
)
def test_it_lists_the_reviews_each_person_may_open(client, open_cycle, username, expected):
    assert _names(_list(client, username, f"?cycle={open_cycle.pk}")) == expected


def test_it_shows_only_the_scores_the_caller_may_see(client, open_cycle):
    review = walk(engineer_review(open_cycle), "calibrated", self_score=4, manager_score=3)
    engineer_row = _list(client, "engineer", f"?cycle={open_cycle.pk}").split("<tbody>")[1]
    assert ">4.00<" in engineer_row and ">3.00<" not in engineer_row
    assert engineer_row.count(">hidden<") == 2  # the manager's score and the final rating
    manager_row = (
        _list(client, "manager", f"?cycle={open_cycle.pk}").split(f'href="/reviews/{review.pk}/"')[1].split("</tr>")[0]
    )
    assert (
        ">4.00<" in manager_row
        and ">3.00<" in manager_row
        and '<td data-label="Final" class="num">3</td>' in manager_row
    )


def test_it_filters_by_cycle_and_state(client, open_cycle):
    walk(engineer_review(open_cycle), "self_submitted")
    assert _names(_list(client, "hr", f"?cycle={open_cycle.pk}&state=self_submitted")) == ["Eli Engineer"]
    assert _names(_list(client, "hr", f"?cycle={open_cycle.pk}&state=draft")) == ["Emery Engineer", "Noor Newhire"]
    assert "No reviews match these filters." in _list(client, "hr", f"?cycle={open_cycle.pk + 100}")
    # A filter that makes no sense is ignored rather than refused.
    everyone = _names(_list(client, "hr"))
    assert _names(_list(client, "hr", "?cycle=abc&state=bogus")) == everyone and len(everyone) == 3


def test_it_sends_anonymous_callers_to_log_in(client, open_cycle):
    response = client.get(reverse("reviews:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
