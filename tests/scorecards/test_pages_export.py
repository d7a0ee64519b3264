import pytest

from jobs.models import Job

pytestmark = pytest.mark.django_db

EXPORT_URL = "/roles/staff-software-engineer/export/"


def test_it_starts_a_pdf_job_and_redirects_to_its_page(client, engineer_user, staff_blueprint):
    client.force_login(engineer_user)
    response = client.post(EXPORT_URL, {"version": 1})
    job = Job.objects.get()
    assert job.kind == Job.Kind.ROLE_PDF and job.requester == engineer_user
    assert job.params == {"role": "staff-software-engineer", "version": 1}
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"


def test_it_swaps_in_the_progress_partial_for_htmx(client, engineer_user, staff_blueprint):
    client.force_login(engineer_user)
    response = client.post(EXPORT_URL, {"version": 1}, HTTP_HX_REQUEST="true")
    job = Job.objects.get()
    assert response.status_code == 200
    page = response.content.decode()
    assert f'hx-get="/jobs/{job.pk}/progress/"' in page
    assert "<html" not in page


def test_it_exports_the_newest_published_version_without_a_number(client, engineer_user, staff_blueprint):
    client.force_login(engineer_user)
    client.post(EXPORT_URL)
    assert Job.objects.get().params["version"] == 1


def test_it_refuses_to_export_a_draft_to_people_outside_hr(client, engineer_user, hr_user, staff_blueprint):
    from scorecards.services import blueprint_start_draft

    blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)
    client.force_login(engineer_user)
    assert client.post(EXPORT_URL, {"version": 2}).status_code == 404
    assert not Job.objects.exists()
