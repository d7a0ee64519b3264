"""KPI measurements from a file: a CSV (the upload page and `import_measurements`) or a JSON list (the
command), read into the items kpis.measurements.measurements_ingest takes, and its refusals turned
into problems a person can find in the file.

A CSV starts with a header naming its columns, in any order: role, kpi, subject_type, subject, team
(for a service's measurements; the column may be left out when no row needs it), period, value, unit
and source (which may be left out, or a cell left empty, when the import names a default source).
Lines are the file's own, counted from 1 for the header, so a problem points at the line a row starts
on even after a quoted cell that spans several lines. A file is all or nothing: every problem of every
row is reported, and nothing is written unless there are none.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from kpis.measurements import _checked, measurements_ingest
from kpis.services import IngestError, IngestResult
from staffrole import access

COLUMNS = ("role", "kpi", "subject_type", "subject", "team", "period", "value", "unit", "source")
OPTIONAL_COLUMNS = frozenset({"team"})  # and `source` when a default source is given
MAX_BYTES = 16 * 1024 * 1024
MAX_ROWS = 100_000
CELL_LIMIT = 10_000  # characters in one cell; csv's own limit is far larger
NON_FIELD = "non_field_errors"
ROLE = "staff-software-engineer"
SAMPLE_ROWS = (  # in COLUMNS' order
    (ROLE, "Change failure rate (DORA)", "team", "platform", "", "2026-11", "8.5", "%", "ci"),
    (ROLE, "slo-attainment", "service", "billing-api", "platform", "2026-Q4", "99.95", "%", "slo-report"),
    (ROLE, "Lead time to change (DORA)", "engineer", "engineer", "", "2026-W47", "20", "hours", "ci"),
)
_ITEM_REFERENCE = re.compile(r"^Item (\d+) ")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where ("Line 3" of a CSV, "Item 0" of a JSON list, or "" for the
    file as a whole), in which column or field ("" for the row as a whole), and why. `order` is the
    line or index, to list problems in file order."""

    where: str
    field: str
    message: str
    order: int = 0

    def __str__(self) -> str:
        if not self.where:
            return self.message
        return f"{self.where}: {self.field}: {self.message}" if self.field else f"{self.where}: {self.message}"


class MeasurementFileError(Exception):
    """A file that cannot be imported; `problems` lists every reason, and nothing was written."""

    def __init__(self, problems: list[Problem], detail: str = "") -> None:
        self.problems = problems
        rows = len({problem.where for problem in problems if problem.where})
        super().__init__(
            detail
            or (
                f"{rows} row{'' if rows == 1 else 's'} of the file {'has' if rows == 1 else 'have'} problems; "
                "nothing was imported."
                if rows
                else "The file cannot be imported; nothing was imported."
            )
        )


@dataclass(frozen=True)
class Rows:
    """The items of a file; for each, where it is in the file ("Line 3", "Item 0") and its line or
    index; and the rows that could not even be read as items (a wrong number of cells)."""

    items: list[dict[str, Any]]
    places: list[str]
    orders: list[int]
    problems: list[Problem]


def size_limit() -> str:
    return f"{MAX_BYTES // 1024**2} MB"


