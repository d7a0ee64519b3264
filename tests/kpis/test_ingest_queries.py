"""The queries of a batch do not grow with its items: 200 items cost what 10 do, give or take the
extra INSERT or UPDATE statements a database needs when one statement cannot carry all the rows
(SQLite takes at most 999 parameters per statement, so about 120 deployment rows)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis.services import deployments_ingest, incidents_ingest
from tests.kpis.ingest_builders import deployment, hr, incident, make_teams

pytestmark = pytest.mark.django_db

SPLIT_STATEMENTS = 3  # at most this many more statements for 200 rows than for 10, on any database


@pytest.fixture
def actor_id():
    make_teams()
    return hr().pk


def _queries(ingest: Callable[..., Any], actor_id: int, items: list[dict[str, Any]]) -> int:
    actor = User.objects.get(pk=actor_id)  # a fresh caller: rights are looked up each time
    with CaptureQueriesContext(connection) as context:
        ingest(actor=actor, items=items)
    return len(context)


def _deployments(prefix: str, count: int, **values: Any) -> list[dict[str, Any]]:
    return [
        deployment(f"{prefix}-{n}", team="payments" if n % 2 else "platform", service=f"svc-{n % 7}", **values)
        for n in range(count)
    ]


def _incidents(prefix: str, count: int, **values: Any) -> list[dict[str, Any]]:
    return [incident(f"{prefix}-{n}", **{"deploy_ids": [f"d-{n}", f"d-{n + 1}"], **values}) for n in range(count)]


def test_it_creates_deployments_in_a_fixed_number_of_queries(actor_id):
    small = _queries(deployments_ingest, actor_id, _deployments("small", 10))
    large = _queries(deployments_ingest, actor_id, _deployments("large", 200))
    assert large <= small + SPLIT_STATEMENTS, (small, large)


def test_it_updates_and_checks_deployments_in_a_fixed_number_of_queries(actor_id):
    deployments_ingest(actor=None, items=_deployments("small", 10) + _deployments("large", 200))
    # Half of each batch changes (a new time and new commit times), half is sent as it is.
    changes = {"deployed_at": "2024-06-01T00:00:00Z", "commit_times": ["2024-05-31T00:00:00Z"]}
    small_batch = _deployments("small", 10)[:5] + _deployments("small", 10, **changes)[5:]
    large_batch = _deployments("large", 200)[:100] + _deployments("large", 200, **changes)[100:]
    small = _queries(deployments_ingest, actor_id, small_batch)
    large = _queries(deployments_ingest, actor_id, large_batch)
    assert large <= small + SPLIT_STATEMENTS, (small, large)


def test_it_creates_and_updates_incidents_in_a_fixed_number_of_queries(actor_id):
    small = _queries(incidents_ingest, actor_id, _incidents("small", 10))
    large = _queries(incidents_ingest, actor_id, _incidents("large", 200))
    assert large <= small + SPLIT_STATEMENTS, (small, large)
    small = _queries(incidents_ingest, actor_id, _incidents("small", 10, resolved_at=None, deploy_ids=[]))
    large = _queries(incidents_ingest, actor_id, _incidents("large", 200, resolved_at=None, deploy_ids=[]))
    assert large <= small + SPLIT_STATEMENTS, (small, large)


def test_it_checks_an_unchanged_batch_in_a_handful_of_queries(actor_id):
    batch = _deployments("d", 200)
    deployments_ingest(actor=None, items=batch)
    # the caller's rights (2), the teams, the deployments, their commit times, and a savepoint pair
    assert _queries(deployments_ingest, actor_id, batch) <= 7
