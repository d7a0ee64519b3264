"""Mutations of a real org CSV (the small organisation as an import file describes it, plus new people)
either import or are refused with OrgImportError naming row, column and reason; a refused import writes
nothing."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from org.importer import COLUMNS
from org.services import OrgImportError, org_import
from tests.fuzz_support import FUZZ_SETTINGS, mutated_csv_cells, mutated_lines, rolled_back, row_counts

pytestmark = pytest.mark.django_db

ORG_CSV = (
    "username,email,name,title,role,level,team,manager,start_date\n"
    "director,director@example.test,Director,Director of Engineering,,Director,,,2022-03-01\n"
    "manager,manager@example.test,Manager,Engineering Manager,,Staff,platform,director,2022-03-01\n"
    "manager2,manager2@example.test,Manager2,Engineering Manager,,Staff,payments,director,2022-03-01\n"
    "engineer,engineer@example.test,Engineer,Engineer,,Staff,platform,manager,2022-03-01\n"
    "newhire,newhire@example.test,Newhire,Engineer,,Staff,platform,manager,2022-03-01\n"
    "engineer2,engineer2@example.test,Engineer2,Engineer,,Staff,payments,manager2,2022-03-01\n"
    "hr,hr@example.test,Hr,HR Business Partner,,Staff,,,2022-03-01\n"
    "dev1,dev1@example.test,Dev One,Engineer,staff-software-engineer,Senior,core,manager2,2024-01-15\n"
)
TABLE = list(csv.reader(io.StringIO(ORG_CSV)))


def _as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _import_or_refuse(content: bytes, deactivate_missing: bool) -> None:
    before = row_counts()
    with rolled_back():
        try:
            org_import(
                actor=None,
                content=content,
                source_name="org.csv",
                deactivate_missing=deactivate_missing,
                send_invites=False,
            )
        except OrgImportError as exc:
            assert exc.errors, "a refusal lists its problems"
            for error in exc.errors:
                assert error.reason.strip(), error
                assert error.column is None or error.column in COLUMNS, error
            assert row_counts() == before, [str(e) for e in exc.errors]


def test_the_unmutated_file_imports(org_small, staff_blueprint) -> None:  # type: ignore[no-untyped-def]
    result = org_import(actor=None, content=ORG_CSV.encode(), source_name="org.csv", send_invites=False)
    assert result.counts()["created"] == 1


@FUZZ_SETTINGS
@given(rows=mutated_csv_cells(TABLE), deactivate_missing=st.booleans())
def test_a_file_with_mutated_cells_imports_or_is_refused_row_by_row(
    org_small, staff_blueprint, rows: list[list[str]], deactivate_missing: bool
) -> None:  # type: ignore[no-untyped-def]
    _import_or_refuse(_as_csv(rows), deactivate_missing)


@FUZZ_SETTINGS
@given(text=mutated_lines(ORG_CSV), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_a_file_with_mutated_lines_or_encoding_imports_or_is_refused(
    org_small, staff_blueprint, text: str, encoding: str
) -> None:  # type: ignore[no-untyped-def]
    _import_or_refuse(text.encode(encoding, errors="replace"), True)
