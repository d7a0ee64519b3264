"""Helpers for the export tests: a cycle in calibration with a rating moved, and the text of a PDF job."""

import io
import zipfile
from typing import Any

from pypdf import PdfReader

from jobs.models import Job
from reviews.models import Cycle, Review
from reviews.services import review_calibrate
from tests.reviews.cycle_support import move, review_of, user


def pdf_text(content: bytes) -> str:
    """The text of every page, with runs of white space made single (PDF text breaks lines anywhere)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def job_pdf_text(job: Job) -> str:
    with job.result_file.open("rb") as handle:
        return pdf_text(handle.read())


def zip_names(job: Job) -> list[str]:
    with job.result_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        return sorted(archive.namelist())


def calibrated_with_reason(cycle: Cycle, username: str, *, final: int, justification: str) -> Review:
    """`username`'s review submitted by both sides (all 3s) and calibrated by HR to `final`."""
    review = move(review_of(cycle, username), "manager_submitted")
    return review_calibrate(
        actor=user("hr"), review=review, version=review.version, final_rating=final, justification=justification
    )


def exported(kind: str, requester: str, params: dict[str, Any], capture: Any) -> Job:
    """Start an export as `requester` and run it (eagerly, its parts and merge included)."""
    from jobs.services import job_start

    with capture(execute=True):
        job = job_start(kind=kind, requester=user(requester), params=params)
    job.refresh_from_db()
    return job
