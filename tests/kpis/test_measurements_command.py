"""`import_measurements PATH [--source NAME]`: a CSV or a JSON list, all or nothing, problems by line or index."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from kpis.models import Measurement
from tests.kpis.measurement_builders import HEADER, ROLE, engineer, measurement, org, service

pytestmark = pytest.mark.django_db
__all__ = ["org"]

TEAM_ROW = f"{ROLE},Change failure rate (DORA),team,platform,,2026-11,8.5,%,ci"
SERVICE_ROW = f"{ROLE},slo-attainment,service,billing-api,platform,2026-Q4,99.95,%,slo-report"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_measurements", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_csv_and_prints_the_counts(org, tmp_path):
    path = tmp_path / "q4.csv"
    path.write_text(f"{HEADER}\r\n{TEAM_ROW}\r\n{SERVICE_ROW}\r\n", encoding="utf-8-sig")
    out, _ = run(str(path))
    assert out == (
        "Imported measurements from q4.csv; the trends of the changed series are being recomputed.\n"
        "  Created          2\n  Updated          0\n  Unchanged        0\n"
    )
    entry = AuditEntry.objects.get(action="kpis.measurements_ingest")
    assert entry.actor is None and entry.after["source"] == "q4.csv"

    out, _ = run(str(path))
    assert out.startswith("Nothing to change: every measurement in q4.csv is already stored as sent.")
    assert "  Unchanged        2" in out
    assert AuditEntry.objects.filter(action="kpis.measurements_ingest").count() == 1


def test_it_imports_a_json_list_and_a_source_fills_the_items_without_one(org, tmp_path):
    path = tmp_path / "kpis.json"
    path.write_text(json.dumps([measurement(source=...), service(), engineer(source="")]))
    out, _ = run(str(path), "--source", "survey")
    assert "  Created          3" in out
    assert sorted(Measurement.objects.values_list("source", flat=True)) == ["slo-report", "survey", "survey"]
    assert AuditEntry.objects.get(action="kpis.measurements_ingest").after["source"] == "survey"


def test_it_lists_every_bad_csv_row_by_its_line_and_writes_nothing(org, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                f'{ROLE},Change failure rate (DORA),team,platform,,2026-11,8.5,%,"ci\nnightly"',
                SERVICE_ROW.replace("platform", ""),
                TEAM_ROW.replace("2026-11", "2026-M11"),
            ]
        )
    )
    with pytest.raises(CommandError, match=r"^2 rows of the file have problems; nothing was imported\.$"):
        run(str(path))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_measurements", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "  Line 4: team: A service's measurements name the team that owns it (its slug).",
        "  Line 5: period: Not a period: '2026-M11'. Write 2026-11 (a month), 2026-Q4 (a quarter) or 2026-W47 "
        "(an ISO week).",
    ]
    assert not Measurement.objects.exists()


def test_it_lists_bad_json_items_by_index(org, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([measurement(), measurement(value="many"), "x"]))
    err = StringIO()
    with pytest.raises(CommandError, match=r"^2 rows of the file have problems"):
        call_command("import_measurements", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "  Item 1: value: Not a number: 'many'.",
        "  Item 2: Expected an object (measurement), got 'x'.",
    ]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kpis.xlsx", b"PK", "kpis.xlsx: expected a .csv or .json file."),
        ("kpis.json", b"{not json", "The file is not JSON: Expecting property name"),
        ("kpis.json", b'{"role": "x"}', "Expected a JSON list of measurements"),
        ("kpis.csv", "kpi,r\u00f4le\n".encode("latin-1"), "The file is not UTF-8 text"),
    ],
)
def test_a_file_it_cannot_read_is_refused(org, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=f"^{message}"):
        run(str(path))


def test_a_missing_file_is_refused(org, tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot read"):
        run(str(tmp_path / "nowhere.csv"))
