"""A large export is split into parts that workers render side by side and one merge joins."""

from pathlib import Path

import pytest

from jobs import services
from jobs.models import Job, JobPart
from jobs.tasks import JobError
from tests.jobs import split_probe

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(services.PART_RENDERERS, Job.Kind.CALIBRATION_PACK, "tests.jobs.split_probe.render_part")
    monkeypatch.setitem(services.PART_MERGERS, Job.Kind.CALIBRATION_PACK, "tests.jobs.split_probe.merge_parts")
    split_probe.SCRIPT = split_probe.Script()
    yield split_probe
    split_probe.SCRIPT = split_probe.Script()


def split_job(make_job, parts):  # type: ignore[no-untyped-def]
    return make_job(kind=Job.Kind.CALIBRATION_PACK, params={"parts": parts})


def files_under(media_root: Path) -> list[Path]:
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def test_it_renders_every_part_and_merges_them_in_order(
    make_job, probe, media_root, django_capture_on_commit_callbacks
):
    job = split_job(make_job, [["a", "b"], ["c"], ["d", "e"]])

    with django_capture_on_commit_callbacks(execute=True):
        probe.split_probe.delay(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert (job.items_done, job.items_total, job.progress) == (5, 5, 100)
    assert sorted(probe.SCRIPT.rendered) == [0, 1, 2]
    assert probe.SCRIPT.merged == 1
    assert job.result_file.read() == b"a,b|c|d,e"
    # The parts and their files are gone; the result is the only file left.
    assert not JobPart.objects.filter(job=job).exists()
    assert files_under(media_root) == [Path(job.result_file.path)]
    assert not (media_root / "jobs" / job.pk.hex / "parts").exists()


def test_its_files_live_under_an_unguessable_path(make_job, probe, media_root, django_capture_on_commit_callbacks):
    first = split_job(make_job, [["a"]])
    second = split_job(make_job, [["a"]])

    with django_capture_on_commit_callbacks(execute=True):
        probe.split_probe.delay(str(first.pk))
        probe.split_probe.delay(str(second.pk))

    first.refresh_from_db()
    second.refresh_from_db()
    first_path = Path(first.result_file.name)
    assert first_path.name == second.result_file.name.rsplit("/", 1)[-1] == "merged.txt"
    assert first_path.parts[:2] == ("jobs", first.pk.hex)
    # A random token of 16 bytes (22 URL-safe characters) sits between the job and the name.
    assert len(first_path.parts[2]) == 22
    assert first.result_file.name != second.result_file.name


def test_a_part_delivered_twice_is_counted_once(make_job, probe, django_capture_on_commit_callbacks):
    job = split_job(make_job, [["a", "b"], ["c"]])
    job.state = Job.State.RUNNING
    job.save()
    with django_capture_on_commit_callbacks(execute=False):
        parts = services.job_split(job=job, parts=[({"letters": ["a", "b"]}, 2), ({"letters": ["c"]}, 1)])

        assert services.job_part_finish(part=parts[0], content=b"a,b", name="part-0.txt") is True
        assert services.job_part_finish(part=parts[0], content=b"a,b", name="part-0.txt") is False

    job.refresh_from_db()
    assert (job.items_done, job.items_total) == (2, 3)
    assert job.progress == 63  # 95% of the way is the parts', the rest the merge's: 95 * 2 // 3
    assert job.merge_queued_at is None


def test_the_merge_is_queued_exactly_once(make_job, probe, monkeypatch, django_capture_on_commit_callbacks):
    queued: list[str] = []
    monkeypatch.setattr(services, "_merge_dispatch", lambda *, job_id: queued.append(job_id))
    job = split_job(make_job, [["a"], ["b"]])
    job.state = Job.State.RUNNING
    job.save()

    with django_capture_on_commit_callbacks(execute=True):
        parts = services.job_split(job=job, parts=[({"letters": ["a"]}, 1), ({"letters": ["b"]}, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        for part in parts:
            services.job_part_finish(part=part, content=b"x", name="x.txt")
        # A redelivered last part, and a split run again: still one merge.
        services.job_part_finish(part=parts[1], content=b"x", name="x.txt")
        services.job_split(job=job, parts=[])

    assert queued == [str(job.pk)]


def test_a_job_run_again_after_its_worker_died_renders_only_the_missing_parts(
    make_job, probe, media_root, django_capture_on_commit_callbacks
):
    job = split_job(make_job, [["a"], ["b"], ["c"]])
    # The first worker split the job and finished part 0, then was killed before queueing the rest.
    job.state = Job.State.RUNNING
    job.save()
    with django_capture_on_commit_callbacks(execute=False):
        parts = services.job_split(job=job, parts=[({"letters": [letter]}, 1) for letter in "abc"])
        services.job_part_finish(part=parts[0], content=b"a", name="part-0.txt")

    # The broker hands the unacknowledged message to a restarted worker.
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        probe.split_probe.delay(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert sorted(probe.SCRIPT.rendered) == [1, 2]
    assert job.result_file.read() == b"a|b|c"
    assert job.items_done == 3
    assert files_under(media_root) == [Path(job.result_file.path)]


def test_a_failing_part_fails_the_job_with_its_message(make_job, probe, django_capture_on_commit_callbacks):
    probe.SCRIPT.failures[1] = JobError("Part two could not be drawn.")
    job = split_job(make_job, [["a"], ["b"], ["c"]])

    with django_capture_on_commit_callbacks(execute=True):
        probe.split_probe.delay(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "Part two could not be drawn."
    assert probe.SCRIPT.merged == 0
    assert not job.result_file


def test_an_unexpected_error_in_a_part_shows_a_short_message(make_job, probe, django_capture_on_commit_callbacks):
    probe.SCRIPT.failures[0] = KeyError("secret internals")
    job = split_job(make_job, [["a"]])

    with django_capture_on_commit_callbacks(execute=True):
        probe.split_probe.delay(str(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "secret" not in job.error
    assert job.error.startswith("The job failed unexpectedly.")


def test_the_purge_removes_the_parts_a_failed_job_left(make_job, probe, media_root, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    probe.SCRIPT.failures[1] = JobError("No.")
    job = split_job(make_job, [["a"], ["b"]])
    with django_capture_on_commit_callbacks(execute=True):
        probe.split_probe.delay(str(job.pk))
    assert files_under(media_root)  # part 0's file

    services.job_purge_expired_files(created_before=timezone.now() + timedelta(seconds=1))

    assert files_under(media_root) == []
    assert not JobPart.objects.filter(job=job).exists()
