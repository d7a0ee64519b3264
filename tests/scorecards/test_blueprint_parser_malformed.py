"""The parser refuses documents it would otherwise have to guess about, naming the line (1-based)
and what it expected, and returns nothing. Most cases change one line of the bundled Staff
Software Engineer document; line numbers below are that document's."""

import pickle
from pathlib import Path

import pytest

from scorecards.blueprint_parser import BlueprintParseError, parse_blueprint

STAFF = Path(__file__).resolve().parents[2] / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
EN_DASH = "\u2013"

MINIMAL = f"""Test Role: Role Blueprint
1) Role Summary
A role that exists to exercise the parser.
2) Role Mission
Core mission: Keep the parser honest.
3) Core Responsibilities
Strategic responsibilities
- Decide what matters.
4) Goals, Objectives, and Milestones
30-day goals
- Learn the system.
5) KPIs and Productivity Metrics
| Metric name | What it measures | Why it matters | Example target / benchmark | Frequency |
|---|---|---|---|---|
| Uptime | Availability | Trust | \u2265 99% | Monthly |
6) Technical Skills Required
Must-have technical skills
- Python (Critical) {EN_DASH} Use: Writes the code.
7) Soft Skills and Behavioral Capabilities
- Patience {EN_DASH} Why it matters: Parsers are fussy.
8) Hiring Evaluation Criteria
Scorecard dimensions
| Dimension | What meets the bar | Weight |
|---|---|---|
| Craft | Does the work | 100% |
"""


def staff_lines() -> list[str]:
    return STAFF.read_text(encoding="utf-8").split("\n")


def staff_with(changes: dict[int, str | None]) -> str:
    """The bundled document with some lines (1-based) replaced, or removed where the value is None."""
    lines = staff_lines()
    for number, text in changes.items():
        assert 1 <= number <= len(lines)
        lines[number - 1] = text if text is not None else "\0"
    return "\n".join(line for line in lines if line != "\0")


def staff_without(first: int, last: int) -> str:
    return staff_with(dict.fromkeys(range(first, last + 1)))


def parse_error(text: str) -> BlueprintParseError:
    with pytest.raises(BlueprintParseError) as caught:
        parse_blueprint(text)
    return caught.value


def test_the_unchanged_documents_parse() -> None:
    assert parse_blueprint(staff_with({}))["title"] == "Staff Software Engineer"
    assert parse_blueprint(MINIMAL)["title"] == "Test Role"


# The error itself


def test_error_carries_line_expected_and_found() -> None:
    error = parse_error(staff_with({578: "| Communication | 10% |"}))
    assert isinstance(error, ValueError)
    assert error.line == 578
    assert error.expected == "a scorecard table row with 3 cells"
    assert error.found == "2"
    assert str(error) == "line 578: expected a scorecard table row with 3 cells, found 2"


def test_error_without_a_line_or_a_finding() -> None:
    assert str(BlueprintParseError(None, "a UTF-8 text file")) == "expected a UTF-8 text file"
    assert str(BlueprintParseError(3, "a title", "none")) == "line 3: expected a title, found none"


def test_error_survives_pickling_for_background_jobs() -> None:
    error = BlueprintParseError(12, "a weight such as '25%'", "'lots'")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object, pickled just above
    assert (copy.line, copy.expected, copy.found, str(copy)) == (12, error.expected, error.found, str(error))


# Title and sections


@pytest.mark.parametrize("text", ["", "   \n\n\t", "\ufeff", "\r\n\r\n"])
def test_empty_document(text: str) -> None:
    error = parse_error(text)
    assert error.line is None
    assert str(error) == "expected a title line, found an empty document"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("1) Role Summary\nA role.", 1),
        ("\n\n1) Role Summary\nA role.", 3),
        ("- A bullet first\n1) Role Summary", 1),
        ("| a | b |\n|---|---|", 1),
    ],
)
def test_document_must_start_with_a_title_line(text: str, line: int) -> None:
    error = parse_error(text)
    assert error.line == line
    assert error.expected.startswith("a title line")


def test_title_line_must_name_the_role() -> None:
    error = parse_error(": Role Blueprint\n1) Role Summary\nA role.")
    assert error.line == 1
    assert error.expected == "a role title before the ':' of the title line"


def test_document_without_numbered_sections() -> None:
    error = parse_error("Staff Software Engineer: Role Blueprint\nSome text without sections.\n- a bullet")
    assert error.line is None
    assert error.expected == "a numbered section such as '1) Role Summary'"


