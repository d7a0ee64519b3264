import pytest

from org.importer import org_import_plan
from org.models import Employee
from org.services import OrgImportError, org_import

pytestmark = pytest.mark.django_db


def test_it_reports_every_row_on_a_loop_with_the_loop_written_out(org_csv, org_row):
    rows = [
        org_row("ceo"),
        org_row("a", manager="c"),
        org_row("b", manager="a"),
        org_row("c", manager="b"),
        org_row("d", manager="a"),  # below the loop, not on it
    ]
    with pytest.raises(OrgImportError) as caught:
        org_import(actor=None, content=org_csv(rows), source_name="org.csv")

    found = [(e.row, e.column, e.value, e.reason) for e in caught.value.errors]
    assert found == [
        (3, "manager", "c", "loop in the manager chain: a → c → b → a"),
        (4, "manager", "a", "loop in the manager chain: b → a → c → b"),
        (5, "manager", "b", "loop in the manager chain: c → b → a → c"),
    ]
    assert Employee.objects.count() == 0


def test_it_reports_two_people_who_manage_each_other(org_csv, org_row):
    plan = org_import_plan(content=org_csv([org_row("a", manager="b"), org_row("b", manager="a")]))
    assert [e.reason for e in plan.errors] == [
        "loop in the manager chain: a → b → a",
        "loop in the manager chain: b → a → b",
    ]


def test_it_finds_a_loop_through_someone_kept_outside_the_file(org_small, org_csv, org_row):
    # manager reports to director; the file makes director report to manager, who is kept as is.
    plan = org_import_plan(
        content=org_csv([org_row("director", manager="manager")]),
        deactivate_missing=False,
    )
    [error] = plan.errors
    assert (error.row, error.column) == (2, "manager")
    assert error.reason == "loop in the manager chain: director → manager → director"


def test_it_accepts_a_reorganisation_that_turns_the_chain_around(org_small, org_csv, org_current_rows):
    rows = {row["username"]: row for row in org_current_rows()}
    rows["director"]["manager"] = "manager"
    rows["manager"]["manager"] = ""
    plan = org_import_plan(content=org_csv(rows.values()))
    assert plan.valid, plan.errors
    assert {p.username: p.changes["manager"] for p in plan.changed} == {
        "director": ("", "manager"),
        "manager": ("director", ""),
    }
