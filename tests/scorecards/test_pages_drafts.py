import pytest

from scorecards.services import blueprint_start_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(hr_user, staff_blueprint):
    return blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)


def test_it_hides_drafts_from_people_outside_hr(client, engineer_user, draft):
    client.force_login(engineer_user)
    assert client.get(f"/roles/staff-software-engineer/?version={draft.number}").status_code == 404
    assert "Draft" not in client.get("/roles/").content.decode()
    history = client.get("/roles/staff-software-engineer/versions/").content.decode()
    assert "Version 1" in history and f"Version {draft.number}" not in history
    assert client.get(f"/roles/staff-software-engineer/diff/?from=1&to={draft.number}").status_code == 200
    assert "Version 2" not in client.get("/roles/staff-software-engineer/diff/").content.decode()


def test_it_shows_drafts_to_hr_marked_as_draft(client, hr_user, draft):
    client.force_login(hr_user)
    listing = client.get("/roles/").content.decode()
    assert '<span class="badge badge--draft">Draft</span>' in listing
    page = client.get(f"/roles/staff-software-engineer/?version={draft.number}").content.decode()
    assert "This is a draft" in page
    assert f"Publish version {draft.number}" in page


def test_it_answers_404_for_a_version_that_is_not_a_number(client, engineer_user, staff_blueprint):
    client.force_login(engineer_user)
    assert client.get("/roles/staff-software-engineer/?version=abc").status_code == 404
    assert client.get("/roles/staff-software-engineer/?version=0").status_code == 404
