from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.fixture
def hiring(db, staff_blueprint) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The demo organisation and its opening (hiring/demo.py): manager hires; engineer (with newhire on the
    same interview) and manager2 interview Casey Candidate; engineer2 and director are outside the hiring
    team."""
    from hiring.models import Interview
    from reviews.demo import demo_seed

    demo_seed(events=False)
    interviews = {i.exercise: i for i in Interview.objects.select_related("candidate__opening")}
    candidate = interviews["System design exercise"].candidate
    return {
        "candidate": candidate,
        "opening": candidate.opening,
        "engineer_interview": interviews["System design exercise"],  # engineer and newhire
        "manager2_interview": interviews["Code review exercise"],
    }


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def user(username: str) -> User:
    return User.objects.get(username=username)
