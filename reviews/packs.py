"""What HR hands out: a review's packet, the calibration pack of a cycle (or a filtered group of it),
and a ZIP of every review packet of that group.

The Celery tasks in reviews.tasks call these with the job; jobs.services splits the two large
exports into parts (the pack's summary, then a few people per part) that several workers render
side by side, and the merge functions here join the parts into the one file the job keeps.
Everything is read as the job's requester: a pack or packet never holds what they may not see.
"""

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfReader, PdfWriter

from jobs.models import Job, JobPart
from jobs.tasks import JobError
from reviews.calibration import CalibrationFilters, calibration_adjustments, calibration_overview
from reviews.models import Cycle
from reviews.packets import condensed_pages, review_packet_pdf
from staffrole import access
from staffrole.access import Access
from staffrole.pdf import render_pdf

MESSAGE_CYCLE_GONE = "That review cycle no longer exists."
MESSAGE_NOT_ALLOWED = "You may no longer read this cycle's calibration."
MESSAGE_REVIEW_GONE = "That review is no longer available to you."


def review_packet(*, job: Job) -> tuple[str, bytes]:
    try:
        return review_packet_pdf(review_id=int(job.params.get("review", 0)), requester=job.requester)
    except (Http404, TypeError, ValueError) as exc:
        raise JobError(MESSAGE_REVIEW_GONE) from exc


def export_subject(*, job: Job) -> tuple[Cycle, CalibrationFilters]:
    """The cycle and the group of a pack or ZIP job, checked against the requester's rights now."""
    cycle = Cycle.objects.filter(pk=job.params.get("cycle")).first()
    if cycle is None:
        raise JobError(MESSAGE_CYCLE_GONE)
    if access.calibration_access(job.requester) is Access.NONE:
        raise JobError(MESSAGE_NOT_ALLOWED)
    filters, _problems = CalibrationFilters.from_query(job.params.get("filters") or {})
    return cycle, filters


def export_file_stem(cycle: Cycle, filters: CalibrationFilters) -> str:
    return slugify(cycle.name) or f"cycle-{cycle.pk}"


def _chunks(review_ids: Sequence[int]) -> list[list[int]]:
    size = max(1, settings.JOB_PART_SIZE)
    return [list(review_ids[start : start + size]) for start in range(0, len(review_ids), size)]


def _review_ids(job: Job) -> tuple[Cycle, CalibrationFilters, list[int]]:
    cycle, filters = export_subject(job=job)
    overview = calibration_overview(user=job.requester, cycle=cycle, filters=filters)
    return cycle, filters, [row.review_id for row in overview.rows]


# --- The calibration pack ------------------------------------------------------------------------


def calibration_pack_parts(*, job: Job) -> list[tuple[dict[str, Any], int]]:
    """The summary first, then the people in the order of the calibration table, a few per part."""
    _cycle, _filters, review_ids = _review_ids(job)
    parts: list[tuple[dict[str, Any], int]] = [({"front": True}, 0)]
    first = 1
    for chunk in _chunks(review_ids):
        parts.append(({"reviews": chunk, "first": first, "total": len(review_ids)}, len(chunk)))
        first += len(chunk)
    return parts


def _document_context(job: Job, cycle: Cycle, filters: CalibrationFilters) -> dict[str, Any]:
    return {
        "cycle": cycle,
        "filters": filters,
        "requester": job.requester,
        "requester_name": job.requester.get_full_name() or job.requester.get_username(),
        "generated_at": job.created_at or timezone.now(),
    }


def calibration_pack_front_html(*, job: Job) -> str:
    cycle, filters = export_subject(job=job)
    overview = calibration_overview(user=job.requester, cycle=cycle, filters=filters)
    adjustments = calibration_adjustments(
        user=job.requester, cycle=cycle, review_ids=[row.review_id for row in overview.rows]
    )
    context = _document_context(job, cycle, filters)
    context.update(
        overview=overview,
        adjustments=adjustments,
        flagged=[skew for skew in overview.skews if skew.flagged],
        distributions=distribution_bars(overview),
        group=group_description(overview),
        nine_box_rows=nine_box_rows(overview),
    )
    return render_to_string("reviews/pdf/calibration_pack.html", context)


def calibration_pack_people_html(*, job: Job, review_ids: Sequence[int], first: int, total: int) -> str:
    cycle, filters = export_subject(job=job)
    people = condensed_pages(review_ids=review_ids, requester=job.requester)
    context = _document_context(job, cycle, filters)
    context.update(people=people, first=first, total=total)
    return render_to_string("reviews/pdf/calibration_pack_people.html", context)