def sample_csv() -> str:
    """A small file in the format, for the upload page's download."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(SAMPLE_ROWS)
    return out.getvalue()


def _refuse(message: str) -> MeasurementFileError:
    return MeasurementFileError([Problem("", "", message)], detail=message)


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise _refuse(
            f"The file is not UTF-8 text: byte 0x{content[exc.start]:02x} on line {line} is not UTF-8. "
            'Save it as "CSV UTF-8" (or re-encode it as UTF-8) and try again.'
        ) from None


def rows_from_csv(content: bytes, *, default_source: str = "") -> Rows:
    """The rows of a measurement CSV as items; MeasurementFileError with every problem otherwise."""
    if len(content) > MAX_BYTES:
        raise _refuse(f"The file is larger than {size_limit()}; split it into smaller files.")
    text = _text(content)
    if not text.strip():
        raise _refuse(f"The file is empty. It needs a header row naming the columns: {', '.join(COLUMNS)}.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = Rows(items=[], places=[], orders=[], problems=[])
    header: list[str] | None = None
    count = 0
    while True:
        line = reader.line_num + 1  # where the next row starts, whatever its cells span
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _refuse(f"Line {line} cannot be read as CSV: {exc}.") from None
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            _check_header(header, default_source=default_source)
            continue
        count += 1
        if count > MAX_ROWS:
            raise _refuse(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
        where = f"Line {line}"
        if len(cells) != len(header):
            message = f"This row has {len(cells)} cells; the header names {len(header)} columns."
            rows.problems.append(Problem(where, "", message, line))
            continue
        too_long = [name for name, cell in zip(header, cells, strict=True) if len(cell) > CELL_LIMIT]
        if too_long:
            message = f"At most {CELL_LIMIT:,} characters in a cell."
            rows.problems.extend(Problem(where, name, message, line) for name in too_long)
            continue
        item = dict(zip(header, cells, strict=True))
        if "team" in item and not item["team"].strip():
            del item["team"]
        if default_source and not item.get("source", "").strip():
            item["source"] = default_source
        rows.items.append(item)
        rows.places.append(where)
        rows.orders.append(line)
    if header is None:
        raise _refuse(f"The file is empty. It needs a header row naming the columns: {', '.join(COLUMNS)}.")
    if not count:
        raise _refuse("The file has a header but no measurements.")
    return rows


def _check_header(header: list[str], *, default_source: str) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    doubled = sorted({name for name in header if header.count(name) > 1})
    optional = OPTIONAL_COLUMNS | ({"source"} if default_source else set())
    missing = [name for name in COLUMNS if name not in header and name not in optional]
    messages = []
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:10])
        messages.append(f"Unknown column{'s' if len(unknown) > 1 else ''} {shown}.")
    if doubled:
        messages.append(f"Column{'s' if len(doubled) > 1 else ''} named twice: {', '.join(doubled)}.")
    if missing:
        messages.append(f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")
    if messages:
        raise _refuse(
            "The header row (line 1) is not right: "
            + " ".join(messages)
            + f" The columns are {', '.join(COLUMNS)}, in any order (team only for services)."
        )


def rows_from_json(content: bytes, *, default_source: str = "") -> Rows:
    """A JSON list of measurement items; objects without a `source` take the default source."""
    if len(content) > MAX_BYTES:
        raise _refuse(f"The file is larger than {size_limit()}; split it into smaller files.")
    try:
        items = json.loads(_text(content))
    except json.JSONDecodeError as exc:
        raise _refuse(f"The file is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from None
    if not isinstance(items, list):
        raise _refuse("Expected a JSON list of measurements, one object per measurement.")
    if default_source:
        for item in items:
            if isinstance(item, dict) and item.get("source") in (None, ""):
                item["source"] = default_source
    if not items:
        raise _refuse("The file holds an empty list: no measurements.")
    if len(items) > MAX_ROWS:
        raise _refuse(f"The file has more than {MAX_ROWS:,} measurements; split it into smaller files.")
    indexes = list(range(len(items)))
    return Rows(items=items, places=[f"Item {index}" for index in indexes], orders=indexes, problems=[])


def _message_at(message: str, places: list[str]) -> str:
    """The ingest names another item of the batch by its index ("Item 3 gives ..."); name its place in the file."""
    match = _ITEM_REFERENCE.match(message)
    if match is None or int(match[1]) >= len(places):
        return message
    return f"{places[int(match[1])]} {message[match.end() :]}"


def _problems(exc: IngestError, rows: Rows) -> list[Problem]:
    return [
        Problem(
            rows.places[index],
            "" if name == NON_FIELD else name,
            _message_at(message, rows.places),
            rows.orders[index],
        )
        for index, fields in exc.errors.items()
        for name, messages in fields.items()
        for message in messages
    ]


def measurements_import(*, actor: Any, rows: Rows, source: str) -> IngestResult:
    """Write a file's rows in one batch, all or nothing; MeasurementFileError names each problem's place.

    When some rows could not be read as items, the others are still checked (not written), so one
    pass over the file reports every problem.
    """
    if actor is not None and not access.can_ingest_kpis(actor):
        raise PermissionDenied("Only HR and KPI ingest accounts can import measurements.")
    try:
        if rows.problems:
            _checked(rows.items, max_items=MAX_ROWS)
            raise MeasurementFileError(sorted(rows.problems, key=lambda problem: problem.order))
        return measurements_ingest(actor=actor, items=rows.items, source=source, max_items=MAX_ROWS)
    except IngestError as exc:
        if not exc.errors:
            raise _refuse(str(exc)) from None
        problems = sorted([*rows.problems, *_problems(exc, rows)], key=lambda problem: problem.order)
        raise MeasurementFileError(problems) from None
