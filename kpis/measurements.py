"""Writes to the KPI measurements: values of a role blueprint's KPIs, per subject and period.

An item says which KPI (`role` slug and the KPI's name in that role's published blueprint, or the
name's slug), of which subject (`subject_type` engineer, team or service; `subject` the engineer's
username, the team's slug or the service's name; a service also names its `team`), for which
period (`2026-11` a month, `2026-Q4` a quarter, `2026-W47` an ISO week), the `value`, its `unit`
and its `source`. A batch is all or nothing, like the engineering events' (kpis.services): every
problem is reported by the item's index, then one transaction upserts each value by (KPI, subject,
period, source). A value equal to the stored one is left alone, so a re-sent batch writes nothing.

The trends of the series a batch changed are recomputed by a worker once the batch has committed.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kpis.models import KPISeries, Measurement
from kpis.services import (
    MAX_ITEMS,
    IngestError,
    IngestResult,
    Problems,
    _audit,
    _chunks,
    _fingerprint,
    _in_one_transaction,
    _Item,
    _json_kind,
    _max_length,
    _shown,
)
from org.models import Employee, Team
from scorecards.models import BlueprintVersion, KPIDefinition, Role
from staffrole import access

SUBJECT_KINDS = tuple(KPISeries.SubjectKind.values)
MAX_DIGITS = 14  # before the decimal point; Measurement.value holds 20 digits, 6 after the point
PERIOD_FORMATS = "2026-11 (a month), 2026-Q4 (a quarter) or 2026-W47 (an ISO week)"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)
_EPOCH_MONDAY = dt.date(1969, 12, 29)  # the Monday of the ISO week holding 1970-01-01


@dataclass(frozen=True)
class PeriodOf:
    period: str  # week, month or quarter
    start: dt.date
    index: int  # periods of this granularity since 1970

    @property
    def label(self) -> str:
        return period_label(self.period, self.start)


def period_parse(text: str) -> PeriodOf:
    """`2026-11`, `2026-Q4` or `2026-W47` as a period; ValueError says what is accepted."""
    text = text.strip()
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"No month {month} in {text!r}.")
        return PeriodOf("month", dt.date(year, month, 1), (year - 1970) * 12 + month - 1)
    if match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        return PeriodOf("quarter", dt.date(year, 3 * quarter - 2, 1), (year - 1970) * 4 + quarter - 1)
    if match := _WEEK.match(text):
        year, week = int(match[1]), int(match[2])
        try:
            start = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(f"{year} has no ISO week {week}.") from None
        return PeriodOf("week", start, (start - _EPOCH_MONDAY).days // 7)
    raise ValueError(f"Not a period: {text!r}. Write {PERIOD_FORMATS}.")


def period_of_start(period: str, start: dt.date) -> PeriodOf:
    """The period of a granularity that starts on `start` (which must be such a start)."""
    return period_parse(period_label(period, start))


def period_label(period: str, start: dt.date) -> str:
    if period == "month":
        return f"{start:%Y-%m}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    year, week, _day = start.isocalendar()
    return f"{year}-W{week:02d}"


def kpi_key(name: str) -> str:
    """The slug a KPI may be named by in place of its full name ("change-failure-rate-dora")."""
    return slugify(name)


@dataclass(frozen=True)
class _Value:
    index: int
    series: tuple[int, str, str, str, str]  # role id, KPI name, subject kind, subject key, period
    team_id: int | None
    engineer_id: int | None
    service: str
    unit: str
    period: PeriodOf
    source: str
    value: Decimal


def _number(item: _Item, name: str) -> None:
    if name not in item.raw or item.raw[name] is None or item.raw[name] == "":
        item.refuse(name, "This field is required.")
        return
    raw = item.raw[name]
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        item.refuse(name, f"Expected a number, got {_shown(raw)}.")
        return
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        item.refuse(name, f"Not a number: {_shown(raw)}.")
        return
    if not value.is_finite():
        item.refuse(name, f"Not a finite number: {_shown(raw)}.")
    elif value.adjusted() >= MAX_DIGITS:
        item.refuse(name, f"Too large: {_shown(raw)} (at most {MAX_DIGITS} digits before the point).")
    else:
        item.values[name] = value.quantize(Decimal("0.000001"))


class _Catalogue:
    """The roles, KPI names, engineers and teams a batch names, each read once."""

    def __init__(self, items: list[_Item]) -> None:
        wanted = {item.values[name] for item in items for name in ("role",) if name in item.values}
        self.roles = {role.slug: role for role in Role.objects.filter(slug__in=wanted)}
        self.kpis: dict[int, dict[str, str]] = defaultdict(dict)  # role id -> name or key (lower) -> name
        published = BlueprintVersion.objects.filter(
            role__in=self.roles.values(), status=BlueprintVersion.Status.PUBLISHED
        )
        for role_id, name in (
            KPIDefinition.objects.filter(version__in=published)
            .order_by("version__number")
            .values_list("version__role_id", "name")
        ):
            self.kpis[role_id][name.lower()] = name
            self.kpis[role_id][kpi_key(name)] = name
        self.published_roles = set(published.values_list("role_id", flat=True))
        usernames = sorted(
            {i.values["subject"] for i in items if i.values.get("subject_type") == "engineer" and "subject" in i.values}
        )
        self.engineers: dict[str, Employee] = {}
        for chunk in _chunks(usernames):
            for person in Employee.objects.filter(user__username__in=chunk).select_related("user"):
                self.engineers[person.user.username] = person
        slugs = {i.values["subject"] for i in items if i.values.get("subject_type") == "team" and "subject" in i.values}
        slugs |= {i.values["team"] for i in items if i.values.get("team")}
        self.teams: dict[str, int] = {}
        for chunk in _chunks(sorted(slugs)):
            self.teams.update(Team.objects.filter(slug__in=chunk).values_list("slug", "pk"))


def _parse(item: _Item) -> None:
    item.text("role", max_length=_max_length(Role, "slug"))
    item.text("kpi", max_length=_max_length(KPISeries, "kpi"))
    item.text("subject_type", max_length=20)
    item.text("subject", max_length=_max_length(KPISeries, "service"))
    if "team" in item.raw and item.raw["team"] not in (None, ""):
        item.text("team", max_length=_max_length(Team, "slug"))
    item.text("period", max_length=20)
    _number(item, "value")
    item.text("unit", max_length=_max_length(KPISeries, "unit"))
    item.text("source", max_length=_max_length(Measurement, "source"))
    kind = item.values.get("subject_type")
    if kind is not None and kind not in SUBJECT_KINDS:
        item.refuse("subject_type", f"Unknown subject type {_shown(kind)}: expected {', '.join(SUBJECT_KINDS)}.")
        item.values.pop("subject_type")
    if "period" in item.values:
        try:
            item.values["period"] = period_parse(item.values["period"])
        except ValueError as exc:
            item.refuse("period", str(exc))


def _resolve(index: int, item: _Item, catalogue: _Catalogue) -> _Value | None:
    """The item's series and value, once every name it uses is known; or its problems noted."""
    values = item.values
    role = catalogue.roles.get(values.get("role", ""))
    if "role" in values and role is None:
        item.refuse("role", f"Unknown role {_shown(values['role'])}: no role has this slug.")
    elif role is not None and role.pk not in catalogue.published_roles:
        item.refuse("role", f"The role {_shown(role.slug)} has no published blueprint, so it has no KPIs yet.")
        role = None
    name = None
    if role is not None and "kpi" in values:
        wanted = values["kpi"]
        name = catalogue.kpis[role.pk].get(wanted.lower()) or catalogue.kpis[role.pk].get(kpi_key(wanted))
        if name is None:
            item.refuse("kpi", f"The {role.title} blueprint has no KPI {_shown(wanted)}.")
    kind, subject = values.get("subject_type"), values.get("subject")
    team_id = engineer_id = None
    service = ""
    key = ""
    if kind == "engineer" and subject is not None:
        person = catalogue.engineers.get(subject)
        if person is None:
            item.refuse("subject", f"Unknown engineer {_shown(subject)}: no employee has this username.")
        else:
            engineer_id, team_id, key = person.pk, person.team_id, str(person.pk)
    elif kind == "team" and subject is not None:
        team_id = catalogue.teams.get(subject)
        if team_id is None:
            item.refuse("subject", f"Unknown team {_shown(subject)}: no team has this slug.")
        key = str(team_id)
    elif kind == "service" and subject is not None:
        slug = values.get("team")
        if slug is None:
            item.refuse("team", "A service's measurements name the team that owns it (its slug).")
        else:
            team_id = catalogue.teams.get(slug)
            if team_id is None:
                item.refuse("team", f"Unknown team {_shown(slug)}: no team has this slug.")
        service, key = subject, f"{team_id}:{subject}"
    if item.problems or role is None or name is None:
        return None
    period: PeriodOf = values["period"]
    return _Value(
        index=index,
        series=(role.pk, name, kind, key, period.period),  # type: ignore[arg-type]
        team_id=team_id,
        engineer_id=engineer_id,
        service=service,
        unit=values["unit"],
        period=period,
        source=values["source"],
        value=values["value"],
    )


