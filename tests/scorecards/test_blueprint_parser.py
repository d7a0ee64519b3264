"""The blueprint parser on the bundled Staff Software Engineer document and on two more documents
of other roles with other counts, weights and quirks. No database: plain functions only."""

import hashlib
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scorecards.blueprint_parser import parse_blueprint

DOCUMENTS = Path(__file__).resolve().parents[2] / "scorecards" / "blueprint_documents"
STAFF = "staff-software-engineer.txt"
MANAGER = "engineering-manager.txt"
DATA = "senior-data-engineer.txt"
EN_DASH = "\u2013"

# Labels the parser turns into structure rather than text (the coverage test skips them).
STRUCTURAL_LABELS = ("success indicators", "measurement guidance", "primary business outcomes expected")


def document_text(name: str) -> str:
    return (DOCUMENTS / name).read_bytes().decode("utf-8")


@cache
def _parsed_json(name: str) -> str:
    return json.dumps(parse_blueprint(document_text(name)), ensure_ascii=False)


def parsed(name: str) -> dict[str, Any]:
    """A fresh copy of the parsed document, so no test can change what another one sees."""
    result: dict[str, Any] = json.loads(_parsed_json(name))
    return result


def skill(result: dict[str, Any], name: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [s for s in result["skills"] if s["name"] == name]
    assert len(matches) == 1, f"{name!r} found {len(matches)} times"
    return matches[0]


# The bundled Staff Software Engineer document


def test_bundled_copy_is_the_published_document_byte_for_byte() -> None:
    # The SHA-256 of the original staff-software-engineer.txt the project was given.
    digest = hashlib.sha256((DOCUMENTS / STAFF).read_bytes()).hexdigest()
    assert digest == "f19145a9a88009bc202d29b29ffc3777eab7ad2b4d2616701811d63b77621579"
    assert len(document_text(STAFF).split("\n")) == 596


def test_title_summary_and_mission() -> None:
    result = parsed(STAFF)
    assert result["title"] == "Staff Software Engineer"
    paragraphs = result["summary"].split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("A Staff Software Engineer is a senior individual contributor (IC)")
    assert paragraphs[0].endswith("raising the engineering bar through design, review, and mentorship.")
    assert "technical leadership\u2014setting direction" in paragraphs[0]
    assert paragraphs[1].startswith("This role exists in software and IT organizations")
    assert result["mission"] == (
        "Deliver and amplify high-leverage engineering outcomes by leading the design and implementation of "
        "technically complex, business-critical systems while improving the organization\u2019s ability to build, "
        "ship, and operate software safely and efficiently."
    )


def test_responsibilities() -> None:
    responsibilities = parsed(STAFF)["responsibilities"]
    assert len(responsibilities) == 25
    assert Counter(r["category"] for r in responsibilities) == {
        "strategic": 5,
        "operational": 5,
        "technical": 5,
        "cross_functional": 4,
        "governance": 3,
        "leadership": 3,
    }
    assert responsibilities[0] == {
        "category": "strategic",
        "text": "Set technical direction for a domain (e.g., identity, billing, search, messaging, core APIs) by "
        "defining reference architectures, integration patterns, and principles aligned to business goals.",
    }
    assert responsibilities[-1]["category"] == "leadership"
    assert responsibilities[-1]["text"].startswith("Facilitate engineering alignment rituals")
    categories = [r["category"] for r in responsibilities]
    assert categories == sorted(categories, key=categories.index), "categories stay in document order"


def test_skill_counts_per_group() -> None:
    skills = parsed(STAFF)["skills"]
    assert Counter(s["group"] for s in skills) == {
        "technical_must_have": 10,
        "technical_good_to_have": 6,
        "technical_advanced": 5,
        "technical_emerging": 5,
        "soft": 9,
    }
    assert len([s for s in skills if s["group"] != "soft"]) == 26
    assert [s["group"] for s in skills][-9:] == ["soft"] * 9


def test_skill_fields_and_importance() -> None:
    result = parsed(STAFF)
    api = skill(result, "API design (REST/gRPC/event APIs)")
    assert api["importance"] == "critical"
    assert api["importance_note"] == ""
    assert api["context_specific"] is False
    assert api["group"] == "technical_must_have"
    assert api["description"] == "Designing stable, evolvable APIs with versioning, pagination, idempotency, authn/z."
    assert api["use"] == "Establishes contracts across teams and reduces integration incidents."

    iac = skill(result, "Infrastructure-as-code (IaC)")
    assert (iac["importance"], iac["importance_note"], iac["context_specific"]) == (
        "optional",
        "Optional to Important; depends on org",
        False,
    )
    assert iac["description"] == ""
    assert iac["use"] == "Terraform/CloudFormation/Pulumi for reliable infrastructure changes."

    kubernetes = skill(result, "Kubernetes and container orchestration")
    assert kubernetes["group"] == "technical_good_to_have"
    assert kubernetes["importance"] == "important"
    assert kubernetes["context_specific"] is True
    assert kubernetes["importance_note"] == "Important / Context-specific"

    policy = skill(result, "Policy-as-code and automated compliance")
    assert (policy["importance"], policy["context_specific"], policy["importance_note"]) == (
        "optional",
        True,
        "Optional / Context-specific",
    )
    assert skill(result, "Operational excellence engineering")["importance"] == "expert"
    assert skill(result, "Testing strategy and quality engineering")["importance"] == "important"


def test_soft_skills_have_three_parts_and_default_importance() -> None:
    soft = [s for s in parsed(STAFF)["skills"] if s["group"] == "soft"]
    assert soft[0] == {
        "name": "Technical judgment under ambiguity",
        "group": "soft",
        "importance": "important",
        "context_specific": False,
        "importance_note": "",
        "description": "",
        "use": "",
        "why_it_matters": "Staff engineers routinely face incomplete requirements, uncertain constraints, and "
        "competing priorities.",
        "how_it_shows_up": "Proposes multiple options with tradeoffs; selects pragmatic approaches; revises decisions "
        "as new information emerges.",
        "strong_performance": "Stakeholders trust decisions; fewer reversals; surprises are minimized.",
    }
    assert all(s["why_it_matters"] and s["how_it_shows_up"] and s["strong_performance"] for s in soft)
    assert soft[-1]["name"] == "Product and customer empathy"


def test_kpis() -> None:
    kpis = parsed(STAFF)["kpis"]
    assert len(kpis) == 23
    assert kpis[0] == {
        "name": "Lead time to change (DORA)",
        "measures": "Time from code commit to production",
        "why": "Indicates delivery efficiency and ability to respond to market",
        "target": f"Improve by 20{EN_DASH}40% over 2 quarters for domain services",
        "frequency": "Monthly",
        "target_parsed": {"direction": "decrease", "threshold": "20", "unit": "%", "relative": True},
    }
    assert kpis[-1]["name"] == "Reuse adoption rate"
    slo = next(k for k in kpis if k["name"] == "SLO attainment")
    assert slo["target_parsed"] == {"direction": "at_least", "threshold": "99.9", "unit": "%", "relative": False}
    assert slo["frequency"] == "Weekly/Monthly"
    unreadable = [k["name"] for k in kpis if k["target_parsed"] is None]
    assert unreadable == ["Error budget burn", "Automated test coverage (meaningful)", "Mentorship impact"]


def test_milestones() -> None:
    milestones = parsed(STAFF)["milestones"]
    assert [m["horizon"] for m in milestones] == ["30d", "60d", "90d", "6m", "12m", "long_term"]
    assert [len(m["success_indicators"]) for m in milestones] == [2, 2, 2, 0, 0, 0]
    assert [len(m["goals"]) for m in milestones] == [5, 4, 4, 4, 4, 3]
    first = milestones[0]
    assert first["title"] == "30-day goals (onboarding and initial impact)"
    assert first["goals"][0] == (
        "Understand product goals, customer journeys, and top engineering constraints in the assigned domain."
    )
    assert first["success_indicators"] == [
        "Can explain domain architecture and failure modes clearly.",
        "Has shipped at least one meaningful change and improved at least one operational pain point.",
    ]
    assert milestones[-1]["title"] == f"Long-term impact goals (1{EN_DASH}3 years, depending on company needs)"


def test_scorecard() -> None:
    scorecard = parsed(STAFF)["scorecard"]
    assert [(d["name"], d["weight"]) for d in scorecard] == [
        ("System design & architecture", "25"),
        ("Hands-on coding & debugging", "20"),
        ("Operational excellence", "15"),
        ("Technical leadership", "15"),
        ("Communication", "10"),
        ("Security & quality mindset", "10"),
        ("Collaboration & mentorship", "5"),
    ]
    assert scorecard[0]["meets_bar"] == "Designs scalable, operable systems with clear tradeoffs and migration plans"


def test_promotion_criteria() -> None:
    criteria = parsed(STAFF)["promotion_criteria"]
    assert len(criteria) == 5
    assert criteria[0] == "Proven ability to lead initiatives spanning multiple domains and organizations."
    assert (
        criteria[-1] == "Demonstrated ability to develop other leaders (mentoring seniors into Staff-level behaviors)."
    )


def test_tools() -> None:
    tools = parsed(STAFF)["sections"]["tools"]
    assert len(tools["items"]) == 29
    assert tools["items"][0] == {
        "category": "Cloud platforms",
        "tool": "AWS / Azure / GCP",
        "use": "Hosting services, managed databases, IAM, networking",
        "commonality": "Common",
    }
    assert tools["items"][-1]["tool"] == "OAuth/OIDC provider (e.g., Okta, Auth0)"
    assert tools["intro"].startswith("Tools vary by organization;")
    assert "notes" not in tools


def test_section_keys() -> None:
    result = parsed(STAFF)
    assert list(result) == [
        "title",
        "summary",
        "mission",
        "responsibilities",
        "skills",
        "kpis",
        "milestones",
        "scorecard",
        "promotion_criteria",
        "sections",
    ]
    assert list(result["sections"]) == [
        "source",
        "role_summary_details",
        "mission_details",
        "day_to_day",
        "deliverables",
        "goals_extra",
        "kpi_guidance",
        "tools",
        "tech_stack",
        "stakeholders",
        "decision_rights",
        "experience",
        "career_path",
        "risks",
        "variants",
        "ai_impact",
        "hiring",
        "summary_table",
    ]


def test_source_outline() -> None:
    source = parsed(STAFF)["sections"]["source"]
    assert source["title_line"] == (
        "Staff Software Engineer: Role Blueprint, Responsibilities, Skills, KPIs, and Career Path"
    )
    outline = source["outline"]
    assert [entry["number"] for entry in outline] == list(range(1, 21))
    assert outline[2] == {
        "number": 3,
        "title": "Core Responsibilities",
        "key": "responsibilities",
        "line": 13,
        "headings": [
            "Strategic responsibilities (direction, leverage, long-term health)",
            "Operational responsibilities (execution, delivery, operational health)",
            "Technical responsibilities (architecture, code, correctness, performance)",
            "Cross-functional or stakeholder responsibilities (alignment, translation, influence)",
            "Governance, compliance, or quality responsibilities (controls, standards, risk)",
            "Leadership responsibilities (IC leadership; not people management by default)",
        ],
    }
    assert outline[-1]["title"] == "Final Role Scorecard Summary"


def test_role_summary_details_and_mission_details() -> None:
    sections = parsed(STAFF)["sections"]
    details = sections["role_summary_details"]
    assert [d["label"] for d in details] == ["Role horizon", "Typical reporting line", "Typical interaction surface"]
    assert details[0]["text"] == "Current (established and common in modern software organizations)"
    assert details[2]["text"] == ""
    assert details[2]["items"] == [
        "Product Management, Design/UX, Data/Analytics, SRE/Platform, Security, QA, Customer Support, "
        "Solutions/Implementation, and other engineering teams"
    ]
    mission = sections["mission_details"]
    assert set(mission) == {"strategic_importance", "primary_business_outcomes"}
    assert mission["strategic_importance"].startswith(
        "Staff Software Engineers provide \u201cforce multiplication\u201d"
    )
    assert len(mission["primary_business_outcomes"]) == 5
    assert mission["primary_business_outcomes"][0] == (
        "Reliable delivery of scalable, secure, maintainable services and customer-facing capabilities"
    )


def test_day_to_day() -> None:
    day_to_day = parsed(STAFF)["sections"]["day_to_day"]
    assert [(group["heading"], len(group["items"])) for group in day_to_day] == [
        ("Daily activities", 5),
        ("Weekly activities", 5),
        ("Monthly or quarterly activities", 5),
        ("Recurring meetings or rituals", 5),
        ("Incident, escalation, or emergency work (context-dependent but common)", 4),
    ]
    assert day_to_day[3]["items"][0] == "Architecture/design review board (weekly/biweekly)"


def test_deliverables_rebuild_the_flattened_nested_list() -> None:
    deliverables = parsed(STAFF)["sections"]["deliverables"]
    assert deliverables["intro"].endswith("that scale execution and reduce risk:")
    assert [(group["heading"], len(group["items"])) for group in deliverables["groups"]] == [
        ("Architecture & design", 4),
        ("Software & platform", 4),
        ("Operational excellence", 4),
        ("Delivery enablement", 3),
        ("Risk & governance", 3),
        ("Org leverage", 3),
    ]
    groups = {group["heading"]: group["items"] for group in deliverables["groups"]}
    assert groups["Architecture & design"][-1] == "API standards, versioning guidelines, schema evolution strategies"
    assert (
        groups["Software & platform"][-1] == "Data integrity protections (constraints, validation, reconciliation jobs)"
    )


def test_goals_extra_and_kpi_guidance() -> None:
    sections = parsed(STAFF)["sections"]
    extra = sections["goals_extra"]
    assert extra["role_success_definition"].startswith("A Staff Software Engineer is successful when the domain")
    assert len(extra["high_performance"]) == 4
    guidance = sections["kpi_guidance"]
    assert guidance["intro"].startswith("The metrics below are designed to be practical and measurable.")
    assert guidance["measurement_guidance"] == [
        "Prefer trends over single-point targets.",
        "Tie \u201csuccess\u201d to business outcomes (customer experience, delivery speed, stability), "
        "not only output volume.",
        "Use a balanced scorecard to avoid optimizing one metric at the expense of others (e.g., deployment "
        "frequency vs change failure rate).",
    ]


def test_generic_sections_group_and_nest_bullets() -> None:
    sections = parsed(STAFF)["sections"]
    for key in ("tech_stack", "stakeholders", "decision_rights", "experience", "risks", "variants", "ai_impact"):
        assert set(sections[key]) == {"intro", "groups"}
        assert all(set(group) == {"heading", "paragraphs", "items"} for group in sections[key]["groups"])
    assert [len(sections[key]["groups"]) for key in ("tech_stack", "stakeholders", "decision_rights")] == [8, 8, 5]
    assert sections["tech_stack"]["intro"].startswith("This describes a plausible \u201cdefault\u201d environment")

    by_size = sections["variants"]["groups"][0]
    assert by_size["heading"] == "By company size"
    assert [(item["text"], len(item["items"])) for item in by_size["items"]] == [
        ("Startup / small company (e.g., <100 engineers):", 3),
        (f"Mid-size (e.g., 100{EN_DASH}500 engineers):", 2),
        ("Large enterprise (e.g., 500+ engineers):", 3),
    ]
    certifications = sections["experience"]["groups"][2]
    assert certifications["heading"] == "Certifications (rarely required; context-dependent)"
    assert certifications["items"] == [
        {
            "text": "Optional / Context-specific:",
            "items": [
                "Cloud certifications (AWS/Azure/GCP) for cloud-heavy roles",
                "Security certifications (e.g., CSSLP) in security-intensive environments",
                "Kubernetes certifications (CKA/CKAD) if the platform is Kubernetes-centric",
            ],
        },
        {"text": "Most organizations value demonstrated impact over certifications.", "items": []},
    ]
    ai_groups = sections["ai_impact"]["groups"]
    assert ai_groups[2]["items"][0]["text"] == "Staff engineers will be expected to:"
    assert len(ai_groups[2]["items"][0]["items"]) == 4


def test_career_path() -> None:
    career = parsed(STAFF)["sections"]["career_path"]
    assert set(career) == {"feeder_roles", "next_roles", "adjacent_paths", "evolution"}
    assert [len(career[key]) for key in ("feeder_roles", "next_roles", "adjacent_paths", "evolution")] == [4, 4, 4, 3]
    assert career["feeder_roles"][0] == "Senior Software Engineer (most common)"


def test_hiring() -> None:
    hiring = parsed(STAFF)["sections"]["hiring"]
    assert set(hiring) == {"assess", "exercises", "strong_signals", "weak_signals", "red_flags"}
    assert len(hiring["assess"]) == 6
    assert hiring["assess"][0] == {
        "name": "System design depth and pragmatism",
        "text": "Can the candidate design evolvable systems with clear boundaries and realistic operational "
        "considerations?",
    }
    assert [(e["name"], e["duration"], len(e["details"])) for e in hiring["exercises"]] == [
        ("System design exercise", f"60{EN_DASH}90 minutes", 2),
        ("Production debugging scenario", f"45{EN_DASH}60 minutes", 2),
        ("Design review writing sample", "take-home or timed", 2),
        ("Code review exercise", f"30{EN_DASH}45 minutes", 2),
    ]
    assert [len(hiring[key]) for key in ("strong_signals", "weak_signals", "red_flags")] == [6, 5, 5]


def test_summary_table() -> None:
    table = parsed(STAFF)["sections"]["summary_table"]
    assert len(table) == 10
    assert table[0] == {"category": "Role title", "summary": "Staff Software Engineer"}
    assert table[-1]["category"] == "Career progression options"
    assert table[-1]["summary"].endswith("Security/Data engineering specialization (IC)")


def test_page_furniture_after_the_final_table_is_not_imported() -> None:
    lines = document_text(STAFF).split("\n")
    assert lines[-3:] == [
        "Find Trusted Cardiac Hospitals",
        "Compare heart hospitals by city and services \u2014 all in one place.",
        "Explore Hospitals",
    ]
    dumped = _parsed_json(STAFF)
    assert "Cardiac" not in dumped
    assert "heart hospitals" not in dumped
    assert "Explore Hospitals" not in dumped


def test_result_is_plain_json_that_round_trips_exactly() -> None:
    result = parse_blueprint(document_text(STAFF))
    assert json.loads(json.dumps(result)) == result


def test_line_ends_trailing_whitespace_and_bom_do_not_change_the_result() -> None:
    text = document_text(STAFF)
    messy = "\ufeff" + "\r\n".join(f"{line}  \t" if i % 3 else line for i, line in enumerate(text.split("\n")))
    assert parse_blueprint(messy) == parsed(STAFF)


def test_runs_of_spaces_inside_text_collapse() -> None:
    text = document_text(STAFF).replace(
        "Set technical direction for a domain", "Set  technical\tdirection for a domain"
    )
    assert parse_blueprint(text)["responsibilities"][0]["text"].startswith("Set technical direction for a domain (")


# Nothing of the documents' own text is dropped


def _is_separator(line: str) -> bool:
    return line.startswith("|") and all(re.fullmatch(r":?-+:?", cell.strip()) for cell in line.strip("|").split("|"))


def _content_lines(text: str) -> list[str]:
    """Non-empty lines up to the end of the final table, without table header and separator rows."""
    lines = [" ".join(line.split()) for line in text.removeprefix("\ufeff").splitlines()]
    last_table_row = max(i for i, line in enumerate(lines) if line.startswith("|"))
    kept = []
    for index, line in enumerate(lines[: last_table_row + 1]):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not line or _is_separator(line) or (line.startswith("|") and _is_separator(following)):
            continue
        kept.append(line)
    return kept


def _fragments(line: str) -> list[str]:
    line = re.sub(r"^\d+\)\s+", "", line)
    if line in ("-", "\u2022"):
        return []
    line = line.removeprefix("- ")
    if line.startswith("|"):
        return [cell.strip() for cell in line.strip("|").split("|") if cell.strip()]
    return [part.strip() for part in line.split(f" {EN_DASH} ") if part.strip()]


def _covered(fragment: str, dumped: str) -> bool:
    def present(text: str) -> bool:
        return bool(text) and json.dumps(text, ensure_ascii=False)[1:-1] in dumped

    bare = fragment.removesuffix(":").strip()
    if bare.lower().startswith(STRUCTURAL_LABELS) and fragment.endswith(":"):
        return True
    if present(fragment) or present(bare):
        return True
    labelled = re.match(r"^[^:]{1,80}:\s+(.+)$", bare)
    if labelled and present(labelled[1]):
        return True
    # A final parenthesis read into a field: a skill's importance, an exercise's duration.
    parenthesis = re.match(r"^(.*\S)\s*\(([^()]*)\)$", bare)
    if parenthesis and present(parenthesis[1]) and parenthesis[2].lower() in dumped.lower():
        return True
    # A weight "25%" is stored as "25".
    return bool(re.fullmatch(r"\d+(?:\.\d+)?%", bare)) and f'"weight": "{bare[:-1]}"' in dumped


@pytest.mark.parametrize("name", [STAFF, MANAGER, DATA])
def test_every_line_of_content_appears_in_the_result(name: str) -> None:
    dumped = _parsed_json(name)
    missing = [
        fragment
        for line in _content_lines(document_text(name))
        for fragment in _fragments(line)
        if not _covered(fragment, dumped)
    ]
    assert missing == []


def test_coverage_check_notices_a_dropped_line() -> None:
    dumped = _parsed_json(STAFF).replace("Champion engineering excellence", "")
    missing = [
        fragment
        for line in _content_lines(document_text(STAFF))
        for fragment in _fragments(line)
        if not _covered(fragment, dumped)
    ]
    assert missing == [
        "Champion engineering excellence by raising standards for code quality, test strategy, observability, and "
        "operational readiness."
    ]


# Engineering Manager: CRLF line ends, trailing spaces, 8 dimensions with 12.5% weights, no Role Variants


def test_engineering_manager_document_has_its_own_quirks() -> None:
    raw = (DOCUMENTS / MANAGER).read_bytes()
    assert b"\r\n" in raw
    assert b"  \r\n" in raw
    assert b"\n19) Final Role Scorecard Summary" in raw


def test_engineering_manager_counts() -> None:
    result = parsed(MANAGER)
    assert result["title"] == "Engineering Manager"
    assert Counter(r["category"] for r in result["responsibilities"]) == {
        "strategic": 4,
        "operational": 4,
        "technical": 3,
        "cross_functional": 3,
        "governance": 2,
        "leadership": 5,
    }
    assert Counter(s["group"] for s in result["skills"]) == {
        "technical_must_have": 6,
        "technical_good_to_have": 4,
        "technical_advanced": 3,
        "technical_emerging": 3,
        "soft": 7,
    }
    assert len(result["kpis"]) == 14
    assert len(result["sections"]["tools"]["items"]) == 14
    assert len(result["promotion_criteria"]) == 4
    assert "variants" not in result["sections"]
    assert [entry["number"] for entry in result["sections"]["source"]["outline"]] == list(range(1, 20))


def test_engineering_manager_scorecard_with_fractional_weights() -> None:
    scorecard = parsed(MANAGER)["scorecard"]
    assert [d["weight"] for d in scorecard] == ["15", "15", "12.5", "12.5", "12.5", "12.5", "10", "10"]
    assert scorecard[2]["name"] == "Technical judgment"


def test_engineering_manager_milestones_and_skills() -> None:
    result = parsed(MANAGER)
    milestones = result["milestones"]
    assert [m["horizon"] for m in milestones] == ["30d", "60d", "90d", "6m", "12m"]
    assert [len(m["success_indicators"]) for m in milestones] == [2, 0, 2, 0, 0]
    # Written as bullets under "Success indicators (90 days):" rather than inline.
    assert milestones[2]["success_indicators"][0] == "Stakeholders describe team status as predictable and transparent."
    assert len(milestones[2]["goals"]) == 3
    agile = skill(result, "Agile planning and estimation")
    assert (agile["importance"], agile["description"]) == ("important", "")
    assert agile["use"] == "Runs planning that produces realistic commitments."
    security = skill(result, "Security and compliance basics")
    assert (security["importance"], security["context_specific"]) == ("critical", True)
    assert skill(result, "Stakeholder management (internal)")["importance"] == "important"
    deliverables = result["sections"]["deliverables"]["groups"]
    assert [(g["heading"], len(g["items"])) for g in deliverables] == [
        ("Planning and delivery", 3),
        ("People and growth", 3),
        ("Operational health", 3),
    ]


def test_engineering_manager_furniture_is_not_imported() -> None:
    dumped = _parsed_json(MANAGER)
    assert "Share this article" not in dumped
    assert "RoleAtlas" not in dumped
    assert "\u00a9" not in dumped


# Senior Data Engineer: BOM, a preamble line, no AI section, an unrecognised section, numbered furniture


def test_senior_data_engineer_document_has_its_own_quirks() -> None:
    raw = (DOCUMENTS / DATA).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b" \t\n" in raw
    assert b"\n1) Analytics Engineer" in raw


def test_senior_data_engineer_counts() -> None:
    result = parsed(DATA)
    assert result["title"] == "Senior Data Engineer"
    assert Counter(r["category"] for r in result["responsibilities"]) == {
        "strategic": 3,
        "operational": 4,
        "technical": 4,
        "cross_functional": 2,
        "governance": 2,
        "leadership": 2,
    }
    assert Counter(s["group"] for s in result["skills"]) == {
        "technical_must_have": 6,
        "technical_good_to_have": 4,
        "technical_advanced": 2,
        "technical_emerging": 3,
        "soft": 6,
    }
    assert len(result["kpis"]) == 12
    assert len(result["sections"]["tools"]["items"]) == 11
    assert len(result["promotion_criteria"]) == 3
    assert [d["weight"] for d in result["scorecard"]] == ["30", "20", "20", "15", "10", "5"]
    assert "ai_impact" not in result["sections"]


def test_senior_data_engineer_milestones() -> None:
    milestones = parsed(DATA)["milestones"]
    assert [m["horizon"] for m in milestones] == ["30d", "60d", "90d", "6m", "12m", "long_term"]
    # "Success indicators:" without a horizon belongs to the milestone above it.
    assert [len(m["success_indicators"]) for m in milestones] == [2, 0, 2, 0, 0, 0]
    assert milestones[0]["success_indicators"][1] == "Has merged at least one production change."


def test_senior_data_engineer_preamble_unrecognised_section_and_skills() -> None:
    result = parsed(DATA)
    sections = result["sections"]
    assert sections["preamble"] == ["Last reviewed: February 2025 by the Data Platform guild"]
    assert sections["unrecognised"] == [
        {
            "number": 18,
            "title": "Data Governance Expectations",
            "intro": "This organization-specific section lists the governance duties added by the Data Governance "
            "Council in 2024.",
            "groups": [
                {
                    "heading": "Classification",
                    "paragraphs": [],
                    "items": [
                        {
                            "text": "Classify every new dataset as public, internal, confidential, or restricted "
                            "before release.",
                            "items": [],
                        },
                        {"text": "Record the classification and owner in the catalog.", "items": []},
                    ],
                },
                {
                    "heading": "Retention",
                    "paragraphs": [],
                    "items": [
                        {
                            "text": "Apply retention jobs to personal data according to the retention schedule.",
                            "items": [],
                        }
                    ],
                },
            ],
        }
    ]
    assert "role_success_definition" not in sections["goals_extra"]
    assert skill(result, "Curiosity about the business")["importance"] == "critical"
    assert skill(result, "Data quality engineering")["description"] == ""
    streaming = skill(result, "Streaming systems")
    assert (streaming["importance"], streaming["context_specific"]) == ("optional", True)


def test_senior_data_engineer_numbered_furniture_is_not_imported() -> None:
    dumped = _parsed_json(DATA)
    assert "Related roles" not in dumped
    assert "Data Platform Engineer" not in dumped
    assert "Was this blueprint helpful" not in dumped
