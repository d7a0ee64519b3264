"""Load test of deadline day: 50 people at once on gunicorn, PostgreSQL, Redis and a Celery worker.

    .venv/bin/python load/run.py [--users 50] [--run-time 60] [--workers 4] [--worker-class sync]
                                 [--reseed] [--keep]

What runs, all on 127.0.0.1:
- PostgreSQL: LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/staffrole_load), a throwaway
  database (its name must contain "load") copied for each run from `<name>_seed`, which holds the
  migrated schema, the bundled blueprint (published) and `seed_demo --engineers 2000`. The seed
  database is made once and reused while the migrations and the demo seed's code are unchanged
  (--reseed makes it again); the copy takes seconds, so every run starts from the same data.
- Redis: LOAD_REDIS_URL (default redis://127.0.0.1:6379/15), emptied before and after: broker and cache.
- gunicorn (bench/loopback_settings.py: production settings without TLS) with --workers sync or
  gthread workers, and one Celery worker (prefork, concurrency 1) for the PDF exports.
- locust, headless, for --run-time seconds (load/locustfile.py: managers autosaving reviews, engineers
  submitting self-assessments, HR on the calibration page, HR exporting PDFs).

It prints p50/p95/p99, requests and errors per journey step, and writes them with the run's settings
and the machine's load average to var/load/latest.json (and var/load/load-<timestamp>.json). Every
process it started is stopped at the end, also when the run fails or is interrupted. Exits 1 when a
target is missed (an error, or a page view or autosave p95 of 300 ms or more), 2 when PostgreSQL is
not reachable.
"""

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from throwaway import ThrowawayDatabase, fail, seed_fingerprint  # noqa: E402 - bench/ holds the shared throwaway helpers

SCRIPT = "load/run.py"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffrole_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
ENGINEERS = 2000
BLUEPRINT = ROOT / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
OUT = ROOT / "var" / "load"
BIN = Path(sys.executable).parent
P95_TARGET_MS = 300.0
# Steps whose p95 the target applies to: page views and autosaves. Logins, submissions (which answer
# with a redirect after a transition) and the export's polling are reported, without that target.
TARGET_KINDS = ("page", "autosave")


def _fail(message: str, code: int = 2) -> NoReturn:
    fail(SCRIPT, message, code)