def _checked(items: Any, *, max_items: int = MAX_ITEMS) -> list[_Value]:
    if not isinstance(items, list):
        raise IngestError(
            {}, f"Expected a JSON list of measurements, one object per measurement; got {_json_kind(items)}."
        )
    if len(items) > max_items:
        raise IngestError(
            {}, f"A batch holds at most {max_items:,} measurements; this one has {len(items):,}. Send it in parts."
        )
    errors: dict[int, Problems] = {}
    parsed: list[tuple[int, _Item]] = []
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            errors[index] = {"non_field_errors": [f"Expected an object (measurement), got {_shown(raw)}."]}
            continue
        item = _Item(raw)
        _parse(item)
        parsed.append((index, item))
    catalogue = _Catalogue([item for _index, item in parsed])
    found: list[_Value] = []
    first: dict[tuple[Any, ...], int] = {}
    units: dict[tuple[Any, ...], tuple[int, str]] = {}
    for index, item in parsed:
        value = _resolve(index, item, catalogue)
        if value is not None:
            key = (value.series, value.period.start, value.source)
            if key in first:
                item.refuse(
                    "period",
                    f"Item {first[key]} gives this KPI of this subject for {value.period.label} from "
                    f"{_shown(value.source)} too.",
                )
            else:
                first[key] = index
            seen = units.setdefault(value.series, (index, value.unit))
            if seen[1] != value.unit:
                item.refuse("unit", f"Item {seen[0]} gives this series in {_shown(seen[1])}; one series has one unit.")
            found.append(value)
        if item.problems:
            errors[index] = item.problems
    if errors:
        # Units that differ from stored series are named now too, not only once the rest is fixed.
        for index, problems in _unit_conflicts([v for v in found if v.index not in errors]).items():
            errors[index] = problems
        raise IngestError(errors)
    return found


