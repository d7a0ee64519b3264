"""Parse a role-blueprint text document into plain, JSON-serialisable data.

Format rules this parser accepts:

- Text may start with a UTF-8 BOM and use CRLF line ends; trailing whitespace and blank lines are
  ignored, and runs of spaces or tabs inside text collapse to one space. Punctuation is kept as is.
- The first non-blank line is the title line; the role title is the part before its first ":".
  Lines between it and section 1 are kept as `sections["preamble"]`.
- Sections start with a line `N) Title`. Numbers start at 1 and go up by exactly one. The known
  titles (`SECTION_TITLES`) must come in that order; a section with another title is kept under
  `sections["unrecognised"]`, never dropped.
- Inside a section each line is one of:
  a bullet, `- text`, or a lone `-` whose text is on the next line;
  a table row, `| a | b |`: a header row, a `|---|---|` separator row, then rows with as many
  cells as the header;
  plain text: a paragraph when it ends in `.`, `:`, `!` or `?` or starts with a short `Label:`,
  otherwise a sub-heading.
  A lone `-` whose text has no closing punctuation and is followed by a `- ` bullet is a
  sub-heading: documents copied from web pages flatten a nested list that way (Key Deliverables).
  For the same reason, in Key Deliverables and in the generic sections, when bullets come before
  the first sub-heading, the first of them is the heading of their group.
- A spaced en dash joins sub-points inside one line: `Skill (Critical) - Description: ... - Use: ...`
  (with an en dash in place of the hyphens), `Success indicators (30 days): - A. - B.`.
- A bullet ending in ":" opens a nested list that the following bullets join, until the next
  sub-heading, the next bullet ending in ":", or a bullet whose closing punctuation differs from
  the nest's first item (a nest of fragments ends at the first full sentence).
- Required sections: Role Summary, Role Mission, Core Responsibilities, Goals/Milestones, KPIs,
  Technical Skills, Soft Skills and Hiring Evaluation Criteria (with its scorecard table, whose
  weights must sum to 100). Responsibility headings start with Strategic, Operational, Technical,
  Cross-functional, Governance or Leadership; milestone headings with a 30/60/90-day, 6/12-month
  or long-term horizon. A technical skill must end with its importance in parentheses
  (Critical, Important, Optional or Expert, perhaps with a note such as "/ Context-specific");
  a soft skill may end with a parenthesis that is part of its name and is then "important".
- End of the document: the last section is the Final Role Scorecard Summary, which is a table.
  The first line after that table ends the document: what follows is page furniture (adverts,
  share links, copyright lines) and is not imported. A line numbered as the next section there
  is an error rather than furniture. A document without that section is read to its end.

Everything that is not a top-level field of the result is kept in `result["sections"]`, so none
of the document's own text is dropped. Besides one key per known section, `sections` may hold
`source` (the full title line and an outline of every section and sub-heading as written),
`preamble`, `intros` (introductory paragraphs of sections whose shape has no intro field) and
`unrecognised`; known sections may add `other_groups` or `notes` for sub-headings or paragraphs
they do not define. Where a silent guess would corrupt data the parser raises
BlueprintParseError with the 1-based line number and what it expected; nothing is returned then.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from scorecards.kpi_targets import parse_target

__all__ = ["SECTION_TITLES", "BlueprintParseError", "parse_blueprint"]

JSON = dict[str, Any]
TokenKind = Literal["heading", "paragraph", "bullet", "table"]

# Known sections in their canonical order: key -> accepted titles (the first is the usual one).
SECTION_TITLES: dict[str, tuple[str, ...]] = {
    "summary": ("Role Summary",),
    "mission": ("Role Mission", "Mission"),
    "responsibilities": ("Core Responsibilities", "Key Responsibilities", "Responsibilities"),
    "day_to_day": ("Day-to-Day Activities",),
    "deliverables": ("Key Deliverables", "Deliverables"),
    "milestones": ("Goals, Objectives, and Milestones", "Goals and Milestones"),
    "kpis": ("KPIs and Productivity Metrics", "KPIs"),
    "technical_skills": ("Technical Skills Required", "Technical Skills"),
    "soft_skills": (
        "Soft Skills and Behavioral Capabilities",
        "Soft Skills and Behavioural Capabilities",
        "Soft Skills",
    ),
    "tools": ("Tools, Platforms, and Software",),
    "tech_stack": ("Typical Tech Stack / Environment",),
    "stakeholders": ("Stakeholders and Collaboration Map",),
    "decision_rights": ("Decision Rights and Scope of Authority",),
    "experience": ("Required Experience and Qualifications",),
    "career_path": ("Career Path and Progression",),
    "risks": ("Risks, Challenges, and Failure Modes",),
    "variants": ("Role Variants",),
    "ai_impact": ("AI / Automation Impact on the Role",),
    "hiring": ("Hiring Evaluation Criteria",),
    "summary_table": ("Final Role Scorecard Summary",),
}
REQUIRED_SECTIONS = (
    "summary",
    "mission",
    "responsibilities",
    "milestones",
    "kpis",
    "technical_skills",
    "soft_skills",
    "hiring",
)
GENERIC_SECTIONS = ("tech_stack", "stakeholders", "decision_rights", "experience", "risks", "variants", "ai_impact")

_SPACES = re.compile(r"[ \t]+")
_SECTION_HEADING = re.compile(r"^(\d{1,3})\)\s+(\S.*)$")
_LABEL = re.compile(r"^(?P<label>[^:]{1,80}):(?:\s+(?P<rest>.*))?$")
_SUBPOINTS = re.compile(r"\s+\u2013\s+")
_SKILL_PARTS = {
    "description": "description",
    "use": "use",
    "why it matters": "why_it_matters",
    "how it shows up": "how_it_shows_up",
    "strong performance": "strong_performance",
}
_SKILL_PART_SPLIT = re.compile(
    r"\s+\u2013\s+(?=(?:description|use|why it matters|how it shows up|strong performance)\s*:)", re.IGNORECASE
)
_IMPORTANCE_WORD = re.compile(r"\b(critical|important|optional|expert)\b", re.IGNORECASE)
_CONTEXT_SPECIFIC = re.compile(r"\bcontext[-\s]specific\b", re.IGNORECASE)
_HORIZON = re.compile(r"^(?:(?P<n>\d+)[-\s]?(?P<unit>day|month|year)s?\b|(?P<long>long[-\s]?term)\b)", re.IGNORECASE)
_HORIZON_IN_PARENS = re.compile(
    r"\(\s*(?:(?P<n>\d+)[-\s]?(?P<unit>day|month|year)s?|(?P<long>long[-\s]?term))\s*\)", re.IGNORECASE
)
_MILESTONE_WORDS = re.compile(r"\b(?:goals?|milestones?|objectives?)\b", re.IGNORECASE)
_HORIZONS = ("30d", "60d", "90d", "6m", "12m", "long_term")
_ORDER = {key: index for index, key in enumerate(SECTION_TITLES)}
_WEIGHT = re.compile(r"^(?P<number>\d+(?:\.\d+)?)\s*%?$")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_BULLET_MARKS = ("-", "\u2022")
_BULLET_PREFIXES = tuple(mark + " " for mark in _BULLET_MARKS)
_CLOSING_QUOTES = "\"'\u201d\u2019"
_SENTENCE_END = (".", ":", "!", "?")

_RESPONSIBILITY_CATEGORIES = {
    "strategic": "strategic",
    "operational": "operational",
    "technical": "technical",
    "cross-functional": "cross_functional",
    "cross": "cross_functional",
    "stakeholder": "cross_functional",
    "governance": "governance",
    "leadership": "leadership",
}
_SKILL_GROUPS = {
    "must": "technical_must_have",
    "core": "technical_must_have",
    "good": "technical_good_to_have",
    "nice": "technical_good_to_have",
    "advanced": "technical_advanced",
    "expert": "technical_advanced",
    "emerging": "technical_emerging",
    "future": "technical_emerging",
}
_MISSION_KEYS = {
    "core mission": "mission",
    "strategic importance": "strategic_importance",
    "primary business outcomes expected": "primary_business_outcomes",
    "primary business outcomes": "primary_business_outcomes",
}


class BlueprintParseError(ValueError):
    """A document that cannot be imported as it stands."""

    line: int | None
    expected: str
    found: str

    def __init__(self, line: int | None, expected: str, found: str = "") -> None:
        self.line = line
        self.expected = expected
        self.found = found
        super().__init__(line, expected, found)

    def __str__(self) -> str:
        where = "" if self.line is None else f"line {self.line}: "
        found = f", found {self.found}" if self.found else ""
        return f"{where}expected {self.expected}{found}"


@dataclass(frozen=True)
class _Token:
    kind: TokenKind
    text: str
    line: int
    rows: tuple[tuple[int, str], ...] = ()


@dataclass
class _Section:
    number: int
    title: str
    key: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    tokens: list[_Token] = field(default_factory=list)


@dataclass
class _Group:
    heading: str
    line: int
    paragraphs: list[_Token] = field(default_factory=list)
    bullets: list[_Token] = field(default_factory=list)
    tables: list[_Token] = field(default_factory=list)


@dataclass(frozen=True)
class _Table:
    line: int
    header: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass
class _Output:
    result: JSON
    sections: JSON
    intros: dict[str, str] = field(default_factory=dict)
    unrecognised: list[JSON] = field(default_factory=list)


def parse_blueprint(text: str) -> JSON:
    """Read a role blueprint document; raises BlueprintParseError and returns nothing on bad input."""
    title_line, preamble, sections = _read_document(text)
    result: JSON = {
        "title": _role_title(title_line),
        "summary": "",
        "mission": "",
        "responsibilities": [],
        "skills": [],
        "kpis": [],
        "milestones": [],
        "scorecard": [],
        "promotion_criteria": [],
    }
    # Where the text came from rather than what the role is: the full title line and every
    # section and sub-heading as written, so headings that carry text are kept too.
    source = {"title_line": title_line, "outline": [_outline(section) for section in sections]}
    out = _Output(result, {"source": source})
    if preamble:
        out.sections["preamble"] = preamble
    for section in sections:
        _HANDLERS.get(section.key, _parse_unrecognised)(section, out)
    if out.unrecognised:
        out.sections["unrecognised"] = out.unrecognised
    if out.intros:
        out.sections["intros"] = out.intros
    result["sections"] = out.sections
    return result


# Reading lines and sections


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _role_title(title_line: str) -> str:
    """ "Staff Software Engineer: Role Blueprint, ..." -> "Staff Software Engineer"."""
    return _clean(title_line.split(":", 1)[0])


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _read_document(text: str) -> tuple[str, list[str], list[_Section]]:
    lines = [_clean(line) for line in text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    start = next((index for index, line in enumerate(lines) if line), None)
    if start is None:
        raise BlueprintParseError(None, "a title line", "an empty document")
    title_line = lines[start]
    if _SECTION_HEADING.match(title_line) or _is_bullet_line(title_line) or title_line.startswith("|"):
        raise BlueprintParseError(
            start + 1, "a title line such as 'Staff Software Engineer: Role Blueprint'", f"'{_short(title_line)}'"
        )
    if not _role_title(title_line):
        raise BlueprintParseError(start + 1, "a role title before the ':' of the title line", "none")
    preamble, sections = _split_sections(lines, start + 1)
    if not sections:
        raise BlueprintParseError(None, "a numbered section such as '1) Role Summary'", "none")
    present = {section.key for section in sections}
    for key in REQUIRED_SECTIONS:
        if key not in present:
            raise BlueprintParseError(None, f"a '{SECTION_TITLES[key][0]}' section", "none")
    for section in sections:
        section.tokens = _tokenize(section.lines)
    return title_line, preamble, sections


def _split_sections(lines: list[str], first: int) -> tuple[list[str], list[_Section]]:
    preamble: list[str] = []
    sections: list[_Section] = []
    summary_table_seen = False
    for index in range(first, len(lines)):
        text, number = lines[index], index + 1
        if sections and sections[-1].key == "summary_table":
            if text.startswith("|"):
                summary_table_seen = True
            elif text and summary_table_seen:
                _check_furniture(lines, index, len(sections) + 1)
                break
        heading = _SECTION_HEADING.match(text)
        if heading:
            sections.append(_new_section(heading, number, sections))
        elif sections:
            sections[-1].lines.append((number, text))
        elif text:
            preamble.append(text)
    return preamble, sections


def _new_section(heading: re.Match[str], line: int, previous: list[_Section]) -> _Section:
    number, title = int(heading[1]), _clean(heading[2])
    if number != len(previous) + 1:
        raise BlueprintParseError(line, f"section {len(previous) + 1}", f"section {number}")
    key = _KEY_BY_TITLE.get(_title_key(title), "unrecognised")
    for earlier in previous:
        if key == "unrecognised" or earlier.key == "unrecognised":
            continue
        if earlier.key == key:
            raise BlueprintParseError(
                line, f"one '{title}' section", f"a second one (the first is on line {earlier.line})"
            )
        if _ORDER[earlier.key] > _ORDER[key]:
            raise BlueprintParseError(
                line,
                f"'{title}' before '{earlier.title}' (the blueprint's section order)",
                f"it after section {earlier.number}",
            )
    return _Section(number, title, key, line)


def _check_furniture(lines: list[str], start: int, next_number: int) -> None:
    for index in range(start, len(lines)):
        heading = _SECTION_HEADING.match(lines[index])
        if heading and int(heading[1]) == next_number:
            raise BlueprintParseError(
                index + 1,
                "nothing but page furniture after the final scorecard summary table",
                f"section {next_number}",
            )


def _title_key(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", title.lower().replace("&", " and ")).split())


_KEY_BY_TITLE = {_title_key(title): key for key, titles in SECTION_TITLES.items() for title in titles}


# Lines into tokens


def _is_bullet_line(text: str) -> bool:
    return text in _BULLET_MARKS or text.startswith(_BULLET_PREFIXES)


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSING_QUOTES).endswith(_SENTENCE_END)


def _split_label(text: str) -> tuple[str, str] | None:
    """`Label: text` -> (label, text); None when the line does not start with a short label."""
    match = _LABEL.match(text)
    if match is None:
        return None
    label = match["label"].strip()
    if not label or len(label.split()) > 8 or ". " in label:
        return None
    return label, (match["rest"] or "").strip()


def _next_text(lines: list[tuple[int, str]], index: int) -> int | None:
    return next((i for i in range(index + 1, len(lines)) if lines[i][1]), None)


def _tokenize(lines: list[tuple[int, str]]) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(lines):
        number, text = lines[index]
        if not text:
            index += 1
        elif text.startswith("|"):
            end = index
            while end < len(lines) and lines[end][1].startswith("|"):
                end += 1
            tokens.append(_Token("table", "", number, tuple(lines[index:end])))
            index = end
        elif text in _BULLET_MARKS:
            token, index = _split_bullet(lines, index)
            tokens.append(token)
        elif _is_bullet_line(text):
            tokens.append(_Token("bullet", text[2:].strip(), number))
            index += 1
        else:
            kind: TokenKind = "paragraph" if _ends_sentence(text) or _split_label(text) else "heading"
            tokens.append(_Token(kind, text, number))
            index += 1
    return tokens


def _split_bullet(lines: list[tuple[int, str]], index: int) -> tuple[_Token, int]:
    """A lone `-` with its text on the next line: a bullet, or a sub-heading of a flattened nested list.

    Returns the token and the index of the line after its text."""
    following = _next_text(lines, index)
    if following is None or _is_bullet_line(lines[following][1]) or lines[following][1].startswith("|"):
        found = "the end of the section" if following is None else f"'{_short(lines[following][1])}'"
        raise BlueprintParseError(lines[index][0], "the bullet's text on the line after a lone '-'", found)
    number, text = lines[following]
    after = _next_text(lines, following)
    heads_bullets = after is not None and lines[after][1].startswith(_BULLET_PREFIXES)
    kind: TokenKind = "heading" if heads_bullets and not _ends_sentence(text) and " \u2013 " not in text else "bullet"
    return _Token(kind, text, number), following + 1


def _describe(token: _Token) -> str:
    if token.kind == "table":
        return "a table"
    return f"the {token.kind} '{_short(token.text)}'"


def _unexpected(token: _Token, expected: str) -> BlueprintParseError:
    return BlueprintParseError(token.line, expected, _describe(token))


# Tables


def _cells(row: str) -> list[str]:
    text = row[1:] if row.startswith("|") else row
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [_clean(cell.replace("\\|", "|")) for cell in re.split(r"(?<!\\)\|", text)]


# Expected table headers: each header cell must contain its keyword ("" matches any text); the
# display form goes into the error message.
Columns = tuple[tuple[str, str], ...]
_KPI_COLUMNS: Columns = (
    ("metric", "Metric name"),
    ("measure", "What it measures"),
    ("why", "Why it matters"),
    ("target", "Example target / benchmark"),
    ("frequency", "Frequency"),
)
_TOOL_COLUMNS: Columns = (
    ("category", "Category"),
    ("tool", "Tool / platform"),
    ("use", "Primary use"),
    ("common", "Commonality"),
)
_SCORECARD_COLUMNS: Columns = (("", "Dimension"), ("", "What meets the bar"), ("weight", "Weight"))
_SUMMARY_COLUMNS: Columns = (("", "Category"), ("", "Summary"))


def _read_table(token: _Token, what: str, columns: Columns | None = None) -> _Table:
    """Check a table's header, separator and row widths; `what` names it in error messages."""
    (header_line, header_row), *rest = token.rows
    header = _cells(header_row)
    if columns is not None and (
        len(header) != len(columns)
        or not all(word in cell.lower() for (word, _), cell in zip(columns, header, strict=False))
    ):
        expected = f"a {what} header '{' | '.join(display for _, display in columns)}'"
        raise BlueprintParseError(header_line, expected, f"'{' | '.join(header)}'")
    if not rest or not all(_SEPARATOR_CELL.match(cell) for cell in _cells(rest[0][1])):
        found = f"'{_short(rest[0][1])}'" if rest else "the end of the table"
        raise BlueprintParseError(
            rest[0][0] if rest else header_line, f"a {what} separator row such as |---|---|", found
        )
    rows: list[tuple[int, list[str]]] = []
    for line, row in rest:
        cells = _cells(row)
        if len(cells) != len(header):
            raise BlueprintParseError(line, f"a {what} row with {len(header)} cells", str(len(cells)))
        rows.append((line, cells))
    return _Table(header_line, header, rows[1:])