def manage(*args: str, database_url: str, env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        _fail(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}", code=1)
    return result.stdout


def prepare(database: ThrowawayDatabase, *, reseed: bool, env: dict[str, str]) -> dict[str, float]:
    """The seed database made (or reused) and copied into the run's database. Returns timings."""
    seed = database.sibling("_seed")
    fingerprint = seed_fingerprint(ROOT, engineers=ENGINEERS)
    seconds: dict[str, float] = {}
    if reseed or seed.label() != fingerprint:
        started = time.perf_counter()
        seed.recreate()
        manage("migrate", "--noinput", database_url=seed.url, env=env)
        manage("import_blueprint", str(BLUEPRINT), "--publish", database_url=seed.url, env=env)
        manage("seed_demo", "--engineers", str(ENGINEERS), database_url=seed.url, env=env)
        # Statistics as autovacuum would have gathered them on a live server: the planner's choices
        # (and whether a query's estimated cost is high) depend on them. The copy inherits them.
        with psycopg.connect(seed.url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        seed.set_label(fingerprint)
        seconds["seed"] = time.perf_counter() - started
    started = time.perf_counter()
    database.copy_from(seed)
    manage("migrate", "--noinput", database_url=database.url, env=env)
    seconds["copy"] = time.perf_counter() - started
    return seconds


ACCOUNTS_SCRIPT = """
import json, sys
from django.db.models import Count, Q
from reviews.models import Cycle, Review
from scorecards.models import ScorecardDimension

cycle = Cycle.objects.filter(state="open").order_by("-period_end").first()
reviews = Review.objects.filter(cycle=cycle)
engineers = list(
    reviews.filter(state="draft", employee__user__username__startswith="eng")
    .order_by("employee__user__username").values_list("employee__user__username", flat=True)
)
managers = list(
    reviews.filter(state__in=["draft", "self_submitted"], reviewer__user__username__startswith="mgr")
    .values("reviewer__user__username").annotate(n=Count("pk")).filter(n__gte=2)
    .order_by("reviewer__user__username").values_list("reviewer__user__username", flat=True)
)
packet_reviews = list(reviews.filter(state="manager_submitted").order_by("pk").values_list("pk", flat=True)[:50])
teams = list(reviews.filter(employee__team__slug__startswith="team-").order_by("employee__team__slug")
             .values_list("employee__team_id", flat=True).distinct()[:40])
reviewers = list(reviews.filter(reviewer__user__username__startswith="mgr").order_by("reviewer_id")
                 .values_list("reviewer_id", flat=True).distinct()[:40])
json.dump(
    {"cycle": cycle.pk, "engineers": engineers, "managers": managers, "packet_reviews": packet_reviews,
     "pack_teams": teams[:4], "calibration_teams": teams, "calibration_managers": reviewers},
    sys.stdout,
)
"""


def accounts(database: ThrowawayDatabase, env: dict[str, str]) -> dict[str, Any]:
    """Who plays whom: engineers with a draft self-assessment, managers with reviews to write."""
    output = manage("shell", "--no-imports", "-c", ACCOUNTS_SCRIPT, database_url=database.url, env=env)
    found = json.loads(output.strip().splitlines()[-1])
    if len(found["engineers"]) < 50 or len(found["managers"]) < 25:
        _fail(f"the seed has too few open reviews to play: {len(found['engineers'])} engineers, "
              f"{len(found['managers'])} managers", code=1)  # fmt: skip
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Process:
    """A child in a session (process group) of its own, so that stopping it stops its children too."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue

    def tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""


def start(name: str, command: list[str], env: dict[str, str]) -> Process:
    log_path = OUT / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own tools from the virtualenv
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(name, process, log_path)


def _process_table() -> dict[int, tuple[int, int, str]]:
    """{pid: (parent pid, CPU clock ticks used, command line)} of every process readable in /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), command)
    return table


