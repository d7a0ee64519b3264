"""Mutations of the bundled blueprint document and of its JSON export either import or are refused with the
importer's own error naming what was expected, and a refused import writes nothing."""

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from scorecards.blueprint_parser import BlueprintParseError
from scorecards.services import BlueprintImportError, blueprint_import, blueprint_parse_upload
from tests.conftest import BUNDLED_DOCUMENT
from tests.fuzz_support import FUZZ_SETTINGS, mutated_json, mutated_lines, rolled_back, row_counts

pytestmark = pytest.mark.django_db

DOCUMENT = (Path(__file__).resolve().parents[2] / BUNDLED_DOCUMENT).read_text(encoding="utf-8")


def _import_or_refuse(name: str, content: bytes) -> None:
    before = row_counts()
    with rolled_back():
        try:
            data = blueprint_parse_upload(name=name, content=content)
            blueprint_import(actor=None, data=data, source_name=name)
        except (BlueprintParseError, BlueprintImportError) as exc:
            message = str(exc)
            assert message.strip(), "a refusal says why"
            if isinstance(exc, BlueprintParseError):
                assert "expected" in message and "expected expected" not in message, message
            assert row_counts() == before, message
    assert row_counts() == before


@FUZZ_SETTINGS
@given(document=mutated_lines(DOCUMENT))
def test_a_mutated_document_imports_or_is_refused_with_a_line_number_and_nothing_written(document: str) -> None:
    _import_or_refuse("staff-software-engineer.txt", document.encode())


# The document as its JSON export holds it (weights as strings, which the JSON importer also reads).
EXPORT = json.loads(json.dumps(blueprint_parse_upload(name="export.txt", content=DOCUMENT.encode()), default=str))


def test_the_unmutated_export_imports() -> None:
    before = row_counts()["scorecards.BlueprintVersion"]
    blueprint_import(actor=None, data=blueprint_parse_upload(name="export.json", content=json.dumps(EXPORT).encode()))
    assert row_counts()["scorecards.BlueprintVersion"] == before + 1


@FUZZ_SETTINGS
@given(data=mutated_json(EXPORT))
def test_a_mutated_json_export_imports_or_is_refused_naming_the_field_and_nothing_written(data: object) -> None:
    _import_or_refuse("staff-software-engineer.json", json.dumps(data).encode())


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(EXPORT))
    place = data
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "said"),
    [
        (("title",), "T" * 201, "at most 200 characters, found 201 (at blueprint.title)"),
        (("skills", 0, "name"), "S" * 256, "at most 255 characters, found 256 (at skills[0].name)"),
        (("kpis", 0, "frequency"), "F" * 101, "at most 100 characters, found 101 (at kpis[0].frequency)"),
        (("scorecard", 0, "name"), "D" * 201, "at most 200 characters, found 201 (at scorecard[0].name)"),
        (("kpis", 0, "target_parsed"), {"direction": "at_most", "threshold": "1e20"}, "at most 4 decimals"),
        (("kpis", 0, "target_parsed"), {"direction": "at_most", "threshold": "0.00001"}, "at most 4 decimals"),
        (("kpis", 0, "target_parsed"), {"direction": "at_most", "unit": "u" * 41}, "at most 40 characters"),
        (("mission",), "a\x00b", "a NUL character"),
        (("sections", "extra"), {"k\x00": 1}, "a NUL character"),
    ],
)
def test_it_refuses_what_the_database_cannot_store(path: tuple[Any, ...], value: Any, said: str) -> None:
    """SQLite would store these; PostgreSQL refuses them, so the importer does first, naming the place."""
    with pytest.raises(BlueprintParseError) as refused:
        blueprint_parse_upload(name="blueprint.json", content=json.dumps(_with(path, value)).encode())
    assert said in str(refused.value)


def test_a_document_target_the_database_cannot_hold_is_not_read() -> None:
    from scorecards.kpi_targets import parse_target

    assert parse_target("< 0.5 ms", name="Latency") is not None
    assert parse_target("< 123456789012 ms", name="Latency") is None
    assert parse_target("<= 99.00001%", name="Error rate") is None


def test_a_nul_in_a_document_is_refused_with_its_line() -> None:
    lines = DOCUMENT.split("\n")
    lines[4] += "\x00"
    with pytest.raises(BlueprintParseError) as refused:
        blueprint_parse_upload(name="blueprint.txt", content="\n".join(lines).encode())
    assert str(refused.value) == "line 5: expected text, found a NUL character"