def _table_json(token: _Token) -> JSON:
    table = _read_table(token, "table")
    return {"header": table.header, "rows": [cells for _, cells in table.rows]}


def _around_table(section: _Section, what: str) -> tuple[list[_Token], _Token, list[_Token]]:
    """The tokens before the section's one table, the table, and the tokens after it."""
    tables = [index for index, token in enumerate(section.tokens) if token.kind == "table"]
    if not tables:
        raise BlueprintParseError(section.line, f"a {what} in '{section.title}'", "none")
    if len(tables) > 1:
        raise _unexpected(section.tokens[tables[1]], f"one {what} in '{section.title}'")
    index = tables[0]
    return section.tokens[:index], section.tokens[index], section.tokens[index + 1 :]


def _intro_text(tokens: list[_Token], section: _Section) -> str:
    for token in tokens:
        if token.kind not in ("paragraph", "heading"):
            raise _unexpected(token, f"introductory text before the table of '{section.title}'")
    return "\n\n".join(token.text for token in tokens)


# Groups: sub-headings with their paragraphs, bullets and tables


def _groups(tokens: list[_Token], *, promote_first_bullet: bool = False) -> tuple[list[str], list[_Group]]:
    intro: list[str] = []
    groups: list[_Group] = []
    for token in tokens:
        if token.kind == "heading":
            groups.append(_Group(token.text, token.line))
            continue
        if not groups and token.kind == "paragraph":
            intro.append(token.text)
            continue
        if not groups:
            groups.append(_Group("", token.line))
        if token.kind == "paragraph":
            groups[-1].paragraphs.append(token)
        elif token.kind == "bullet":
            groups[-1].bullets.append(token)
        else:
            groups[-1].tables.append(token)
    if promote_first_bullet:
        _promote_first_bullet(groups)
    return intro, groups


