"""The self-assessment API: start, answer with the version read (stale: 409), bad answers (400), submit,
the manager's view; every answer is JSON."""

import pytest

from ladder.models import Assessment, ManagerView
from tests.ladder.support import client_as, rate, submitted

pytestmark = pytest.mark.django_db
URL = "/api/v1/ladder/assessments/"


def _start(client):
    response = client.post(URL, content_type="application/json")
    return response.status_code, response.json()


def _patch(client, assessment_id, body):
    return client.patch(f"{URL}{assessment_id}/", body, content_type="application/json")


def test_it_starts_a_draft_once(org):
    client = client_as("engineer")
    status, body = _start(client)
    assert status == 201
    assert body["state"] == "draft" and body["version"] == 1
    assert [s["importance"] for s in body["skills"]] == ["critical", "important", "optional", "expert"]
    assert [s["weight"] for s in body["skills"]] == [3, 2, 1, 1]
    assert body["level"]["name"] == "Staff Software Engineer"
    assert body["next_level"]["name"] == "Senior Staff Software Engineer"
    assert [c["text"] for c in body["criteria"]] == ["Criterion 1", "Criterion 2"]
    again_status, again = _start(client)
    assert (again_status, again["id"]) == (200, body["id"])


def test_it_refuses_a_start_without_a_role(org):
    status, body = _start(client_as("manager"))
    assert status == 400 and "published blueprint" in body["detail"]


def test_it_writes_answers_with_the_version_read(org):
    client = client_as("engineer")
    _status, body = _start(client)
    skill = body["skills"][0]["skill"]
    criterion = body["criteria"][0]["criterion"]
    response = _patch(
        client,
        body["id"],
        {
            "version": 1,
            "skills": [
                {
                    "skill": skill,
                    "score": 2,
                    "evidence": "Led the design review.",
                    "links": ["https://wiki.example.test/adr/1"],
                    "kpis": ["Change failure rate (DORA)"],
                }
            ],
            "criteria": [{"criterion": criterion, "status": "partly", "evidence": "Half-way."}],
        },
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["version"] == 2
    first = data["skills"][0]
    assert (first["score"], first["gap"], first["weighted_gap"]) == (2, 1, 3)
    assert first["links"] == ["https://wiki.example.test/adr/1"] and first["kpis"] == ["Change failure rate (DORA)"]
    assert data["criteria"][0]["status"] == "partly"
    assert data["standing"]["weighted_gap"] == 3 and data["standing"]["gaps"] == [skill]

    stale = _patch(client, body["id"], {"version": 1, "skills": [{"skill": skill, "score": 5}]})
    assert stale.status_code == 409 and stale.json()["version"] == 2
    assert Assessment.objects.get().skills.get(skill_id=skill).score == 2


@pytest.mark.parametrize("score", [0, 6, "4", 3.5, True])
def test_it_refuses_a_score_outside_1_to_5(org, score):
    client = client_as("engineer")
    _status, body = _start(client)
    response = _patch(
        client, body["id"], {"version": 1, "skills": [{"skill": body["skills"][0]["skill"], "score": score}]}
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert Assessment.objects.get().version == 1


def test_it_refuses_unknown_skills_and_kpis_and_writes_nothing(org):
    client = client_as("engineer")
    _status, body = _start(client)
    skill = body["skills"][0]["skill"]
    response = _patch(
        client,
        body["id"],
        {"version": 1, "skills": [{"skill": skill, "score": 3}, {"skill": 999999, "score": 3}]},
    )
    assert response.status_code == 400 and "not a skill of this self-assessment" in str(response.json())
    response = _patch(client, body["id"], {"version": 1, "skills": [{"skill": skill, "kpis": ["Lines of code"]}]})
    assert response.status_code == 400 and "not a KPI" in str(response.json())
    assert Assessment.objects.get().skills.filter(score__isnull=False).count() == 0


def test_it_submits_when_complete_and_lists_what_is_missing_otherwise(org):
    client = client_as("engineer")
    _status, body = _start(client)
    assessment = Assessment.objects.get(pk=body["id"])
    rate(assessment, [3, 3, 3, None])
    incomplete = client.post(f"{URL}{body['id']}/submit/", {}, content_type="application/json")
    assert incomplete.status_code == 400 and incomplete.json()["missing_skills"] == ["Skill 4"]
    rate(assessment, [3, 3, 3, 3])
    done = client.post(f"{URL}{body['id']}/submit/", {}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["state"] == "submitted" and done.json()["standing"]["suggested_readiness"] == "ready_soon"
    again = _patch(client, body["id"], {"version": done.json()["version"], "skills": []})
    assert again.status_code == 403


def test_the_manager_records_views_and_history_is_kept(org):
    assessment = submitted("engineer", [3, 2, 3, 3])
    manager = client_as("manager")
    url = f"{URL}{assessment.pk}/manager-view/"
    first = manager.post(url, {"readiness": "developing", "comment": "Close."}, content_type="application/json")
    second = manager.post(url, {"readiness": "ready_soon"}, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 201)
    assert manager.post(url, {"readiness": "promote"}, content_type="application/json").status_code == 400
    assert client_as("engineer").post(url, {"readiness": "ready"}, content_type="application/json").status_code == 403
    views = client_as("engineer").get(f"{URL}{assessment.pk}/").json()["manager_views"]
    assert [v["readiness"] for v in views] == ["ready_soon", "developing"]
    assert ManagerView.objects.count() == 2


def test_readers_list_a_persons_submitted_assessments(org):
    submitted("engineer", [3, 3, 3, 3], days_ago=30)
    assert len(client_as("manager").get(f"{URL}?employee=engineer").json()) == 1
    assert len(client_as("hr").get(f"{URL}?employee=engineer").json()) == 1
    assert len(client_as("engineer").get(URL).json()) == 1
