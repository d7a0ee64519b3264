"""The export buttons of the review and calibration pages start a job and show its progress."""

import pytest

from jobs.models import Job
from tests.reviews.cycle_support import client_as, review_of

pytestmark = pytest.mark.django_db


def test_the_packet_button_sends_a_plain_browser_to_the_jobs_page(open_cycle):
    review = review_of(open_cycle, "engineer")

    response = client_as("engineer").post(f"/reviews/{review.pk}/packet/")

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"


def test_the_packet_button_answers_htmx_with_the_progress_bar(open_cycle):
    review = review_of(open_cycle, "engineer")

    response = client_as("engineer").post(f"/reviews/{review.pk}/packet/", headers={"HX-Request": "true"})

    job = Job.objects.get()
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="job-progress-{job.pk}"' in body
    assert 'hx-trigger="every 1s"' in body
    assert "<progress" in body


def test_the_review_page_offers_the_packet(open_cycle):
    review = review_of(open_cycle, "engineer")

    body = client_as("engineer").get(f"/reviews/{review.pk}/").content.decode()

    assert f'action="/reviews/{review.pk}/packet/"' in body


def test_the_same_export_again_shows_the_running_job(open_cycle):
    client = client_as("hr")

    client.post(f"/cycles/{open_cycle.pk}/calibration/export/", {"sort": "name"})
    response = client.post(f"/cycles/{open_cycle.pk}/calibration/export/", {"sort": "name"}, follow=True)

    job = Job.objects.get()
    assert job.kind == Job.Kind.CALIBRATION_PACK
    assert "The same export is already running" in response.content.decode()


@pytest.mark.parametrize("path", ["calibration/export", "calibration/packets"])
def test_managers_may_not_export_a_cycle(open_cycle, path):
    response = client_as("manager").post(f"/cycles/{open_cycle.pk}/{path}/")

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_the_progress_shows_people_rendered_and_a_failure_its_message(open_cycle, hr_user=None):
    from django.contrib.auth.models import User

    hr = User.objects.get(username="hr")
    running = Job.objects.create(
        kind=Job.Kind.CALIBRATION_PACK,
        requester=hr,
        state=Job.State.RUNNING,
        items_total=40,
        items_done=12,
        progress=28,
    )
    failed = Job.objects.create(
        kind=Job.Kind.REVIEW_PACKET,
        requester=hr,
        state=Job.State.FAILED,
        error="That review is no longer available to you.",
    )
    client = client_as("hr")

    assert "12 of 40 people rendered" in client.get(f"/jobs/{running.pk}/progress/").content.decode()
    assert "That review is no longer available to you." in client.get(f"/jobs/{failed.pk}/progress/").content.decode()
