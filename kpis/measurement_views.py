"""The KPI measurement upload: HR and KPI ingest accounts send a CSV of measurements, all or nothing.

The page checks who is calling, hands the file to kpis.measurement_files and shows either the counts
or every problem with the line of the file it is on. Nothing is written while any row has a problem.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from kpis import measurement_files
from kpis.forms import MeasurementUploadForm
from kpis.measurement_files import MeasurementFileError, measurements_import, rows_from_csv, sample_csv
from kpis.measurements import PERIOD_FORMATS
from kpis.services import IngestConflict, IngestResult
from staffrole import access

PROBLEMS_SHOWN = 1_000  # listed on the page; the count above the list is always complete
SOURCE_NAME_LENGTH = 200


def _require_ingest(user: Any) -> None:
    if not access.can_ingest_kpis(user):
        raise PermissionDenied("Only HR and KPI ingest accounts can upload measurements.")


def _done_message(name: str, result: IngestResult) -> str:
    counts = f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
    if not (result.created or result.updated):
        return f"Nothing to change: every measurement in {name} is already stored as sent ({counts})."
    return (
        f"Imported {name}: {counts}. The trends of the changed KPI series are being recomputed in the "
        "background; the dashboards show them shortly."
    )


@login_required
@require_http_methods(["GET", "POST"])
def measurements_upload(request: HttpRequest) -> HttpResponse:
    _require_ingest(request.user)
    form = MeasurementUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    problems: list[measurement_files.Problem] = []
    refusal = ""
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["file"].name
        try:
            rows = rows_from_csv(form.content, default_source=form.cleaned_data["default_source"])
            result = measurements_import(actor=request.user, rows=rows, source=f"upload of {name}"[:SOURCE_NAME_LENGTH])
        except MeasurementFileError as exc:
            problems, refusal = [problem for problem in exc.problems if problem.where], str(exc)
        except IngestConflict as exc:
            refusal = str(exc)
        else:
            messages.success(request, _done_message(name, result))
            return redirect("kpis:measurements_upload")
    return render(
        request,
        "kpis/measurements_upload.html",
        {
            "form": form,
            "refusal": refusal,
            "problems": problems[:PROBLEMS_SHOWN],
            "problems_count": len(problems),
            "problem_rows": len({problem.where for problem in problems}),
            "problems_more": max(0, len(problems) - PROBLEMS_SHOWN),
            "columns": measurement_files.COLUMNS,
            "sample": sample_csv(),
            "max_bytes": measurement_files.MAX_BYTES,
            "max_rows": measurement_files.MAX_ROWS,
            "period_formats": PERIOD_FORMATS,
        },
    )


@login_required
@require_GET
def measurements_sample(request: HttpRequest) -> HttpResponse:
    _require_ingest(request.user)
    response = HttpResponse(sample_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kpi-measurements-sample.csv"'
    return response
