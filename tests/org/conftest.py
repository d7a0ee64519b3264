import csv
import io
from collections.abc import Callable, Iterable

import pytest

from org.importer import COLUMNS
from org.models import Employee

Row = dict[str, str]


def _row(username: str, **values: str) -> Row:
    """A valid person row; name the columns to change (manager="", team="platform", ...)."""
    row = {
        "username": username,
        "email": f"{username}@example.test",
        "name": username.title(),
        "title": "Engineer",
        "role": "",
        "level": "Staff",
        "team": "",
        "manager": "",
        "start_date": "2022-03-01",
    }
    row.update(values)
    return row


def _csv(rows: Iterable[Row], columns: Iterable[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _current_rows() -> list[Row]:
    """The active organisation as an import file would describe it."""
    people = Employee.objects.filter(active=True).select_related("user", "role", "team", "manager__user")
    return [
        {
            "username": e.user.username,
            "email": e.user.email,
            "name": e.name,
            "title": e.title,
            "role": e.role.slug if e.role else "",
            "level": e.level,
            "team": e.team.slug if e.team else "",
            "manager": e.manager.user.username if e.manager else "",
            "start_date": e.start_date.isoformat(),
        }
        for e in people.order_by("pk")
    ]


@pytest.fixture
def org_row() -> Callable[..., Row]:
    return _row


@pytest.fixture
def org_csv() -> Callable[..., bytes]:
    return _csv


@pytest.fixture
def org_current_rows() -> Callable[[], list[Row]]:
    return _current_rows


@pytest.fixture
def org_small(db):  # type: ignore[no-untyped-def]
    """director → manager → engineer, newhire; director → manager2 → engineer2; hr (HR group) on its own."""
    from tests.org_builders import small_org

    return small_org()
