"""Benchmark of the PDF exports on PostgreSQL: one review packet, and a 200-person calibration pack
rendered by one and then two real Celery workers.

    .venv/bin/python bench/packets.py [--people 200] [--keep]

The database of BENCH_PACKETS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/staffrole_bench_packets)
is dropped and created by the script, so its name must contain "bench"; it is dropped again at the
end, unless --keep. The load: the bundled blueprint published, `seed_demo --engineers N` (N = people
minus the demo's own), and every review of the demo cycle submitted by both sides with scores,
comments and potential, so that every page of the pack is full.

The figures:
- one review packet PDF rendered in this process (reviews.packets.review_packet_pdf, as HR): the
  median of five after one warm-up. Target: under 1.5 s.
- the calibration pack of the whole cycle as a job, from the request to the downloadable file, with
  one worker (`celery -A staffrole worker --pool=solo`), then with two such workers side by side on
  the same queue (the pack is split into parts of JOB_PART_SIZE people, default 10, that each worker
  takes in turn; one part joins them). Each worker first renders one packet, so that start-up (fonts,
  templates) is not counted. Targets: under 90 s with one worker; with two, close to twice as fast.
- each worker's peak resident memory (VmHWM in /proc/<pid>/status). Target: under 500 MB.

Broker: Redis (BENCH_REDIS_URL, default db 8) on a queue of its own, or the embedded filesystem
broker in a temporary folder when Redis does not answer. Exits 1 when a figure misses its target,
2 when PostgreSQL is not reachable. The workers' logs are kept in var/bench-packets-worker-N.log.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from throwaway import ThrowawayDatabase, fail, forget_queue, redis_broker  # noqa: E402 - bench/ runs as scripts

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffrole_bench_packets"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/8"
BLUEPRINT = ROOT / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
QUEUE = f"bench-packets-{uuid.uuid4().hex[:12]}"
PACKET_TARGET_SECONDS = 1.5
PACK_TARGET_SECONDS = 90.0
# "Close to twice as fast": two workers must bring at least 1.6 times the speed of one.
SPEEDUP_TARGET = 1.6
WORKER_MEMORY_TARGET_MB = 500.0
SEED = 20261202


def _fail(message: str, code: int = 2) -> NoReturn:
    fail("bench/packets.py", message, code)


DATABASE = ThrowawayDatabase.from_env(
    script="bench/packets.py", variable="BENCH_PACKETS_DATABASE_URL", default=DEFAULT_DATABASE_URL
)
BROKER, REDIS_URL = redis_broker(variable="BENCH_REDIS_URL", default=DEFAULT_REDIS_URL)
BROKER_DIR = None if REDIS_URL else Path(tempfile.mkdtemp(prefix="bench-packets-broker-"))
MEDIA_DIR = Path(tempfile.mkdtemp(prefix="bench-packets-media-"))
os.environ.update(
    DATABASE_URL=DATABASE.url,
    DEBUG="False",
    LOG_FORMAT="plain",
    LOG_LEVEL="WARNING",
    MEDIA_ROOT=str(MEDIA_DIR),
    CELERY_TASK_DEFAULT_QUEUE=QUEUE,
)
if REDIS_URL:
    os.environ["REDIS_URL"] = REDIS_URL
else:
    os.environ.pop("REDIS_URL", None)
    os.environ["CELERY_BROKER_DIR"] = str(BROKER_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffrole.settings.local")

import django  # noqa: E402 - the settings above must be in place first

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from jobs.models import Job  # noqa: E402
from jobs.services import job_start  # noqa: E402
from reviews.models import Rating, Review  # noqa: E402
from reviews.packets import review_packet_pdf  # noqa: E402


@dataclass
class Row:
    figure: str
    value: str
    target: str = ""
    ok: bool | None = None


class Worker:
    """`celery -A staffrole worker --pool=solo` on this bench's queue, logging to its own file."""

    def __init__(self, number: int) -> None:
        self.log_path = ROOT / "var" / f"bench-packets-worker-{number}.log"
        self.log_path.parent.mkdir(exist_ok=True)
        self.log = self.log_path.open("wb")
        command = [
            str(Path(sys.executable).parent / "celery"), "-A", "staffrole", "worker", "--pool=solo",
            "--concurrency=1", "-Q", QUEUE, "-n", f"{QUEUE}-{number}@%h", "--without-heartbeat",
            "--without-gossip", "--without-mingle", "--loglevel=INFO",
        ]  # fmt: skip
        env = {**os.environ, "LOG_LEVEL": "INFO"}
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603

    def peak_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if match is None:
            _fail(f"no VmHWM in /proc/{self.process.pid}/status", code=1)
        return int(match[1]) / 1024

    def alive(self) -> None:
        if self.process.poll() is not None:
            _fail(f"a worker exited with {self.process.returncode}:\n{self.log_path.read_text()[-3000:]}", code=1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def load(people: int) -> tuple[object, int]:
    """The demo organisation with `people` reviews in the demo cycle, all submitted by both sides."""
    from reviews.demo import demo_seed
    from scorecards.blueprint_parser import parse_blueprint
    from scorecards.services import blueprint_import

    call_command("migrate", verbosity=0)
    data = parse_blueprint(BLUEPRINT.read_text(encoding="utf-8"))
    blueprint_import(actor=None, data=data, source_name=BLUEPRINT.name, publish=True)
    demo_seed(engineers=0)
    demo_reviews = Review.objects.count()
    demo_seed(engineers=max(0, people - demo_reviews))
    reviews = list(Review.objects.select_related("blueprint_version").order_by("pk")[:people])
    rng = random.Random(SEED)  # noqa: S311 - reproducible sample data
    Rating.objects.filter(review__in=reviews).delete()
    ratings = []
    for review in reviews:
        lenient = rng.random() < 0.2
        for dimension in review.blueprint_version.dimensions.all():
            for side in (Rating.Side.SELF, Rating.Side.MANAGER):
                score = min(5, rng.randint(2, 4) + (1 if lenient and side == Rating.Side.MANAGER else 0))
                comment = (
                    f"{dimension.name}: {'Consistently' if score >= 4 else 'Mostly'} shows the expected scope. "
                    "Led the design review of the ledger service, mentored two engineers, and wrote the incident "
                    "review that changed how the team deploys. Next: broaden influence beyond the team."
                )
                ratings.append(Rating(review=review, dimension=dimension, side=side, score=score, comment=comment))
        review.state = Review.State.MANAGER_SUBMITTED
        review.potential = rng.choice(["low", "medium", "high"])
    Rating.objects.bulk_create(ratings, batch_size=2000)
    Review.objects.bulk_update(reviews, ["state", "potential"], batch_size=500)
    hr = get_user_model().objects.get(username="hr")
    return hr, reviews[0].cycle_id


def wait_for(job: Job, workers: list[Worker], timeout: float = 600) -> float:
    """Seconds from now until the job succeeded; fails when it failed or a worker died."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        job.refresh_from_db()
        if job.state == Job.State.SUCCEEDED:
            return time.perf_counter() - started
        if job.state == Job.State.FAILED:
            _fail(f"the {job.kind} job failed: {job.error}", code=1)
        for worker in workers:
            worker.alive()
        time.sleep(0.05)
    _fail(f"the {job.kind} job did not finish in {timeout:.0f} s", code=1)


def pack_seconds(hr: object, cycle_id: int, workers: list[Worker], sort: str) -> tuple[float, Job]:
    # A different sort per run: the same request would answer the finished job's successor anyway,
    # but this keeps the two runs' jobs apart in the log.
    started = time.perf_counter()
    job = job_start(kind=Job.Kind.CALIBRATION_PACK, requester=hr, params={"cycle": cycle_id, "filters": {"sort": sort}})
    wait_for(job, workers)
    return time.perf_counter() - started, job


def warm_up(hr: object, review_id: int, workers: list[Worker]) -> None:
    job = job_start(kind=Job.Kind.REVIEW_PACKET, requester=hr, params={"review": review_id})
    wait_for(job, workers)


def run(people: int, workers: list[Worker]) -> tuple[list[Row], list[str]]:
    from django.conf import settings

    started = time.perf_counter()
    hr, cycle_id = load(people)
    loaded = time.perf_counter() - started
    review_ids = list(Review.objects.filter(cycle_id=cycle_id).order_by("pk").values_list("pk", flat=True))

    review_packet_pdf(review_id=review_ids[0], requester=hr)
    timings = []
    size = 0
    for review_id in review_ids[1:6]:
        begun = time.perf_counter()
        _name, content = review_packet_pdf(review_id=review_id, requester=hr)
        timings.append(time.perf_counter() - begun)
        size = max(size, len(content))
    packet = median(timings)

    workers.append(Worker(1))
    warm_up(hr, review_ids[1], workers)
    one, job_one = pack_seconds(hr, cycle_id, workers, "name")
    workers.append(Worker(2))
    warm_up(hr, review_ids[2], workers[1:])
    two, job_two = pack_seconds(hr, cycle_id, workers, "-manager_score")
    peaks = [worker.peak_mb() for worker in workers]
    with job_two.result_file.open("rb") as handle:
        from pypdf import PdfReader

        pages = len(PdfReader(handle).pages)

    people_count = len(review_ids)
    peak = max(peaks)
    rows = [
        Row(
            "one review packet PDF, in process (median of 5)",
            f"{packet:.2f} s",
            f"< {PACKET_TARGET_SECONDS} s",
            packet < PACKET_TARGET_SECONDS,
        ),
        Row(
            f"calibration pack, {people_count} people, one worker",
            f"{one:.1f} s",
            f"< {PACK_TARGET_SECONDS:.0f} s",
            one < PACK_TARGET_SECONDS,
        ),
        Row(f"calibration pack, {people_count} people, two workers", f"{two:.1f} s"),
        Row("speed-up with two workers", f"{one / two:.2f} x", f">= {SPEEDUP_TARGET} x", one / two >= SPEEDUP_TARGET),
        Row(
            "peak memory of the busiest worker",
            f"{peak:.0f} MB",
            f"< {WORKER_MEMORY_TARGET_MB:.0f} MB",
            peak < WORKER_MEMORY_TARGET_MB,
        ),
    ]
    notes = [
        f"Load: {people_count} reviews in the demo cycle, both sides rated, loaded in {loaded:.1f} s.",
        f"Broker: {BROKER}.",
        f"Parts of {settings.JOB_PART_SIZE} people; the pack has {pages} pages.",
        f"The largest packet is {size / 1024:.0f} KB.",
        f"Workers' peak memory: {', '.join(f'{mb:.0f} MB' for mb in peaks)}. Jobs: {job_one.pk}, {job_two.pk}.",
    ]
    return rows, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    options = parser.parse_args()
    connections.close_all()
    DATABASE.recreate()
    workers: list[Worker] = []
    try:
        rows, notes = run(options.people, workers)
    finally:
        for worker in workers:
            worker.stop()
        forget_queue(REDIS_URL, QUEUE)
        connections.close_all()
        if not options.keep:
            DATABASE.drop()
        shutil.rmtree(MEDIA_DIR, ignore_errors=True)
        if BROKER_DIR is not None:
            shutil.rmtree(BROKER_DIR, ignore_errors=True)
    print(f"PDF exports (PostgreSQL, {os.cpu_count()} cores)")
    print(f"{'figure':<58}{'value':>10}  {'target':<9}{'':>6}")
    for row in rows:
        verdict = "" if row.ok is None else ("ok" if row.ok else "MISSED")
        print(f"{row.figure:<58}{row.value:>10}  {row.target:<9}{verdict:>6}")
    for note in notes:
        print(note)
    if any(row.ok is False for row in rows):
        print("A figure missed its target.", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
