"""The self-assessment PDF is a job: started from the page (or the API), rendered by the worker task, its text
holds the skills, the figures and the suggestion label."""

import io

import pytest
from pypdf import PdfReader

from jobs.models import Job
from tests.ladder.support import client_as, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_pdf_job_renders_the_skills_and_the_suggestion(org, django_capture_on_commit_callbacks):
    assessment = submitted("engineer", [2, 3, 4, 3])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("manager").post(f"/ladder/assessments/{assessment.pk}/pdf/")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.kind == "assessment_pdf" and job.state == "succeeded", job.error
    assert job.result_name.startswith("self-assessment-engineer-") and job.result_name.endswith(".pdf")
    with job.result_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for name in ("Skill 1", "Skill 2", "Skill 3", "Skill 4"):
        assert name in text
    assert "Suggestion - your manager records the actual view" in text
    assert "Gaps, critical first" in text and "Engineer" in text


def test_htmx_gets_the_progress_partial_and_the_api_a_job(org):
    assessment = submitted("engineer", [3, 3, 3, 3])
    client = client_as("engineer")
    partial = client.post(f"/ladder/assessments/{assessment.pk}/pdf/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "job-progress" in partial.content.decode()
    started = client.post(f"/api/v1/ladder/assessments/{assessment.pk}/pdf/")
    assert started.status_code == 202 and started.json()["job_id"]


def test_a_requester_who_may_no_longer_read_it_gets_a_failed_job(org):
    from ladder.tasks import assessment_pdf_render

    assessment = submitted("engineer", [3, 3, 3, 3])
    from django.contrib.auth.models import User

    job = Job.objects.create(
        kind=Job.Kind.ASSESSMENT_PDF,
        requester=User.objects.get(username="engineer2"),
        params={"assessment": assessment.pk},
    )
    assessment_pdf_render.apply(args=[str(job.pk)])
    job.refresh_from_db()
    assert job.state == "failed" and "no longer one you may read" in job.error
