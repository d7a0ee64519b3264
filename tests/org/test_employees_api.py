import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from audit.models import AuditEntry
from org.models import Employee
from tests.org_builders import person, small_org

pytestmark = pytest.mark.django_db


def _client(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def test_it_describes_the_caller_as_the_contract_says():
    org = small_org()
    body = _client("manager").get("/api/v1/me/").json()
    assert body["username"] == "manager"
    assert body["employee_id"] == org["manager"].pk
    assert body["groups"] == []
    assert body["manager"] == "director"
    assert sorted(body["reports"]) == ["engineer", "newhire"]
    assert body["is_manager"] and not body["is_director"] and not body["is_hr"]
    director = _client("director").get("/api/v1/me/").json()
    assert director["is_director"] and director["manager"] is None
    hr = _client("hr").get("/api/v1/me/").json()
    assert hr["groups"] == ["HR"] and hr["is_hr"]


def test_it_answers_me_for_an_account_without_a_person():
    User.objects.create_user("service", password="x")
    body = _client("service").get("/api/v1/me/").json()
    assert body["employee_id"] is None and body["reports"] == [] and body["manager"] is None


def test_it_refuses_anonymous_callers():
    small_org()
    assert APIClient().get("/api/v1/me/").status_code == 401
    assert APIClient().get("/api/v1/employees/").status_code == 401


def test_it_lists_basic_records_to_colleagues_and_full_ones_to_the_chain():
    small_org()
    rows = {row["username"]: row for row in _client("manager").get("/api/v1/employees/").json()}
    assert set(rows) == {"director", "manager", "manager2", "engineer", "newhire", "engineer2", "hr"}
    assert rows["engineer"]["detail"] == "full" and rows["engineer"]["level"] == "Staff"
    assert rows["engineer2"]["detail"] == "basic" and rows["engineer2"]["level"] is None
    assert rows["engineer2"]["start_date"] is None and rows["engineer2"]["manager"] == "manager2"
    assert rows["manager"]["detail"] == "full"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("scope=reports", {"engineer", "newhire"}),
        ("scope=org&team=platform", {"engineer", "newhire"}),
        ("manager=manager2", {"engineer2"}),
        ("q=newhire", {"newhire"}),
        ("team=payments", {"manager2", "engineer2"}),
    ],
)
def test_it_filters_the_list(query, expected):
    small_org()
    rows = _client("manager").get(f"/api/v1/employees/?{query}").json()
    assert {row["username"] for row in rows} == expected


def test_it_pages_the_list_when_asked():
    small_org()
    body = _client("hr").get("/api/v1/employees/?limit=2&offset=2").json()
    assert body["count"] == 7 and len(body["results"]) == 2 and body["next"] and body["previous"]


def test_it_lists_deactivated_people_to_hr_only():
    org = small_org()
    person("leaver", manager=org["manager"], active=False)
    assert _client("manager").get("/api/v1/employees/?active=all").status_code == 403
    assert "leaver" not in {row["username"] for row in _client("manager").get("/api/v1/employees/").json()}
    rows = _client("hr").get("/api/v1/employees/?active=false").json()
    assert [row["username"] for row in rows] == ["leaver"]
    assert _client("engineer").get("/api/v1/employees/?scope=nonsense").status_code == 400


def test_it_answers_404_for_an_unknown_or_hidden_person():
    org = small_org()
    leaver = person("leaver", manager=org["manager"], active=False)
    assert _client("engineer").get("/api/v1/employees/999999/").status_code == 404
    assert _client("engineer2").get(f"/api/v1/employees/{leaver.pk}/").status_code == 404
    assert _client("manager").get(f"/api/v1/employees/{leaver.pk}/").json()["detail"] == "full"


def test_it_lets_hr_patch_a_record_and_audits_it():
    org = small_org()
    response = _client("hr").patch(
        f"/api/v1/employees/{org['engineer'].pk}/", {"level": "Principal", "reason": "Promotion"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["level"] == "Principal"
    entry = AuditEntry.objects.get(action="employee.update")
    assert entry.before == {"level": "Staff"} and entry.after == {"level": "Principal"}


def test_it_refuses_patches_from_others_and_bad_values_with_nothing_changed():
    org = small_org()
    url = f"/api/v1/employees/{org['engineer'].pk}/"
    assert _client("manager").patch(url, {"level": "Principal"}, format="json").status_code == 403
    hr = _client("hr")
    response = hr.patch(url, {"manager": "engineer"}, format="json")
    assert response.status_code == 400 and "own manager" in response.json()["manager"][0]
    assert hr.patch(url, {"team": "nope"}, format="json").json() == {"team": ["No team has the slug 'nope'."]}
    assert hr.patch(url, {"email": "engineer2@example.test"}, format="json").status_code == 400
    assert hr.patch(url, {"start_date": "2024-13-01"}, format="json").status_code == 400
    assert Employee.objects.get(pk=org["engineer"].pk).level == "Staff"
    assert not AuditEntry.objects.exists()


def test_it_lists_employees_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    org = small_org()
    for n in range(40):
        person(f"extra{n}", manager=org["manager"])
    with django_assert_max_num_queries(6):
        assert len(_client("director").get("/api/v1/employees/").json()) == 47
