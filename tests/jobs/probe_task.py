"""A job task whose behaviour each test scripts, to watch JobTask keep the job row current."""

from dataclasses import dataclass, field
from typing import Any

from jobs.models import Job
from jobs.tasks import JobTask
from staffrole.celery import app


@dataclass
class Script:
    # One entry per attempt: an exception to raise, or None to finish normally.
    attempts: list[BaseException | None] = field(default_factory=list)
    # What the task saw in the job row at each attempt: (state, attempts, progress).
    seen: list[tuple[str, int, int]] = field(default_factory=list)
    ran: int = 0


SCRIPT = Script()


@app.task(bind=True, base=JobTask, name="tests.jobs.probe")
def probe(self: JobTask, job_id: str) -> Any:
    job = Job.objects.get(pk=job_id)
    SCRIPT.ran += 1
    SCRIPT.seen.append((job.state, job.attempts, job.progress))
    self.report_progress(job, 40)
    outcome = SCRIPT.attempts.pop(0) if SCRIPT.attempts else None
    if outcome is not None:
        raise outcome
    return None
