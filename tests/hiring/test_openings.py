"""Opening an opening (HR, and people managers as its hiring manager), closing and reopening it."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from hiring.models import Candidate, HiringTeamMember, Interview, Opening
from org.models import Employee
from scorecards.models import Role
from tests.hiring.conftest import client_for

pytestmark = pytest.mark.django_db


def _employee(username: str) -> Employee:
    return Employee.objects.get(user__username=username)


def _role() -> Role:
    return Role.objects.get(slug="staff-software-engineer")


def test_hr_opens_an_opening_on_the_page_pinning_the_newest_published_version(hiring, staff_blueprint):
    body = {
        "role": _role().pk,
        "title": "Staff engineer, payments",
        "hiring_manager": _employee("manager2").pk,
        "members": [_employee("engineer2").pk, _employee("director").pk],
    }
    response = client_for("hr").post(reverse("hiring:opening_new"), body)
    opening = Opening.objects.get(title="Staff engineer, payments")
    assert response.status_code == 302 and response["Location"] == reverse("hiring:opening", args=[opening.pk])
    assert opening.blueprint_version_id == staff_blueprint.pk and opening.hiring_manager.user.username == "manager2"
    assert {m.employee.user.username for m in HiringTeamMember.objects.filter(opening=opening)} == {
        "engineer2",
        "director",
    }
    entry = AuditEntry.objects.get(action="hiring.opening_create", target_id=str(opening.pk))
    assert entry.actor.username == "hr" and entry.after["blueprint_version"] == staff_blueprint.pk
    # The new members now see it; the page names them.
    page = client_for("engineer2").get(reverse("hiring:opening", args=[opening.pk]))
    assert page.status_code == 200 and "Emery Engineer" in page.content.decode()


def test_a_people_manager_opens_an_opening_as_its_hiring_manager_only(hiring):
    client = client_for("manager2")
    form = client.get(reverse("hiring:opening_new"))
    assert form.status_code == 200
    # The hiring manager field offers only themselves.
    assert list(form.context["form"].fields["hiring_manager"].queryset) == [_employee("manager2")]
    refused = client.post(
        reverse("hiring:opening_new"), {"role": _role().pk, "hiring_manager": _employee("manager").pk}
    )
    assert refused.status_code == 400 and not Opening.objects.filter(hiring_manager__user__username="manager2")
    done = client.post(reverse("hiring:opening_new"), {"role": _role().pk, "hiring_manager": _employee("manager2").pk})
    assert done.status_code == 302
    opening = Opening.objects.get(hiring_manager__user__username="manager2")
    assert opening.title == "Staff Software Engineer"  # blank title: the role's


def test_an_engineer_without_reports_may_not_open_one(hiring):
    assert client_for("engineer").get(reverse("hiring:opening_new")).status_code == 403
    response = client_for("engineer").post(
        reverse("api-hiring-opening-list"),
        {"role": "staff-software-engineer", "title": "x", "hiring_manager": "engineer"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "New opening" not in client_for("engineer").get(reverse("hiring:index")).content.decode()


def test_the_api_opens_one_for_a_manager_as_its_hiring_manager(hiring):
    url = reverse("api-hiring-opening-list")
    body = {"role": "staff-software-engineer", "title": "Platform staff engineer", "hiring_manager": "manager2"}
    refused = client_for("manager").post(url, body, content_type="application/json")
    assert refused.status_code == 400 and "hiring_manager" in refused.json()
    created = client_for("manager2").post(url, {**body, "members": ["engineer2"]}, content_type="application/json")
    assert created.status_code == 201 and created.json()["hiring_manager"]["username"] == "manager2"
    assert created.json()["state"] == "open"


def test_closing_refuses_new_candidates_and_interviews_until_reopened(hiring):
    opening, candidate = hiring["opening"], hiring["candidate"]
    client = client_for("manager")
    response = client.post(reverse("hiring:opening_state", args=[opening.pk]), {"action": "close", "reason": "Filled"})
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.state == "closed"
    entry = AuditEntry.objects.get(action="hiring.opening_close")
    assert entry.before == {"state": "open"} and entry.after == {"state": "closed"} and entry.reason == "Filled"

    page = client.get(reverse("hiring:opening", args=[opening.pk])).content.decode()
    assert "This opening is closed" in page and "Add the candidate" not in page
    # The page form, the API and the loop builders all refuse, saying why.
    added = client.post(reverse("hiring:candidate_new", args=[opening.pk]), {"name": "Late Applicant"}, follow=True)
    assert "This opening is closed: it takes no new candidates" in added.content.decode()
    api = client.post(
        reverse("api-hiring-candidate-create", args=[opening.pk]), {"name": "Late"}, content_type="application/json"
    )
    assert api.status_code == 403 and "closed" in api.json()["detail"]
    interview = client.post(
        reverse("api-hiring-interview-create", args=[candidate.pk]),
        {
            "exercise": "Production debugging scenario",
            "interviewers": ["director"],
            "focus": ["Operational excellence"],
        },
        content_type="application/json",
    )
    assert interview.status_code == 403 and "closed" in interview.json()["detail"]
    default = client.post(reverse("hiring:loop_default", args=[candidate.pk]), follow=True)
    assert "its loops take no new interviews" in default.content.decode()
    assert client.post(reverse("api-hiring-loop-default", args=[candidate.pk])).status_code == 403
    assert not Candidate.objects.filter(name__startswith="Late").exists()
    assert Interview.objects.filter(candidate=candidate).count() == 2

    reopened = client.post(
        reverse("api-hiring-opening-state", args=[opening.pk]), {"state": "open"}, content_type="application/json"
    )
    assert reopened.status_code == 200 and reopened.json()["state"] == "open"
    assert AuditEntry.objects.filter(action="hiring.opening_reopen").count() == 1
    again = client.post(reverse("hiring:candidate_new", args=[opening.pk]), {"name": "Late Applicant"})
    assert again.status_code == 302 and Candidate.objects.filter(name="Late Applicant").exists()


def test_closing_twice_is_refused_and_only_the_hiring_manager_and_hr_may(hiring):
    opening = hiring["opening"]
    url = reverse("api-hiring-opening-state", args=[opening.pk])
    assert client_for("manager2").post(url, {"state": "closed"}, content_type="application/json").status_code == 403
    assert client_for("engineer2").post(url, {"state": "closed"}, content_type="application/json").status_code == 404
    assert client_for("hr").post(url, {"state": "closed"}, content_type="application/json").status_code == 200
    twice = client_for("hr").post(url, {"state": "closed"}, content_type="application/json")
    assert twice.status_code == 400 and "already closed" in twice.json()["state"][0]
