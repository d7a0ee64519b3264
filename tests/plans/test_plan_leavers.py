"""A person who leaves (deactivated by HR on their record, or missing from an org import) has their active
plan closed: its goals stay on it as history, nobody works on it any more, and the closing is audited."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from org.services import employee_update, org_import
from plans.models import Goal, Plan
from tests.org.conftest import _csv, _current_rows
from tests.plans.conftest import employee, goals, user
from tests.plans.test_plan_role_change import _changes

pytestmark = pytest.mark.django_db


def test_deactivating_a_person_closes_their_plan_and_keeps_its_goals(plan):
    kept = len(goals(plan))
    person, changes = _changes("newhire", active=False)
    employee_update(actor=user("hr"), employee=person, changes=changes, reason="Left for another company")

    plan.refresh_from_db()
    assert plan.state == "closed" and plan.closed_at is not None
    assert plan.closed_reason == "The person left: Left for another company"
    assert Goal.objects.filter(plan=plan, removed=False).count() == kept
    entry = AuditEntry.objects.get(action="plan.close", target_id=str(plan.pk))
    assert entry.actor == user("hr") and entry.after == {"state": "closed", "open_goals_kept": True}
    assert not Plan.objects.filter(employee=person, state="active").exists()


def test_a_refused_deactivation_leaves_the_plan_active(plan):
    person, changes = _changes("newhire", active=False, name="")
    with pytest.raises(ValidationError):
        employee_update(actor=user("hr"), employee=person, changes=changes)
    plan.refresh_from_db()
    assert plan.state == "active"
    assert not AuditEntry.objects.filter(action="plan.close").exists()


def test_an_other_change_of_record_leaves_the_plan_active(plan):
    person, changes = _changes("newhire", title="Senior Engineer")
    employee_update(actor=user("hr"), employee=person, changes=changes)
    plan.refresh_from_db()
    assert plan.state == "active"


def test_an_org_import_without_the_person_closes_their_plan(plan):
    rows = [row for row in _current_rows() if row["username"] != "newhire"]
    org_import(actor=user("hr"), content=_csv(rows), source_name="q4.csv", send_invites=False)

    assert not employee("newhire").active
    plan.refresh_from_db()
    assert plan.state == "closed" and plan.closed_reason.startswith("The person left")
    assert AuditEntry.objects.filter(action="plan.close", target_id=str(plan.pk)).count() == 1


def test_an_org_import_that_keeps_the_missing_leaves_the_plan_active(plan):
    rows = [row for row in _current_rows() if row["username"] != "newhire"]
    org_import(actor=user("hr"), content=_csv(rows), source_name="q4.csv", deactivate_missing=False, send_invites=False)
    plan.refresh_from_db()
    assert plan.state == "active"
