import pytest

from org.models import Employee
from org.services import org_import

pytestmark = pytest.mark.django_db


def test_it_leaves_people_missing_from_the_file_alone_when_asked(org_small, org_csv, org_row):
    rows = [org_row("newdev", manager="manager", team="platform"), org_row("engineer", title="Lead Engineer")]
    rows[1]["manager"], rows[1]["team"], rows[1]["level"] = "manager", "platform", "Staff"

    result = org_import(
        actor=org_small["hr"].user,
        content=org_csv(rows),
        source_name="additions.csv",
        deactivate_missing=False,
        send_invites=False,
    )

    assert result.counts()["created"] == 1 and result.counts()["updated"] == 1
    assert result.counts()["deactivated"] == 0
    assert Employee.objects.filter(active=True).count() == 8
    assert Employee.objects.get(user__username="newdev").manager == org_small["manager"]
    assert Employee.objects.get(user__username="engineer").title == "Lead Engineer"


def test_it_deactivates_nobody_without_the_option_only_when_everyone_is_in_the_file(org_small, org_csv, org_row):
    result = org_import(actor=None, content=org_csv([org_row("newdev")]), source_name="org.csv", dry_run=True)
    assert sorted(p.username for p in result.plan.deactivated) == sorted(org_small)
