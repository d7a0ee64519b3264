import pytest

from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id
from scorecards.services import blueprint_import, blueprint_start_draft

pytestmark = pytest.mark.django_db

# Session, user and the user's groups: every logged-in page pays these three.
AUTH_QUERIES = 3


@pytest.fixture
def many_roles(staff_blueprint):
    data = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    for title in ("Principal Engineer", "Senior Engineer", "Engineering Manager"):
        blueprint_import(actor=None, data={**data, "title": title}, publish=True)


@pytest.fixture
def many_versions(hr_user, staff_blueprint):
    data = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    for number in range(2, 5):
        blueprint_import(actor=None, data={**data, "mission": f"Mission {number}"}, publish=True)
    blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)


def test_it_lists_roles_in_a_fixed_number_of_queries(client, hr_user, many_roles, django_assert_max_num_queries):
    client.force_login(hr_user)
    with django_assert_max_num_queries(AUTH_QUERIES + 1):
        response = client.get("/roles/")
    assert response.content.decode().count('class="card role-card"') == 4


def test_it_renders_the_dashboard_in_a_fixed_number_of_queries(
    client, engineer_user, many_roles, django_assert_max_num_queries
):
    client.force_login(engineer_user)
    # The roles, and the caller's employee record (this account has none).
    with django_assert_max_num_queries(AUTH_QUERIES + 2):
        assert client.get("/").status_code == 200


def test_it_renders_a_role_in_a_fixed_number_of_queries(client, hr_user, many_versions, django_assert_max_num_queries):
    client.force_login(hr_user)
    # The version with its role and people, six kinds of parts, the version list.
    with django_assert_max_num_queries(AUTH_QUERIES + 8):
        response = client.get("/roles/staff-software-engineer/")
    assert response.status_code == 200


def test_it_renders_the_history_in_a_fixed_number_of_queries(
    client, hr_user, many_versions, django_assert_max_num_queries
):
    client.force_login(hr_user)
    with django_assert_max_num_queries(AUTH_QUERIES + 2):
        response = client.get("/roles/staff-software-engineer/versions/")
    assert response.content.decode().count("Changes since v") == 4


def test_it_renders_a_diff_in_a_fixed_number_of_queries(client, hr_user, many_versions, django_assert_max_num_queries):
    client.force_login(hr_user)
    with django_assert_max_num_queries(AUTH_QUERIES + 2 + 2 * 7):
        response = client.get("/roles/staff-software-engineer/diff/?from=1&to=4")
    assert "Mission 4" in response.content.decode()
