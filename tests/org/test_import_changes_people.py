import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from audit.models import AuditEntry
from org.models import Employee, Team
from org.services import org_import

pytestmark = pytest.mark.django_db


def _rows(org_current_rows):
    return {row["username"]: row for row in org_current_rows()}


def test_it_changes_what_the_file_changes_and_audits_before_and_after(
    staff_blueprint, org_small, org_csv, org_current_rows
):
    rows = _rows(org_current_rows)
    rows["engineer"].update(
        title="Senior Engineer",
        manager="manager2",
        team="payments",
        email="eng@example.test",
        role="staff-software-engineer",
    )
    rows["newhire"]["start_date"] = "2023-01-02"
    untouched = Employee.objects.get(user__username="engineer2").updated_at

    result = org_import(actor=org_small["hr"].user, content=org_csv(rows.values()), source_name="q3.csv")

    assert result.counts()["updated"] == 2 and result.counts()["unchanged"] == 5
    engineer = Employee.objects.select_related("user", "manager__user", "team", "role").get(user__username="engineer")
    assert engineer.title == "Senior Engineer" and engineer.manager.user.username == "manager2"
    assert engineer.team.slug == "payments" and engineer.role.slug == "staff-software-engineer"
    assert engineer.user.email == "eng@example.test"
    assert Employee.objects.get(user__username="newhire").start_date.isoformat() == "2023-01-02"
    assert Employee.objects.get(user__username="engineer2").updated_at == untouched

    entry = AuditEntry.objects.get(action="employee.update", target_id=str(engineer.pk))
    assert entry.actor == org_small["hr"].user and entry.reason == "Organisation import from q3.csv"
    assert entry.before == {
        "email": "engineer@example.test",
        "title": "Engineer",
        "role": "",
        "team": "platform",
        "manager": "manager",
    }
    assert entry.after == {
        "email": "eng@example.test",
        "title": "Senior Engineer",
        "role": "staff-software-engineer",
        "team": "payments",
        "manager": "manager2",
    }
    assert AuditEntry.objects.get(action="org.import").after["updated"] == 2


def test_it_deactivates_people_missing_from_the_file(org_small, org_csv, org_current_rows):
    rows = _rows(org_current_rows)
    del rows["engineer2"]
    result = org_import(actor=org_small["hr"].user, content=org_csv(rows.values()), source_name="org.csv")

    assert [p.username for p in result.plan.deactivated] == ["engineer2"]
    gone = Employee.objects.select_related("user").get(user__username="engineer2")
    assert not gone.active and gone.deactivated_at is not None and not gone.user.is_active
    entry = AuditEntry.objects.get(action="employee.deactivate")
    assert (entry.before, entry.after) == ({"active": True}, {"active": False})


def test_it_reactivates_a_deactivated_person_in_the_file(org_small, org_csv, org_current_rows):
    rows = _rows(org_current_rows)
    rows["engineer2"]["title"] = "Engineer II"
    leaver = org_small["engineer2"]
    leaver.active, leaver.deactivated_at = False, timezone.now()
    leaver.save()
    User.objects.filter(pk=leaver.user_id).update(is_active=False)

    result = org_import(actor=None, content=org_csv(rows.values()), source_name="org.csv")

    assert [p.username for p in result.plan.reactivated] == ["engineer2"]
    back = Employee.objects.select_related("user").get(pk=leaver.pk)
    assert back.active and back.deactivated_at is None and back.user.is_active and back.title == "Engineer II"
    entry = AuditEntry.objects.get(action="employee.reactivate")
    assert entry.before == {"title": "Engineer", "active": False}
    assert entry.after == {"title": "Engineer II", "active": True}


def test_it_creates_new_teams_and_moves_people_into_them(org_small, org_csv, org_current_rows):
    rows = _rows(org_current_rows)
    rows["engineer"]["team"] = "growth"
    result = org_import(actor=None, content=org_csv(rows.values()), source_name="org.csv")
    assert result.plan.teams_created == ["growth"]
    assert Employee.objects.get(user__username="engineer").team == Team.objects.get(slug="growth", name="Growth")