def _promote_first_bullet(groups: list[_Group]) -> None:
    first = groups[0] if groups else None
    if (
        first is None
        or len(groups) < 2
        or first.heading
        or first.paragraphs
        or first.tables
        or len(first.bullets) < 2
        or _ends_sentence(first.bullets[0].text)
    ):
        return
    heading = first.bullets.pop(0)
    first.heading, first.line = heading.text, heading.line


def _nest(bullets: list[_Token], *, end_at_style_change: bool = True) -> list[tuple[str, list[str]]]:
    nested: list[tuple[str, list[str]]] = []
    open_nest = False
    style: bool | None = None
    for bullet in bullets:
        if bullet.text.endswith(":"):
            nested.append((bullet.text, []))
            open_nest, style = True, None
            continue
        if open_nest:
            sentence = _ends_sentence(bullet.text)
            if style is None or style == sentence or not end_at_style_change:
                style = sentence
                nested[-1][1].append(bullet.text)
                continue
            open_nest = False
        nested.append((bullet.text, []))
    return nested


def _flat(bullets: list[_Token]) -> list[str]:
    return [bullet.text for bullet in bullets]


def _only_bullets(group: _Group, expected: str) -> list[str]:
    others = group.paragraphs + group.tables
    if others:
        raise _unexpected(others[0], expected)
    return _flat(group.bullets)


