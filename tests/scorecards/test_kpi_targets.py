"""Machine-readable KPI targets read from the free-text "Example target / benchmark" column."""

from pathlib import Path
from typing import Any

import pytest

from scorecards.blueprint_parser import parse_blueprint
from scorecards.kpi_targets import parse_target

STAFF = Path(__file__).resolve().parents[2] / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
D = "\u2013"  # en dash, as the documents write ranges


def target(direction: str, threshold: str | None, unit: str = "", *, relative: bool = False) -> dict[str, Any]:
    return {"direction": direction, "threshold": threshold, "unit": unit, "relative": relative}


def trend(direction: str) -> dict[str, Any]:
    return target(direction, None, relative=True)


# Every KPI of the bundled Staff Software Engineer document: (name, target text, expected reading).
STAFF_KPIS: list[tuple[str, str, dict[str, Any] | None]] = [
    (
        "Lead time to change (DORA)",
        f"Improve by 20{D}40% over 2 quarters for domain services",
        target("decrease", "20", "%", relative=True),
    ),
    (
        "Deployment frequency (DORA)",
        "Maintain or increase without raising failure rate (e.g., weekly\u2192daily for key services)",
        target("at_least", None, relative=True),
    ),
    ("Change failure rate (DORA)", f"< 10{D}15% for mature services; trend downward", target("at_most", "10", "%")),
    ("Mean time to restore (MTTR)", f"Reduce by 20{D}30% over 6 months", target("decrease", "20", "%", relative=True)),
    (
        "Sev-1 / Sev-2 incident rate",
        "Downward trend; e.g., reduce Sev-1 by 30% YoY",
        target("decrease", "30", "%", relative=True),
    ),
    ("Error budget burn", "Remain within budget; trigger reliability work when exceeded", None),
    ("SLO attainment", "\u2265 99.9% for critical APIs (context-specific)", target("at_least", "99.9", "%")),
    (
        "Availability of critical journeys",
        "\u2265 99.9% for top journeys (context-specific)",
        target("at_least", "99.9", "%"),
    ),
    (
        "p95/p99 latency",
        f"Reduce p95 by 10{D}25% for targeted endpoints",
        target("decrease", "10", "%", relative=True),
    ),
    (
        "Throughput / capacity headroom",
        f"Maintain \u2265 30{D}50% headroom for peak periods (context-specific)",
        target("at_least", "30", "%"),
    ),
    (
        "Cost efficiency (unit cost)",
        f"Improve by 10{D}20% on targeted services",
        target("decrease", "10", "%", relative=True),
    ),
    ("Defect escape rate", "Downward trend; goal depends on release volume", trend("decrease")),
    ("Automated test coverage (meaningful)", "Critical modules with robust unit/contract tests; not a vanity %", None),
    ("Flaky test rate", f"Reduce by 50% over 1{D}2 quarters", target("decrease", "50", "%", relative=True)),
    ("Build pipeline duration", f"Reduce by 20{D}30% for key repos", target("decrease", "20", "%", relative=True)),
    ("PR review turnaround", "Median < 1 business day for domain repos", target("at_most", "1", "business days")),
    ("Architectural review throughput", "100% of major changes have ADR/design doc", target("at_least", "100", "%")),
    (
        "Tech debt burndown",
        f"Deliver agreed quarterly debt goals (e.g., 6{D}10 items)",
        target("at_least", "6", "items"),
    ),
    (
        "Security vulnerability SLA",
        "Critical within 7 days; high within 30 days (context-specific)",
        target("at_most", "7", "days"),
    ),
    ("On-call toil hours", f"Reduce toil by 20{D}40% over 2 quarters", target("decrease", "20", "%", relative=True)),
    (
        "Stakeholder satisfaction (internal)",
        "\u2265 4.2/5 average in quarterly survey",
        target("at_least", "4.2", "/5"),
    ),
    ("Mentorship impact", "Mentees demonstrate increased ownership; promotion readiness evidence", None),
    (
        "Reuse adoption rate",
        f"\u2265 2{D}3 teams adopt within 6{D}12 months for relevant components",
        target("at_least", "2", "teams"),
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), STAFF_KPIS, ids=[row[0] for row in STAFF_KPIS])
def test_staff_software_engineer_targets(name: str, text: str, expected: dict[str, Any] | None) -> None:
    assert parse_target(text, name=name) == expected


