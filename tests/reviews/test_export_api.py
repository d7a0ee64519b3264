"""The export endpoints start a job (202) as the access policy allows, and answer the running job again."""

import pytest

from jobs.models import Job
from tests.reviews.api_support import as_

pytestmark = pytest.mark.django_db


def packet_url(cycle, username: str) -> str:  # type: ignore[no-untyped-def]
    from tests.reviews.cycle_support import review_of

    return f"/api/v1/reviews/{review_of(cycle, username).pk}/packet/"


def test_it_starts_a_packet_job_for_someone_who_may_open_the_review(open_cycle):
    response = as_("engineer").post(packet_url(open_cycle, "engineer"))

    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job_id"])
    assert (job.kind, job.requester.username, job.state) == (Job.Kind.REVIEW_PACKET, "engineer", Job.State.QUEUED)
    assert response.json()["created"] is True
    assert response.json()["job_url"].endswith(f"/api/v1/jobs/{job.pk}/")


def test_asking_again_while_it_runs_answers_the_same_job(open_cycle):
    first = as_("manager").post(packet_url(open_cycle, "engineer")).json()
    again = as_("manager").post(packet_url(open_cycle, "engineer")).json()

    assert again["job_id"] == first["job_id"]
    assert again["created"] is False
    assert Job.objects.count() == 1


@pytest.mark.parametrize(("username", "status"), [("engineer2", 404), ("manager2", 404), (None, 401)])
def test_a_packet_outside_the_callers_scope_is_not_found(open_cycle, username, status):
    response = as_(username).post(packet_url(open_cycle, "engineer"))

    assert response.status_code == status
    assert not Job.objects.exists()


def test_hr_starts_a_calibration_pack_for_a_group(open_cycle):
    from org.models import Team

    team = Team.objects.get(slug="platform")
    response = as_("hr").post(
        f"/api/v1/cycles/{open_cycle.pk}/calibration-export/", {"team": team.pk, "sort": "-manager_score"}
    )

    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.kind == Job.Kind.CALIBRATION_PACK
    assert job.params["cycle"] == open_cycle.pk
    assert job.params["filters"]["team"] == str(team.pk)


@pytest.mark.parametrize("username", ["engineer", "manager", "director"])
def test_only_hr_exports_a_calibration_pack_or_every_packet(open_cycle, username):
    for path in ("calibration-export", "packets-export"):
        response = as_(username).post(f"/api/v1/cycles/{open_cycle.pk}/{path}/")

        assert response.status_code == 403, path
    assert not Job.objects.exists()


def test_an_unknown_cycle_is_not_found(open_cycle):
    response = as_("hr").post(f"/api/v1/cycles/{open_cycle.pk + 1000}/calibration-export/")

    assert response.status_code == 404


def test_a_filter_naming_nothing_is_refused_and_starts_nothing(open_cycle):
    response = as_("hr").post(f"/api/v1/cycles/{open_cycle.pk}/calibration-export/", {"team": "not-a-number"})

    assert response.status_code == 400
    assert "team" in response.json()
    assert not Job.objects.exists()


def test_hr_starts_a_zip_of_every_packet(open_cycle):
    response = as_("hr").post(f"/api/v1/cycles/{open_cycle.pk}/packets-export/")

    assert response.status_code == 202
    assert Job.objects.get(pk=response.json()["job_id"]).kind == Job.Kind.REVIEW_PACKETS_ZIP


def test_a_body_that_is_not_an_object_is_refused(open_cycle):
    response = as_("hr").post(f"/api/v1/cycles/{open_cycle.pk}/calibration-export/", [1, 2])

    assert response.status_code == 400
    assert "JSON object" in response.json()["detail"]
    assert not Job.objects.exists()
