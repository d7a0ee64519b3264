"""Writes to the engineering events: batches of deployments and incidents from CI/CD and incident tools.

A batch is all or nothing. Every item is checked first and every problem reported at once, by the
item's index in the batch; then, in one transaction, each item is upserted by the sender's id. Rows
that already say what the item says are left alone, so sending the same batch twice writes nothing
the second time (no `updated_at` bump, no audit entry). The number of queries does not grow with
the number of items: reads use `__in` lookups, writes bulk operations.

`actor=None` is the command line, which runs with the server's own authority.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from audit.services import AuditItem, audit_record_many
from kpis.models import Deployment, DeploymentCommit, Incident, IncidentDeployment
from org.models import Team
from staffrole import access

MAX_ITEMS = 5_000  # per batch; larger ones are refused, to be sent in parts
MAX_COMMIT_TIMES = 1_000  # per deployment
MAX_DEPLOY_IDS = 100  # deployments one incident may blame
MESSAGES_PER_FIELD = 5  # problems listed per field of an item (a list of 1,000 bad times is not 1,000 lines)
AUDIT_LISTED_IDS = 100  # ids named per kind in an audit entry; the counts are always complete
WRITE_BATCH = 500
LOOKUP_CHUNK = 900  # ids per `__in` lookup, under SQLite's oldest limit on query parameters
ATTEMPTS = 3  # a batch racing another one that creates the same ids is tried again
VALUE_SHOWN = 60  # longer values are cut in messages
NON_FIELD = "non_field_errors"

Problems = dict[str, list[str]]
T = TypeVar("T")


class IngestError(Exception):
    """A batch that cannot be written; `errors` maps an item's index to its problems by field
    (empty when the batch as a whole is refused, `str(error)` says why)."""

    def __init__(self, errors: dict[int, Problems], detail: str = "") -> None:
        self.errors = dict(sorted(errors.items()))
        count = len(self.errors)
        super().__init__(
            detail
            or f"{count} item{'' if count == 1 else 's'} of the batch {'has' if count == 1 else 'have'} problems; "
            "nothing of this batch was written."
        )


class IngestConflict(Exception):
    """Other batches kept creating the same ids at the same moment; nothing of this one was written."""


@dataclass(frozen=True)
class IngestResult:
    created: int
    updated: int
    unchanged: int
    # (team id, service) of every row created or changed, before and after, for recomputing trends.
    touched: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    # Ids of the KPI series whose measurements were created or changed.
    series: frozenset[int] = field(default_factory=frozenset)

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass(frozen=True)
class DeploymentEvent:
    deploy_id: str
    team: str
    service: str
    environment: str
    succeeded: bool
    deployed_at: datetime
    commit_times: tuple[datetime, ...]  # sorted


@dataclass(frozen=True)
class IncidentEvent:
    incident_id: str
    team: str
    service: str
    severity: str
    started_at: datetime
    resolved_at: datetime | None
    deploy_ids: frozenset[str]


# --- Checking items ------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    """A value as a message quotes it: strings in quotes, anything else as JSON, cut when long."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    if len(text) > VALUE_SHOWN:
        text = text[: VALUE_SHOWN - 1] + "…"
    return repr(text) if isinstance(value, str) else text


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _max_length(model: type[models.Model], name: str) -> int:
    return int(model._meta.get_field(name).max_length)  # type: ignore[union-attr, arg-type]


