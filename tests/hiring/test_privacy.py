import pytest
from django.urls import reverse

from tests.hiring.conftest import client_for
from tests.hiring.support import submit

pytestmark = pytest.mark.django_db


def test_an_engineer_outside_the_hiring_team_gets_404_everywhere(hiring):
    submit(hiring["engineer_interview"], {"System design & architecture": "yes"})
    candidate, opening, interview = hiring["candidate"], hiring["opening"], hiring["engineer_interview"]
    client = client_for("engineer2")
    urls = [
        ("get", reverse("hiring:opening", args=[opening.pk])),
        ("get", reverse("hiring:candidate", args=[candidate.pk])),
        ("get", reverse("hiring:scorecard", args=[interview.pk])),
        ("get", reverse("hiring:debrief", args=[candidate.pk])),
        ("post", reverse("hiring:debrief_pdf", args=[candidate.pk])),
        ("get", reverse("api-hiring-opening-detail", args=[opening.pk])),
        ("get", reverse("api-hiring-candidate-detail", args=[candidate.pk])),
        ("get", reverse("api-hiring-debrief", args=[candidate.pk])),
        ("post", reverse("api-hiring-decision-create", args=[candidate.pk])),
        ("post", reverse("api-hiring-debrief-pdf", args=[candidate.pk])),
        ("post", reverse("api-hiring-scorecard-submit", args=[interview.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    assert candidate.name not in client.get(reverse("hiring:index")).content.decode()
    assert client.get(reverse("api-hiring-opening-list")).json() == []


def test_the_hiring_team_sees_the_private_notes(hiring):
    url = reverse("hiring:candidate", args=[hiring["candidate"].pk])
    assert "Notice period" in client_for("manager2").get(url).content.decode()
    assert client_for("manager2").get(reverse("api-hiring-opening-list")).json()[0]["id"] == hiring["opening"].pk


def test_the_hiring_manager_builds_the_loop_through_the_api(hiring):
    url = reverse("api-hiring-interview-create", args=[hiring["candidate"].pk])
    body = {"exercise": "Production debugging scenario", "interviewer": "director", "focus": ["Operational excellence"]}
    assert client_for("engineer").post(url, body, content_type="application/json").status_code == 403
    response = client_for("manager").post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["focus"] == ["Operational excellence"]
    # The new interviewer joins the hiring team and now sees the candidate.
    assert client_for("director").get(reverse("hiring:candidate", args=[hiring["candidate"].pk])).status_code == 200
    bad = client_for("manager").post(url, {**body, "exercise": "Karaoke"}, content_type="application/json")
    assert bad.status_code == 400 and "exercise" in bad.json()


def test_an_engineer_outside_the_hiring_team_gets_404_on_every_new_route(hiring):
    candidate, opening, interview = hiring["candidate"], hiring["opening"], hiring["engineer_interview"]
    client = client_for("engineer2")
    urls = [
        ("get", reverse("hiring:candidate_new", args=[opening.pk])),
        ("post", reverse("hiring:candidate_new", args=[opening.pk])),
        ("post", reverse("hiring:opening_state", args=[opening.pk])),
        ("post", reverse("hiring:candidate_stage", args=[candidate.pk])),
        ("post", reverse("hiring:loop_default", args=[candidate.pk])),
        ("get", reverse("hiring:interview_new", args=[candidate.pk])),
        ("post", reverse("hiring:interview_new", args=[candidate.pk])),
        ("get", reverse("hiring:interview_edit", args=[interview.pk])),
        ("post", reverse("hiring:interview_edit", args=[interview.pk])),
        ("post", reverse("hiring:interview_remove", args=[interview.pk])),
        ("post", reverse("hiring:scorecard_draft", args=[interview.pk])),
        ("post", reverse("api-hiring-opening-state", args=[opening.pk])),
        ("post", reverse("api-hiring-candidate-stage", args=[candidate.pk])),
        ("post", reverse("api-hiring-loop-default", args=[candidate.pk])),
        ("get", reverse("api-hiring-interview-detail", args=[interview.pk])),
        ("patch", reverse("api-hiring-interview-detail", args=[interview.pk])),
        ("delete", reverse("api-hiring-interview-detail", args=[interview.pk])),
        ("get", reverse("api-hiring-scorecard-draft", args=[interview.pk])),
        ("put", reverse("api-hiring-scorecard-draft", args=[interview.pk])),
        ("delete", reverse("api-hiring-scorecard-draft", args=[interview.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, f"{method} {url}"
    # Nothing changed behind the 404s.
    candidate.refresh_from_db()
    assert candidate.stage == "applied" and candidate.interviews.count() == 2
