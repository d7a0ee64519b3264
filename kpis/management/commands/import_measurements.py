from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.measurement_files import (
    COLUMNS,
    MAX_ROWS,
    MeasurementFileError,
    measurements_import,
    rows_from_csv,
    rows_from_json,
)
from kpis.models import Measurement
from kpis.services import IngestConflict

READERS = {".csv": rows_from_csv, ".json": rows_from_json}
SOURCE_MAX_LENGTH = Measurement._meta.get_field("source").max_length or 100


class Command(BaseCommand):
    help = (
        "Import KPI measurements from a CSV file (header: "
        + ",".join(COLUMNS)
        + ", in any order) or a JSON file (a list of items, the shape of POST /api/v1/kpis/measurements/). "
        f"All or nothing, up to {MAX_ROWS:,} rows in one batch; every problem is listed with its line (CSV) or "
        "item index (JSON), and nothing is written while there is one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a .csv or .json file")
        parser.add_argument(
            "--source",
            default="",
            help="the source of rows that name none (an empty source cell, no source column, or no `source` key); "
            "also recorded as where the import came from",
        )

    def handle(self, *args: Any, path: str, source: str, **options: Any) -> None:
        file = Path(path)
        read = READERS.get(file.suffix.lower())
        if read is None:
            raise CommandError(f"{file.name}: expected a .csv or .json file.")
        source = source.strip()
        if len(source) > SOURCE_MAX_LENGTH:
            raise CommandError(f"--source: at most {SOURCE_MAX_LENGTH} characters.")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        try:
            rows = read(content, default_source=source)
            result = measurements_import(actor=None, rows=rows, source=source or file.name)
        except MeasurementFileError as exc:
            for problem in exc.problems:
                if problem.where:
                    self.stderr.write(f"  {problem}")
            raise CommandError(str(exc)) from exc
        except IngestConflict as exc:
            raise CommandError(str(exc)) from exc

        if result.created or result.updated:
            self.stdout.write(
                f"Imported measurements from {file.name}; the trends of the changed series are being recomputed."
            )
        else:
            self.stdout.write(f"Nothing to change: every measurement in {file.name} is already stored as sent.")
        for label, count in (("Created", result.created), ("Updated", result.updated), ("Unchanged", result.unchanged)):
            self.stdout.write(f"  {label:<12}{count:>6}")