class _Item:
    """One raw item being checked: valid values land in `values`, the rest in `problems`."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.values: dict[str, Any] = {}
        self.problems: Problems = {}

    def refuse(self, name: str, message: str) -> None:
        messages = self.problems.setdefault(name, [])
        if len(messages) < MESSAGES_PER_FIELD:
            messages.append(message)
        elif len(messages) == MESSAGES_PER_FIELD:
            messages.append("… and more problems like these.")

    def _present(self, name: str, *, nullable: bool = False) -> bool:
        if name not in self.raw:
            self.refuse(name, "This field is required.")
            return False
        if self.raw[name] is None:
            if not nullable:
                self.refuse(name, "This field may not be null.")
            return False
        return True

    def text(self, name: str, *, max_length: int, blank: bool = False) -> None:
        if not self._present(name):
            return
        value = self.raw[name]
        if not isinstance(value, str):
            self.refuse(name, f"Expected a string, got {_shown(value)}.")
            return
        value = value.strip()
        if not value and not blank:
            self.refuse(name, "This field may not be blank.")
        elif len(value) > max_length:
            self.refuse(name, f"At most {max_length} characters (this has {len(value)}).")
        else:
            self.values[name] = value

    def flag(self, name: str) -> None:
        if not self._present(name):
            return
        value = self.raw[name]
        if isinstance(value, bool):
            self.values[name] = value
        else:
            self.refuse(name, f"Expected true or false, got {_shown(value)}.")

    def moment(self, name: str, *, nullable: bool = False) -> None:
        if not self._present(name, nullable=nullable):
            if nullable and name in self.raw:
                self.values[name] = None
            return
        error, value = _moment(self.raw[name])
        if error:
            self.refuse(name, error)
        else:
            self.values[name] = value

    def moments(self, name: str, *, max_items: int) -> None:
        entries = self._list(name, max_items=max_items)
        if entries is None:
            return
        found = []
        for position, entry in enumerate(entries):
            error, value = _moment(entry)
            if error:
                self.refuse(name, f"Entry {position}: {error}")
            else:
                found.append(value)
        if name not in self.problems:
            self.values[name] = tuple(sorted(found))

    def texts(self, name: str, *, max_items: int, max_length: int) -> None:
        entries = self._list(name, max_items=max_items)
        if entries is None:
            return
        found = set()
        for position, entry in enumerate(entries):
            if not isinstance(entry, str):
                self.refuse(name, f"Entry {position}: expected a string, got {_shown(entry)}.")
                continue
            entry = entry.strip()
            if not entry:
                self.refuse(name, f"Entry {position}: may not be blank.")
            elif len(entry) > max_length:
                self.refuse(name, f"Entry {position}: at most {max_length} characters (this has {len(entry)}).")
            else:
                found.add(entry)
        if name not in self.problems:
            self.values[name] = frozenset(found)

    def _list(self, name: str, *, max_items: int) -> list[Any] | None:
        if not self._present(name):
            return None
        entries = self.raw[name]
        if not isinstance(entries, list):
            self.refuse(name, f"Expected a list, got {_shown(entries)}.")
            return None
        if len(entries) > max_items:
            self.refuse(name, f"At most {max_items} entries (this has {len(entries)}).")
            return None
        return entries


def _moment(value: Any) -> tuple[str, datetime | None]:
    """An ISO 8601 date and time with a time zone, in UTC; or why the value is not one."""
    example = "e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00"
    if not isinstance(value, str):
        return f"Expected an ISO 8601 date and time as a string ({example}), got {_shown(value)}.", None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        return f"Not an ISO 8601 date and time ({example}): {_shown(value)}.", None
    if parse_date(value.strip()) is not None:
        return f"A date alone is not enough: give a time and a time zone ({example}), not {_shown(value)}.", None
    if timezone.is_naive(parsed):
        return f"Needs a time zone ({example}); {_shown(value)} has none.", None
    try:
        return "", parsed.astimezone(UTC)
    except OverflowError:
        return f"Out of range: {_shown(value)}.", None


def _deployment(item: _Item) -> DeploymentEvent | None:
    item.text("deploy_id", max_length=_max_length(Deployment, "deploy_id"))
    item.text("service", max_length=_max_length(Deployment, "service"))
    item.text("team", max_length=_max_length(Team, "slug"))
    item.text("environment", max_length=_max_length(Deployment, "environment"))
    item.flag("succeeded")
    item.moment("deployed_at")
    item.moments("commit_times", max_items=MAX_COMMIT_TIMES)
    if item.problems:
        return None
    return DeploymentEvent(**item.values)


def _incident(item: _Item) -> IncidentEvent | None:
    item.text("incident_id", max_length=_max_length(Incident, "incident_id"))
    item.text("team", max_length=_max_length(Team, "slug"))
    item.text("service", max_length=_max_length(Incident, "service"))
    item.text("severity", max_length=_max_length(Incident, "severity"), blank=True)
    item.moment("started_at")
    item.moment("resolved_at", nullable=True)
    item.texts("deploy_ids", max_items=MAX_DEPLOY_IDS, max_length=_max_length(IncidentDeployment, "deploy_id"))
    started, resolved = item.values.get("started_at"), item.values.get("resolved_at")
    if started is not None and resolved is not None and resolved < started:
        item.refuse("resolved_at", "An incident cannot be resolved before it started (started_at).")
    if item.problems:
        return None
    return IncidentEvent(**item.values)


def _chunks(values: Sequence[T], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _checked_batch(
    items: Any, *, noun: str, id_field: str, parse: Callable[[_Item], T | None]
) -> tuple[list[T], dict[str, int]]:
    """Every item as an event, and the team ids by slug; or IngestError with every problem."""
    if not isinstance(items, list):
        raise IngestError({}, f"Expected a JSON list of {noun}s, one object per {noun}; got {_json_kind(items)}.")
    if len(items) > MAX_ITEMS:
        raise IngestError(
            {}, f"A batch holds at most {MAX_ITEMS:,} {noun}s; this one has {len(items):,}. Send it in parts."
        )
    errors: dict[int, Problems] = {}
    checked: list[tuple[int, _Item]] = []
    events: list[T] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            errors[index] = {NON_FIELD: [f"Expected an object ({noun}), got {_shown(raw)}."]}
            continue
        item = _Item(raw)
        event = parse(item)
        key = item.values.get(id_field)
        if key is not None:
            if key in first_index:
                item.refuse(id_field, f"Duplicate {id_field} {_shown(key)}: item {first_index[key]} has it too.")
            else:
                first_index[key] = index
        checked.append((index, item))
        if item.problems:
            errors[index] = item.problems
        elif event is not None:
            events.append(event)

    slugs = sorted({item.values["team"] for _index, item in checked if "team" in item.values})
    team_ids: dict[str, int] = {}
    for chunk in _chunks(slugs):
        team_ids.update(Team.objects.filter(slug__in=chunk).values_list("slug", "pk"))
    for index, item in checked:
        slug = item.values.get("team")
        if slug is not None and slug not in team_ids:
            item.refuse("team", f"Unknown team {_shown(slug)}: no team has this slug.")
            errors[index] = item.problems
    if errors:
        raise IngestError(errors)
    return events, team_ids


def _fingerprint(items: list[Any]) -> str:
    return hashlib.sha256(json.dumps(items, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


# --- Writing -------------------------------------------------------------------------------------


def _locked(model: type[Any], id_field: str, ids: list[str]) -> dict[str, Any]:
    """The rows the batch names that exist already, locked until the transaction ends."""
    rows: dict[str, Any] = {}
    for chunk in _chunks(sorted(ids)):
        query = model.objects.select_for_update().filter(**{f"{id_field}__in": chunk}).order_by(id_field)
        rows.update((getattr(row, id_field), row) for row in query)
    return rows


def _pairs(model: type[Any], parent: str, value: str, parent_ids: list[int]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    for chunk in _chunks(parent_ids):
        for parent_id, item in model.objects.filter(**{f"{parent}__in": chunk}).values_list(parent, value):
            found[parent_id].append(item)
    return found


def _with_pks(model: type[Any], id_field: str, rows: list[Any]) -> None:
    """Primary keys of rows just bulk-created, for databases that do not return them."""
    missing = [getattr(row, id_field) for row in rows if row.pk is None]
    pks: dict[str, int] = {}
    for chunk in _chunks(missing):
        pks.update(model.objects.filter(**{f"{id_field}__in": chunk}).values_list(id_field, "pk"))
    for row in rows:
        if row.pk is None:
            row.pk = pks[getattr(row, id_field)]


def _delete_children(model: type[Any], parent: str, parent_ids: list[int]) -> None:
    for chunk in _chunks(parent_ids):
        model.objects.filter(**{f"{parent}__in": chunk}).delete()


def _audit(
    *,
    actor: Any,
    action: str,
    kind: str,
    source: str,
    fingerprint: str,
    result: IngestResult,
    created: list[str],
    updated: list[str],
) -> None:
    after = {
        "source": source,
        "sha256": fingerprint,
        **result.counts(),
        "created_ids": created[:AUDIT_LISTED_IDS],
        "updated_ids": updated[:AUDIT_LISTED_IDS],
        "ids_listed_at_most": AUDIT_LISTED_IDS,
    }
    audit_record_many(
        actor=actor,
        items=[
            AuditItem(
                action=action,
                target_type=f"kpis.{kind}_batch",
                target_id=fingerprint,
                target_repr=f"{result.created + result.updated + result.unchanged} {kind}s from {source}"[:255],
                after=after,
                reason=f"{kind.title()}s ingest from {source}",
            )
        ],
    )


def _dora_refresh_on_commit(touched: set[tuple[int, str]]) -> None:
    """Once the batch commits, a worker turns the touched teams' events into DORA KPI values."""

    def dispatch() -> None:
        from kpis.dora_kpis import dora_refresh_dispatch

        dora_refresh_dispatch(sorted({team_id for team_id, _service in touched}))

    transaction.on_commit(dispatch, robust=True)


