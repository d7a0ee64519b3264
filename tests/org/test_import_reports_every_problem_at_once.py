import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from audit.models import AuditEntry
from org.models import Employee, Team
from org.services import OrgImportError, org_import

pytestmark = pytest.mark.django_db


def test_it_reports_every_kind_of_bad_row_in_one_pass_and_writes_nothing(
    staff_blueprint, org_small, org_csv, org_current_rows, org_row
):
    gone = org_small["engineer2"]
    gone.active, gone.deactivated_at = False, timezone.now()
    gone.save()
    rows = [
        *org_current_rows(),  # rows 2-7: the organisation as it is (engineer2 is deactivated)
        org_row("ann", manager="nobody"),  # 8: unknown manager
        org_row("bob", manager="cat"),  # 9: loop bob → cat → bob
        org_row("cat", manager="bob"),  # 10
        org_row("ann", email="ann2@example.test"),  # 11: duplicate username
        org_row("dan", email="ANN@example.test"),  # 12: duplicate email
        org_row("eve", role="astronaut"),  # 13: unknown role slug
        org_row("fay", start_date="2024-02-30"),  # 14: not a real date
        org_row("gus", start_date="yesterday"),  # 15: not a date
        org_row("hal", manager="engineer2"),  # 16: deactivated manager
    ]
    counts = (Employee.objects.count(), User.objects.count(), Team.objects.count(), AuditEntry.objects.count())

    with pytest.raises(OrgImportError) as caught:
        org_import(actor=org_small["hr"].user, content=org_csv(rows), source_name="org.csv")

    assert str(caught.value) == "The file has 9 problems; nothing was imported."
    assert [(e.row, e.column, e.value, e.reason) for e in caught.value.errors] == [
        (8, "manager", "nobody", "unknown manager 'nobody': not in the file and not an employee"),
        (9, "manager", "cat", "loop in the manager chain: bob → cat → bob"),
        (10, "manager", "bob", "loop in the manager chain: cat → bob → cat"),
        (11, "username", "ann", "duplicate username: already on row 8"),
        (12, "email", "ANN@example.test", "duplicate email: already on row 8"),
        (13, "role", "astronaut", "unknown role slug 'astronaut'"),
        (14, "start_date", "2024-02-30", "not a real date"),
        (15, "start_date", "yesterday", "expected a date as YYYY-MM-DD, such as 2024-03-01"),
        (16, "manager", "engineer2", "manager 'engineer2' is deactivated"),
    ]
    assert (Employee.objects.count(), User.objects.count(), Team.objects.count(), AuditEntry.objects.count()) == counts
    assert not User.objects.filter(username__in=["ann", "bob", "cat", "dan"]).exists()
