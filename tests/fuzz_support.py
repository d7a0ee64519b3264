"""Hypothesis strategies that mutate real import files (a blueprint document, CSV files, JSON batches), and
the row counts of every table, to show that a refused import wrote nothing."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded and reproducible: a property test here stays within a few seconds.
FUZZ_SETTINGS = settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "\ufeff",
    "\u202e",
    "=cmd|' /C calc'!A0",
    '<script>alert("x")</script>',
    "'; DROP TABLE auth_user; --",
    "../../etc/passwd",
    "%s%s%n",
    "\U0001f600" * 3,
    "x" * 5000,
    "9" * 40,
    "-1",
    "1e309",
    "NaN",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31T23:59:59+14:00",
    '"',
    '""',
    ",",
    "\r",
    "\n",
    "null",
    "{}",
    "[]",
]

hostile_text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40))


def row_counts() -> dict[str, int]:
    """How many rows each table of the project holds, read in one query."""
    models = [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]
    quote = connection.ops.quote_name
    # Table names from the models, quoted: nothing from outside reaches this SQL.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is undone afterwards, so examples do not see each other's writes."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


@st.composite
def mutated_lines(draw: st.DrawFn, text: str, *, max_mutations: int = 3) -> str:
    """The text with one to a few lines deleted, doubled, swapped, rewritten, cut short or salted."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, max_mutations))):
        if not lines:
            lines = [""]
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "double", "swap", "replace", "insert", "cut", "salt", "truncate"]))
        if kind == "delete":
            del lines[at]
        elif kind == "double":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "replace":
            lines[at] = draw(hostile_text)
        elif kind == "insert":
            lines.insert(at, draw(hostile_text))
        elif kind == "cut":
            lines[at] = lines[at][: draw(st.integers(0, max(0, len(lines[at]) - 1)))]
        elif kind == "salt":
            position = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:position] + draw(hostile_text) + lines[at][position:]
        else:
            lines = lines[: at + 1]
    return "\n".join(lines)


@st.composite
def mutated_csv_cells(draw: st.DrawFn, rows: list[list[str]]) -> list[list[str]]:
    """A CSV table (header first) with a few cells rewritten, and sometimes a row or column added or lost."""
    rows = [list(row) for row in rows]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "drop_row", "double_row", "drop_column", "extra_cell"]))
        at = draw(st.integers(0, len(rows) - 1))
        if kind == "cell" and rows[at]:
            column = draw(st.integers(0, len(rows[at]) - 1))
            rows[at][column] = draw(hostile_text)
        elif kind == "drop_row" and len(rows) > 1:
            del rows[at]
        elif kind == "double_row":
            rows.insert(at, list(rows[at]))
        elif kind == "drop_column" and rows[0]:
            column = draw(st.integers(0, len(rows[0]) - 1))
            rows = [row[:column] + row[column + 1 :] for row in rows]
        else:
            rows[at].append(draw(hostile_text))
    return rows


@st.composite
def mutated_json(draw: st.DrawFn, value: Any) -> Any:
    """A copy of a JSON value with one to three values somewhere in it replaced, removed or retyped."""
    value = json.loads(json.dumps(value))
    replacement = st.one_of(
        hostile_text,
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False),
        st.booleans(),
        st.none(),
        st.just([]),
        st.just({}),
    )
    for _ in range(draw(st.integers(1, 3))):
        places = list(_places(value))
        if not places:
            return draw(replacement)
        container, key = draw(st.sampled_from(places))
        if draw(st.booleans()) or isinstance(container, list):
            container[key] = draw(replacement)
        else:
            del container[key]
    return value


def _places(value: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from _places(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _places(item)
