"""A split job whose parts each test scripts, to watch jobs.services split, count and merge."""

from dataclasses import dataclass, field
from typing import Any

from jobs.models import Job, JobPart
from jobs.services import job_split
from jobs.tasks import CONTINUES, JobTask
from staffrole.celery import app


@dataclass
class Script:
    rendered: list[int] = field(default_factory=list)
    merged: int = 0
    # Part index -> an exception its renderer raises.
    failures: dict[int, BaseException] = field(default_factory=dict)


SCRIPT = Script()


@app.task(bind=True, base=JobTask, name="tests.jobs.split_probe")
def split_probe(self: JobTask, job_id: str) -> Any:
    """Params: {"parts": [["a", "b"], ["c"]]}: one part per list, one person per letter."""
    job = Job.objects.get(pk=job_id)
    job_split(job=job, parts=[({"letters": letters}, len(letters)) for letters in job.params["parts"]])
    return CONTINUES


def render_part(*, job: Job, part: JobPart) -> tuple[str, bytes]:
    SCRIPT.rendered.append(part.index)
    failure = SCRIPT.failures.get(part.index)
    if failure is not None:
        raise failure
    return f"part-{part.index}.txt", ",".join(part.params["letters"]).encode()


def merge_parts(*, job: Job, parts: list[JobPart]) -> tuple[str, bytes]:
    SCRIPT.merged += 1
    contents = []
    for part in parts:
        with part.file.open("rb") as handle:
            contents.append(handle.read())
    return "merged.txt", b"|".join(contents)