def _group_json(group: _Group) -> JSON:
    data: JSON = {
        "heading": group.heading,
        "paragraphs": [token.text for token in group.paragraphs],
        "items": [{"text": text, "items": items} for text, items in _nest(group.bullets)],
    }
    if group.tables:
        data["tables"] = [_table_json(token) for token in group.tables]
    return data


def _generic_json(section: _Section) -> JSON:
    intro, groups = _groups(section.tokens, promote_first_bullet=True)
    return {"intro": "\n\n".join(intro), "groups": [_group_json(group) for group in groups]}


def _dash_items(text: str) -> list[str]:
    """Sub-points joined by spaced en dashes, with or without a leading one, as a list."""
    text = text.strip().removeprefix("\u2013").strip()
    return [_clean(part) for part in _SUBPOINTS.split(text) if part.strip()]


def _first_word(text: str) -> str:
    match = re.match(r"[a-z]+(?:-[a-z]+)?", text.lower())
    return match[0] if match else ""


def _last_parenthesis(text: str) -> tuple[str, str] | None:
    """`Name (a) (b)` -> ("Name (a)", "b"); None when the text does not end with a parenthesis."""
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            return text[:index].strip(), text[index + 1 : -1].strip()
    return None


def _outline(section: _Section) -> JSON:
    return {
        "number": section.number,
        "title": section.title,
        "key": section.key,
        "line": section.line,
        "headings": [token.text for token in section.tokens if token.kind == "heading"],
    }


