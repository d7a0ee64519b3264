"""Floor-relative benchmark: each figure beside the cheapest thing that does the same kind of work here,
in one run and one table, so that a figure means something on whatever machine runs it.

    .venv/bin/python bench/floor.py [--workers 4] [--seconds 8] [--reseed] [--drop]

- Pages: the review page (a manager on a review they are writing), the calibration page (HR, the whole
  cycle) and the dashboard (the manager), each served by gunicorn on 127.0.0.1 with the production
  settings (bench/loopback_settings.py), beside a view that only answers "ok" through the same
  middleware and server (bench/floor_urls.py, a URLconf only this benchmark uses). Requests per second
  come from wrk (Debian package `wrk`) with as many connections as there are gunicorn workers, twice
  over: wrk is an event loop in C, so the load generator takes little of the two cores the server
  needs, where a Python client would take a core of its own and cap what it can measure. The trivial
  view is measured right before each page, so a page and its floor see the same background load. A
  page's figure is its requests/s as a share of the trivial view's. Target: the review page at least
  40%.
- A review packet PDF (reviews.packets.review_packet_pdf, as HR) beside WeasyPrint rendering a blank
  page; the median of five after a warm-up.
- The KPI trend recompute (kpis.trends.trends_recompute, every series) beside one GROUP BY series_id
  over the same measurements; the median of three.

The database of BENCH_FLOOR_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/staffrole_floor;
its name must contain "floor") holds the bundled blueprint and `seed_demo --engineers 2000`, analysed.
It is kept between runs and made again only when the migrations or the demo seed change (--reseed
forces it; --drop removes it at the end). Redis (BENCH_FLOOR_REDIS_URL, default db 15) is the cache,
as in production; the run never writes to its queues.

The figures are written to var/bench/floor-<timestamp>.json and var/bench/floor-latest.json; when a
previous floor-latest.json exists, the table shows the change from it. Exits 1 when a target is
missed, 2 when PostgreSQL or wrk is missing.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any, NoReturn

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from throwaway import ThrowawayDatabase, fail, seed_fingerprint  # noqa: E402 - bench/ runs as scripts

SCRIPT = "bench/floor.py"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffrole_floor"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
BLUEPRINT = ROOT / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
OUT = ROOT / "var" / "bench"
ENGINEERS = 2000
REVIEW_PAGE_TARGET = 0.40
BIN = Path(sys.executable).parent


def _fail(message: str, code: int = 2) -> NoReturn:
    fail(SCRIPT, message, code)


DATABASE = ThrowawayDatabase.from_env(
    script=SCRIPT, variable="BENCH_FLOOR_DATABASE_URL", default=DEFAULT_DATABASE_URL, marker="floor"
)
REDIS_URL = os.environ.get("BENCH_FLOOR_REDIS_URL") or DEFAULT_REDIS_URL
MEDIA_DIR = Path(tempfile.mkdtemp(prefix="bench-floor-media-"))
os.environ.update(
    DATABASE_URL=DATABASE.url,
    REDIS_URL=REDIS_URL,
    DEBUG="False",
    LOG_FORMAT="plain",
    LOG_LEVEL="WARNING",
    MEDIA_ROOT=str(MEDIA_DIR),
    CELERY_TASK_DEFAULT_QUEUE="bench-floor",
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffrole.settings.local")

import django  # noqa: E402 - the settings above must be in place first

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from kpis.models import Measurement  # noqa: E402
from kpis.trends import trends_recompute  # noqa: E402
from reviews.models import Cycle, Review  # noqa: E402
from reviews.packets import review_packet_pdf  # noqa: E402


@dataclass
class Figure:
    key: str  # stable, for comparing runs
    figure: str
    value: float
    unit: str
    floor: float
    floor_name: str
    ratio: float  # value / floor
    ratio_text: str
    target: str = ""
    ok: bool | None = None


# --- The data --------------------------------------------------------------------------------------


def seeded() -> str:
    """Make the seed (or reuse it); returns what was done, for the notes."""
    fingerprint = seed_fingerprint(ROOT, engineers=ENGINEERS)
    if DATABASE.label() == fingerprint:
        return "reused"
    from reviews.demo import demo_seed
    from scorecards.blueprint_parser import parse_blueprint
    from scorecards.services import blueprint_import

    started = time.perf_counter()
    connections.close_all()
    DATABASE.recreate()
    call_command("migrate", verbosity=0)
    data = parse_blueprint(BLUEPRINT.read_text(encoding="utf-8"))
    blueprint_import(actor=None, data=data, source_name=BLUEPRINT.name, publish=True)
    demo_seed(engineers=ENGINEERS)
    connections.close_all()
    # Statistics as autovacuum would have them on a live server: the planner's choices depend on them.
    with psycopg.connect(DATABASE.url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    DATABASE.set_label(fingerprint)
    return f"seeded in {time.perf_counter() - started:.0f} s"


@dataclass(frozen=True)
class Subjects:
    manager: str
    review_id: int
    cycle_id: int
    hr: str


def subjects() -> Subjects:
    """A manager writing a review (their side editable, the engineer's self-assessment in) and the cycle."""
    review = (
        Review.objects.filter(state=Review.State.SELF_SUBMITTED, reviewer__user__username__startswith="mgr")
        .select_related("reviewer__user")
        .order_by("pk")
        .first()
    )
    if review is None or review.reviewer is None:
        _fail("the seed has no self-submitted review of a synthetic manager's report", code=1)
    cycle = Cycle.objects.filter(state=Cycle.State.OPEN).order_by("-period_end").first()
    if cycle is None:
        _fail("the seed has no open review cycle", code=1)
    return Subjects(review.reviewer.user.username, review.pk, cycle.pk, "hr")


# --- Serving and wrk -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn on 127.0.0.1 with the floor's settings, in a process group of its own."""

    def __init__(self, workers: int, worker_class: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = ROOT / "var" / "bench-floor-gunicorn.log"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "bench"),
            "DJANGO_SETTINGS_MODULE": "floor_settings",
            "SECRET_KEY": "bench-only-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        command = [
            str(BIN / "gunicorn"), "staffrole.wsgi:application", f"--bind=127.0.0.1:{self.port}",
            f"--workers={workers}", f"--worker-class={worker_class}", "--timeout=60", "--graceful-timeout=5",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - gunicorn from our virtualenv
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                _fail(f"gunicorn exited with {self.process.returncode}:\n{self.log_path.read_text()[-3000:]}", 1)
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as answer:  # noqa: S310 - loopback
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        _fail(f"gunicorn did not answer /healthz within 60 s:\n{self.log_path.read_text()[-3000:]}", code=1)

    def session_cookie(self, username: str) -> str:
        """Log in through the login page; the Cookie header a browser would then send."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{self.url}/accounts/login/", timeout=30).read()
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        form = urllib.parse.urlencode(
            {"username": username, "password": "demo", "csrfmiddlewaretoken": token, "next": "/"}
        ).encode()
        opener.open(f"{self.url}/accounts/login/", data=form, timeout=30).read()
        cookies = {cookie.name: cookie.value for cookie in jar}
        if "sessionid" not in cookies:
            _fail(f"could not log in as {username}", code=1)
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    def fetch(self, url: str, cookie: str) -> None:
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback
        with urllib.request.urlopen(request, timeout=300) as answer:  # noqa: S310 - loopback
            answer.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.process.pid, sig)
                    self.process.wait(timeout=20)
                    return
                except ProcessLookupError:
                    return
                except subprocess.TimeoutExpired:
                    continue


@dataclass(frozen=True)
class Throughput:
    per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx/3xx answers and socket errors


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, *, cookie: str, connections_: int, seconds: int) -> Throughput:
    command = [
        "wrk", "-t2", f"-c{connections_}", f"-d{seconds}s", "--latency", "--timeout", "30s",
        "-H", f"Cookie: {cookie}", url,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)  # noqa: S603
    out = result.stdout
    if result.returncode != 0 or "Requests/sec" not in out:
        _fail(f"wrk failed on {url}:\n{out}{result.stderr}", code=1)
    per_second = float(re.search(r"Requests/sec:\s+([0-9.]+)", out)[1])  # type: ignore[index]
    requests = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    if requests == 0:  # every answer took longer than the run
        return Throughput(0.0, seconds * 1000.0, seconds * 1000.0, 0, 0)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    bad = int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        bad += sum(int(n) for n in m.groups())
    return Throughput(per_second, _ms(latency["50"]), _ms(latency["99"]), requests, bad)


def page_figures(server: Server, who: Subjects, *, workers: int, seconds: int) -> tuple[list[Figure], list[str]]:
    manager = server.session_cookie(who.manager)
    hr = server.session_cookie(who.hr)
    trivial = f"{server.url}/_floor/trivial/"
    calibration = f"{server.url}/cycles/{who.cycle_id}/calibration/"
    pages = [
        ("review_page", "review page (manager)", f"{server.url}/reviews/{who.review_id}/", manager),
        ("calibration_page", "calibration page (HR, whole cycle)", calibration, hr),
        ("dashboard", "dashboard (manager)", f"{server.url}/", manager),
    ]
    width = 2 * workers
    figures, notes = [], []
    # Every worker renders every page once before anything is measured (templates, connections).
    with ThreadPoolExecutor(max_workers=width) as pool:
        for _key, _name, url, cookie in [*pages, ("", "", trivial, manager)]:
            list(pool.map(lambda target: server.fetch(*target), [(url, cookie)] * width))
    for key, name, url, cookie in pages:
        floor = wrk(trivial, cookie=cookie, connections_=width, seconds=seconds)
        page = wrk(url, cookie=cookie, connections_=width, seconds=seconds)
        # Requests wrk sent just before it stopped are still queued at the workers: one more request
        # waits behind them, so the next measurement starts on an idle server.
        server.fetch(trivial, cookie)
        if page.bad or floor.bad:
            _fail(f"{name}: {page.bad} bad answers (trivial view: {floor.bad})", code=1)
        ratio = page.per_second / floor.per_second if floor.per_second else 0.0
        target = f">= {REVIEW_PAGE_TARGET:.0%}" if key == "review_page" else ""
        figures.append(
            Figure(
                key=key,
                figure=f"{name}, requests/s",
                value=round(page.per_second, 1),
                unit="req/s",
                floor=round(floor.per_second, 1),
                floor_name="trivial view, req/s",
                ratio=round(ratio, 3),
                ratio_text=f"{ratio:.0%}",
                target=target,
                ok=ratio >= REVIEW_PAGE_TARGET if target else None,
            )
        )
        if not page.requests:
            notes.append(f"{name}: no answer within {seconds} s")
            continue
        notes.append(
            f"{name}: p50 {page.p50_ms:.0f} ms, p99 {page.p99_ms:.0f} ms over {page.requests} requests; "
            f"trivial view before it: {floor.per_second:.0f} req/s, p50 {floor.p50_ms:.1f} ms"
        )
    return figures, notes


# --- In-process figures ----------------------------------------------------------------------------


def timed(action: Callable[[], object], *, runs: int, warm_up: bool = True) -> float:
    if warm_up:
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return median(times)


def pdf_figure(who: Subjects) -> Figure:
    from weasyprint import HTML

    hr = get_user_model().objects.get(username=who.hr)
    packet = timed(lambda: review_packet_pdf(review_id=who.review_id, requester=hr), runs=5)
    blank = timed(lambda: HTML(string="<!doctype html><html><body></body></html>").write_pdf(), runs=5)
    return Figure(
        key="review_packet_pdf",
        figure="review packet PDF, seconds",
        value=round(packet, 3),
        unit="s",
        floor=round(blank, 3),
        floor_name="WeasyPrint blank page, s",
        ratio=round(packet / blank, 1),
        ratio_text=f"{packet / blank:.1f} x",
    )


def kpi_figure() -> tuple[Figure, str]:
    table = Measurement._meta.db_table

    def group_by() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT series_id, count(*), avg(value) FROM {table} GROUP BY series_id")  # noqa: S608
            cursor.fetchall()

    recompute = timed(trends_recompute, runs=3)
    floor = timed(group_by, runs=3)
    measurements = Measurement.objects.count()
    series = Measurement.objects.values("series_id").distinct().count()
    figure = Figure(
        key="kpi_recompute",
        figure="KPI trend recompute (every series), seconds",
        value=round(recompute, 3),
        unit="s",
        floor=round(floor, 3),
        floor_name="one GROUP BY series_id, s",
        ratio=round(recompute / floor, 1),
        ratio_text=f"{recompute / floor:.1f} x",
    )
    return figure, f"KPI data: {measurements:,} measurements in {series:,} series (the demo seed's history)"


# --- Report ----------------------------------------------------------------------------------------


def change(previous: dict[str, Any] | None, figure: Figure) -> str:
    if previous is None:
        return ""
    before = next((item for item in previous.get("figures", []) if item["key"] == figure.key), None)
    if before is None or not before.get("ratio"):
        return "new"
    return f"{(figure.ratio - before['ratio']) / before['ratio']:+.0%} ({before['ratio_text']})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (as in the load test)")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--seconds", type=int, default=8, help="seconds of wrk per page and per floor")
    parser.add_argument("--reseed", action="store_true", help="make the seed database again")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        _fail("wrk is not installed: `apt-get install -y wrk` (Debian), or `brew install wrk`.")
    OUT.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    if options.reseed and DATABASE.label() is not None:
        DATABASE.set_label("")
    seed_note = seeded()
    who = subjects()
    connections.close_all()
    server = None
    try:
        server = Server(options.workers, options.worker_class)
        figures, notes = page_figures(server, who, workers=options.workers, seconds=options.seconds)
        server.stop()
        server = None
        figures.append(pdf_figure(who))
        kpi, kpi_note = kpi_figure()
        figures.append(kpi)
        notes.append(kpi_note)
    finally:
        if server is not None:
            server.stop()
        connections.close_all()
        if options.drop:
            DATABASE.drop()
        shutil.rmtree(MEDIA_DIR, ignore_errors=True)
    load_after = os.getloadavg()

    latest = OUT / "floor-latest.json"
    previous = json.loads(latest.read_text()) if latest.exists() else None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "cores": os.cpu_count(),
        "gunicorn": {"workers": options.workers, "worker_class": options.worker_class},
        "wrk": {"connections": 2 * options.workers, "seconds": options.seconds},
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in load_after],
        "figures": [asdict(figure) for figure in figures],
        "notes": notes,
    }
    (OUT / f"floor-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    latest.write_text(json.dumps(report, indent=2) + "\n")

    print(
        f"Floors ({os.cpu_count()} cores; gunicorn {options.workers} {options.worker_class} workers, wrk "
        f"{2 * options.workers} connections x {options.seconds} s; data {seed_note})"
    )
    head = f"{'figure':<46}{'value':>9}  {'floor':<28}{'':>8}{'ratio':>8}  {'target':<7}{'':>7}"
    print(head + ("  change in ratio (previous)" if previous else ""))
    for figure in figures:
        verdict = "" if figure.ok is None else ("ok" if figure.ok else "MISSED")
        print(
            f"{figure.figure:<46}{figure.value:>9}  {figure.floor_name:<28}{figure.floor:>8}{figure.ratio_text:>8}  "
            f"{figure.target:<7}{verdict:>7}  {change(previous, figure)}"
        )
    for note in notes:
        print(note)
    print(
        f"Load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}. "
        f"Figures: {latest.relative_to(ROOT)}"
        + (f"; compared with the run of {previous['when']}." if previous else ".")
    )
    if any(figure.ok is False for figure in figures):
        print("A figure missed its target.", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