def _series_of(values: list[_Value], *, create: bool) -> dict[tuple[Any, ...], KPISeries]:
    wanted = {value.series: value for value in values}
    found: dict[tuple[Any, ...], KPISeries] = {}
    keys = sorted({key[3] for key in wanted})
    narrowing = {
        "role_id__in": {key[0] for key in wanted},
        "kpi__in": {key[1] for key in wanted},
        "subject_kind__in": {key[2] for key in wanted},
        "period__in": {key[4] for key in wanted},
    }
    for chunk in _chunks(keys):
        for series in KPISeries.objects.filter(subject_key__in=chunk, **narrowing):
            key = (series.role_id, series.kpi, series.subject_kind, series.subject_key, series.period)
            if key in wanted:
                found[key] = series
    missing = [key for key in wanted if key not in found]
    if create and missing:
        KPISeries.objects.bulk_create(
            [
                KPISeries(
                    role_id=key[0],
                    kpi=key[1],
                    subject_kind=key[2],
                    subject_key=key[3],
                    period=key[4],
                    team_id=wanted[key].team_id,
                    engineer_id=wanted[key].engineer_id,
                    service=wanted[key].service,
                    unit=wanted[key].unit,
                )
                for key in missing
            ],
            batch_size=500,
        )
        return _series_of(values, create=False)
    return found


