from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.fixture
def demo(staff_blueprint) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The demo organisation: an open cycle, engineer's submitted self-assessment, a hiring candidate."""
    from hiring.models import Candidate
    from ladder.models import Assessment
    from reviews.demo import demo_seed
    from reviews.models import Review

    demo_seed(events=False)
    review = Review.objects.select_related("cycle").get(employee__user__username="engineer")
    return {
        "review": review.pk,
        "cycle": review.cycle_id,
        "assessment": Assessment.objects.filter(state=Assessment.State.SUBMITTED).values_list("pk", flat=True)[0],
        "candidate": Candidate.objects.values_list("pk", flat=True)[0],
    }


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client