def cpu_by_part(roots: dict[str, int], database: str) -> dict[str, float]:
    """CPU seconds used so far by each started process and its children, and by the PostgreSQL
    backends serving `database` (the load's own connections); read from /proc, so Linux only."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (parent, _ticks, _command) in table.items():
        children.setdefault(parent, []).append(pid)
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, root in roots.items():
        total, todo = 0, [root]
        while todo:
            pid = todo.pop()
            if pid in table:
                total += table[pid][1]
            todo.extend(children.get(pid, []))
        used[name] = total / ticks
    backends = [
        t for _parent, t, command in table.values() if command.startswith("postgres: ") and f" {database} " in command
    ]
    used["postgresql"] = sum(backends) / ticks
    return used


def wait_healthy(url: str, web: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not web.alive():
            _fail(f"gunicorn exited with {web.process.returncode}:\n{web.tail()}", code=1)
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:  # noqa: S310 - our loopback server
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    _fail(f"{url}/healthz did not answer 200 within {timeout:.0f} s:\n{web.tail()}", code=1)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values."""
    if not values:
        return 0.0
    rank = max(1, -(-len(values) * fraction // 1))
    return values[int(min(rank, len(values))) - 1]


def summarise(raw: dict[str, Any], seconds: float) -> list[dict[str, Any]]:
    rows = []
    for name, step in sorted(raw["steps"].items(), key=lambda pair: (pair[1]["order"], pair[0])):
        times = sorted(step["ms"])
        kind = step["kind"]
        p95 = percentile(times, 0.95)
        rows.append(
            {
                "step": name,
                "kind": kind,
                "requests": len(times) + step["errors"],
                "errors": step["errors"],
                "per_second": round((len(times) + step["errors"]) / seconds, 2),
                "p50_ms": round(percentile(times, 0.50), 1),
                "p95_ms": round(p95, 1),
                "p99_ms": round(percentile(times, 0.99), 1),
                "max_ms": round(times[-1], 1) if times else 0.0,
                "target": f"p95 < {P95_TARGET_MS:.0f} ms" if kind in TARGET_KINDS else "",
                "ok": step["errors"] == 0 and (kind not in TARGET_KINDS or p95 < P95_TARGET_MS),
            }
        )
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'journey step':<44}{'requests':>9}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  {'target':<15}")
    for row in rows:
        verdict = "ok" if row["ok"] else "MISSED"
        print(
            f"{row['step']:<44}{row['requests']:>9}{row['errors']:>7}{row['p50_ms']:>9.0f}{row['p95_ms']:>9.0f}"
            f"{row['p99_ms']:>9.0f}  {row['target']:<15}{verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="people logging in per second at the start")
    parser.add_argument("--run-time", type=int, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2 to 6 measured alike)")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="niceness of the Celery worker: PDF rendering yields the CPU to page views (0: equal standing)",
    )
    parser.add_argument("--reseed", action="store_true", help="make the seed database again")
    parser.add_argument("--keep", action="store_true", help="keep the run's database, to look into a figure")
    parser.add_argument("--label", default="", help="a note stored with the figures")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    database = ThrowawayDatabase.from_env(
        script=SCRIPT, variable="LOAD_DATABASE_URL", default=DEFAULT_DATABASE_URL, marker="load"
    )
    redis_url = os.environ.get("LOAD_REDIS_URL") or DEFAULT_REDIS_URL
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        _fail(f"Redis is not reachable at {redis_url} ({exc}); the load test needs it as broker and cache.")
    media = Path(tempfile.mkdtemp(prefix="staffrole-load-media-"))
    base_env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")
    }
    manage_env = {
        **base_env,
        "DJANGO_SETTINGS_MODULE": "staffrole.settings.local",
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_DIR": str(media / "broker"),
        "MEDIA_ROOT": str(media),
    }
    load_before = os.getloadavg()
    started = time.perf_counter()
    timings = prepare(database, reseed=options.reseed, env=manage_env)
    people = accounts(database, manage_env)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    serve_env = {
        **base_env,
        "PYTHONPATH": str(ROOT / "bench"),
        "DJANGO_SETTINGS_MODULE": "loopback_settings",
        "DATABASE_URL": database.url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": "load-test-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_DEFAULT_QUEUE": "staffrole-load",
    }
    gunicorn = [
        str(BIN / "gunicorn"), "staffrole.wsgi:application", f"--bind=127.0.0.1:{port}",
        f"--workers={options.workers}", f"--worker-class={options.worker_class}", "--timeout=60",
        "--graceful-timeout=5",
    ]  # fmt: skip
    if options.worker_class == "gthread":
        gunicorn.append(f"--threads={options.threads}")
    worker = [
        "nice", "-n", str(options.worker_nice),
        str(BIN / "celery"), "-A", "staffrole", "worker", "--pool=prefork", "--concurrency=1",
        "-Q", "staffrole-load", "-n", f"load-{port}@%h", "--without-heartbeat", "--without-gossip",
        "--without-mingle", "--loglevel=WARNING",
    ]  # fmt: skip
    raw_path = OUT / "raw.json"
    raw_path.unlink(missing_ok=True)
    locust_env = {
        **base_env,
        "LOAD_PLAN": json.dumps(people),
        "LOAD_RAW": str(raw_path),
    }
    locust = [
        str(BIN / "locust"), "-f", str(ROOT / "load" / "locustfile.py"), "--headless", "--host", host,
        "--users", str(options.users), "--spawn-rate", str(options.spawn_rate),
        "--run-time", f"{options.run_time}s", "--stop-timeout", "10", "--only-summary",
        "--loglevel", "WARNING",
    ]  # fmt: skip

    processes: list[Process] = []

    def stop_all(*_args: object) -> None:
        for process in reversed(processes):
            process.stop()

    def interrupted(signum: int, _frame: object) -> None:
        stop_all()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    load_during: tuple[float, float, float] = (0.0, 0.0, 0.0)
    cpu_start: dict[str, float] = {}
    cpu_end: dict[str, float] = {}
    try:
        processes.append(start("gunicorn", gunicorn, serve_env))
        processes.append(start("worker", worker, serve_env))
        wait_healthy(host, processes[0])
        prepared = time.perf_counter() - started
        runner = start("locust", locust, locust_env)
        processes.append(runner)
        parts = {"web": processes[0].process.pid, "worker": processes[1].process.pid}
        cpu_start = cpu_by_part(parts, database.name)
        reaped_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy_start = time.perf_counter()
        try:
            # Bounded: locust stops itself after --run-time; this is the backstop.
            runner.process.wait(timeout=options.run_time + 60)
        except subprocess.TimeoutExpired:
            _fail(f"locust did not stop after {options.run_time + 60} s:\n{runner.tail()}", code=1)
        load_during = os.getloadavg()
        cpu_wall = time.perf_counter() - busy_start
        cpu_end = cpu_by_part(parts, database.name)
        # locust has exited and been waited for: its CPU is what the reaped children used meanwhile.
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_start["locust"] = 0.0
        cpu_end["locust"] = (reaped.ru_utime + reaped.ru_stime) - (reaped_before.ru_utime + reaped_before.ru_stime)
        for process in processes[:2]:
            if not process.alive():
                _fail(f"{process.name} died during the run:\n{process.tail()}", code=1)
    finally:
        stop_all()
        try:
            client.flushdb()
        finally:
            client.close()
        if not options.keep:
            database.drop()
        shutil.rmtree(media, ignore_errors=True)
    if not raw_path.exists():
        _fail(f"locust wrote no figures:\n{runner.tail()}", code=1)
    raw = json.loads(raw_path.read_text())
    rows = summarise(raw, raw["seconds"])
    cpu_used = {name: round(cpu_end[name] - cpu_start.get(name, 0.0), 1) for name in cpu_end}
    cpu_used["available"] = round(cpu_wall * (os.cpu_count() or 1), 1)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "label": options.label,
        "users": options.users,
        "run_time_s": options.run_time,
        "measured_s": round(raw["seconds"], 1),
        "gunicorn": {"workers": options.workers, "worker_class": options.worker_class, "threads": options.threads}
        if options.worker_class == "gthread"
        else {"workers": options.workers, "worker_class": options.worker_class},
        "celery_workers": 1,
        "worker_nice": options.worker_nice,
        "cores": os.cpu_count(),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in load_during],
        "prepare_s": {key: round(value, 1) for key, value in timings.items()} | {"total": round(prepared, 1)},
        "cpu_s": cpu_used,
        "conflicts_resolved": raw.get("conflicts", 0),
        "exports_done": raw.get("exports", 0),
        "steps": rows,
    }
    (OUT / f"load-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    (OUT / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    gthread = f" x {options.threads} threads" if options.worker_class == "gthread" else ""
    print(
        f"Load: {options.users} users for {options.run_time} s on gunicorn {options.workers} {options.worker_class}"
        f"{gthread} workers + 1 Celery worker, {os.cpu_count()} cores"
    )
    print_table(rows)
    total = sum(row["requests"] for row in rows)
    errors = sum(row["errors"] for row in rows)
    print(
        f"{total} requests ({total / raw['seconds']:.1f}/s), {errors} errors; 409 conflicts re-read and saved: "
        f"{report['conflicts_resolved']}; PDF exports finished: {report['exports_done']}."
    )
    print(
        f"Prepared in {prepared:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())}). Load average "
        f"before {load_before[0]:.2f}, at the end {load_during[0]:.2f} (1 min)."
    )
    spent = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in cpu_used.items() if name != "available")
    print(
        f"CPU while locust ran: {spent}, of {cpu_used['available']:.0f} s on {os.cpu_count()} cores "
        f"(the worker at niceness {options.worker_nice})."
    )
    print(f"Figures: {OUT / 'latest.json'}")
    for step, messages in sorted(raw.get("error_samples", {}).items()):
        print(f"  {step}: {'; '.join(messages)}")
    if not all(row["ok"] for row in rows):
        print("A target was missed.", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
