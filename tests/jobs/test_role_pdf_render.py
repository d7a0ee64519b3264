import io

import pytest
from pypdf import PdfReader

from jobs.models import Job
from jobs.services import job_start
from scorecards.services import blueprint_start_draft

pytestmark = pytest.mark.django_db


def test_it_renders_the_role_one_pager_into_the_job(engineer_user, staff_blueprint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind=Job.Kind.ROLE_PDF, requester=engineer_user, params={"role": staff_blueprint.role.slug, "version": 1}
        )

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.progress == 100
    assert job.result_name == "staff-software-engineer-v1.pdf"
    with job.result_file.open("rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Staff Software Engineer" in text


def test_it_fails_with_a_message_when_the_version_does_not_exist(
    engineer_user, staff_blueprint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind=Job.Kind.ROLE_PDF, requester=engineer_user, params={"role": staff_blueprint.role.slug, "version": 9}
        )

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "That role blueprint version is no longer available."
    assert not job.result_file


def test_it_does_not_render_a_draft_for_someone_who_may_not_see_drafts(
    engineer_user, hr_user, staff_blueprint, django_capture_on_commit_callbacks
):
    draft = blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)

    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind=Job.Kind.ROLE_PDF,
            requester=engineer_user,
            params={"role": staff_blueprint.role.slug, "version": draft.number},
        )

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
