"""seed_demo gives newhire a plan from their start date: a goal done, one in progress, one overdue; a second
run changes nothing; without the review cycle (tests of reminders) there is no plan."""

from audit.models import AuditEntry
from plans.models import Goal, Plan
from reviews.demo import demo_seed


def test_newhire_has_a_plan_with_work_under_way(staff_blueprint):
    result = demo_seed(events=False)
    assert result.plan_created
    plan = Plan.objects.get(employee__user__username="newhire")
    assert plan.state == "active" and plan.start_date == plan.employee.start_date
    statuses = list(Goal.objects.filter(plan=plan).values_list("status", flat=True))
    assert statuses.count("done") == 1 and statuses.count("in_progress") == 1
    from django.utils import timezone

    today = timezone.localdate()
    overdue = [g for g in Goal.objects.filter(plan=plan) if g.overdue_days(today)]
    assert len(overdue) == 1 and overdue[0].added_by_manager and overdue[0].overdue_days(today) == 7
    entries = AuditEntry.objects.count()
    assert not demo_seed(events=False).plan_created
    assert AuditEntry.objects.count() == entries and Plan.objects.count() == 1


def test_there_is_no_plan_without_the_cycle_unless_asked(staff_blueprint):
    demo_seed(cycle=False, events=False)
    assert not Plan.objects.exists()
    demo_seed(cycle=False, events=False, plans=True)
    assert Plan.objects.filter(employee__user__username="newhire").exists()
