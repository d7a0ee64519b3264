"""Who sees and does what: another engineer sees nothing (404) on the pages and the API; the manager and
their chain read a report's submitted assessments and record a view; a draft is the person's alone; HR
edits the ladder and everyone else is refused (403)."""

import pytest

from ladder.models import ManagerView, Track
from tests.ladder.support import client_as, start, submitted

pytestmark = pytest.mark.django_db


def test_another_engineer_sees_nothing(org):
    assessment = submitted("engineer", [3, 3, 3, 3])
    other = client_as("engineer2")
    for url in (f"/ladder/assessments/{assessment.pk}/", "/ladder/people/engineer/"):
        assert other.get(url).status_code == 404
    assert other.post(f"/ladder/assessments/{assessment.pk}/manager-view/", {"readiness": "ready"}).status_code == 404
    assert other.post(f"/ladder/assessments/{assessment.pk}/pdf/").status_code == 404
    for url in (f"/api/v1/ladder/assessments/{assessment.pk}/", "/api/v1/ladder/assessments/?employee=engineer"):
        response = other.get(url)
        assert response.status_code == 404 and response.json()["detail"]
    assert other.get("/api/v1/ladder/assessments/").json() == []
    assert not ManagerView.objects.exists()


def test_the_manager_reads_a_report_and_records_a_view(org):
    assessment = submitted("engineer", [3, 2, 3, 3])
    manager = client_as("manager")
    page = manager.get("/ladder/people/engineer/")
    assert page.status_code == 200 and f"/ladder/assessments/{assessment.pk}/" in page.content.decode()
    assert manager.get(f"/ladder/assessments/{assessment.pk}/").status_code == 200
    response = manager.post(
        f"/ladder/assessments/{assessment.pk}/manager-view/",
        {"readiness": "developing", "comment": "One more quarter."},
    )
    assert response.status_code == 302
    view = ManagerView.objects.get()
    assert (view.readiness, view.comment, view.manager.user.username) == ("developing", "One more quarter.", "manager")
    assert "One more quarter." in client_as("engineer").get(f"/ladder/assessments/{assessment.pk}/").content.decode()


def test_the_director_reads_and_records_hr_only_reads(org):
    assessment = submitted("engineer", [3, 3, 3, 3])
    assert (
        client_as("director")
        .post(f"/ladder/assessments/{assessment.pk}/manager-view/", {"readiness": "ready"})
        .status_code
        == 302
    )
    hr = client_as("hr")
    assert hr.get(f"/ladder/assessments/{assessment.pk}/").status_code == 200
    assert hr.post(f"/ladder/assessments/{assessment.pk}/manager-view/", {"readiness": "ready"}).status_code == 403
    assert (
        client_as("engineer")
        .post(f"/ladder/assessments/{assessment.pk}/manager-view/", {"readiness": "ready"})
        .status_code
        == 403
    )


def test_a_draft_is_the_persons_alone(org):
    draft = start()
    assert client_as("engineer").get(f"/ladder/assessments/{draft.pk}/").status_code == 200
    assert client_as("manager").get(f"/ladder/assessments/{draft.pk}/").status_code == 403
    assert client_as("manager").get(f"/api/v1/ladder/assessments/{draft.pk}/").status_code == 403
    assert "Draft" not in client_as("manager").get("/ladder/people/engineer/").content.decode()


def test_hr_edits_the_ladder_and_others_are_refused(org):
    for username in ("engineer", "manager", "director"):
        client = client_as(username)
        assert client.post("/ladder/tracks/new/", {"name": "Management"}).status_code == 403
        assert (
            client.post("/api/v1/ladder/tracks/", {"name": "Management"}, content_type="application/json").status_code
            == 403
        )
    assert client_as("hr").post("/ladder/tracks/new/", {"name": "Management"}).status_code == 302
    assert (
        client_as("hr").post("/api/v1/ladder/tracks/", {"name": "Data"}, content_type="application/json").status_code
        == 201
    )
    assert set(Track.objects.values_list("name", flat=True)) == {"Software engineering (IC)", "Management", "Data"}


def test_everyone_signed_in_reads_the_ladder(org, client):
    assert client.get("/ladder/").status_code == 302
    for username in ("engineer", "engineer2", "hr"):
        page = client_as(username).get("/ladder/")
        assert page.status_code == 200 and "Staff Software Engineer" in page.content.decode()
