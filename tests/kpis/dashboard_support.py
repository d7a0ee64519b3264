"""The small organisation and a fixed UTC day for the team dashboard tests."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.org_builders import small_org

TODAY = dt.date(2026, 3, 18)  # a Wednesday in March 2026, Q1


def client_as(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def org(monkeypatch):
    monkeypatch.setattr("kpis.views.utc_today", lambda: TODAY)
    return small_org()
