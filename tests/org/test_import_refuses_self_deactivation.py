import pytest

from org.models import Employee
from org.services import OrgImportError, org_import

pytestmark = pytest.mark.django_db


def test_it_refuses_an_import_that_would_deactivate_the_person_importing(org_small, org_csv, org_current_rows):
    rows = [row for row in org_current_rows() if row["username"] != "hr"]
    with pytest.raises(OrgImportError) as caught:
        org_import(actor=org_small["hr"].user, content=org_csv(rows), source_name="org.csv")
    [error] = caught.value.errors
    assert (error.row, error.column, error.value) == (None, "username", "hr")
    assert error.reason.startswith("you are not in the file, so the import would deactivate your own account")
    assert Employee.objects.get(user__username="hr").active


def test_it_lets_the_person_importing_keep_people_missing_from_the_file(org_small, org_csv, org_current_rows):
    rows = [row for row in org_current_rows() if row["username"] != "hr"]
    result = org_import(
        actor=org_small["hr"].user, content=org_csv(rows), source_name="org.csv", deactivate_missing=False
    )
    assert result.plan.empty