# Section handlers


def _parse_summary(section: _Section, out: _Output) -> None:
    paragraphs: list[str] = []
    bullets: list[_Token] = []
    for token in section.tokens:
        if token.kind in ("paragraph", "heading") and not bullets:
            paragraphs.append(token.text)
        elif token.kind == "bullet":
            bullets.append(token)
        else:
            raise _unexpected(token, "a bullet after the opening paragraphs of 'Role Summary'")
    if not paragraphs:
        raise BlueprintParseError(section.line, "an opening paragraph in 'Role Summary'", "none")
    out.result["summary"] = "\n\n".join(paragraphs)
    details = []
    for text, items in _nest(bullets):
        label, rest = _split_label(text) or ("", text)
        details.append({"label": label, "text": rest, "items": items})
    out.sections["role_summary_details"] = details


def _parse_mission(section: _Section, out: _Output) -> None:
    details: JSON = {}
    open_list: list[str] | None = None
    for token in section.tokens:
        if token.kind == "bullet" and open_list is not None:
            open_list.append(token.text)
            continue
        if token.kind not in ("paragraph", "heading"):
            raise _unexpected(token, "a 'Label: text' line in 'Role Mission'")
        open_list = None
        labelled = _split_label(token.text)
        if labelled is None:
            details.setdefault("paragraphs", []).append(token.text)
            continue
        label, rest = labelled
        key = _MISSION_KEYS.get(_title_key(label), _title_key(label).replace(" ", "_"))
        if key in details or (key == "mission" and out.result["mission"]):
            raise _unexpected(token, f"one '{label}:' line in 'Role Mission'")
        if key == "mission":
            out.result["mission"] = rest
        elif key == "primary_business_outcomes" or not rest or rest.startswith("\u2013"):
            details[key] = open_list = _dash_items(rest)
        else:
            details[key] = rest
    if not out.result["mission"]:
        raise BlueprintParseError(section.line, "a 'Core mission:' line with text in 'Role Mission'", "none")
    out.sections["mission_details"] = details


def _parse_responsibilities(section: _Section, out: _Output) -> None:
    intro, groups = _groups(section.tokens)
    _keep_intro(out, section, intro)
    for group in groups:
        category = _RESPONSIBILITY_CATEGORIES.get(_first_word(group.heading))
        if category is None:
            expected = (
                "a responsibility category heading "
                "(Strategic, Operational, Technical, Cross-functional, Governance or Leadership ...)"
            )
            found = (
                f"the heading '{_short(group.heading)}'"
                if group.heading
                else f"the bullet '{_short(group.bullets[0].text)}'"
            )
            raise BlueprintParseError(group.line, expected, found)
        for text in _only_bullets(group, "a responsibility bullet"):
            out.result["responsibilities"].append({"category": category, "text": text})
    if not out.result["responsibilities"]:
        raise BlueprintParseError(section.line, "at least one responsibility bullet", "none")


def _parse_day_to_day(section: _Section, out: _Output) -> None:
    intro, groups = _groups(section.tokens)
    _keep_intro(out, section, intro)
    out.sections["day_to_day"] = [
        {"heading": group.heading, "items": _only_bullets(group, "an activity bullet")} for group in groups
    ]


