"""Benchmark of the organisation import: a realistic 5,000-person org, three runs.

    .venv/bin/python bench/org_import.py [--people 5000]

Runs on a throwaway SQLite file (var/bench-org.sqlite3, recreated each time) unless DATABASE_URL
is set, in which case that database is migrated and used as is: point it at a scratch database,
never at one whose data matters. The goal is a 5,000-row import well under 30 seconds.
"""

import argparse
import csv
import io
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffrole.settings.local")
THROWAWAY = ROOT / "var" / "bench-org.sqlite3"
if not os.environ.get("DATABASE_URL"):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{THROWAWAY}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{THROWAWAY}"

import django  # noqa: E402 - the settings above must be in place first

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from org.importer import COLUMNS  # noqa: E402
from org.services import org_import  # noqa: E402
from scorecards.models import Role  # noqa: E402
from scorecards.services import blueprint_import, blueprint_parse_upload  # noqa: E402

REPORTS_PER_MANAGER = 8
TITLES = ["Software Engineer", "Senior Software Engineer", "Staff Engineer", "Engineer II", "QA Engineer"]
LEVELS = ["L3", "L4", "L5", "L6"]


def organisation(people: int, seed: int = 7) -> list[dict[str, str]]:
    """A tree filled breadth first: everyone above the bottom layer manages about eight people."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
    rows: list[dict[str, str]] = []
    for n in range(people):
        manager = "" if n == 0 else rows[(n - 1) // REPORTS_PER_MANAGER]["username"]
        is_manager = n * REPORTS_PER_MANAGER + 1 < people
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        rows.append(
            {
                "username": f"person{n:05d}",
                "email": f"person{n:05d}@example.test",
                "name": f"Person {n:05d}",
                "title": "Engineering Manager" if is_manager and n else ("CTO" if n == 0 else rng.choice(TITLES)),
                "role": "staff-software-engineer" if rng.random() < 0.2 else "",
                "level": rng.choice(LEVELS),
                "team": f"team-{(n - 1) // REPORTS_PER_MANAGER // 4:03d}" if n else "",
                "manager": manager,
                "start_date": start.isoformat(),
            }
        )
    return rows


def as_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def reorganised(rows: list[dict[str, str]], seed: int = 11) -> list[dict[str, str]]:
    """A typical later file: 5% of people change title, about 1% leave and as many join."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
    changed = [dict(row) for row in rows]
    for row in rng.sample(changed[1:], len(changed) // 20):
        row["title"] = row["title"] + " (acting)"
    managers = {row["manager"] for row in changed}
    leavers = {row["username"] for row in rng.sample(changed[1:], len(changed) // 100)} - managers
    changed = [row for row in changed if row["username"] not in leavers]
    for n in range(len(leavers)):  # as many join as leave, so the file stays within the row limit
        changed.append({**rows[-1], "username": f"joiner{n:04d}", "email": f"joiner{n:04d}@example.test"})
    return changed


def timed(label: str, run: Callable[[], Any]) -> tuple[str, float, Any]:
    started = time.perf_counter()
    result = run()
    return label, time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Role.objects.filter(slug="staff-software-engineer", versions__status="published").exists():
        document = ROOT / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
        data = blueprint_parse_upload(name=document.name, content=document.read_bytes())
        blueprint_import(actor=None, data=data, source_name=document.name, publish=True)

    rows = organisation(args.people)
    first, later = as_csv(rows), as_csv(reorganised(rows))

    def run(content: bytes, **options: Any) -> Any:
        return org_import(actor=None, content=content, source_name="bench.csv", send_invites=False, **options)

    results = [
        timed("dry run (empty organisation)", lambda: run(first, dry_run=True)),
        timed("first import", lambda: run(first)),
        timed("same file again", lambda: run(first)),
        timed("5% changed, ~1% left and joined", lambda: run(later)),
    ]

    database = connection.settings_dict["NAME"] if connection.vendor == "sqlite" else connection.vendor
    print(f"Organisation import: {args.people:,} rows ({len(first) / 1024:.0f} KB) on {database}")
    print(f"{'run':<34}{'seconds':>9}{'created':>9}{'changed':>9}{'deact.':>8}{'unchanged':>11}")
    for label, seconds, result in results:
        counts = result.counts()
        print(
            f"{label:<34}{seconds:>9.2f}{counts['created']:>9}{counts['updated']:>9}"
            f"{counts['deactivated']:>8}{counts['unchanged']:>11}"
        )


if __name__ == "__main__":
    main()
