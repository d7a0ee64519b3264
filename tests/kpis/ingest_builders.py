"""Teams, callers and valid event items for the ingest tests; name the fields to change."""

from typing import Any

from django.contrib.auth.models import Group, User

from org.models import Team
from staffrole.access import KPI_INGEST_GROUP


def make_teams() -> dict[str, Team]:
    return {
        "platform": Team.objects.create(slug="platform", name="Platform"),
        "payments": Team.objects.create(slug="payments", name="Payments"),
    }


def make_user(username: str, *groups: str) -> User:
    user = User.objects.create_user(username, password="demo")
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def hr() -> User:
    return make_user("hr", "HR")


def ingest_account() -> User:
    return make_user("ci-bot", KPI_INGEST_GROUP)


def deployment(deploy_id: str = "d-1", **values: Any) -> dict[str, Any]:
    item = {
        "deploy_id": deploy_id,
        "service": "billing-api",
        "team": "platform",
        "environment": "production",
        "succeeded": True,
        "deployed_at": "2024-05-02T10:00:00Z",
        "commit_times": ["2024-05-01T09:00:00Z", "2024-05-01T15:30:00+02:00"],
    }
    item.update(values)
    return item


def incident(incident_id: str = "i-1", **values: Any) -> dict[str, Any]:
    item = {
        "incident_id": incident_id,
        "team": "platform",
        "service": "billing-api",
        "severity": "sev2",
        "started_at": "2024-05-02T11:00:00Z",
        "resolved_at": "2024-05-02T13:30:00Z",
        "deploy_ids": ["d-1"],
    }
    item.update(values)
    return item