def test_sections_start_at_one() -> None:
    error = parse_error(staff_with({2: "2) Role Summary"}))
    assert str(error) == "line 2: expected section 1, found section 2"


def test_section_numbers_go_up_by_one() -> None:
    error = parse_error(staff_with({183: "9) Technical Skills Required"}))
    assert str(error) == "line 183: expected section 8, found section 9"


def test_a_removed_section_heading_breaks_the_numbering() -> None:
    error = parse_error(staff_without(471, 471))
    assert str(error) == "line 505: expected section 17, found section 18"


def test_known_sections_in_canonical_order() -> None:
    error = parse_error(staff_with({183: "8) Hiring Evaluation Criteria", 531: "19) Technical Skills Required"}))
    assert error.line == 240
    assert error.expected == (
        "'Soft Skills and Behavioral Capabilities' before 'Hiring Evaluation Criteria' (the blueprint's section order)"
    )
    assert error.found == "it after section 8"


def test_a_known_section_only_once() -> None:
    error = parse_error(staff_with({471: "17) Risks, Challenges, and Failure Modes"}))
    assert error.line == 471
    assert error.expected == "one 'Risks, Challenges, and Failure Modes' section"
    assert "line 442" in error.found


@pytest.mark.parametrize(
    ("line", "heading", "missing"),
    [
        (2, "1) Overview", "Role Summary"),
        (9, "2) Purpose", "Role Mission"),
        (13, "3) Duties", "Core Responsibilities"),
        (114, "6) Plans", "Goals, Objectives, and Milestones"),
        (155, "7) Measures", "KPIs and Productivity Metrics"),
        (183, "8) Know-how", "Technical Skills Required"),
        (240, "9) Behaviours at Work", "Soft Skills and Behavioral Capabilities"),
        (531, "19) Interview Guide", "Hiring Evaluation Criteria"),
    ],
)
def test_required_sections(line: int, heading: str, missing: str) -> None:
    error = parse_error(staff_with({line: heading}))
    assert error.line is None
    assert str(error) == f"expected a '{missing}' section, found none"


def test_a_section_numbered_on_after_the_final_table_is_not_furniture() -> None:
    error = parse_error(staff_with({594: "21) Appendix"}))
    assert error.line == 594
    assert error.expected == "nothing but page furniture after the final scorecard summary table"
    assert error.found == "section 21"


def test_final_summary_section_needs_its_table() -> None:
    error = parse_error(staff_without(582, 593))
    assert error.line == 581
    assert error.expected == "a summary table in 'Final Role Scorecard Summary'"


def test_final_summary_table_rows_match_the_header() -> None:
    error = parse_error(staff_with({590: "| Top KPIs |"}))
    assert str(error) == "line 590: expected a summary table row with 2 cells, found 1"


# Tables


def test_scorecard_weights_must_sum_to_100() -> None:
    error = parse_error(staff_with({580: "| Collaboration & mentorship | Coaches others | 10% |"}))
    assert str(error) == "line 572: expected scorecard weights that sum to 100, found 105"
    error = parse_error(staff_with({580: "| Collaboration & mentorship | Coaches others | 0.5% |"}))
    assert str(error) == "line 572: expected scorecard weights that sum to 100, found 95.5"


@pytest.mark.parametrize("weight", ["a quarter", "25%%", "-25%", "25 percent", "", "1e2"])
def test_scorecard_weight_must_be_a_number_or_percent(weight: str) -> None:
    error = parse_error(staff_with({574: f"| System design & architecture | Designs systems | {weight} |"}))
    assert error.line == 574
    assert error.expected == "a weight such as '25%'"


@pytest.mark.parametrize("weight", ["0%", "0", "12.345%"])
def test_scorecard_weight_must_be_positive_with_two_decimals_at_most(weight: str) -> None:
    error = parse_error(staff_with({574: f"| System design & architecture | Designs systems | {weight} |"}))
    assert error.line == 574
    assert error.expected == "a weight above 0 with at most 2 decimals"


def test_scorecard_weight_without_percent_sign_is_accepted() -> None:
    result = parse_blueprint(staff_with({574: "| System design & architecture | Designs systems | 25 |"}))
    assert result["scorecard"][0]["weight"] == "25"


