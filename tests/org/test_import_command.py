import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from org.models import Employee

pytestmark = pytest.mark.django_db


def _run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_org", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def org_file(tmp_path, org_csv, org_row):
    path = tmp_path / "org.csv"
    path.write_bytes(org_csv([org_row("ceo"), org_row("dev", manager="ceo", team="core")]))
    return path


def test_it_imports_a_file_and_prints_a_summary(org_file, mailoutbox):
    out, _ = _run(str(org_file), "--no-invite")
    assert out.startswith("Imported org.csv.")
    assert "  Created          2" in out and "  Deactivated      0" in out and "  New teams        1" in out
    assert "Created: ceo, dev" in out and "New teams: core" in out
    assert Employee.objects.count() == 2
    assert AuditEntry.objects.get(action="org.import").actor is None
    assert mailoutbox == []


def test_it_shows_what_a_dry_run_would_do_and_writes_nothing(org_file):
    out, _ = _run(str(org_file), "--dry-run")
    assert out.startswith("Dry run of org.csv: nothing was written.") and "  Created          2" in out
    assert not Employee.objects.exists() and not AuditEntry.objects.exists()


def test_it_says_so_when_the_file_changes_nothing(org_file):
    _run(str(org_file), "--no-invite")
    out, _ = _run(str(org_file), "--no-invite")
    assert out.startswith("Nothing to change: the organisation already matches org.csv.")
    assert "  Unchanged        2" in out


def test_it_keeps_people_missing_from_the_file_when_asked(org_file, tmp_path, org_csv, org_row):
    _run(str(org_file), "--no-invite")
    extra = tmp_path / "extra.csv"
    extra.write_bytes(org_csv([org_row("new", manager="ceo")]))
    out, _ = _run(str(extra), "--keep-missing", "--no-invite")
    assert "  Deactivated      0" in out and Employee.objects.filter(active=True).count() == 3


def test_it_prints_every_problem_and_exits_non_zero_writing_nothing(tmp_path, org_csv, org_row):
    path = tmp_path / "bad.csv"
    path.write_bytes(org_csv([org_row("dev", manager="mia"), org_row("zoe", start_date="2024-02-30")]))
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match=r"The file has 2 problems; nothing was imported\."):
        call_command("import_org", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        "  row 2, column manager (mia): unknown manager 'mia': not in the file and not an employee",
        "  row 3, column start_date (2024-02-30): not a real date",
    ]
    assert not Employee.objects.exists()


def test_it_exits_non_zero_for_a_file_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_org", str(tmp_path / "missing.csv"))


def test_it_exits_with_status_1_from_the_shell(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "bad.csv"
    path.write_bytes(b"username,email\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "manage.py", "import_org", str(path), "--dry-run"],
        cwd=root,
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "staffrole.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "PATH": "/usr/bin:/bin",
        },
        check=False,
    )
    assert done.returncode == 1
    assert "row 1, column name: missing column" in done.stderr
