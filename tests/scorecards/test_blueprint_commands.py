import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scorecards.models import BlueprintVersion, Role

DOCUMENTS = Path(__file__).resolve().parents[2] / "scorecards" / "blueprint_documents"
BUNDLED = DOCUMENTS / "staff-software-engineer.txt"

pytestmark = pytest.mark.django_db


def _import(*args: str) -> str:
    out = StringIO()
    call_command("import_blueprint", *args, stdout=out)
    return out.getvalue()


def test_it_prints_a_one_screen_summary_with_counts_per_section():
    output = _import(str(BUNDLED), "--publish")
    assert "Imported Staff Software Engineer version 1 (published)" in output
    assert "Responsibilities: Strategic" in output and "KPIs" in output
    lines = output.splitlines()
    assert len(lines) <= 25
    assert any(line.split()[-1] == "23" and "KPIs" in line for line in lines)
    assert "System design & architecture 25%" in output


def test_it_is_idempotent_on_the_same_document():
    _import(str(BUNDLED), "--publish")
    output = _import(str(BUNDLED), "--publish")
    assert "Unchanged" in output
    assert BlueprintVersion.objects.count() == 1


def test_it_exits_non_zero_naming_the_line_and_writes_nothing(tmp_path):
    text = BUNDLED.read_text(encoding="utf-8")
    text = text.replace("| Communication | Clear writing", "| Communication | Clear | writing")
    bad = tmp_path / "broken.txt"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=r"line \d+") as excinfo:
        _import(str(bad))
    assert "Nothing was imported" in str(excinfo.value)
    assert not Role.objects.exists() and not BlueprintVersion.objects.exists()


def test_it_reports_a_missing_file_clearly(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _import(str(tmp_path / "nope.txt"))


def test_it_exports_the_same_json_as_the_api(client, engineer_user):
    _import(str(BUNDLED), "--publish")
    out = StringIO()
    call_command("export_blueprint", "staff-software-engineer", stdout=out)
    exported = json.loads(out.getvalue())
    client.force_login(engineer_user)
    assert client.get("/api/v1/roles/staff-software-engineer/").json() == exported


def test_it_exports_a_chosen_version_and_fails_for_an_unknown_one():
    _import(str(BUNDLED), "--publish")
    out = StringIO()
    call_command("export_blueprint", "staff-software-engineer", "--version", "1", stdout=out)
    assert json.loads(out.getvalue())["version"] == 1
    with pytest.raises(CommandError, match="No blueprint"):
        call_command("export_blueprint", "staff-software-engineer", "--version", "7", stdout=StringIO())


def test_it_imports_its_own_export_back_to_an_identical_blueprint(tmp_path):
    _import(str(BUNDLED), "--publish")
    out = StringIO()
    call_command("export_blueprint", "staff-software-engineer", stdout=out)
    exported = tmp_path / "export.json"
    exported.write_text(out.getvalue(), encoding="utf-8")
    assert "Unchanged" in _import(str(exported))
    BlueprintVersion.objects.all().delete()
    _import(str(exported), "--publish")
    again = StringIO()
    call_command("export_blueprint", "staff-software-engineer", stdout=again)
    assert json.loads(again.getvalue()) == json.loads(out.getvalue())
