import pytest

from audit.models import AuditEntry
from scorecards.models import BlueprintVersion
from scorecards.services import blueprint_start_draft

pytestmark = pytest.mark.django_db

ROLE_URL = "/roles/staff-software-engineer/"


def test_it_publishes_a_draft_from_the_role_page(client, hr_user, staff_blueprint):
    draft = blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)
    client.force_login(hr_user)
    response = client.post(f"{ROLE_URL}publish/", {"version": draft.number}, follow=True)
    assert response.redirect_chain[-1][0] == f"{ROLE_URL}?version={draft.number}"
    assert "Published Staff Software Engineer version 2." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == hr_user
    assert AuditEntry.objects.filter(action="blueprint.publish", target_id=str(draft.pk)).count() == 1


def test_it_shows_a_publish_error_as_a_message(client, hr_user, staff_blueprint):
    client.force_login(hr_user)
    response = client.post(f"{ROLE_URL}publish/", {"version": 1}, follow=True)
    assert "already published" in response.content.decode()


def test_it_starts_and_discards_a_draft(client, hr_user, staff_blueprint):
    client.force_login(hr_user)
    response = client.post(f"{ROLE_URL}drafts/")
    assert response["Location"] == f"{ROLE_URL}?version=2"
    assert BlueprintVersion.objects.get(number=2).status == BlueprintVersion.Status.DRAFT
    again = client.post(f"{ROLE_URL}drafts/", follow=True)
    assert "already has a draft" in again.content.decode()
    response = client.post(f"{ROLE_URL}discard/", {"version": 2})
    assert response["Location"] == ROLE_URL
    assert list(BlueprintVersion.objects.values_list("number", flat=True)) == [1]


def test_it_forbids_publishing_to_people_outside_hr(client, engineer_user, hr_user, staff_blueprint):
    draft = blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)
    client.force_login(engineer_user)
    assert client.post(f"{ROLE_URL}publish/", {"version": draft.number}).status_code == 403
    assert client.post(f"{ROLE_URL}drafts/").status_code == 403
    assert client.post(f"{ROLE_URL}discard/", {"version": draft.number}).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published


def test_it_only_accepts_posts_for_changes(client, hr_user, staff_blueprint):
    client.force_login(hr_user)
    for action in ("publish", "drafts", "discard", "export"):
        assert client.get(f"{ROLE_URL}{action}/").status_code == 405, action
