import pytest

from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id
from scorecards.services import blueprint_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_version(staff_blueprint):
    data = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    data["mission"] = "Ship boring, reliable software."
    data["scorecard"][0]["weight"] = 20
    data["scorecard"][1]["weight"] = 25
    data["kpis"] = [k for k in data["kpis"] if k["name"] != "Flaky test rate"]
    data["promotion_criteria"].append("Writes the ADR nobody else wanted to write.")
    return blueprint_import(actor=None, data=data, publish=True).version


def test_it_lists_every_version_with_a_link_to_its_changes(client, engineer_user, second_version):
    client.force_login(engineer_user)
    page = client.get("/roles/staff-software-engineer/versions/").content.decode()
    assert 'href="/roles/staff-software-engineer/?version=1"' in page
    assert 'href="/roles/staff-software-engineer/diff/?from=1&amp;to=2"' in page


def test_it_shows_what_changed_between_two_versions(client, engineer_user, second_version):
    client.force_login(engineer_user)
    response = client.get("/roles/staff-software-engineer/diff/?from=1&to=2")
    page = response.content.decode()
    assert response.status_code == 200
    assert "version 1 → version 2" in page
    assert "Ship boring, reliable software." in page
    assert "Flaky test rate" in page  # removed KPI
    assert "Writes the ADR nobody else wanted to write." in page  # added criterion
    assert "System design &amp; architecture" in page and "Weight" in page


def test_it_defaults_to_the_two_newest_versions(client, engineer_user, second_version):
    client.force_login(engineer_user)
    page = client.get("/roles/staff-software-engineer/diff/").content.decode()
    assert "version 1 → version 2" in page


def test_it_shows_the_newest_version_and_offers_older_ones(client, engineer_user, second_version):
    client.force_login(engineer_user)
    current = client.get("/roles/staff-software-engineer/").content.decode()
    assert "Ship boring, reliable software." in current
    older = client.get("/roles/staff-software-engineer/?version=1").content.decode()
    assert "You are looking at version 1" in older