def test_scorecard_dimension_needs_a_name() -> None:
    error = parse_error(staff_with({575: "| | Writes high-quality code | 20% |"}))
    assert str(error) == "line 575: expected a dimension name in the first cell, found an empty cell"


def test_scorecard_dimension_names_are_unique() -> None:
    error = parse_error(staff_with({577: "| Operational excellence | Leads cross-team delivery | 15% |"}))
    assert error.line == 577
    assert error.expected == "each dimension name once"


def test_scorecard_table_is_required() -> None:
    error = parse_error(staff_without(571, 580))
    assert error.line == 531
    assert error.expected == "a 'Scorecard dimensions' heading followed by the scorecard table"


def test_scorecard_heading_without_its_table() -> None:
    error = parse_error(staff_without(572, 580))
    assert error.line == 571
    assert error.expected == "the scorecard table after the 'Scorecard dimensions' heading"


def test_scorecard_header_needs_a_weight_column() -> None:
    error = parse_error(staff_with({572: "| Dimension | What meets bar | Points |"}))
    assert error.line == 572
    assert error.expected == "a scorecard table header 'Dimension | What meets the bar | Weight'"


def test_scorecard_row_with_too_many_cells() -> None:
    error = parse_error(staff_with({576: "| Operational excellence | SLO mindset | 15% | extra |"}))
    assert str(error) == "line 576: expected a scorecard table row with 3 cells, found 4"


def test_kpi_row_cell_count_must_match_the_header() -> None:
    error = parse_error(
        staff_with({165: "| SLO attainment | % of time service meets SLO | Customer experience proxy |"})
    )
    assert str(error) == "line 165: expected a KPI table row with 5 cells, found 3"


def test_kpi_table_missing_the_frequency_column() -> None:
    error = parse_error(
        staff_with(
            {
                157: "| Metric name | What it measures | Why it matters | Example target / benchmark |",
                158: "|---|---|---|---|",
            }
        )
    )
    assert error.line == 157
    assert error.expected == (
        "a KPI table header 'Metric name | What it measures | Why it matters | Example target / benchmark | Frequency'"
    )
    assert error.found == "'Metric name | What it measures | Why it matters | Example target / benchmark'"


def test_kpi_table_with_a_renamed_column() -> None:
    error = parse_error(
        staff_with({157: "| Metric name | What it measures | Why it matters | Example target / benchmark | Owner |"})
    )
    assert error.line == 157
    assert error.expected.startswith("a KPI table header")


def test_kpi_section_without_a_table() -> None:
    error = parse_error(staff_without(157, 181))
    assert error.line == 155
    assert error.expected == "a KPI table in 'KPIs and Productivity Metrics'"


def test_kpi_row_needs_a_metric_name() -> None:
    error = parse_error(staff_with({170: "| | Bugs found in prod vs pre-prod | Quality | Downward trend | Monthly |"}))
    assert error.line == 170
    assert error.expected == "a metric name in the first cell"


def test_table_without_a_separator_row() -> None:
    error = parse_error(staff_without(158, 158))
    assert error.line == 158
    assert error.expected == "a KPI table separator row such as |---|---|"


def test_tools_row_cell_count_must_match_the_header() -> None:
    error = parse_error(staff_with({263: "| Cloud platforms | AWS / Azure / GCP | Common |"}))
    assert str(error) == "line 263: expected a tools table row with 4 cells, found 3"


def test_tools_table_header() -> None:
    error = parse_error(staff_with({261: "| Category | Tool / platform | Primary use | Cost |"}))
    assert error.line == 261
    assert error.expected == "a tools table header 'Category | Tool / platform | Primary use | Commonality'"


def test_a_table_in_a_generic_section_is_kept_but_checked() -> None:
    table = "| Area | Tool |\n|---|---|\n| Data | dbt |"
    result = parse_blueprint(staff_with({295: table}))
    group = result["sections"]["tech_stack"]["groups"][0]
    assert group["tables"] == [{"header": ["Area", "Tool"], "rows": [["Data", "dbt"]]}]
    error = parse_error(staff_with({295: "| Area | Tool |\n|---|---|\n| Data |"}))
    assert str(error) == "line 297: expected a table row with 2 cells, found 1"


# Skills


def test_technical_skill_with_an_unknown_importance() -> None:
    text = staff_lines()[185].replace("(Critical)", "(Crucial)")
    error = parse_error(staff_with({186: text}))
    assert error.line == 186
    assert error.expected == "a technical skill ending in (Critical), (Important), (Optional) or (Expert)"
    assert error.found.startswith("the bullet 'System design and architecture (Crucial)")