def _in_one_transaction(write: Callable[[], IngestResult]) -> IngestResult:
    """Run `write` atomically; when another batch created one of our new ids between our read and our
    insert, start again (the second read sees its rows)."""
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return write()
        except IntegrityError:
            continue
    raise IngestConflict("Other batches were writing the same ids at the same time; nothing was written. Send again.")


DEPLOYMENT_FIELDS = ("team", "service", "environment", "succeeded", "deployed_at")


def deployments_ingest(*, actor: Any, items: Any, source: str = "API") -> IngestResult:
    """Create or update deployments by `deploy_id`, with their commit times; all or nothing."""
    if actor is not None and not access.can_ingest_kpis(actor):
        raise PermissionDenied("Only HR and KPI ingest accounts can send deployments.")
    events, team_ids = _checked_batch(items, noun="deployment", id_field="deploy_id", parse=_deployment)
    fingerprint = _fingerprint(items)

    def write() -> IngestResult:
        existing = _locked(Deployment, "deploy_id", [event.deploy_id for event in events])
        commits = _pairs(DeploymentCommit, "deployment_id", "committed_at", [row.pk for row in existing.values()])
        now = timezone.now()
        new: list[Deployment] = []
        changed: list[Deployment] = []
        recommitted: list[Deployment] = []
        touched: set[tuple[int, str]] = set()
        for event in events:
            team_id = team_ids[event.team]
            values: dict[str, Any] = {
                "team_id": team_id,
                "service": event.service,
                "environment": event.environment,
                "succeeded": event.succeeded,
                "deployed_at": event.deployed_at,
            }
            row = existing.get(event.deploy_id)
            if row is None:
                new.append(Deployment(deploy_id=event.deploy_id, **values))
                touched.add((team_id, event.service))
                continue
            differs = any(getattr(row, name) != value for name, value in values.items())
            commits_differ = tuple(sorted(commits.get(row.pk, []))) != event.commit_times
            if not (differs or commits_differ):
                continue
            touched.update({(row.team_id, row.service), (team_id, event.service)})
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            changed.append(row)
            if commits_differ:
                recommitted.append(row)
        if not (new or changed):
            return IngestResult(created=0, updated=0, unchanged=len(events))

        Deployment.objects.bulk_create(new, batch_size=WRITE_BATCH)
        _with_pks(Deployment, "deploy_id", new)
        Deployment.objects.bulk_update(changed, [*DEPLOYMENT_FIELDS, "updated_at"], batch_size=WRITE_BATCH)
        _delete_children(DeploymentCommit, "deployment_id", [row.pk for row in recommitted])
        by_id = {event.deploy_id: event for event in events}
        DeploymentCommit.objects.bulk_create(
            [
                DeploymentCommit(deployment_id=row.pk, committed_at=moment)
                for row in [*new, *recommitted]
                for moment in by_id[row.deploy_id].commit_times
            ],
            batch_size=WRITE_BATCH,
        )
        result = IngestResult(
            created=len(new),
            updated=len(changed),
            unchanged=len(events) - len(new) - len(changed),
            touched=frozenset(touched),
        )
        _audit(
            actor=actor,
            action="kpis.deployments_ingest",
            kind="deployment",
            source=source,
            fingerprint=fingerprint,
            result=result,
            created=[row.deploy_id for row in new],
            updated=[row.deploy_id for row in changed],
        )
        _dora_refresh_on_commit(touched)
        return result

    return _in_one_transaction(write)