def _parse_deliverables(section: _Section, out: _Output) -> None:
    intro, groups = _groups(section.tokens, promote_first_bullet=True)
    out.sections["deliverables"] = {
        "intro": "\n\n".join(intro),
        "groups": [
            {"heading": group.heading, "items": _only_bullets(group, "a deliverable bullet")} for group in groups
        ],
    }


def _parse_milestones(section: _Section, out: _Output) -> None:
    milestones: list[JSON] = out.result["milestones"]
    extras: list[_Group] = []
    intro: list[str] = []
    in_extra = False
    bullets_to: list[str] | None = None
    for token in section.tokens:
        if token.kind == "heading":
            horizon = _horizon(token)
            in_extra = horizon is None
            if horizon is None:
                extras.append(_Group(token.text, token.line))
                continue
            if any(milestone["horizon"] == horizon for milestone in milestones):
                raise _unexpected(token, f"one milestone for the {horizon} horizon")
            milestones.append({"horizon": horizon, "title": token.text, "goals": [], "success_indicators": []})
            bullets_to = milestones[-1]["goals"]
        elif in_extra and token.kind in ("paragraph", "bullet"):
            (extras[-1].paragraphs if token.kind == "paragraph" else extras[-1].bullets).append(token)
        elif token.kind == "paragraph" and _is_success_indicators(token.text):
            bullets_to = _add_success_indicators(token, milestones)
        elif token.kind == "bullet" and bullets_to is not None:
            bullets_to.append(token.text)
        elif token.kind == "paragraph" and not milestones:
            intro.append(token.text)
        else:
            raise _unexpected(token, "a goal bullet or a 'Success indicators (N days):' line under a milestone heading")
    if not milestones:
        raise BlueprintParseError(section.line, "a milestone heading such as '30-day goals'", "none")
    _keep_intro(out, section, intro)
    extra = _goals_extra(extras)
    if extra:
        out.sections["goals_extra"] = extra


def _horizon(token: _Token) -> str | None:
    match = _HORIZON.match(token.text)
    horizon = _horizon_code(match) if match else None
    if horizon in _HORIZONS:
        return horizon
    if match or _MILESTONE_WORDS.search(token.text):
        raise _unexpected(token, "a milestone horizon of 30, 60 or 90 days, 6 or 12 months, or long-term")
    return None


def _horizon_code(match: re.Match[str]) -> str:
    if match["long"]:
        return "long_term"
    number, unit = int(match["n"]), match["unit"].lower()
    if unit == "year":
        return f"{number * 12}m"
    return f"{number}{unit[0]}"


def _is_success_indicators(text: str) -> bool:
    labelled = _split_label(text)
    return labelled is not None and labelled[0].lower().startswith("success indicators")


def _add_success_indicators(token: _Token, milestones: list[JSON]) -> list[str] | None:
    """Attach a success-indicators line to its milestone; returns where following bullets go.

    `Success indicators (30 days):` belongs to the 30-day milestone wherever it stands; without a
    horizon in parentheses it belongs to the milestone above it."""
    label, rest = _split_label(token.text) or ("", "")
    in_parens = _HORIZON_IN_PARENS.search(label)
    if in_parens:
        horizon = _horizon_code(in_parens)
        milestone = next((m for m in milestones if m["horizon"] == horizon), None)
    else:
        milestone = milestones[-1] if milestones else None
    if milestone is None:
        raise _unexpected(token, "success indicators for a milestone heading above them")
    milestone["success_indicators"].extend(_dash_items(rest))
    return milestone["success_indicators"] if not rest else None


def _goals_extra(extras: list[_Group]) -> JSON:
    extra: JSON = {}
    others: list[JSON] = []
    for group in extras:
        heading = group.heading.lower()
        if heading.startswith("role success") and "role_success_definition" not in extra:
            if group.bullets:
                raise _unexpected(group.bullets[0], f"a paragraph under '{group.heading}'")
            extra["role_success_definition"] = "\n\n".join(token.text for token in group.paragraphs)
        elif "high performance" in heading and "high_performance" not in extra:
            extra["high_performance"] = _only_bullets(group, f"a bullet under '{group.heading}'")
        else:
            others.append(_group_json(group))
    if others:
        extra["other_groups"] = others
    return extra


def _parse_kpis(section: _Section, out: _Output) -> None:
    before, table_token, after = _around_table(section, "KPI table")
    table = _read_table(table_token, "KPI table", _KPI_COLUMNS)
    if not table.rows:
        raise BlueprintParseError(table.line, "at least one KPI row", "none")
    for line, (name, measures, why, target, frequency) in table.rows:
        if not name:
            raise BlueprintParseError(line, "a metric name in the first cell", "an empty cell")
        out.result["kpis"].append(
            {
                "name": name,
                "measures": measures,
                "why": why,
                "target": target,
                "frequency": frequency,
                "target_parsed": parse_target(target, name=name),
            }
        )
    out.sections["kpi_guidance"] = {"intro": _intro_text(before, section), **_kpi_notes(after)}


