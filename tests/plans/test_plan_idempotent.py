"""Making a person's plan twice makes one plan; an org import that creates a person with a role starts
their plan, and importing the same file again changes nothing."""

from datetime import timedelta

from django.utils import timezone

from audit.models import AuditEntry
from org.services import org_import
from plans.models import Plan
from plans.services import plan_create_for
from tests.plans.conftest import employee, user

HEADER = "username,email,name,title,role,level,team,manager,start_date\n"


def test_it_makes_one_plan_however_often_it_is_asked(plan):
    person = employee("newhire")
    again = plan_create_for(employee=person, reason=Plan.Reason.START, actor=user("hr"))
    assert again == plan
    assert Plan.objects.filter(employee=person).count() == 1
    assert AuditEntry.objects.filter(action="plan.create").count() == 1


def _rows(start):
    return (
        HEADER
        + "director,director@example.test,Director,Director of Engineering,,Director,,,2022-03-01\n"
        + f"ravi,ravi@example.test,Ravi Rao,Staff Software Engineer,staff-software-engineer,Staff,platform,director,"
        f"{start.isoformat()}\n"
    ).encode()


def test_an_import_starts_a_new_persons_plan_once(org):
    start = timezone.localdate() + timedelta(days=7)
    content = _rows(start)
    org_import(actor=user("hr"), content=content, source_name="org.csv", deactivate_missing=False, send_invites=False)
    plan = Plan.objects.get(employee__user__username="ravi")
    assert plan.start_date == start and plan.reason == "start" and plan.goals.count() > 10
    org_import(actor=user("hr"), content=content, source_name="org.csv", deactivate_missing=False, send_invites=False)
    assert Plan.objects.filter(employee__user__username="ravi").count() == 1


def test_an_import_makes_no_plan_for_someone_who_started_long_ago(org):
    content = _rows(timezone.localdate() - timedelta(days=400))
    org_import(actor=user("hr"), content=content, source_name="org.csv", deactivate_missing=False, send_invites=False)
    assert not Plan.objects.filter(employee__user__username="ravi").exists()