def _unit_conflicts(values: list[_Value]) -> dict[int, Problems]:
    series = _series_of(values, create=False)
    errors: dict[int, Problems] = {}
    for value in values:
        stored = series.get(value.series)
        if stored is not None and stored.unit != value.unit:
            errors[value.index] = {
                "unit": [
                    f"This KPI of this subject is measured in {_shown(stored.unit)}, not {_shown(value.unit)}; "
                    "convert the value, or ask HR to remove the old series."
                ]
            }
    return errors


def measurements_ingest(*, actor: Any, items: Any, source: str = "API", max_items: int = MAX_ITEMS) -> IngestResult:
    """Create or update KPI measurements by (KPI, subject, period, source); all or nothing.

    `series` of the result holds the ids of the series whose values changed. `max_items` lets a file
    import (the upload page, the command) stay one batch where the API splits into parts.
    """
    if actor is not None and not access.can_ingest_kpis(actor):
        raise PermissionDenied("Only HR and KPI ingest accounts can send measurements.")
    values = _checked(items, max_items=max_items)
    fingerprint = _fingerprint(items)

    def write() -> IngestResult:
        conflicts = _unit_conflicts(values)
        if conflicts:
            raise IngestError(conflicts)
        series = _series_of(values, create=True)
        by_series: dict[int, list[_Value]] = defaultdict(list)
        for value in values:
            by_series[series[value.series].pk].append(value)
        # Only the stored values the batch names: (series, period, source) narrowed by each part.
        existing: dict[tuple[int, dt.date, str], Measurement] = {}
        starts = sorted({value.period.start for value in values})
        sources = sorted({value.source for value in values})
        for chunk in _chunks(sorted(by_series)):
            rows = (
                Measurement.objects.select_for_update()
                .filter(series_id__in=chunk, period_start__in=starts, source__in=sources)
                .only("pk", "series_id", "period_start", "source", "value")
                .order_by("pk")
            )
            for row in rows:
                existing[(row.series_id, row.period_start, row.source)] = row
        now = timezone.now()
        new: list[Measurement] = []
        changed: list[Measurement] = []
        touched: set[int] = set()
        for series_id, series_values in by_series.items():
            for value in series_values:
                stored = existing.get((series_id, value.period.start, value.source))
                if stored is None:
                    new.append(
                        Measurement(
                            series_id=series_id,
                            period_start=value.period.start,
                            period_index=value.period.index,
                            source=value.source,
                            value=value.value,
                        )
                    )
                elif stored.value != value.value:
                    stored.value, stored.updated_at = value.value, now
                    changed.append(stored)
                else:
                    continue
                touched.add(series_id)
        if not (new or changed):
            return IngestResult(created=0, updated=0, unchanged=len(values))
        Measurement.objects.bulk_create(new, batch_size=500)
        Measurement.objects.bulk_update(changed, ["value", "updated_at"], batch_size=500)
        result = IngestResult(
            created=len(new),
            updated=len(changed),
            unchanged=len(values) - len(new) - len(changed),
            series=frozenset(touched),
        )
        _audit(
            actor=actor,
            action="kpis.measurements_ingest",
            kind="measurement",
            source=source,
            fingerprint=fingerprint,
            result=result,
            created=[f"{row.series_id}@{row.period_start}/{row.source}" for row in new],
            updated=[f"{row.series_id}@{row.period_start}/{row.source}" for row in changed],
        )
        transaction.on_commit(partial(_trends_dispatch, sorted(touched)), robust=True)
        return result

    return _in_one_transaction(write)


def _trends_dispatch(series_ids: list[int]) -> None:
    from kpis.tasks import trends_recompute_series

    trends_recompute_series.delay(series_ids)
