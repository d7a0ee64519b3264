"""With PROMETHEUS_MULTIPROC_DIR set (gunicorn with several workers, Celery's prefork pool) every process
writes its own file and a scrape answered by any of them adds them all up."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from staffrole.metrics import HOST, metrics_files_sweep
from tests.test_settings import run_python
from tests.worker_process import _database_url

pytestmark = pytest.mark.django_db

REQUESTS = (
    "import django, os; django.setup(); from django.test import Client; client = Client(); "
    "[client.get('/accounts/login/', HTTP_HOST='localhost') for _ in range(int(os.environ['PROBE_REQUESTS']))]; "
    "print(os.getpid())"
)
SCRAPE = (
    REQUESTS + "; from prometheus_client.parser import text_string_to_metric_families as parse; "
    "body = client.get('/metrics', HTTP_HOST='localhost').content.decode(); "
    "print(sum(s.value for f in parse(body) for s in f.samples "
    "if s.name == 'staffrole_http_request_duration_seconds_count' and s.labels['route'] == 'accounts/login/'))"
)


def test_it_adds_up_the_requests_of_every_process(tmp_path: Path):
    environment = {
        "DJANGO_SETTINGS_MODULE": "staffrole.settings.test",
        "DATABASE_URL": _database_url(),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    first = run_python("-c", REQUESTS, PROBE_REQUESTS="2", **environment)
    assert first.returncode == 0, first.stderr[-3000:]
    second = run_python("-c", SCRAPE, PROBE_REQUESTS="1", **environment)
    assert second.returncode == 0, second.stderr[-3000:]

    pids = {first.stdout.split()[-1], second.stdout.split()[-2]}
    assert float(second.stdout.split()[-1]) == 3
    assert {path.stem.rsplit("-", 1)[-1] for path in tmp_path.glob(f"histogram_{HOST}-*.db")} == pids


def _ended_process_id() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_it_sweeps_away_the_files_of_ended_processes_of_this_host_only(tmp_path: Path):
    ended = _ended_process_id()
    gone = tmp_path / f"counter_{HOST}-{ended}.db"
    running = tmp_path / f"histogram_{HOST}-{os.getpid()}.db"
    other_host = tmp_path / f"counter_worker-{ended}.db"
    for path in (gone, running, other_host):
        path.write_bytes(b"")

    assert metrics_files_sweep(str(tmp_path)) == 1

    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([running.name, other_host.name])


def test_it_is_in_the_deployment_files():
    import yaml

    root = Path(__file__).resolve().parents[2]
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    directory = compose["x-app"]["environment"]["PROMETHEUS_MULTIPROC_DIR"]
    web, worker = compose["services"]["web"], compose["services"]["worker"]
    assert f"metrics:{directory}" in compose["x-app"]["volumes"], "web and worker share the folder"
    assert "--config=python:staffrole.gunicorn" in web["command"]
    assert web["hostname"] != worker["hostname"], "each service's files are its own"
    dockerfile = (root / "Dockerfile").read_text()
    assert f"PROMETHEUS_MULTIPROC_DIR={directory}" in dockerfile
    assert json.dumps(["--config", "python:staffrole.gunicorn"])[1:-1] in dockerfile
