"""Audit entries can be read in the admin, never added, changed or deleted there."""

import pytest
from django.contrib.auth.models import User

from audit.models import AuditEntry
from audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    target = User.objects.create_user("target")
    return audit_record(actor=None, action="review.rating", target=target, before={"score": 3}, after={"score": 4})


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.test", "x"))
    return client


def test_it_lists_and_shows_entries_read_only(superuser_client, entry):
    assert superuser_client.get("/admin/audit/auditentry/").status_code == 200
    page = superuser_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_it_refuses_to_add_change_or_delete_entries(superuser_client, entry):
    assert superuser_client.get("/admin/audit/auditentry/add/").status_code == 403
    response = superuser_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "forged"})
    assert response.status_code == 403
    assert superuser_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = superuser_client.post(
        "/admin/audit/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.action == "review.rating" and AuditEntry.objects.count() == 1
