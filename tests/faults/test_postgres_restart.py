"""PostgreSQL stopped and started again under load: while it is down every request answers 503 at once (a
page that says "The database is unavailable", JSON for the API, /healthz naming the database), never a 500
and never a hanging connection; once it is back the same app process answers 200 again within seconds.

The shared PostgreSQL that other tests use is never touched: this test makes a throwaway cluster of its
own on a free port (as the postgres user when run as root), migrates a database in it and serves the app
from gunicorn against it.
"""

import hashlib
import http.cookiejar
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.faults.support import free_port
from tests.worker_process import PROJECT_ROOT

PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "staffrole_faults"
REQUEST_TIMEOUT = 10.0
# Slower than this is a held connection, not an answer (a loaded CI machine answers in well under a second).
HELD_SECONDS = 6.0
RECOVERY_SECONDS = 5.0
USERNAME = "faults-hr"
PASSWORD = "faults-password"


@dataclass
class Answer:
    at: float
    path: str
    status: int | None
    body: str
    seconds: float
    error: str = ""


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root; CI runs as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1:port only."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="staffrole-pg-"))
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")

    def run(self, *command: str) -> None:
        subprocess.run(_as_postgres(list(command)), check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self.run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"
        )

    def stop(self) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=30,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"the PostgreSQL 15 server binaries are not installed in {PG_BIN} (apt-get install postgresql-15)")
    cluster = Cluster(free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


def _app_env(database_url: str, folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "staffrole.settings.test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_DIR": str(folder / "broker"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _schema_from_the_test_database(cluster: Cluster) -> bool:
    """Copy the migrated test database when it is on PostgreSQL: seconds, where migrating takes twenty."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        return False
    dump = subprocess.run(
        [
            str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", "-h", db["HOST"] or "127.0.0.1",
            "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres", db["NAME"],
        ],
        capture_output=True, timeout=60, env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""},
    )  # fmt: skip
    if dump.returncode != 0:
        return False
    subprocess.run(
        [str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", cluster.url(DATABASE)],
        input=dump.stdout, capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return True


def _create_database_with_a_user(cluster: Cluster, env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    if not _schema_from_the_test_database(cluster):
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            timeout=120,
        )
    # The test settings' MD5 hasher, so that the password needs no Django in this process.
    salt = secrets.token_hex(8)
    encoded = f"md5${salt}${hashlib.md5((salt + PASSWORD).encode()).hexdigest()}"  # noqa: S324
    token = secrets.token_hex(20)
    with psycopg.connect(cluster.url(DATABASE), autocommit=True) as conn:
        user_id = conn.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined) VALUES (%s, false, %s, '', '', '', false, true, now()) RETURNING id",
            [encoded, USERNAME],
        ).fetchone()[0]  # type: ignore[index]
        conn.execute("INSERT INTO authtoken_token (key, user_id, created) VALUES (%s, %s, now())", [token, user_id])
    (cluster.folder / "token").write_text(token)


@pytest.fixture
def app(cluster: Cluster, django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """gunicorn serving the app on the throwaway cluster: one worker process, several threads."""
    env = _app_env(cluster.url(DATABASE), cluster.folder)
    (cluster.folder / "broker").mkdir()
    with django_db_blocker.unblock():
        _create_database_with_a_user(cluster, env)
    port = free_port()
    log_path = cluster.folder / "gunicorn.log"
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "staffrole.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "1", "--threads", "4", "--timeout", "60", "--graceful-timeout", "5",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).close()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.1)
        yield {"base": base, "process": process, "log": log_path, "token": (cluster.folder / "token").read_text()}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _signed_in_opener(base: str) -> urllib.request.OpenerDirector:
    """Logs in through the log-in form, as a browser does; the session cookie stays in the opener."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/", timeout=REQUEST_TIMEOUT).close()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode()
    with opener.open(f"{base}/accounts/login/", data=form, timeout=REQUEST_TIMEOUT) as response:
        assert response.url.rstrip("/") == base, "the log-in did not lead to the dashboard"
    return opener


def _ask(opener: urllib.request.OpenerDirector, request: urllib.request.Request, path: str) -> Answer:
    started = time.monotonic()
    try:
        with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
            return Answer(started, path, response.status, response.read().decode(), time.monotonic() - started)
    except urllib.error.HTTPError as exc:
        return Answer(started, path, exc.code, exc.read().decode(errors="replace"), time.monotonic() - started)
    except OSError as exc:  # refused, reset or timed out: what must never happen
        return Answer(started, path, None, "", time.monotonic() - started, error=f"{type(exc).__name__}: {exc}")


def _load(app: dict[str, Any], stop: threading.Event, answers: list[Answer]) -> None:
    """Requests one after another until told to stop (at most 40 s): a page, an API call and /healthz."""
    base = app["base"]
    page_opener = _signed_in_opener(base)
    plain = urllib.request.build_opener()
    token = {"Authorization": f"Token {app['token']}"}
    requests = [
        ("page", page_opener, urllib.request.Request(f"{base}/roles/")),  # noqa: S310 - our own http:// server
        ("api", plain, urllib.request.Request(f"{base}/api/v1/roles/", headers=token)),  # noqa: S310
        ("healthz", plain, urllib.request.Request(f"{base}/healthz")),  # noqa: S310
    ]
    deadline = time.monotonic() + 40
    while not stop.is_set() and time.monotonic() < deadline:
        for path, opener, request in requests:
            answers.append(_ask(opener, request, path))
        time.sleep(0.05)


def _wait_for(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.worker
def test_a_postgres_restart_answers_503_meanwhile_and_the_app_recovers_by_itself(cluster, app):
    answers: list[Answer] = []
    stop = threading.Event()
    load = threading.Thread(target=_load, args=(app, stop, answers), daemon=True)
    load.start()
    try:
        assert _wait_for(lambda: len([a for a in answers if a.status == 200]) >= 6, 15), answers[-3:]
        down_from = time.monotonic()
        cluster.stop()
        stopped_at = time.monotonic()
        # Long enough for every kind of request to meet the outage a few times.
        assert _wait_for(lambda: {a.path for a in answers if a.at > stopped_at} == {"page", "api", "healthz"}, 10)
        time.sleep(1.0)
        # PostgreSQL answers before pg_ctl returns: the outage ends when the start begins, recovery counts from its end.
        starting_at = time.monotonic()
        cluster.start()
        up_at = time.monotonic()

        def recovered() -> bool:
            after = [a for a in answers if a.at > up_at]
            return {a.path for a in after if a.status == 200} == {"page", "api", "healthz"}

        assert _wait_for(recovered, RECOVERY_SECONDS + 5), [a for a in answers if a.at > up_at][-6:]
        recovery = min(a.at + a.seconds for a in answers if a.at > up_at and a.status == 200) - up_at
    finally:
        stop.set()
        load.join(timeout=REQUEST_TIMEOUT + 5)

    failures = [a for a in answers if a.error or a.status not in (200, 503)]
    assert not failures, (failures[:5], app["log"].read_text()[-3000:])
    slowest = max(answers, key=lambda a: a.seconds)
    assert slowest.seconds < HELD_SECONDS, f"a request was held instead of answered: {slowest}"
    outage = [a for a in answers if stopped_at < a.at and a.at + a.seconds < starting_at]
    assert outage and all(a.status == 503 for a in outage), [(a.path, a.status) for a in outage]
    for answer in outage:
        if answer.path == "page":
            assert "The database is unavailable" in answer.body
            assert "Traceback" not in answer.body
        elif answer.path == "api":
            assert json.loads(answer.body) == {"detail": "The database is unavailable. Try again in a minute."}
        else:
            assert json.loads(answer.body)["checks"]["database"]["ok"] is False
    assert {a.path for a in outage} == {"page", "api", "healthz"}
    assert recovery < RECOVERY_SECONDS, f"took {recovery:.1f} s to answer 200 again"
    # The same process served before, during and after: gunicorn booted one worker, once.
    assert app["process"].poll() is None
    assert app["log"].read_text().count("Booting worker") == 1
    print(f"outage {up_at - down_from:.1f} s, {len(outage)} answers of 503, back to 200 in {recovery:.2f} s")
