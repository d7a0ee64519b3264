"""Mutations of real measurement files (the upload page's sample CSV, and the same rows as JSON) and of
real deployment and incident batches either import or are refused with the importer's own error naming
each problem; a refused import writes nothing."""

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpis.measurement_files import (
    COLUMNS,
    SAMPLE_ROWS,
    MeasurementFileError,
    measurements_import,
    rows_from_csv,
    rows_from_json,
    sample_csv,
)
from kpis.services import IngestError, deployments_ingest, incidents_ingest
from tests.fuzz_support import FUZZ_SETTINGS, mutated_csv_cells, mutated_json, mutated_lines, rolled_back, row_counts
from tests.kpis.ingest_builders import deployment, incident

pytestmark = pytest.mark.django_db

SAMPLE = sample_csv()
TABLE = list(csv.reader(io.StringIO(SAMPLE)))
JSON_ITEMS = [dict(zip(COLUMNS, row, strict=True)) for row in SAMPLE_ROWS]
DEPLOYMENTS = [deployment("d-1"), deployment("d-2", succeeded=False, environment="staging")]
INCIDENTS = [incident("i-1"), incident("i-2", resolved_at=None, deploy_ids=["d-1", "d-unknown"])]


@pytest.fixture
def org(staff_blueprint: Any) -> Any:
    from tests.org_builders import small_org

    return small_org()


def _file_imports_or_is_refused(content: bytes, read: Callable[..., Any]) -> None:
    before = row_counts()
    with rolled_back():
        try:
            measurements_import(actor=None, rows=read(content), source="upload")
        except MeasurementFileError as exc:
            assert str(exc).strip() and exc.problems, "a refusal says why"
            assert all(problem.message.strip() for problem in exc.problems), exc.problems
            assert row_counts() == before, [str(problem) for problem in exc.problems]


def _batch_imports_or_is_refused(items: Any, ingest: Callable[..., Any]) -> None:
    before = row_counts()
    with rolled_back():
        try:
            ingest(actor=None, items=items, source="fuzz")
        except IngestError as exc:
            assert str(exc).strip(), "a refusal says why"
            for index, problems in exc.errors.items():
                assert isinstance(index, int) and problems, exc.errors
                assert all(message.strip() for messages in problems.values() for message in messages), problems
            assert row_counts() == before, exc.errors


def test_the_unmutated_files_and_batches_import(org: Any) -> None:
    assert measurements_import(actor=None, rows=rows_from_csv(SAMPLE.encode()), source="upload").counts()["created"]
    rows = rows_from_json(json.dumps(JSON_ITEMS).encode())
    assert measurements_import(actor=None, rows=rows, source="upload").counts()["unchanged"] == len(JSON_ITEMS)
    assert deployments_ingest(actor=None, items=DEPLOYMENTS).counts()["created"] == len(DEPLOYMENTS)
    assert incidents_ingest(actor=None, items=INCIDENTS).counts()["created"] == len(INCIDENTS)


@FUZZ_SETTINGS
@given(rows=mutated_csv_cells(TABLE))
def test_a_measurement_csv_with_mutated_cells_imports_or_is_refused(org: Any, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    _file_imports_or_is_refused(out.getvalue().encode(), rows_from_csv)


@FUZZ_SETTINGS
@given(text=mutated_lines(SAMPLE), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_a_measurement_csv_with_mutated_lines_or_encoding_imports_or_is_refused(
    org: Any, text: str, encoding: str
) -> None:
    _file_imports_or_is_refused(text.encode(encoding, errors="replace"), rows_from_csv)


@FUZZ_SETTINGS
@given(items=mutated_json(JSON_ITEMS))
def test_a_mutated_measurement_json_file_imports_or_is_refused(org: Any, items: Any) -> None:
    _file_imports_or_is_refused(json.dumps(items).encode(), rows_from_json)


@FUZZ_SETTINGS
@given(items=mutated_json(DEPLOYMENTS))
def test_a_mutated_deployment_batch_imports_or_is_refused(org: Any, items: Any) -> None:
    _batch_imports_or_is_refused(items, deployments_ingest)


@FUZZ_SETTINGS
@given(items=mutated_json(INCIDENTS))
def test_a_mutated_incident_batch_imports_or_is_refused(org: Any, items: Any) -> None:
    _batch_imports_or_is_refused(items, incidents_ingest)
