"""Reading an organisation CSV and working out what importing it would do.

Nothing here writes. `org_import_plan` reads the file and the current organisation in a fixed
number of queries and returns either every problem at once (row, column, value, reason) or the
people to create, change, reactivate and deactivate. `org.services.org_import` applies a plan.

Row numbers are a spreadsheet's: the header is row 1, the first person row 2.
"""

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef

from org.models import Employee, Team
from scorecards.models import BlueprintVersion, Role

COLUMNS = ("username", "email", "name", "title", "role", "level", "team", "manager", "start_date")
# What an import compares and may change on a person, in employee_snapshot's shape.
PLAN_FIELDS = ("name", "email", "title", "role", "level", "team", "manager", "start_date")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MIN_YEAR = 1900
TEAM_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
VALUE_SHOWN = 100  # longer cell values are cut in error reports

_username_validator = UnicodeUsernameValidator()


def _max_length(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


@dataclass(frozen=True)
class RowError:
    """One problem: where it is (row and column; None for the file as a whole) and why."""

    row: int | None
    column: str | None
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.column:
            where += f", column {self.column}"
        if self.value:
            where += f" ({self.value})"
        return f"{where}: {self.reason}"


def size_limit() -> str:
    return f"{MAX_BYTES // 1024**2} MB" if MAX_BYTES % 1024**2 == 0 else f"{MAX_BYTES:,} bytes"


def problems_message(count: int) -> str:
    return f"The file has {count} problem{'' if count == 1 else 's'}; nothing was imported."


@dataclass(frozen=True)
class ImportRow:
    """One person as the file describes them, with every value checked."""

    number: int
    username: str
    email: str
    name: str
    title: str
    role: str
    level: str
    team: str
    manager: str
    start_date: date | None

    def values(self) -> dict[str, str]:
        return {
            "name": self.name,
            "email": self.email,
            "title": self.title,
            "role": self.role,
            "level": self.level,
            "team": self.team,
            "manager": self.manager,
            "start_date": self.start_date.isoformat() if self.start_date else "",
        }


@dataclass(frozen=True)
class PlannedPerson:
    """Someone the import creates, changes, reactivates or deactivates.

    `changes` maps a field to (before, after); a new person's "before" values are empty. The ids
    name the existing employee record and login, when there are any.
    """

    username: str
    name: str
    row: int | None
    changes: dict[str, tuple[Any, Any]]
    employee_id: int | None = None
    user_id: int | None = None


@dataclass
class OrgPlan:
    deactivate_missing: bool
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    created: list[PlannedPerson] = field(default_factory=list)
    changed: list[PlannedPerson] = field(default_factory=list)
    reactivated: list[PlannedPerson] = field(default_factory=list)
    deactivated: list[PlannedPerson] = field(default_factory=list)
    unchanged: int = 0
    teams_created: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def empty(self) -> bool:
        return not (self.created or self.changed or self.reactivated or self.deactivated or self.teams_created)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.changed),
            "deactivated": len(self.deactivated),
            "reactivated": len(self.reactivated),
            "unchanged": self.unchanged,
            "teams_created": len(self.teams_created),
        }

    @cached_property
    def fingerprint(self) -> str:
        """Equal for two plans that would make exactly the same changes."""
        content: dict[str, Any] = {
            section: [[person.username, sorted(person.changes.items())] for person in getattr(self, section)]
            for section in ("created", "changed", "reactivated", "deactivated")
        }
        content["teams_created"] = list(self.teams_created)
        content["errors"] = [error.as_dict() for error in self.errors]
        encoded = json.dumps(content, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()


def team_name(slug: str) -> str:
    """The name a team created by an import gets: "data-platform" → "Data Platform"."""
    return slug.replace("-", " ").title()


def _shown(value: str) -> str:
    return value if len(value) <= VALUE_SHOWN else value[: VALUE_SHOWN - 1] + "…"


# --- Reading the file ----------------------------------------------------------------------------


@dataclass
class _Table:
    records: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # the file cannot be read at all
    row_errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read_table(content: bytes) -> _Table:
    """The file's rows as {column: stripped value}, numbered as in a spreadsheet; or why it cannot be read."""
    table = _Table()

    def fail(reason: str, row: int | None = None, column: str | None = None, value: str = "") -> _Table:
        table.errors.append(RowError(row, column, value, reason))
        return table

    if len(content) > MAX_BYTES:
        return fail(f"the file is larger than {size_limit()}")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = content[: exc.start].count(b"\n") + 1
        return fail("the file is not UTF-8 text; save it as “CSV UTF-8” and try again", row=row)
    if not text.strip():
        return fail("the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
        records: list[tuple[int, list[str]]] = []
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(records) == MAX_ROWS:
                return fail(f"the file has more than {MAX_ROWS:,} rows", row=number)
            records.append((number, record))
    except csv.Error as exc:
        return fail(f"the file cannot be read as CSV: {exc}", row=reader.line_num or None)

    seen: set[str] = set()
    for name in header:
        if name in COLUMNS and name in seen:
            fail("this column appears twice in the header", row=1, column=name)
        seen.add(name)
    missing = [name for name in COLUMNS if name not in seen]
    hint = ""
    if missing and len(header) == 1 and ";" in header[0]:
        hint = "; the file seems to separate values with “;”, use commas"
    for name in missing:
        fail(f"missing column (the header needs: {', '.join(COLUMNS)}){hint}", row=1, column=name)
    extra = [name for name in header if name and name not in COLUMNS]
    if extra:
        table.warnings.append(
            f"Ignored column{'s' if len(extra) > 1 else ''} not used by the import: {', '.join(extra)}."
        )
    if table.errors:
        return table
    if not records:
        return fail("the file has a header but no people")

    position = {name: header.index(name) for name in COLUMNS}
    for number, record in records:
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
            reason = f"the row has {len(record)} values but the header has {len(header)} columns"
            table.row_errors.append(RowError(number, None, "", reason))
        table.records.append(
            (number, {name: record[at].strip() if at < len(record) else "" for name, at in position.items()})
        )
    return table


# --- The organisation as it stands ---------------------------------------------------------------


@dataclass(frozen=True)
class _Current:
    employee_id: int
    user_id: int
    active: bool
    values: dict[str, str]


@dataclass
class _State:
    """Everything the plan compares against, read in four queries."""

    users: dict[str, tuple[int, str]]  # username → (user id, email)
    usernames_folded: dict[str, str]  # lowercased username → username
    emails: dict[str, list[str]]  # lowercased email → usernames that have it
    employees: dict[str, _Current]  # username → employee
    roles: dict[str, bool]  # slug → has a published version
    teams: set[str]


def _load_state() -> _State:
    User = get_user_model()
    users: dict[str, tuple[int, str]] = {}
    usernames_folded: dict[str, str] = {}
    emails: dict[str, list[str]] = {}
    for pk, username, email in User.objects.values_list("pk", "username", "email"):
        users[username] = (pk, email)
        usernames_folded.setdefault(username.lower(), username)
        if email:
            emails.setdefault(email.lower(), []).append(username)
    employees = {}
    for row in Employee.objects.values_list(
        "pk",
        "user_id",
        "user__username",
        "user__email",
        "active",
        "name",
        "title",
        "role__slug",
        "level",
        "team__slug",
        "manager__user__username",
        "start_date",
    ):
        pk, user_id, username, email, active, name, title, role, level, team, manager, start_date = row
        employees[username] = _Current(
            employee_id=pk,
            user_id=user_id,
            active=active,
            values={
                "name": name,
                "email": email,
                "title": title,
                "role": role or "",
                "level": level,
                "team": team or "",
                "manager": manager or "",
                "start_date": start_date.isoformat(),
            },
        )
    published = BlueprintVersion.objects.filter(role=OuterRef("pk"), status=BlueprintVersion.Status.PUBLISHED)
    roles = dict(Role.objects.annotate(published=Exists(published)).values_list("slug", "published"))
    teams = set(Team.objects.order_by().values_list("slug", flat=True))
    return _State(users, usernames_folded, emails, employees, roles, teams)


# --- Checking rows -------------------------------------------------------------------------------


class _Checker:
    def __init__(self, state: _State, *, deactivate_missing: bool) -> None:
        self.state = state
        self.deactivate_missing = deactivate_missing
        self.errors: list[RowError] = []
        self.username_max = _max_length(get_user_model(), "username")
        self.email_max = _max_length(get_user_model(), "email")
        self.lengths = {
            "name": _max_length(Employee, "name"),
            "title": _max_length(Employee, "title"),
            "level": _max_length(Employee, "level"),
        }
        self.team_max = _max_length(Team, "slug")

    def error(self, row: int, column: str, value: str, reason: str) -> None:
        self.errors.append(RowError(row, column, _shown(value), reason))

    def row(self, number: int, cells: dict[str, str]) -> ImportRow:
        """The row, each value checked on its own (errors are collected, the row is kept for the
        checks across rows)."""
        username = cells["username"]
        if not username:
            self.error(number, "username", username, "a username is required")
        elif len(username) > self.username_max:
            self.error(number, "username", username, f"at most {self.username_max} characters")
        else:
            try:
                _username_validator(username)
            except ValidationError:
                self.error(number, "username", username, "use only letters, digits and @ . + - _")
        email = cells["email"]
        if not email:
            self.error(number, "email", email, "an email address is required")
        elif len(email) > self.email_max:
            self.error(number, "email", email, f"at most {self.email_max} characters")
        else:
            try:
                validate_email(email)
            except ValidationError:
                self.error(number, "email", email, "not a valid email address")
        if not cells["name"]:
            self.error(number, "name", "", "a name is required")
        for column, limit in self.lengths.items():
            if len(cells[column]) > limit:
                self.error(number, column, cells[column], f"at most {limit} characters")
        role = cells["role"]
        if role and role not in self.state.roles:
            self.error(number, "role", role, f"unknown role slug '{role}'")
        elif role and not self.state.roles[role]:
            self.error(number, "role", role, f"role '{role}' has no published blueprint yet")
        team = cells["team"]
        if team and (not TEAM_SLUG.fullmatch(team) or len(team) > self.team_max):
            self.error(
                number, "team", team, "a team is a slug: lowercase letters, digits and hyphens, such as 'data-platform'"
            )
        return ImportRow(
            number=number,
            username=username,
            email=email,
            name=cells["name"],
            title=cells["title"],
            role=role,
            level=cells["level"],
            team=team,
            manager=cells["manager"],
            start_date=self.start_date(number, cells["start_date"]),
        )

    def start_date(self, number: int, value: str) -> date | None:
        if not value:
            self.error(number, "start_date", value, "a start date is required")
            return None
        match = ISO_DATE.fullmatch(value)
        if match is None:
            self.error(number, "start_date", value, "expected a date as YYYY-MM-DD, such as 2024-03-01")
            return None
        try:
            parsed = date(*(int(part) for part in match.groups()))
        except ValueError:
            self.error(number, "start_date", value, "not a real date")
            return None
        if parsed.year < MIN_YEAR:
            self.error(number, "start_date", value, f"the year must be {MIN_YEAR} or later")
            return None
        return parsed

    def duplicates(self, records: list[tuple[int, dict[str, str]]]) -> set[int]:
        """Report repeated usernames and emails (naming the first row); returns the rows that repeat
        a username."""
        first_username: dict[str, int] = {}
        first_email: dict[str, int] = {}
        repeated = set()
        for number, cells in records:
            username = cells["username"]
            if username:
                first = first_username.setdefault(username.lower(), number)
                if first != number:
                    self.error(number, "username", username, f"duplicate username: already on row {first}")
                    repeated.add(number)
            email = cells["email"]
            if email:
                first = first_email.setdefault(email.lower(), number)
                if first != number:
                    self.error(number, "email", email, f"duplicate email: already on row {first}")
        return repeated

    def accounts(self, rows: Iterable[ImportRow], in_file: dict[str, ImportRow]) -> None:
        """Usernames that only differ in case from an account, and emails another account keeps."""
        state = self.state
        for row in rows:
            if row.username not in state.users:  # a new account
                existing = state.usernames_folded.get(row.username.lower())
                if existing is not None:
                    self.error(
                        row.number,
                        "username",
                        row.username,
                        f"differs only in upper/lower case from the existing account '{existing}'",
                    )
            keepers = [name for name in state.emails.get(row.email.lower(), []) if name != row.username]
            for owner in keepers:
                if owner not in in_file:
                    self.error(
                        row.number, "email", row.email, f"already the email of '{owner}', who is not in the file"
                    )
                    break

    def managers(self, rows: Iterable[ImportRow], in_file: dict[str, ImportRow]) -> dict[str, str]:
        """Check each manager; returns the resulting org's manager chain (username → manager username)."""
        state = self.state
        chain: dict[str, str] = {}
        if not self.deactivate_missing:
            for username, current in state.employees.items():
                if username not in in_file and current.active and current.values["manager"]:
                    chain[username] = current.values["manager"]
        for row in rows:
            manager = row.manager
            if not manager:
                continue
            if manager == row.username:
                self.error(row.number, "manager", manager, "a person cannot be their own manager")
                continue
            if manager not in in_file:
                their = state.employees.get(manager)
                if their is None:
                    self.error(
                        row.number,
                        "manager",
                        manager,
                        f"unknown manager '{manager}': not in the file and not an employee",
                    )
                    continue
                if not their.active:
                    self.error(row.number, "manager", manager, f"manager '{manager}' is deactivated")
                    continue
                if self.deactivate_missing:
                    self.error(
                        row.number,
                        "manager",
                        manager,
                        f"manager '{manager}' is not in the file, so the import would deactivate them",
                    )
                    continue
            chain[row.username] = manager
        return chain

    def loops(self, chain: dict[str, str], in_file: dict[str, ImportRow]) -> None:
        """Report every row on a loop in the resulting manager chain, with the loop written out."""
        done: set[str] = set()
        for start in in_file:
            path: list[str] = []
            on_path: dict[str, int] = {}
            node: str | None = start
            while node is not None and node not in done and node not in on_path:
                on_path[node] = len(path)
                path.append(node)
                node = chain.get(node)
            if node is not None and node in on_path:
                loop = path[on_path[node] :]
                for at, username in enumerate(loop):
                    if username in in_file:
                        turn = [*loop[at:], *loop[:at], username]
                        row = in_file[username]
                        self.error(row.number, "manager", row.manager, f"loop in the manager chain: {' → '.join(turn)}")
            done.update(path)

    def self_deactivation(self, actor: Any, in_file: dict[str, ImportRow]) -> None:
        if not self.deactivate_missing or not getattr(actor, "is_authenticated", False):
            return
        username = actor.get_username()
        current = self.state.employees.get(username)
        if current is not None and current.active and username not in in_file:
            self.errors.append(
                RowError(
                    None,
                    "username",
                    username,
                    "you are not in the file, so the import would deactivate your own account: "
                    "add yourself, or keep people missing from the file",
                )
            )


def _column_order(error: RowError) -> tuple[int, int]:
    column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return (error.row or 0, column)


# --- The plan ------------------------------------------------------------------------------------


def org_import_plan(*, content: bytes, deactivate_missing: bool = True, actor: Any = None) -> OrgPlan:
    """What importing `content` would do to the organisation as it stands, or every problem with it.

    With `deactivate_missing` the file is the whole organisation: active employees absent from it
    are deactivated. People without an employee record (administrators, service accounts) are never
    touched. `actor` is the person importing, who may not deactivate themselves.
    """
    plan = OrgPlan(deactivate_missing=deactivate_missing)
    table = _read_table(content)
    plan.warnings = table.warnings
    if table.errors:
        plan.errors = sorted(table.errors, key=_column_order)
        return plan

    state = _load_state()
    checker = _Checker(state, deactivate_missing=deactivate_missing)
    checker.errors.extend(table.row_errors)
    repeated = checker.duplicates(table.records)
    rows = [checker.row(number, cells) for number, cells in table.records]
    # Rows with a bad value still name their person, so that the people they manage find them.
    people = {row.username: row for row in rows if row.username and row.number not in repeated}
    checker.accounts(people.values(), people)
    chain = checker.managers(people.values(), people)
    checker.loops(chain, people)
    checker.self_deactivation(actor, people)
    if checker.errors:
        plan.errors = sorted(checker.errors, key=_column_order)
        return plan

    plan.rows = rows
    for row in rows:
        target = row.values()
        current = state.employees.get(row.username)
        if current is None:
            account = state.users.get(row.username)
            plan.created.append(
                PlannedPerson(
                    username=row.username,
                    name=row.name,
                    row=row.number,
                    changes={name: ("", value) for name, value in target.items() if value},
                    user_id=account[0] if account else None,
                )
            )
            continue
        changes: dict[str, tuple[Any, Any]] = {
            name: (current.values[name], target[name]) for name in PLAN_FIELDS if current.values[name] != target[name]
        }
        if not current.active:
            changes["active"] = (False, True)
        if not changes:
            plan.unchanged += 1
            continue
        person = PlannedPerson(
            username=row.username,
            name=row.name,
            row=row.number,
            changes=changes,
            employee_id=current.employee_id,
            user_id=current.user_id,
        )
        (plan.changed if current.active else plan.reactivated).append(person)
    if deactivate_missing:
        for username, current in sorted(state.employees.items(), key=lambda item: item[1].values["name"].lower()):
            if current.active and username not in people:
                plan.deactivated.append(
                    PlannedPerson(
                        username=username,
                        name=current.values["name"],
                        row=None,
                        changes={"active": (True, False)},
                        employee_id=current.employee_id,
                        user_id=current.user_id,
                    )
                )
    plan.teams_created = sorted({row.team for row in rows if row.team and row.team not in state.teams})
    return plan
