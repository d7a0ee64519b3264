"""Adding candidates and building their interview loop: the default loop from the blueprint, adding,
changing and removing interviews, on the pages and in the API."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from hiring.models import Candidate, Interview
from org.models import Employee
from tests.hiring.conftest import client_for
from tests.hiring.support import submit

pytestmark = pytest.mark.django_db


def _pk(username: str) -> int:
    return Employee.objects.get(user__username=username).pk


def test_the_hiring_manager_adds_a_candidate_on_the_opening_page(hiring):
    opening = hiring["opening"]
    client = client_for("manager")
    assert "Add a candidate" in client.get(reverse("hiring:opening", args=[opening.pk])).content.decode()
    body = {"name": "Robin Referral", "email": "robin@example.com", "source": "Referral", "private_notes": "Asks 120k"}
    response = client.post(reverse("hiring:candidate_new", args=[opening.pk]), body)
    candidate = Candidate.objects.get(name="Robin Referral")
    assert response.status_code == 302 and response["Location"] == reverse("hiring:candidate", args=[candidate.pk])
    assert candidate.stage == "applied" and candidate.private_notes == "Asks 120k"
    entry = AuditEntry.objects.get(action="hiring.candidate_add", target_id=str(candidate.pk))
    assert entry.actor.username == "manager" and entry.after["opening"] == opening.pk
    bad = client.post(reverse("hiring:candidate_new", args=[opening.pk]), {"name": "", "email": "not-an-email"})
    assert bad.status_code == 400 and b"errorlist" in bad.content
    # The rest of the hiring team reads the candidate but does not add any.
    assert client_for("manager2").post(reverse("hiring:candidate_new", args=[opening.pk]), body).status_code == 403


def test_one_click_creates_the_default_loop_from_the_blueprint(hiring):
    opening = hiring["opening"]
    candidate = Candidate.objects.create(opening=opening, name="Dana Default")
    client = client_for("manager")
    page = client.get(reverse("hiring:candidate", args=[candidate.pk])).content.decode()
    assert "Create the default loop" in page
    response = client.post(reverse("hiring:loop_default", args=[candidate.pk]), follow=True)
    assert "Added 4 interviews from the blueprint" in response.content.decode()
    loop = list(candidate.interviews.prefetch_related("focus", "interviewers").order_by("pk"))
    assert [i.exercise for i in loop] == [
        "System design exercise",
        "Production debugging scenario",
        "Design review writing sample",
        "Code review exercise",
    ]
    assert all(i.focus.exists() and not i.interviewers.exists() for i in loop)
    assert "System design & architecture" in {d.name for d in loop[0].focus.all()}
    assert "Hands-on coding & debugging" in {d.name for d in loop[1].focus.all()}
    assert AuditEntry.objects.filter(action="hiring.interview_add", after__candidate=candidate.pk).count() == 4
    # Nothing left to add: a message, nothing created.
    again = client.post(reverse("hiring:loop_default", args=[candidate.pk]), follow=True)
    assert "already has every practical exercise" in again.content.decode()
    assert candidate.interviews.count() == 4


def test_the_default_loop_adds_only_the_missing_exercises_in_the_api(hiring):
    candidate = hiring["candidate"]
    response = client_for("hr").post(reverse("api-hiring-loop-default", args=[candidate.pk]))
    assert response.status_code == 201
    assert [i["exercise"] for i in response.json()] == ["Production debugging scenario", "Design review writing sample"]
    assert all(i["interviewers"] == [] for i in response.json())


def test_the_hiring_manager_adds_an_interview_with_two_interviewers(hiring):
    candidate = hiring["candidate"]
    body = {
        "exercise": "Production debugging scenario",
        "interviewers": [_pk("director"), _pk("engineer2")],
        "focus": ["Operational excellence", "Hands-on coding & debugging"],
        "scheduled_at": "2026-12-10T14:30",
    }
    response = client_for("manager").post(reverse("hiring:interview_new", args=[candidate.pk]), body)
    interview = Interview.objects.get(candidate=candidate, exercise="Production debugging scenario")
    assert response.status_code == 302 and response["Location"].endswith(f"#interview-{interview.pk}")
    assert {e.user.username for e in interview.interviewers.all()} == {"director", "engineer2"}
    assert interview.scheduled_at is not None
    entry = AuditEntry.objects.get(action="hiring.interview_add", target_id=str(interview.pk))
    assert sorted(entry.after["interviewers"]) == sorted([_pk("director"), _pk("engineer2")])
    # Both interviewers join the hiring team and may write their scorecards.
    for username in ("director", "engineer2"):
        assert client_for(username).get(reverse("hiring:scorecard", args=[interview.pk])).status_code == 200
    no_focus = client_for("manager").post(reverse("hiring:interview_new", args=[candidate.pk]), {**body, "focus": []})
    assert no_focus.status_code == 400 and "Choose at least one dimension" in no_focus.content.decode()


def test_editing_an_interview_keeps_who_submitted_and_its_focus(hiring):
    interview = hiring["engineer_interview"]  # engineer and newhire
    url = reverse("hiring:interview_edit", args=[interview.pk])
    focus = ["System design & architecture", "Communication"]
    client = client_for("manager")
    added = client.post(url, {"interviewers": [_pk("engineer"), _pk("newhire"), _pk("director")], "focus": focus})
    assert added.status_code == 302
    assert set(interview.interviewers.values_list("user__username", flat=True)) == {"engineer", "newhire", "director"}
    submit(interview, {"System design & architecture": "yes"}, by="engineer")
    dropped = client.post(url, {"interviewers": [_pk("newhire")], "focus": focus})
    assert dropped.status_code == 400 and "submitted a scorecard for it and stays" in dropped.content.decode()
    refocused = client.post(url, {"interviewers": [_pk("engineer")], "focus": ["Communication"]})
    assert refocused.status_code == 400 and "no longer changes" in refocused.content.decode()
    assert set(interview.interviewers.values_list("user__username", flat=True)) == {"engineer", "newhire", "director"}
    # Removing someone who has not submitted is fine, and audited.
    assert client.post(url, {"interviewers": [_pk("engineer"), _pk("newhire")], "focus": focus}).status_code == 302
    entry = AuditEntry.objects.filter(action="hiring.interview_update").latest("pk")
    assert _pk("director") in entry.before["interviewers"] and _pk("director") not in entry.after["interviewers"]


def test_removing_an_interview_only_before_any_scorecard(hiring):
    candidate = hiring["candidate"]
    code_review = hiring["manager2_interview"]
    client = client_for("manager")
    client.post(reverse("hiring:interview_remove", args=[code_review.pk]))
    assert not Interview.objects.filter(pk=code_review.pk).exists()
    assert AuditEntry.objects.get(action="hiring.interview_remove").before["exercise"] == "Code review exercise"
    design = hiring["engineer_interview"]
    submit(design, {"System design & architecture": "yes"})
    refused = client.post(reverse("hiring:interview_remove", args=[design.pk]), follow=True)
    assert "stays in the loop as evidence" in refused.content.decode()
    api = client.delete(reverse("api-hiring-interview-detail", args=[design.pk]))
    assert api.status_code == 400 and Interview.objects.filter(candidate=candidate).count() == 1


def test_the_api_changes_an_interviews_panel(hiring):
    interview = hiring["manager2_interview"]
    url = reverse("api-hiring-interview-detail", args=[interview.pk])
    response = client_for("manager").patch(
        url, {"interviewers": ["manager2", "director"]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert [p["username"] for p in response.json()["interviewers"]] == ["director", "manager2"]
    assert response.json()["focus"] == ["Hands-on coding & debugging", "Security & quality mindset"]
    assert client_for("manager2").patch(url, {"interviewers": []}, content_type="application/json").status_code == 403
    assert client_for("director").get(url).json()["exercise"] == "Code review exercise"
    unknown = client_for("manager").patch(url, {"interviewers": ["nobody"]}, content_type="application/json")
    assert unknown.status_code == 400


def test_the_api_still_takes_a_single_interviewer(hiring):
    response = client_for("manager").post(
        reverse("api-hiring-interview-create", args=[hiring["candidate"].pk]),
        {"exercise": "Design review writing sample", "interviewer": "director", "focus": ["Communication"]},
        content_type="application/json",
    )
    assert response.status_code == 201 and [p["username"] for p in response.json()["interviewers"]] == ["director"]