def _kpi_notes(tokens: list[_Token]) -> JSON:
    guidance: list[str] = []
    notes: list[str] = []
    open_list: list[str] | None = None
    for token in tokens:
        labelled = _split_label(token.text) if token.kind == "paragraph" else None
        if labelled and labelled[0].lower().startswith("measurement guidance"):
            guidance.extend(_dash_items(labelled[1]))
            open_list = guidance if not labelled[1] else None
        elif token.kind == "bullet" and open_list is not None:
            open_list.append(token.text)
        elif token.kind == "paragraph":
            notes.append(token.text)
            open_list = None
        else:
            raise _unexpected(token, "a 'Measurement guidance:' line or a paragraph after the KPI table")
    return {"measurement_guidance": guidance, **({"notes": notes} if notes else {})}


def _parse_technical_skills(section: _Section, out: _Output) -> None:
    intro, groups = _groups(section.tokens)
    _keep_intro(out, section, intro)
    count = 0
    for group in groups:
        skill_group = _SKILL_GROUPS.get(_first_word(group.heading).split("-")[0])
        if skill_group is None:
            expected = "a skill group heading (Must-have, Good-to-have, Advanced or expert-level, Emerging ...)"
            found = (
                f"the heading '{_short(group.heading)}'"
                if group.heading
                else f"the bullet '{_short(group.bullets[0].text)}'"
            )
            raise BlueprintParseError(group.line, expected, found)
        _only_bullets(group, "a skill bullet")
        for bullet in group.bullets:
            out.result["skills"].append(_skill(bullet, skill_group, technical=True))
            count += 1
    if not count:
        raise BlueprintParseError(section.line, "at least one technical skill", "none")


def _parse_soft_skills(section: _Section, out: _Output) -> None:
    intro: list[str] = []
    count = 0
    for token in section.tokens:
        if token.kind == "bullet":
            out.result["skills"].append(_skill(token, "soft", technical=False))
            count += 1
        elif token.kind == "paragraph" and not count:
            intro.append(token.text)
        else:
            raise _unexpected(token, "a soft-skill bullet")
    if not count:
        raise BlueprintParseError(section.line, "at least one soft skill", "none")
    _keep_intro(out, section, intro)


def _skill(token: _Token, group: str, *, technical: bool) -> JSON:
    head, *parts = _SKILL_PART_SPLIT.split(token.text)
    name, importance, note, context_specific = _importance(head.strip(), token, technical=technical)
    if not name:
        raise _unexpected(token, "a skill name")
    skill: JSON = {
        "name": name,
        "group": group,
        "importance": importance,
        "context_specific": context_specific,
        "importance_note": note,
        **dict.fromkeys(_SKILL_PARTS.values(), ""),
    }
    for part in parts:
        label, text = part.split(":", 1)
        key = _SKILL_PARTS[_title_key(label)]
        if skill[key]:
            raise _unexpected(token, f"one '{label.strip()}:' part per skill")
        skill[key] = text.strip()
    return skill


def _importance(head: str, token: _Token, *, technical: bool) -> tuple[str, str, str, bool]:
    """Name, importance, note and context flag from `Name (Importance ...)`.

    Technical skills must end with an importance in parentheses; for soft skills a final
    parenthesis without an importance word is part of the name, and the importance is "important".
    """
    split = _last_parenthesis(head)
    word = _IMPORTANCE_WORD.search(split[1]) if split else None
    if split and word:
        name, inner = split
        level = word[1].lower()
        note = "" if inner.lower().strip(" .") == level else inner
        return name, level, note, bool(_CONTEXT_SPECIFIC.search(inner))
    if technical:
        raise _unexpected(token, "a technical skill ending in (Critical), (Important), (Optional) or (Expert)")
    return head, "important", "", False


def _parse_tools(section: _Section, out: _Output) -> None:
    before, table_token, after = _around_table(section, "tools table")
    table = _read_table(table_token, "tools table", _TOOL_COLUMNS)
    tools: JSON = {
        "intro": _intro_text(before, section),
        "items": [dict(zip(("category", "tool", "use", "commonality"), cells, strict=True)) for _, cells in table.rows],
    }
    for token in after:
        if token.kind != "paragraph":
            raise _unexpected(token, "a paragraph after the tools table")
    if after:
        tools["notes"] = [token.text for token in after]
    out.sections["tools"] = tools


def _parse_generic(section: _Section, out: _Output) -> None:
    out.sections[section.key] = _generic_json(section)


def _parse_unrecognised(section: _Section, out: _Output) -> None:
    out.unrecognised.append({"number": section.number, "title": section.title, **_generic_json(section)})


_CAREER_GROUPS = (
    ("feeder", "feeder_roles"),
    ("next", "next_roles"),
    ("adjacent", "adjacent_paths"),
    ("promotion", "promotion_criteria"),
    ("evolve", "evolution"),
    ("evolution", "evolution"),
)


def _parse_career_path(section: _Section, out: _Output) -> None:
    intro, groups = _groups(section.tokens)
    _keep_intro(out, section, intro)
    career: JSON = {"feeder_roles": [], "next_roles": [], "adjacent_paths": [], "evolution": []}
    others: list[JSON] = []
    for group in groups:
        heading = group.heading.lower()
        key = next((key for word, key in _CAREER_GROUPS if word in heading), None)
        if key is None:
            others.append(_group_json(group))
            continue
        _only_bullets(group, f"a bullet under '{group.heading}'")
        items = [text for bullet, nested in _nest(group.bullets) for text in (bullet, *nested)]
        (out.result["promotion_criteria"] if key == "promotion_criteria" else career[key]).extend(items)
    if others:
        career["other_groups"] = others
    out.sections["career_path"] = career


