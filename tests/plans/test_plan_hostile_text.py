"""Whatever a person types into a goal is escaped on the plan page, in the htmx partial and in the packet."""

from django.urls import reverse

from plans.services import plan_goal_update
from tests.plans.conftest import goals, user

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_notes_and_evidence_are_escaped_on_the_page(client, plan):
    goal = goals(plan)[0]
    plan_goal_update(actor=user("newhire"), plan=plan, goal_id=goal.pk, version=1, notes=HOSTILE, evidence=HOSTILE)
    for username in ("newhire", "director"):  # the form, and the read-only view
        client.force_login(user(username))
        html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_htmx_partial_escapes_too(client, plan):
    goal = goals(plan)[0]
    client.force_login(user("newhire"))
    response = client.post(
        reverse("plans:goal_update", args=[plan.pk, goal.pk]),
        {"status": "in_progress", "notes": HOSTILE, "evidence": "", "version": 1},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<script>alert" not in html and "&lt;script&gt;" in html
