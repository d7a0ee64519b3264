"""What a rating's evidence holds, and how it is shown.

`Rating.evidence` is a list of two kinds of entry: web addresses (strings), which the person types in
the rating's "Evidence links" box or sends through the API, and KPI snapshots (objects with
`"kind": "kpi"`), attached from the review page's KPI panel (reviews.services.rating_kpi_attach). A
snapshot keeps what the KPI said when it was attached (the value, the periods, target attainment
and the DORA tier), so later measurements never change the evidence a rating was written on.

Editing the links keeps the KPI entries, and attaching a KPI keeps the links: each has its own control.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reviews.kpi_panel import ATTAINMENT_WORDS, PanelRow, period_name

KPI_KIND = "kpi"
MAX_KPI_ENTRIES = 20  # per rating


def is_kpi_entry(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("kind") == KPI_KIND


def evidence_links(evidence: Any) -> list[str]:
    """The links of a rating's evidence, in order (KPI entries left out)."""
    if not isinstance(evidence, list):
        return []
    return [entry for entry in evidence if isinstance(entry, str)]


def kpi_entries(evidence: Any) -> list[dict[str, Any]]:
    """The KPI snapshots of a rating's evidence, in the order they were attached."""
    if not isinstance(evidence, list):
        return []
    return [entry for entry in evidence if is_kpi_entry(entry)]


def with_links(stored: Any, links: Iterable[str]) -> list[Any]:
    """The evidence with its links replaced and its KPI entries kept (links first, as stored)."""
    return [*links, *kpi_entries(stored)]


def attached_series(evidence: Any) -> set[int]:
    return {entry["series"] for entry in kpi_entries(evidence) if isinstance(entry.get("series"), int)}


def kpi_snapshot(
    *, row: PanelRow, report_year: int, actor: Any, attached_at: dt.datetime, by_name: str
) -> dict[str, Any]:
    """The KPI as the panel shows it now, to be kept in a rating's evidence."""
    latest = row.latest
    return {
        "kind": KPI_KIND,
        "series": row.series.pk,
        "kpi": row.name,
        "subject": row.subject,
        "subject_kind": row.series.subject_kind,
        "unit": row.unit,
        "period": row.series.period,
        "period_range": [row.starts[0].isoformat(), row.starts[-1].isoformat()] if row.starts else [],
        "period_range_text": row.period_range,
        "value": format(latest[1].normalize(), "f") if latest else None,
        "value_period": latest[0].isoformat() if latest else None,
        "value_text": row.latest_text,
        "value_period_text": row.latest_period,
        "attainment": row.attainment,
        "tier": row.tier,
        "report_year": report_year,
        "attached_by": actor.get_username(),
        "attached_by_name": by_name,
        "attached_at": attached_at.isoformat(),
    }


@dataclass(frozen=True)
class KPIEvidence:
    """A KPI snapshot of a rating, as the page shows it."""

    series: int
    kpi: str
    subject: str
    value_text: str
    value_period: str
    period_range: str
    attainment: str
    attainment_text: str
    tier: str
    report_year: Any
    attached_by: str
    attached_at: dt.datetime | None

    @property
    def collected(self) -> bool:
        return bool(self.value_period)

    @property
    def summary(self) -> str:
        """One line, for the history and the API's readers."""
        parts = [f"{self.kpi} of {self.subject}: {self.value_text}"]
        if self.value_period:
            parts[0] += f" ({self.value_period})"
        if self.attainment_text:
            parts.append(self.attainment_text)
        if self.tier:
            parts.append(f"DORA {self.report_year}: {self.tier}")
        return ", ".join(parts)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _when(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def kpi_evidence(entry: dict[str, Any]) -> KPIEvidence:
    """A stored snapshot for the page; an entry written by an older page or an API client reads sensibly."""
    period = str(entry.get("period") or "")
    value_start = _date(entry.get("value_period"))
    value_period = str(entry.get("value_period_text") or "") or (
        period_name(period, value_start) if value_start and period else ""
    )
    attainment = str(entry.get("attainment") or "")
    series = entry.get("series")
    return KPIEvidence(
        series=series if isinstance(series, int) else 0,
        kpi=str(entry.get("kpi") or "KPI"),
        subject=str(entry.get("subject") or ""),
        value_text=str(entry.get("value_text") or "not collected"),
        value_period=value_period,
        period_range=str(entry.get("period_range_text") or ""),
        attainment=attainment,
        attainment_text=ATTAINMENT_WORDS.get(attainment, ""),
        tier=str(entry.get("tier") or ""),
        report_year=entry.get("report_year") or "",
        attached_by=str(entry.get("attached_by_name") or entry.get("attached_by") or ""),
        attached_at=_when(entry.get("attached_at")),
    )