def test_the_table_covers_every_kpi_of_the_bundled_document() -> None:
    kpis = parse_blueprint(STAFF.read_text(encoding="utf-8"))["kpis"]
    assert [(k["name"], k["target"]) for k in kpis] == [(name, text) for name, text, _ in STAFF_KPIS]
    assert [k["target_parsed"] for k in kpis] == [expected for _, _, expected in STAFF_KPIS]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u2264 200 ms p95", target("at_most", "200", "ms")),
        (">= 95%", target("at_least", "95", "%")),
        ("<= 2 hours", target("at_most", "2", "hours")),
        ("At least 3 engineers per half-year", target("at_least", "3", "engineers")),
        ("No more than 2 pages per week", target("at_most", "2")),
        ("Within 10 business days of the review window", target("at_most", "10", "business days")),
        ("Under 1,500 ms", target("at_most", "1500", "ms")),
        ("\u2265 4.0/5", target("at_least", "4", "/5")),
        ("Reduce MTTR to < 1 hour", target("at_most", "1", "hours")),
        ("Reduce to 5%", target("at_most", "5", "%")),
        ("Increase by 15% year over year", target("increase", "15", "%", relative=True)),
        ("Raise to 80% of services", target("at_least", "80", "%")),
        (f"Maintain 15{D}20% of capacity", target("at_least", "15", "%")),
        ("Upward trend", trend("increase")),
        ("Trending down quarter over quarter", trend("decrease")),
        ("Maintain or reduce quarter over quarter", target("at_most", None, relative=True)),
        ("Upward trend; e.g., increase by 10%", target("increase", "10", "%", relative=True)),
        (f"Complete 4{D}6 items per quarter", target("at_least", "4", "items")),
    ],
)
def test_other_target_forms(text: str, expected: dict[str, Any]) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Every engineer has a current growth plan",
        "100% held or rescheduled",
        "Remain within budget",
        "Not a vanity %",
        "Complete the migration by Q3",
        "Deliver 3 talks",
        "Improve by 20%",
    ],
)
def test_texts_that_give_no_reading(text: str) -> None:
    assert parse_target(text) is None


@pytest.mark.parametrize(
    ("name", "direction"),
    [
        ("Cycle time", "decrease"),
        ("Build pipeline duration", "decrease"),
        ("p99 latency", "decrease"),
        ("Warehouse cost per query", "decrease"),
        ("On-call toil hours", "decrease"),
        ("Change failure rate", "decrease"),
        ("Test coverage", "increase"),
        ("Analyst satisfaction", "increase"),
        ("Reuse adoption rate", "increase"),
        ("Deployment frequency", "increase"),
    ],
)
def test_improve_takes_its_direction_from_the_kpi_name(name: str, direction: str) -> None:
    assert parse_target("Improve by 10% this year", name=name) == target(direction, "10", "%", relative=True)


@pytest.mark.parametrize("name", ["Mentorship impact", "", "Uptime cost ratio"])
def test_improve_without_a_known_direction_is_not_guessed(name: str) -> None:
    assert parse_target("Improve by 10% this year", name=name) is None


def test_ranges_yield_their_lower_number() -> None:
    assert parse_target(f"< 10{D}15%")["threshold"] == "10"  # type: ignore[index]
    assert parse_target(f"\u2265 30{D}50%")["threshold"] == "30"  # type: ignore[index]
    assert parse_target(f"Reduce by 10{D}25%")["threshold"] == "10"  # type: ignore[index]
    assert parse_target("< 10-15%")["threshold"] == "10"  # type: ignore[index]
    assert parse_target("< 10 to 15%")["threshold"] == "10"  # type: ignore[index]


def test_first_clause_with_a_reading_wins() -> None:
    assert parse_target("Critical within 7 days; high within 30 days") == target("at_most", "7", "days")
    assert parse_target("Hard to say; \u2265 90%") == target("at_least", "90", "%")


def test_whitespace_is_normalised() -> None:
    assert parse_target("  \u2265\u00a099.9 %  for  APIs ") == target("at_least", "99.9", "%")
