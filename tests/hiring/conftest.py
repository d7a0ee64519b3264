from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.fixture
def hiring(db, staff_blueprint) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The demo organisation and its opening (hiring/demo.py): manager hires, engineer and manager2
    interview Casey Candidate; engineer2 and director are outside the hiring team."""
    from hiring.models import Interview
    from reviews.demo import demo_seed

    demo_seed(events=False)
    interviews = {
        i.interviewer.user.username: i
        for i in Interview.objects.select_related("interviewer__user", "candidate__opening")
    }
    candidate = interviews["engineer"].candidate
    return {
        "candidate": candidate,
        "opening": candidate.opening,
        "engineer_interview": interviews["engineer"],
        "manager2_interview": interviews["manager2"],
    }


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def user(username: str) -> User:
    return User.objects.get(username=username)
