"""The plan's state appears on the review page (a small panel for whoever may read both) and in the review
packet (its own section, with each goal's status)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from plans.services import plan_goal_edit, plan_goal_update
from reviews.models import Review
from reviews.packets import review_packet_html
from tests.plans.conftest import goals, user
from tests.reviews.cycle_support import open_cycle_around_today


@pytest.fixture
def review(plan, today):
    first, second = goals(plan, "30d")[:2]
    plan_goal_update(actor=user("newhire"), plan=plan, goal_id=first.pk, version=1, status="done")
    plan_goal_edit(actor=user("manager"), plan=plan, goal_id=second.pk, version=1, due_date=today - timedelta(days=1))
    cycle = open_cycle_around_today("Plan cycle")
    return Review.objects.get(cycle=cycle, employee__user__username="newhire")


@pytest.mark.parametrize("username", ["newhire", "manager", "director", "hr"])
def test_the_review_page_has_a_plan_panel(client, review, plan, username):
    client.force_login(user(username))
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert 'id="review-plan"' in html and f'href="/plans/{plan.pk}/"' in html
    assert "<strong>1</strong> of" in html and "1 overdue" in html


def test_a_review_of_someone_without_a_plan_has_no_panel(client, review):
    engineers = Review.objects.get(cycle=review.cycle, employee__user__username="engineer")
    client.force_login(user("manager"))
    assert 'id="review-plan"' not in client.get(reverse("reviews:detail", args=[engineers.pk])).content.decode()


@pytest.mark.parametrize("username", ["newhire", "manager", "hr"])
def test_the_packet_prints_the_plan(review, username):
    html = review_packet_html(review_id=review.pk, requester=user(username))
    assert "30/60/90 plan</h2>" in html and "Started in the role" not in html  # the title says it in words
    assert "started in the role on" in html
    assert "1 of " in html and "goals done" in html and "1 overdue" in html
    assert "First 30 days" in html and "By 12 months" in html
    assert 'plan__status--done">Done</span>' in html and "overdue by 1 day<" in html
    # The plan is section 4; the sections after it move down by one.
    assert "4</span> 30/60/90 plan" in html and "4</span> Comments" not in html and "4</span> Peer" not in html
