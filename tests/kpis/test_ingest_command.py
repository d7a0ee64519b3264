import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from kpis.models import Deployment, Incident
from tests.kpis.ingest_builders import deployment, incident, make_teams

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def teams():
    return make_teams()


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_events", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _file(tmp_path, items, name="events.json"):
    path = tmp_path / name
    path.write_text(json.dumps(items))
    return str(path)


def test_it_imports_deployments_and_prints_the_counts(tmp_path):
    path = _file(tmp_path, [deployment("d-1"), deployment("d-2")])
    out, _ = _run("deployments", path)
    assert (
        out
        == "Imported deployments from events.json.\n  Created          2\n  Updated          0\n  Unchanged        0\n"
    )
    assert Deployment.objects.count() == 2
    entry = AuditEntry.objects.get(action="kpis.deployments_ingest")
    assert entry.actor is None and entry.after["source"] == "events.json"

    out, _ = _run("deployments", path)
    assert out.startswith("Nothing to change: every one of the deployments in events.json is already stored as sent.")
    assert "  Unchanged        2" in out and AuditEntry.objects.count() == 1


def test_it_imports_incidents(tmp_path):
    out, _ = _run("incidents", _file(tmp_path, [incident("i-1"), incident("i-2", resolved_at=None)]))
    assert "  Created          2" in out and Incident.objects.count() == 2


def test_it_lists_every_bad_item_by_index_and_writes_nothing(tmp_path):
    path = _file(tmp_path, [incident("i-1"), incident("i-2", team="ghost"), incident("i-1", severity=3)])
    with pytest.raises(
        CommandError, match=r"^2 items of the batch have problems; nothing of this batch was written\.$"
    ):
        _run("incidents", path)
    assert not Incident.objects.exists() and not AuditEntry.objects.exists()


def test_it_prints_the_problems_on_stderr(tmp_path):
    err = StringIO()
    path = _file(tmp_path, [deployment("d-1", deployed_at="2024-05-02T10:00:00"), deployment("d-2", team="ghost")])
    with pytest.raises(CommandError):
        call_command("import_events", "deployments", path, stderr=err)
    assert err.getvalue().splitlines() == [
        "  item 0: deployed_at: Needs a time zone (e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00); "
        "'2024-05-02T10:00:00' has none.",
        "  item 1: team: Unknown team 'ghost': no team has this slug.",
    ]


def test_it_exits_non_zero_on_a_failure_when_run_as_a_program(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = _file(tmp_path, [deployment("d-1", team="ghost")])
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "import_events", "deployments", path]).execute()
    assert exit_.value.code == 1
    assert "item 0: team: Unknown team 'ghost'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"deploy_id": "d-1"}', "Expected a JSON list of deployments, one object per deployment; got an object."),
        ("[{", "events.json is not JSON: Expecting property name enclosed in double quotes (line 1, column 3)."),
    ],
)
def test_it_refuses_a_file_that_is_not_a_list_of_items(tmp_path, content, message):
    path = tmp_path / "events.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=f"^{re.escape(message)}$"):
        _run("deployments", str(path))


def test_it_says_when_a_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.json: No such file or directory"):
        _run("deployments", str(tmp_path / "missing.json"))


def test_it_refuses_an_unknown_kind(tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'commits'"):
        _run("commits", _file(tmp_path, []))
