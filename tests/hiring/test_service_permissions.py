"""The hiring services check "the opening's hiring manager or HR" themselves, whoever calls them: a page,
the API or a script. A refused call raises PermissionDenied and writes nothing, audit included."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from hiring import services
from hiring.models import Candidate, Decision, Interview, Opening
from tests.hiring.conftest import user

pytestmark = pytest.mark.django_db


def _calls(hiring: dict[str, Any]) -> dict[str, Callable[[Any], object]]:
    opening, candidate = hiring["opening"], hiring["candidate"]
    interview = hiring["manager2_interview"]
    return {
        "close the opening": lambda actor: services.opening_set_state(actor=actor, opening=opening, state="closed"),
        "add a candidate": lambda actor: services.candidate_add(actor=actor, opening=opening, name="Sam Seeker"),
        "move a candidate": lambda actor: services.candidate_move(actor=actor, candidate=candidate, stage="screen"),
        "add an interview": lambda actor: services.interview_add(
            actor=actor, candidate=candidate, exercise=interview.exercise, interviewers=[], focus=[]
        ),
        "change an interview": lambda actor: services.interview_update(
            actor=actor, interview=interview, interviewers=list(interview.interviewers.all()), focus=[]
        ),
        "remove an interview": lambda actor: services.interview_remove(actor=actor, interview=interview),
        "create the default loop": lambda actor: services.loop_create_default(actor=actor, candidate=candidate),
        "record a decision": lambda actor: services.decision_record(
            actor=actor, candidate=candidate, outcome="hire", reason="Strong loop."
        ),
    }


def _state() -> tuple[object, ...]:
    return (
        list(Opening.objects.values_list("pk", "state")),
        list(Candidate.objects.values_list("pk", "stage")),
        list(Interview.objects.order_by("pk").values_list("pk", "scheduled_at")),
        sorted(Interview.interviewers.through.objects.values_list("interview_id", "employee_id")),
        Decision.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("username", ["engineer", "manager2", "engineer2", "director"])
@pytest.mark.parametrize(
    "call",
    [
        "close the opening",
        "add a candidate",
        "move a candidate",
        "add an interview",
        "change an interview",
        "remove an interview",
        "create the default loop",
        "record a decision",
    ],
)
def test_only_the_hiring_manager_or_hr_writes_to_an_opening(hiring, username, call):
    """Interviewers (engineer), hiring team members (manager2) and people outside (engineer2, the
    director above the hiring manager) are refused by the service itself."""
    before = _state()
    with pytest.raises(PermissionDenied, match="Only the opening's hiring manager or HR"):
        _calls(hiring)[call](user(username))
    assert _state() == before


@pytest.mark.parametrize("username", ["manager", "hr"])
def test_the_hiring_manager_and_hr_are_let_through(hiring, username):
    actor = user(username)
    candidate = services.candidate_add(actor=actor, opening=hiring["opening"], name="Sam Seeker")
    services.candidate_move(actor=actor, candidate=candidate, stage="screen")
    services.decision_record(actor=actor, candidate=candidate, outcome="hire", reason="Strong loop.")
    actions = list(AuditEntry.objects.filter(actor=actor).values_list("action", flat=True))
    assert {"hiring.candidate_add", "hiring.candidate_stage", "hiring.decision"} <= set(actions)