def calibration_pack_part(*, job: Job, part: JobPart) -> tuple[str, bytes]:
    if part.params.get("front"):
        html = calibration_pack_front_html(job=job)
    else:
        html = calibration_pack_people_html(
            job=job,
            review_ids=part.params["reviews"],
            first=int(part.params.get("first", 1)),
            total=int(part.params.get("total", 0)),
        )
    return f"part-{part.index:04d}.pdf", render_pdf(html)


def calibration_pack_merge(*, job: Job, parts: Sequence[JobPart]) -> tuple[str, bytes]:
    """The parts' pages in order, with their bookmarks (a person's page is one), as one PDF."""
    cycle, filters = export_subject(job=job)
    writer = PdfWriter()
    for part in parts:
        with part.file.open("rb") as handle:
            writer.append(PdfReader(io.BytesIO(handle.read())))
    writer.add_metadata(
        {
            "/Title": f"Calibration pack - {cycle.name}",
            "/Author": "staffrole",
            "/Subject": "Confidential: calibration of review ratings",
        }
    )
    output = io.BytesIO()
    writer.write(output)
    return f"calibration-pack-{export_file_stem(cycle, filters)}.pdf", output.getvalue()


def group_description(overview: Any) -> str:
    """The filtered group in words: "Everyone in scope" or "Team Payments, level L5"."""
    filters = overview.filters
    words = []
    labels = {
        "team": dict(getattr(overview, "teams", ()) or ()),
        "manager": dict(getattr(overview, "managers", ()) or ()),
    }
    if filters.team:
        words.append(f"team {labels['team'].get(filters.team, filters.team)}")
    if filters.manager:
        words.append(f"reviewed by {labels['manager'].get(filters.manager, filters.manager)}")
    if filters.level:
        words.append(f"level {filters.level}")
    if filters.state:
        words.append(f"state {filters.state.replace('_', ' ')}")
    return ", ".join(words).capitalize() if words else "Everyone in the cycle within the requester's scope"


BANDS = ("low", "medium", "high")


def nine_box_rows(overview: Any) -> list[dict[str, Any]]:
    """The 9-box as printed: high potential on top, performance rising to the right."""
    cells = {(cell.performance, cell.potential): cell for cell in overview.nine_box}
    return [
        {
            "label": f"{potential.capitalize()} potential",
            "cells": [cells[(performance, potential)] for performance in BANDS if (performance, potential) in cells],
        }
        for potential in reversed(BANDS)
    ]


def distribution_bars(overview: Any) -> list[dict[str, Any]]:
    """Both overall distributions as rows of bars, scaled to the largest count of either."""
    result = []
    for title, distribution in (
        ("Weighted manager scores (rounded)", overview.manager_score_distribution),
        ("Final ratings", overview.final_distribution),
    ):
        largest = max(distribution.counts.values(), default=0) or 1
        result.append(
            {
                "title": title,
                "distribution": distribution,
                "bars": [
                    {
                        "rating": rating,
                        "count": count,
                        "share": round(100 * count / distribution.total) if distribution.total else 0,
                        "width": round(100 * count / largest),
                    }
                    for rating, count in sorted(distribution.counts.items())
                ],
            }
        )
    return result


# --- All review packets as one ZIP ---------------------------------------------------------------


def review_packets_parts(*, job: Job) -> list[tuple[dict[str, Any], int]]:
    _cycle, _filters, review_ids = _review_ids(job)
    if not review_ids:
        raise JobError("Nobody in this group has a review to put in a packet.")
    return [({"reviews": chunk}, len(chunk)) for chunk in _chunks(review_ids)]


def review_packets_part(*, job: Job, part: JobPart) -> tuple[str, bytes]:
    """A small ZIP of this part's packets; someone the requester may no longer see is left out."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive:
        for review_id in part.params["reviews"]:
            try:
                name, content = review_packet_pdf(review_id=review_id, requester=job.requester)
            except Http404:
                continue
            archive.writestr(_zip_entry(name, job.created_at), content)
    return f"part-{part.index:04d}.zip", output.getvalue()


def review_packets_merge(*, job: Job, parts: Sequence[JobPart]) -> tuple[str, bytes]:
    cycle, filters = export_subject(job=job)
    output = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as merged:
        for part in parts:
            with part.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
                for entry in archive.infolist():
                    name = _unique(entry.filename, seen)
                    merged.writestr(_zip_entry(name, job.created_at), archive.read(entry))
    return f"review-packets-{export_file_stem(cycle, filters)}.zip", output.getvalue()


def _zip_entry(name: str, when: datetime | None) -> zipfile.ZipInfo:
    moment = timezone.localtime(when or timezone.now())
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    return info


def _unique(name: str, seen: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    candidate, number = name, 2
    while candidate in seen:
        candidate = f"{stem}-{number}{dot}{extension}" if dot else f"{name}-{number}"
        number += 1
    seen.add(candidate)
    return candidate
