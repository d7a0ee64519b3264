"""The exports rendered end to end (eagerly, parts and merge included): what the files hold, for whom."""

import io

import pytest
from pypdf import PdfReader

from jobs.models import Job
from reviews.models import Review
from tests.reviews.cycle_support import move, review_of
from tests.reviews.export_support import calibrated_with_reason, exported, job_pdf_text, zip_names

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script> <img src="file:///etc/passwd"> <style>body{display:none}</style>'


@pytest.fixture
def calibrating_cycle(open_cycle, settings, media_root):  # type: ignore[no-untyped-def]
    """engineer calibrated up to 4 with a reason, engineer2 manager-submitted, newhire still a draft.
    One person per part, so that the pack is split and merged."""
    settings.JOB_PART_SIZE = 1
    calibrated_with_reason(open_cycle, "engineer", final=4, justification="Led the payments migration " + HOSTILE)
    move(review_of(open_cycle, "engineer2"), "manager_submitted")
    return open_cycle


@pytest.fixture
def media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_calibration_pack_holds_everyone_and_every_adjustment(
    calibrating_cycle, django_capture_on_commit_callbacks
):
    job = exported(
        Job.Kind.CALIBRATION_PACK,
        "hr",
        {"cycle": calibrating_cycle.pk, "filters": {}},
        django_capture_on_commit_callbacks,
    )

    assert job.state == Job.State.SUCCEEDED, job.error
    people = Review.objects.filter(cycle=calibrating_cycle).values_list("employee__name", flat=True)
    assert job.items_total == len(people) == job.items_done
    assert job.result_name.startswith("calibration-pack-") and job.result_name.endswith(".pdf")
    text = job_pdf_text(job)
    for name in people:
        assert name in text
    assert "Adjustments and their justifications" in text
    assert "Led the payments migration" in text
    # Hostile text is printed as text, never acted on.
    assert "<script>alert(1)</script>" in text
    assert 'src="file:///etc/passwd"' in text
    assert "<style>body{display:none}</style>" in text
    # One bookmark for the summary and one per person, whichever worker rendered their page.
    with job.result_file.open("rb") as handle:
        outline = PdfReader(io.BytesIO(handle.read())).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == [calibrating_cycle.name, *people]


def test_the_pack_of_a_group_leaves_out_everyone_else(calibrating_cycle, django_capture_on_commit_callbacks):
    from org.models import Team

    payments = Team.objects.get(slug="payments")
    job = exported(
        Job.Kind.CALIBRATION_PACK,
        "hr",
        {"cycle": calibrating_cycle.pk, "filters": {"team": str(payments.pk)}},
        django_capture_on_commit_callbacks,
    )

    text = job_pdf_text(job)
    engineer2 = review_of(calibrating_cycle, "engineer2").employee.name
    engineer = review_of(calibrating_cycle, "engineer").employee.name
    assert engineer2 in text
    assert engineer not in text
    assert "Led the payments migration" not in text


def test_the_zip_holds_one_packet_per_person(calibrating_cycle, django_capture_on_commit_callbacks):
    job = exported(
        Job.Kind.REVIEW_PACKETS_ZIP,
        "hr",
        {"cycle": calibrating_cycle.pk, "filters": {}},
        django_capture_on_commit_callbacks,
    )

    assert job.state == Job.State.SUCCEEDED, job.error
    names = zip_names(job)
    assert len(names) == Review.objects.filter(cycle=calibrating_cycle).count()
    assert all(name.endswith(".pdf") for name in names)
    assert any("engineer2" in name for name in names)


def test_an_engineers_packet_shows_only_what_they_may_see(calibrating_cycle, django_capture_on_commit_callbacks):

    review = review_of(calibrating_cycle, "engineer")
    job = exported(Job.Kind.REVIEW_PACKET, "engineer", {"review": review.pk}, django_capture_on_commit_callbacks)

    assert job.state == Job.State.SUCCEEDED, job.error
    text = job_pdf_text(job)
    assert review.employee.name in text
    # Calibrated but not shared yet: the final rating and its justification are not the engineer's to read.
    assert "Led the payments migration" not in text


def test_a_packet_for_a_review_the_requester_no_longer_sees_fails_with_a_message(
    open_cycle, django_capture_on_commit_callbacks
):
    review = review_of(open_cycle, "engineer")
    job = exported(Job.Kind.REVIEW_PACKET, "engineer2", {"review": review.pk}, django_capture_on_commit_callbacks)

    assert job.state == Job.State.FAILED
    assert job.error == "That review is no longer available to you."
    assert not job.result_file


def test_a_manager_who_lost_calibration_rights_gets_a_failed_pack(open_cycle, django_capture_on_commit_callbacks):
    job = exported(
        Job.Kind.CALIBRATION_PACK,
        "engineer2",
        {"cycle": open_cycle.pk, "filters": {}},
        django_capture_on_commit_callbacks,
    )

    assert job.state == Job.State.FAILED
    assert job.error == "You may no longer read this cycle's calibration."
