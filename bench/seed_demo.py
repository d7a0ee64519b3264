"""Benchmark of the demo seed: `seed_demo --engineers 2000` on a throwaway SQLite file.

    .venv/bin/python bench/seed_demo.py [--engineers 2000]

The goal is under a minute. The database (var/bench-seed.sqlite3) is recreated on every run. The bundled
blueprint is imported and published first, as `make setup` does, so the demo cycle enrols every engineer.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
THROWAWAY = ROOT / "var" / "bench-seed.sqlite3"
BLUEPRINT = ROOT / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
for suffix in ("", "-wal", "-shm"):
    Path(f"{THROWAWAY}{suffix}").unlink(missing_ok=True)
os.environ["DATABASE_URL"] = f"sqlite:///{THROWAWAY}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffrole.settings.local")

import django  # noqa: E402 - the settings above must be in place first

django.setup()

from django.core.management import call_command  # noqa: E402

from reviews.demo import demo_seed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engineers", type=int, default=2000)
    engineers = parser.parse_args().engineers
    call_command("migrate", verbosity=0)
    call_command("import_blueprint", str(BLUEPRINT), "--publish", stdout=io.StringIO())
    rows = []
    for label in ("first run", "second run (nothing to add)"):
        started = time.perf_counter()
        result = demo_seed(engineers=engineers)
        events = result.deployments_created + result.incidents_created
        rows.append((label, time.perf_counter() - started, len(result.created), result.reviews_created, events))
    print(f"seed_demo --engineers {engineers} on SQLite")
    print(f"{'run':<30} {'seconds':>8} {'accounts created':>17} {'reviews created':>16} {'events created':>15}")
    for label, seconds, created, reviews, events in rows:
        print(f"{label:<30} {seconds:>8.2f} {created:>17} {reviews:>16} {events:>15}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{THROWAWAY}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
