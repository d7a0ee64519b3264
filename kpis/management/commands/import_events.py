import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.services import IngestConflict, IngestError, deployments_ingest, incidents_ingest

INGEST = {"deployments": deployments_ingest, "incidents": incidents_ingest}


class Command(BaseCommand):
    help = (
        "Send a JSON file of deployments or incidents (the shape of POST /api/v1/kpis/deployments/ and "
        "/incidents/): upserted by id, all or nothing; every bad item is listed by its index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(INGEST), help="what the file holds")
        parser.add_argument("file", help="a JSON file holding a list of items; - reads standard input")

    def handle(self, *args: Any, kind: str, file: str, **options: Any) -> None:
        source = "standard input" if file == "-" else Path(file).name
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{source} is not UTF-8 text: {exc.reason} at byte {exc.start}.") from exc
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{source} is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from exc
        try:
            result = INGEST[kind](actor=None, items=items, source=source)
        except IngestError as exc:
            for index, problems in exc.errors.items():
                for name, messages in problems.items():
                    for message in messages:
                        self.stderr.write(f"  item {index}: {name}: {message}")
            raise CommandError(str(exc)) from exc
        except IngestConflict as exc:
            raise CommandError(str(exc)) from exc

        if result.created or result.updated:
            self.stdout.write(f"Imported {kind} from {source}.")
        else:
            self.stdout.write(f"Nothing to change: every one of the {kind} in {source} is already stored as sent.")
        for label, count in (("Created", result.created), ("Updated", result.updated), ("Unchanged", result.unchanged)):
            self.stdout.write(f"  {label:<12}{count:>6}")
