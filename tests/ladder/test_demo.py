"""seed_demo makes the software IC track (Staff linked to the bundled role) and engineer's two
self-assessments, once."""

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from ladder.models import Assessment, Level, ManagerView
from ladder.selectors import assessment_trend
from org.models import Employee

pytestmark = pytest.mark.django_db


def test_it_seeds_the_ladder_and_engineers_trend_once(staff_blueprint):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    levels = list(Level.objects.order_by("position").values_list("name", "role__slug"))
    assert levels == [
        ("Senior Software Engineer", None),
        ("Staff Software Engineer", "staff-software-engineer"),
        ("Senior Staff Software Engineer", None),
        ("Principal Engineer", None),
    ]
    assert sorted(Assessment.objects.values_list("state", flat=True)) == ["draft", "submitted"]
    assert ManagerView.objects.get().manager.user.username == "manager"
    engineer = Employee.objects.get(user__username="engineer")
    draft = Assessment.objects.get(state="draft")
    assert len(assessment_trend(employee=engineer, including=draft)) == 2
    entries = AuditEntry.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Assessment.objects.count() == 2 and Level.objects.count() == 4
    assert AuditEntry.objects.count() == entries


def test_it_makes_the_track_without_the_blueprint_and_links_it_later(request):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Level.objects.filter(role__isnull=False).count() == 0 and not Assessment.objects.exists()
    request.getfixturevalue("staff_blueprint")
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Level.objects.get(name="Staff Software Engineer").role.slug == "staff-software-engineer"
    assert Assessment.objects.count() == 2
