"""A script in a person's name, a team's name, blueprint text, a rating comment or a peer's name is shown
as text on the main pages, never run; and the templates and helpers that mark HTML safe escape what they
are given."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kpis.charts import Band, Point, sparkline, trend_chart
from ladder.charts import Bar, standing_bars
from tests.security.conftest import ESCAPED, PAYLOAD

pytestmark = pytest.mark.django_db

PAGES = [
    ("manager", "/"),
    ("engineer", "/"),
    ("hr", "/people/"),
    ("manager", "/people/engineer/"),
    ("manager", "/reviews/"),
    ("manager", "/reviews/{review}/"),
    ("engineer", "/reviews/{review}/"),
    ("hr", "/cycles/{cycle}/"),
    ("hr", "/cycles/{cycle}/calibration/"),
    ("manager", "/roles/"),
    ("manager", "/roles/staff-software-engineer/"),
    ("manager", "/kpis/teams/platform/"),
    ("manager", "/feedback/review/{review}/"),
    ("engineer2", "/feedback/"),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_it_shows_a_script_as_text(hostile_demo: dict[str, Any], who: str, url: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=who))
    response = client.get(url.format(review=hostile_demo["review"].pk, cycle=hostile_demo["cycle"].pk))
    assert response.status_code == 200, url
    page = response.content.decode()
    assert PAYLOAD not in page
    assert "<script>alert(" not in page and "<img src=x" not in page
    assert ESCAPED in page, f"{url} shows none of the hostile text, so it proves nothing"


def test_the_password_rules_marked_safe_are_djangos_own_text(hostile_demo: dict[str, Any]) -> None:
    """form_field.html marks help text safe only for Django's password rules; a hostile name stays text."""
    client = Client()
    client.force_login(User.objects.get(username="engineer"))
    page = client.get("/accounts/password_change/").content.decode()
    assert "<ul>" in page or "<li>" in page  # the rules, as Django's HTML list
    assert PAYLOAD not in page


def test_the_charts_marked_safe_escape_titles_labels_and_units() -> None:
    points = [Point(label=PAYLOAD, value=1), Point(label="W2", value=None), Point(label=PAYLOAD, value=3)]
    charts = [
        sparkline(points, title=PAYLOAD, unit=PAYLOAD, target=2),
        trend_chart(points, title=PAYLOAD, unit=PAYLOAD, y_label=PAYLOAD, target=2, bands=[Band(PAYLOAD, 0, 2)]),
        trend_chart([], title=PAYLOAD, bands=[Band(PAYLOAD, None, None, css_class='x" onload="alert(1)')]),
        standing_bars([Bar(label=PAYLOAD, value=None, note=PAYLOAD), Bar(label=PAYLOAD, value=2)], title=PAYLOAD),
    ]
    for chart in charts:
        assert "<script" not in chart and "<img" not in chart, chart
        assert 'onload="alert' not in chart, chart
        assert "&lt;script&gt;" in chart
