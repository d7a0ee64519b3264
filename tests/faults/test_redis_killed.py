"""A real Redis, private to this test, killed while the app uses it as cache and broker, then started again:
exports are refused with 503 while it is gone and accepted again once it is back, pages never stop, and
/healthz follows it down and up, all without restarting anything of the app."""

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from jobs.models import Job
from jobs.services import MESSAGE_QUEUE_UNAVAILABLE
from tests.faults.conftest import signed_in
from tests.faults.support import free_port, redis_at

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def start_redis(port: int, folder: Path) -> subprocess.Popen[bytes]:
    command = [
        REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(folder), "--logfile", str(folder / "redis.log"),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.2)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if client.ping():
                return process
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    process.kill()
    pytest.fail(f"redis-server did not answer on port {port}: {(folder / 'redis.log').read_text()[-1000:]}")


def health() -> tuple[int, dict[str, bool]]:
    response = Client().get("/healthz")
    return response.status_code, {name: check["ok"] for name, check in response.json()["checks"].items()}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_exports_pause_while_redis_is_gone_and_resume_when_it_is_back(demo, tmp_path):
    if not Path(REDIS_SERVER).exists():
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = start_redis(port, tmp_path)
    hr = signed_in("hr")
    packet = f"/api/v1/reviews/{demo['review']}/packet/"
    pack = f"/api/v1/cycles/{demo['cycle']}/calibration-export/"
    try:
        with redis_at(f"redis://127.0.0.1:{port}/0"):
            assert health() == (200, dict.fromkeys(("database", "cache", "broker", "migrations"), True))
            cache.set("faults:probe", "stored")
            assert cache.get("faults:probe") == "stored"
            response = hr.post(packet)
            assert response.status_code == 202, response.content
            queued = Job.objects.get(pk=response.json()["job_id"])
            assert queued.state == Job.State.QUEUED

            server.send_signal(signal.SIGKILL)
            server.wait(timeout=10)

            status, checks = health()
            assert status == 503
            assert checks == {"database": True, "cache": False, "broker": False, "migrations": True}
            started = time.monotonic()
            response = hr.post(pack)
            assert response.status_code == 503, response.content
            assert response.json() == {"detail": MESSAGE_QUEUE_UNAVAILABLE}
            assert time.monotonic() - started < 5
            refused = Job.objects.get(kind=Job.Kind.CALIBRATION_PACK)
            assert (refused.state, refused.error) == (Job.State.FAILED, MESSAGE_QUEUE_UNAVAILABLE)
            assert hr.get(f"/reviews/{demo['review']}/").status_code == 200
            assert cache.get("faults:probe", "miss") == "miss"

            server = start_redis(port, tmp_path)

            assert health() == (200, dict.fromkeys(("database", "cache", "broker", "migrations"), True))
            response = hr.post(pack)
            assert response.status_code == 202, response.content
            assert response.json()["created"] is True
            assert Job.objects.get(pk=response.json()["job_id"]).state == Job.State.QUEUED
            assert redis.Redis(host="127.0.0.1", port=port).llen("faults") == 1
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
