import pytest

from org.importer import org_import_plan
from org.models import Employee
from org.services import OrgImportError, org_import

pytestmark = pytest.mark.django_db


def test_it_reports_a_manager_who_is_neither_in_the_file_nor_an_employee(org_csv, org_row):
    rows = [org_row("ceo"), org_row("dev", manager="mia"), org_row("dev2", manager="ceo")]
    with pytest.raises(OrgImportError) as caught:
        org_import(actor=None, content=org_csv(rows), source_name="org.csv")

    [error] = caught.value.errors
    assert (error.row, error.column, error.value) == (3, "manager", "mia")
    assert error.reason == "unknown manager 'mia': not in the file and not an employee"
    assert Employee.objects.count() == 0


def test_it_does_not_take_a_login_without_an_employee_record_for_a_manager(django_user_model, org_csv, org_row):
    django_user_model.objects.create_superuser("root", password="x")
    plan = org_import_plan(content=org_csv([org_row("dev", manager="root")]))
    assert [error.reason for error in plan.errors] == ["unknown manager 'root': not in the file and not an employee"]


def test_it_accepts_a_manager_who_stays_in_the_organisation_when_people_are_kept(org_small, org_csv, org_row):
    plan = org_import_plan(content=org_csv([org_row("newdev", manager="manager")]), deactivate_missing=False)
    assert plan.valid and [person.username for person in plan.created] == ["newdev"]


def test_it_reports_a_person_who_manages_themselves(org_csv, org_row):
    plan = org_import_plan(content=org_csv([org_row("dev", manager="dev")]))
    [error] = plan.errors
    assert (error.row, error.column, error.reason) == (2, "manager", "a person cannot be their own manager")
