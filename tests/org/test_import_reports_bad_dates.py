import pytest

from org.importer import org_import_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "a start date is required"),
        ("01/03/2024", "expected a date as YYYY-MM-DD, such as 2024-03-01"),
        ("2024-3-1", "expected a date as YYYY-MM-DD, such as 2024-03-01"),
        ("2024-03-01T09:00", "expected a date as YYYY-MM-DD, such as 2024-03-01"),
        ("2023-02-29", "not a real date"),
        ("2024-13-01", "not a real date"),
        ("1899-12-31", "the year must be 1900 or later"),
    ],
)
def test_it_reports_a_bad_start_date(value, reason, org_csv, org_row):
    [error] = org_import_plan(content=org_csv([org_row("dev", start_date=value)])).errors
    assert (error.row, error.column, error.value, error.reason) == (2, "start_date", value, reason)


def test_it_accepts_a_leap_day_and_surrounding_spaces(org_csv, org_row):
    plan = org_import_plan(content=org_csv([org_row("dev", start_date=" 2024-02-29 ")]))
    assert plan.valid and plan.created[0].changes["start_date"] == ("", "2024-02-29")
