"""Schemathesis against the published OpenAPI schema, as every kind of demo user.

Every operation of /api/v1/schema/ gets generated requests (valid and invalid ones) with the token of each
demo role; no answer may be a 5xx, and every answer must be documented in the schema (status code,
content type, body shape). The demo organisation is seeded once per module inside a transaction that is
rolled back at the end, and each generated request runs in a savepoint that is rolled back after it, so
nothing one request writes is seen by the next or by any other test.
"""

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import BUNDLED_DOCUMENT

ROLES = ("hr", "director", "manager", "engineer", "newhire")
EXAMPLES_PER_OPERATION = 4

# What the schema promises about every answer. Schemathesis' "positive_data_acceptance" and
# "negative_data_rejection" are left out on purpose: the first expects any schema-valid request to
# succeed, but most requests name records (a team slug, a cycle id, a blueprint) that the schema cannot
# know exist, and the documented answer to an unknown one is 400; the second expects a number sent for
# a string field to be refused, while DRF's CharField accepts 0 as "0" by design.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

APP = WSGIHandler()


def _schema_from_the_app() -> dict[str, Any]:
    """The schema as GET /api/v1/schema/ serves it, made without a database (the test below compares)."""
    from drf_spectacular.generators import SchemaGenerator

    return _plain(SchemaGenerator().get_schema(request=None, public=True))


def _plain(value: Any) -> Any:
    """drf-spectacular's document holds lazy strings and ordered dicts; the schema loader wants JSON values."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


DOCUMENT = _schema_from_the_app()
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = APP


def test_the_schema_tested_is_the_one_the_api_serves(client: Any) -> None:
    served = client.get("/api/v1/schema/", {"format": "json"})
    assert served.status_code == 200
    assert served.json() == DOCUMENT


@pytest.fixture(scope="module")
def demo_org(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """seed_demo once for the module, rolled back afterwards."""
    from pathlib import Path

    with django_db_blocker.unblock(), transaction.atomic():
        path = Path(__file__).resolve().parents[1] / BUNDLED_DOCUMENT
        call_command("import_blueprint", str(path), "--publish", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def tokens(demo_org: None, django_db_blocker: Any) -> dict[str, str]:
    """Each role logs in through the API's token exchange, as a client would."""
    from django.test import Client

    client = Client()
    with django_db_blocker.unblock():
        answers = {name: client.post("/api/v1/auth/token/", {"username": name, "password": "demo"}) for name in ROLES}
    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(ROLES, 200)
    return {name: answer.json()["token"] for name, answer in answers.items()}


@pytest.fixture(scope="module")
def real_ids(demo_org: None, django_db_blocker: Any) -> dict[str, list[Any]]:
    """Ids of the demo's records by path parameter, so that part of the requests reach real ones."""
    from django.apps import apps

    models = {
        "review_id": "reviews.Review",
        "cycle_id": "reviews.Cycle",
        "id": "org.Employee",
        "plan_id": "plans.Plan",
        "goal_id": "plans.Goal",
        "indicator_id": "plans.Indicator",
        "assessment_id": "ladder.Assessment",
        "track_id": "ladder.Track",
        "level_id": "ladder.Level",
        "opening_id": "hiring.Opening",
        "candidate_id": "hiring.Candidate",
        "interview_id": "hiring.Interview",
    }
    with django_db_blocker.unblock():
        ids: dict[str, list[Any]] = {
            name: list(apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True)[:20])
            for name, label in models.items()
        }
    ids["slug"] = ["staff-software-engineer"]
    assert all(ids.values()), {name: len(values) for name, values in ids.items()}
    return ids


def _aim_at_real_records(case: Any, real_ids: dict[str, list[Any]]) -> None:
    """Swap a generated path parameter for a demo record's id for about half of the generated values (chosen
    by the value itself, so a run is reproducible); the rest stay as generated, mostly unknown ids."""
    for name, value in list((case.path_parameters or {}).items()):
        known = real_ids.get(name)
        pick = int(hashlib.sha256(str(value).encode()).hexdigest(), 16)
        if known and pick % 2 == 0:
            case.path_parameters[name] = known[(pick // 2) % len(known)]


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """Like Django's test client: a request must not close the connection that holds the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    # Generated cases only: the explicit and coverage phases add hundreds of boundary cases per operation that
    # max_examples does not bound, which would take the run past its time budget.
    phases=[Phase.generate],
)
def test_every_answer_is_documented_and_never_a_server_error(
    case: Any,
    role: str,
    tokens: dict[str, str],
    real_ids: dict[str, list[Any]],
    db: None,
    in_process_requests: None,
) -> None:
    _aim_at_real_records(case, real_ids)
    savepoint = transaction.savepoint()
    try:
        case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"}, checks=CHECKS)
    finally:
        transaction.savepoint_rollback(savepoint)