def test_technical_skill_without_an_importance() -> None:
    text = staff_lines()[212].replace(" (Important)", "")
    error = parse_error(staff_with({213: text}))
    assert error.line == 213
    assert error.expected.startswith("a technical skill ending in (Critical)")


def test_soft_skill_parenthesis_without_importance_is_part_of_the_name() -> None:
    text = staff_lines()[243].replace("Clear written communication", "Clear written communication (async)")
    result = parse_blueprint(staff_with({244: text}))
    soft = next(s for s in result["skills"] if s["name"].startswith("Clear written communication"))
    assert (soft["name"], soft["importance"], soft["importance_note"]) == (
        "Clear written communication (async)",
        "important",
        "",
    )


def test_soft_skill_may_state_an_importance() -> None:
    text = staff_lines()[249].replace("Ownership mindset", "Ownership mindset (Critical)")
    result = parse_blueprint(staff_with({250: text}))
    soft = next(s for s in result["skills"] if s["name"] == "Ownership mindset")
    assert (soft["group"], soft["importance"]) == ("soft", "critical")


def test_unknown_skill_group_heading() -> None:
    error = parse_error(staff_with({205: "Bonus technical skills"}))
    assert error.line == 205
    assert error.expected.startswith("a skill group heading (Must-have, Good-to-have")
    assert error.found == "the heading 'Bonus technical skills'"


def test_skill_bullets_before_any_group_heading() -> None:
    error = parse_error(staff_without(184, 184))
    assert error.line == 185
    assert error.expected.startswith("a skill group heading")


def test_a_skill_part_only_once() -> None:
    error = parse_error(staff_with({190: staff_lines()[189] + f" {EN_DASH} Use: Again."}))
    assert error.line == 190
    assert error.expected == "one 'Use:' part per skill"


def test_a_sentence_between_skills_is_not_silently_kept() -> None:
    error = parse_error(staff_with({191: "Skills are listed in priority order."}))
    assert error.line == 191
    assert error.expected == "a skill bullet"


def test_soft_skills_section_takes_no_sub_headings() -> None:
    error = parse_error(staff_with({243: "Communication skills"}))
    assert error.line == 243
    assert error.expected == "a soft-skill bullet"


# Milestones


@pytest.mark.parametrize(
    "heading", ["9-month milestones (systemic outcomes)", "Quarter-two milestones", "2-week goals"]
)
def test_milestone_with_an_unrecognised_horizon(heading: str) -> None:
    error = parse_error(staff_with({134: heading}))
    assert error.line == 134
    assert error.expected == "a milestone horizon of 30, 60 or 90 days, 6 or 12 months, or long-term"


def test_milestone_horizon_only_once() -> None:
    error = parse_error(staff_with({122: "30-day goals (again)"}))
    assert error.line == 122
    assert error.expected == "one milestone for the 30d horizon"


def test_success_indicators_for_a_horizon_without_milestone() -> None:
    error = parse_error(staff_with({121: staff_lines()[120].replace("(30 days)", "(45 days)")}))
    assert error.line == 121
    assert error.expected == "success indicators for a milestone heading above them"


def test_success_indicators_for_a_later_milestone() -> None:
    error = parse_error(staff_with({121: staff_lines()[120].replace("(30 days)", "(12 months)")}))
    assert error.line == 121


def test_success_indicators_before_any_milestone() -> None:
    error = parse_error(staff_with({115: f"Success indicators (30 days): {EN_DASH} Understands the domain."}))
    assert error.line == 115


def test_success_indicators_written_later_still_belong_to_their_horizon() -> None:
    lines = staff_lines()
    moved = staff_with({121: None, 127: lines[126] + "\n" + lines[120]})
    milestones = parse_blueprint(moved)["milestones"]
    assert milestones[0]["success_indicators"][0] == "Can explain domain architecture and failure modes clearly."
    assert len(milestones[1]["success_indicators"]) == 2


def test_milestone_section_takes_no_tables() -> None:
    error = parse_error(staff_with({119: "| a | b |\n|---|---|"}))
    assert error.line == 119
    assert error.found == "a table"


# Responsibilities, mission, summary