def _parse_hiring(section: _Section, out: _Output) -> None:
    intro, groups = _groups(section.tokens)
    _keep_intro(out, section, intro)
    hiring: JSON = {"assess": [], "exercises": [], "strong_signals": [], "weak_signals": [], "red_flags": []}
    others: list[JSON] = []
    for group in groups:
        heading = group.heading.lower()
        if heading.startswith("scorecard"):
            _scorecard_group(group, out, hiring)
        elif group.tables:
            raise _unexpected(group.tables[0], "the scorecard table under a 'Scorecard dimensions' heading")
        elif "assess" in heading:
            hiring["assess"].extend(_assessment(text) for text in _only_bullets(group, "an assessment bullet"))
        elif "exercise" in heading or "case stud" in heading:
            _only_bullets(group, "an exercise bullet")
            hiring["exercises"].extend(
                _exercise(text, details) for text, details in _nest(group.bullets, end_at_style_change=False)
            )
        elif heading.startswith("strong"):
            hiring["strong_signals"].extend(_only_bullets(group, "a signal bullet"))
        elif heading.startswith("weak"):
            hiring["weak_signals"].extend(_only_bullets(group, "a signal bullet"))
        elif "red flag" in heading:
            hiring["red_flags"].extend(_only_bullets(group, "a red-flag bullet"))
        else:
            others.append(_group_json(group))
    if not out.result["scorecard"]:
        raise BlueprintParseError(
            section.line, "a 'Scorecard dimensions' heading followed by the scorecard table", "none"
        )
    if others:
        hiring["other_groups"] = others
    out.sections["hiring"] = hiring


def _assessment(text: str) -> JSON:
    name, _, rest = text.partition(" \u2013 ")
    if not rest:
        name, rest = _split_label(text) or (text, "")
    return {"name": name.strip(), "text": rest.strip()}


def _exercise(text: str, details: list[str]) -> JSON:
    name = text.removesuffix(":").strip()
    name, duration = _last_parenthesis(name) or (name, "")
    return {"name": name, "duration": duration, "details": details}


def _scorecard_group(group: _Group, out: _Output, hiring: JSON) -> None:
    others = group.bullets + group.tables[1:]
    if others or out.result["scorecard"]:
        raise _unexpected(
            others[0] if others else group.tables[0], "one scorecard table in 'Hiring Evaluation Criteria'"
        )
    if not group.tables:
        raise BlueprintParseError(group.line, "the scorecard table after the 'Scorecard dimensions' heading", "none")
    if group.paragraphs:
        hiring["scorecard_notes"] = [token.text for token in group.paragraphs]
    out.result["scorecard"] = _scorecard(_read_table(group.tables[0], "scorecard table", _SCORECARD_COLUMNS))


def _scorecard(table: _Table) -> list[JSON]:
    dimensions: list[JSON] = []
    total = Decimal(0)
    for line, (name, meets_bar, weight_text) in table.rows:
        if not name:
            raise BlueprintParseError(line, "a dimension name in the first cell", "an empty cell")
        if any(dimension["name"] == name for dimension in dimensions):
            raise BlueprintParseError(line, "each dimension name once", f"'{name}' again")
        weight = _weight(weight_text, line)
        total += weight
        dimensions.append({"name": name, "meets_bar": meets_bar, "weight": format(weight.normalize(), "f")})
    if not dimensions:
        raise BlueprintParseError(table.line, "at least one scorecard dimension", "none")
    if total != 100:
        raise BlueprintParseError(table.line, "scorecard weights that sum to 100", format(total.normalize(), "f"))
    return dimensions


def _weight(text: str, line: int) -> Decimal:
    match = _WEIGHT.match(text)
    try:
        weight = Decimal(match["number"]) if match else None
    except InvalidOperation:
        weight = None
    if weight is None:
        raise BlueprintParseError(line, "a weight such as '25%'", f"'{text}'")
    if weight <= 0 or weight != weight.quantize(Decimal("0.01")):
        raise BlueprintParseError(line, "a weight above 0 with at most 2 decimals", f"'{text}'")
    return weight


def _parse_summary_table(section: _Section, out: _Output) -> None:
    before, table_token, _ = _around_table(section, "summary table")
    table = _read_table(table_token, "summary table", _SUMMARY_COLUMNS)
    intro = _intro_text(before, section)
    if intro:
        out.intros[section.key] = intro
    out.sections["summary_table"] = [
        {"category": category, "summary": summary} for _, (category, summary) in table.rows
    ]


def _keep_intro(out: _Output, section: _Section, paragraphs: list[str]) -> None:
    if paragraphs:
        out.intros[section.key] = "\n\n".join(paragraphs)


_HANDLERS: dict[str, Callable[[_Section, _Output], None]] = {
    "summary": _parse_summary,
    "mission": _parse_mission,
    "responsibilities": _parse_responsibilities,
    "day_to_day": _parse_day_to_day,
    "deliverables": _parse_deliverables,
    "milestones": _parse_milestones,
    "kpis": _parse_kpis,
    "technical_skills": _parse_technical_skills,
    "soft_skills": _parse_soft_skills,
    "tools": _parse_tools,
    "career_path": _parse_career_path,
    "hiring": _parse_hiring,
    "summary_table": _parse_summary_table,
    **dict.fromkeys(GENERIC_SECTIONS, _parse_generic),
}
