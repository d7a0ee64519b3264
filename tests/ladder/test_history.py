"""Assessments are kept over time: the person sees their trend, one point per submitted assessment (and the
draft they look at, marked as such); a new draft starts from nothing."""

import pytest

from ladder.models import Assessment
from ladder.selectors import assessment_trend
from tests.ladder.support import client_as, rate, start, submitted

pytestmark = pytest.mark.django_db


def test_two_submitted_assessments_make_a_trend_of_two_points(org):
    first = submitted("engineer", [2, 2, 2, 2], days_ago=60)
    second = submitted("engineer", [3, 3, 3, 3], days_ago=1)
    trend = assessment_trend(employee=org["engineer"])
    assert [point.assessment_id for point in trend] == [first.pk, second.pk]
    assert [str(point.weighted_score) for point in trend] == ["2.00", "3.00"]
    page = client_as("engineer").get(f"/ladder/assessments/{second.pk}/").content.decode()
    trend_html = page.split('id="trend"')[1].split("</section>")[0]
    assert trend_html.count("<tr") == 3  # the header and two points
    assert "chart--trend" in trend_html and "(this one)" in trend_html
    assert Assessment.objects.get(pk=first.pk).state == "submitted"


def test_the_draft_being_looked_at_is_the_last_point(org):
    submitted("engineer", [2, 2, 2, 2], days_ago=30)
    draft = start()
    assert draft.skills.filter(score__isnull=False).count() == 0
    rate(draft, [4, 3, 3, 3])
    trend = assessment_trend(employee=org["engineer"], including=Assessment.objects.get(pk=draft.pk))
    assert [point.draft for point in trend] == [False, True]
    assert "(draft)" in client_as("engineer").get(f"/ladder/assessments/{draft.pk}/").content.decode()
    assert "(draft)" not in client_as("manager").get("/ladder/people/engineer/").content.decode()