INCIDENT_FIELDS = ("team", "service", "severity", "started_at", "resolved_at")


def incidents_ingest(*, actor: Any, items: Any, source: str = "API") -> IngestResult:
    """Create or update incidents by `incident_id`, with the deployments they blame; all or nothing.

    A blamed `deploy_id` need not have arrived yet: the link is kept as that id.
    """
    if actor is not None and not access.can_ingest_kpis(actor):
        raise PermissionDenied("Only HR and KPI ingest accounts can send incidents.")
    events, team_ids = _checked_batch(items, noun="incident", id_field="incident_id", parse=_incident)
    fingerprint = _fingerprint(items)

    def write() -> IngestResult:
        existing = _locked(Incident, "incident_id", [event.incident_id for event in events])
        blamed = _pairs(IncidentDeployment, "incident_id", "deploy_id", [row.pk for row in existing.values()])
        now = timezone.now()
        new: list[Incident] = []
        changed: list[Incident] = []
        relinked: list[Incident] = []
        touched: set[tuple[int, str]] = set()
        links_touched: set[str] = set()  # blamed deployments whose failure rate moves
        for event in events:
            team_id = team_ids[event.team]
            values: dict[str, Any] = {
                "team_id": team_id,
                "service": event.service,
                "severity": event.severity,
                "started_at": event.started_at,
                "resolved_at": event.resolved_at,
            }
            row = existing.get(event.incident_id)
            if row is None:
                new.append(Incident(incident_id=event.incident_id, **values))
                touched.add((team_id, event.service))
                links_touched |= event.deploy_ids
                continue
            differs = any(getattr(row, name) != value for name, value in values.items())
            before = frozenset(blamed.get(row.pk, []))
            if not (differs or before != event.deploy_ids):
                continue
            touched.update({(row.team_id, row.service), (team_id, event.service)})
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            changed.append(row)
            if before != event.deploy_ids:
                relinked.append(row)
                links_touched |= before ^ event.deploy_ids
        if not (new or changed):
            return IngestResult(created=0, updated=0, unchanged=len(events))

        Incident.objects.bulk_create(new, batch_size=WRITE_BATCH)
        _with_pks(Incident, "incident_id", new)
        Incident.objects.bulk_update(changed, [*INCIDENT_FIELDS, "updated_at"], batch_size=WRITE_BATCH)
        _delete_children(IncidentDeployment, "incident_id", [row.pk for row in relinked])
        by_id = {event.incident_id: event for event in events}
        IncidentDeployment.objects.bulk_create(
            [
                IncidentDeployment(incident_id=row.pk, deploy_id=deploy_id)
                for row in [*new, *relinked]
                for deploy_id in sorted(by_id[row.incident_id].deploy_ids)
            ],
            batch_size=WRITE_BATCH,
        )
        for chunk in _chunks(sorted(links_touched)):
            touched.update(Deployment.objects.filter(deploy_id__in=chunk).values_list("team_id", "service"))
        result = IngestResult(
            created=len(new),
            updated=len(changed),
            unchanged=len(events) - len(new) - len(changed),
            touched=frozenset(touched),
        )
        _audit(
            actor=actor,
            action="kpis.incidents_ingest",
            kind="incident",
            source=source,
            fingerprint=fingerprint,
            result=result,
            created=[row.incident_id for row in new],
            updated=[row.incident_id for row in changed],
        )
        _dora_refresh_on_commit(touched)
        return result

    return _in_one_transaction(write)