def test_responsibilities_under_an_unknown_category() -> None:
    error = parse_error(staff_with({14: "Visionary responsibilities (direction, leverage, long-term health)"}))
    assert error.line == 14
    assert error.expected.startswith("a responsibility category heading")
    assert error.found == "the heading 'Visionary responsibilities (direction, leverage, long-ter...'"


def test_responsibilities_before_any_category() -> None:
    error = parse_error(staff_without(14, 14))
    assert error.line == 14
    assert error.found.startswith("the bullet 'Set technical direction")


def test_a_sentence_among_responsibilities() -> None:
    error = parse_error(staff_with({17: "These are examples."}))
    assert error.line == 17
    assert error.expected == "a responsibility bullet"


def test_mission_needs_a_core_mission_line() -> None:
    error = parse_error(staff_with({10: "Mission statement: Deliver and amplify high-leverage engineering outcomes."}))
    assert error.line == 9
    assert error.expected == "a 'Core mission:' line with text in 'Role Mission'"


def test_mission_label_only_once() -> None:
    error = parse_error(staff_with({11: "Core mission: Again."}))
    assert error.line == 11
    assert error.expected == "one 'Core mission:' line in 'Role Mission'"


def test_summary_needs_an_opening_paragraph() -> None:
    error = parse_error(staff_without(3, 4))
    assert error.line == 2
    assert error.expected == "an opening paragraph in 'Role Summary'"


def test_summary_paragraph_after_the_bullets_is_not_guessed_at() -> None:
    error = parse_error(staff_with({8: staff_lines()[7] + "\nSee also the career path."}))
    assert error.line == 9
    assert error.expected == "a bullet after the opening paragraphs of 'Role Summary'"


# Bullets split over two lines


def test_lone_dash_at_the_end_of_a_section() -> None:
    error = parse_error(staff_with({239: staff_lines()[238] + "\n-"}))
    assert error.line == 240
    assert (
        str(error) == "line 240: expected the bullet's text on the line after a lone '-', found the end of the section"
    )


def test_lone_dash_followed_by_a_bullet() -> None:
    error = parse_error(staff_with({82: "- API standards"}))
    assert error.line == 81
    assert error.found == "'- API standards'"


# Accepted edge cases


def test_minimal_document() -> None:
    result = parse_blueprint(MINIMAL)
    assert result["responsibilities"] == [{"category": "strategic", "text": "Decide what matters."}]
    assert result["kpis"][0]["target_parsed"] == {
        "direction": "at_least",
        "threshold": "99",
        "unit": "%",
        "relative": False,
    }
    assert [s["name"] for s in result["skills"]] == ["Python", "Patience"]
    assert result["scorecard"] == [{"name": "Craft", "meets_bar": "Does the work", "weight": "100"}]
    assert result["promotion_criteria"] == []
    assert list(result["sections"]) == ["source", "role_summary_details", "mission_details", "kpi_guidance", "hiring"]
    assert result["sections"]["role_summary_details"] == []


def test_without_a_final_summary_table_trailing_text_is_kept() -> None:
    result = parse_blueprint(MINIMAL + "Find Trusted Cardiac Hospitals\nExplore Hospitals\n")
    others = result["sections"]["hiring"]["other_groups"]
    assert [group["heading"] for group in others] == ["Find Trusted Cardiac Hospitals", "Explore Hospitals"]


def test_unrecognised_section_is_kept_where_it_stands() -> None:
    text = MINIMAL.replace(
        "8) Hiring Evaluation Criteria",
        "8) Working Hours\nCore hours are 10:00 to 15:00.\nExceptions\n- On-call weeks\n9) Hiring Evaluation Criteria",
    )
    result = parse_blueprint(text)
    assert result["sections"]["unrecognised"] == [
        {
            "number": 8,
            "title": "Working Hours",
            "intro": "Core hours are 10:00 to 15:00.",
            "groups": [{"heading": "Exceptions", "paragraphs": [], "items": [{"text": "On-call weeks", "items": []}]}],
        }
    ]
    assert [entry["key"] for entry in result["sections"]["source"]["outline"]][-2:] == ["unrecognised", "hiring"]


def test_intro_paragraphs_of_sections_without_an_intro_field() -> None:
    text = MINIMAL.replace(
        "3) Core Responsibilities\n", "3) Core Responsibilities\nResponsibilities grow with the team.\n"
    )
    result = parse_blueprint(text)
    assert result["sections"]["intros"] == {"responsibilities": "Responsibilities grow with the team."}
