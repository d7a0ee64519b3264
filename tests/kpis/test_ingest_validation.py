"""A batch with a bad item is refused whole: every problem is named by the item's index and field,
and nothing of the batch is written, not even its good items."""

from typing import Any

import pytest

from audit.models import AuditEntry
from kpis.models import Deployment, DeploymentCommit, Incident, IncidentDeployment
from kpis.services import MAX_COMMIT_TIMES, MAX_DEPLOY_IDS, MAX_ITEMS, IngestError, deployments_ingest, incidents_ingest
from tests.kpis.ingest_builders import deployment, hr, incident, make_teams

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    make_teams()
    return hr()


def _refused(ingest: Any, actor: Any, items: Any) -> IngestError:
    with pytest.raises(IngestError) as caught:
        ingest(actor=actor, items=items)
    assert not Deployment.objects.exists() and not DeploymentCommit.objects.exists()
    assert not Incident.objects.exists() and not IncidentDeployment.objects.exists()
    assert not AuditEntry.objects.exists()
    return caught.value


def _without(item: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != name}


DEPLOYMENT_PROBLEMS = [
    (_without(deployment(), "team"), "team", "This field is required."),
    (_without(deployment(), "commit_times"), "commit_times", "This field is required."),
    (deployment(deploy_id=""), "deploy_id", "This field may not be blank."),
    (deployment(deploy_id="   "), "deploy_id", "This field may not be blank."),
    (deployment(deploy_id=None), "deploy_id", "This field may not be null."),
    (deployment(deploy_id=42), "deploy_id", "Expected a string, got 42."),
    (deployment(deploy_id={"id": 1}), "deploy_id", 'Expected a string, got {"id": 1}.'),
    (deployment(deploy_id="x" * 201), "deploy_id", "At most 200 characters (this has 201)."),
    (deployment(environment="e" * 101), "environment", "At most 100 characters (this has 101)."),
    (deployment(service=""), "service", "This field may not be blank."),
    (deployment(succeeded="true"), "succeeded", "Expected true or false, got 'true'."),
    (deployment(succeeded=1), "succeeded", "Expected true or false, got 1."),
    (deployment(team="platfrom"), "team", "Unknown team 'platfrom': no team has this slug."),
    (
        deployment(deployed_at="2024-05-02T10:00:00"),
        "deployed_at",
        "Needs a time zone (e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00); '2024-05-02T10:00:00' has none.",
    ),
    (
        deployment(deployed_at="yesterday"),
        "deployed_at",
        "Not an ISO 8601 date and time (e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00): 'yesterday'.",
    ),
    (
        deployment(deployed_at="2024-02-30T10:00:00Z"),
        "deployed_at",
        "Not an ISO 8601 date and time (e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00): "
        "'2024-02-30T10:00:00Z'.",
    ),
    (
        deployment(deployed_at=1714644000),
        "deployed_at",
        "Expected an ISO 8601 date and time as a string (e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00), "
        "got 1714644000.",
    ),
    (deployment(commit_times="2024-05-01T09:00:00Z"), "commit_times", "Expected a list, got '2024-05-01T09:00:00Z'."),
    (
        deployment(commit_times=["2024-05-01T09:00:00Z", "2024-05-01T09:00:00"]),
        "commit_times",
        "Entry 1: Needs a time zone (e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00); "
        "'2024-05-01T09:00:00' has none.",
    ),
    (
        deployment(commit_times=["2024-05-01T09:00:00Z"] * (MAX_COMMIT_TIMES + 1)),
        "commit_times",
        f"At most {MAX_COMMIT_TIMES} entries (this has {MAX_COMMIT_TIMES + 1}).",
    ),
    ("d-1", "non_field_errors", "Expected an object (deployment), got 'd-1'."),
]


@pytest.mark.parametrize(("bad", "name", "message"), DEPLOYMENT_PROBLEMS)
def test_it_names_a_bad_deployment_by_its_index(actor, bad, name, message):
    error = _refused(deployments_ingest, actor, [deployment("good-0"), bad, deployment("good-2")])
    assert error.errors == {1: {name: [message]}}
    assert str(error) == "1 item of the batch has problems; nothing of this batch was written."


INCIDENT_PROBLEMS = [
    (_without(incident(), "deploy_ids"), "deploy_ids", "This field is required."),
    (_without(incident(), "resolved_at"), "resolved_at", "This field is required."),
    (incident(incident_id=""), "incident_id", "This field may not be blank."),
    (incident(severity="s" * 51), "severity", "At most 50 characters (this has 51)."),
    (incident(team="nope"), "team", "Unknown team 'nope': no team has this slug."),
    (
        incident(started_at="2024-05-02T11:00:00Z", resolved_at="2024-05-02T10:59:59Z"),
        "resolved_at",
        "An incident cannot be resolved before it started (started_at).",
    ),
    (
        incident(started_at="2024-05-02 11:00"),
        "started_at",
        "Needs a time zone (e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00); '2024-05-02 11:00' has none.",
    ),
    (incident(deploy_ids="d-1"), "deploy_ids", "Expected a list, got 'd-1'."),
    (incident(deploy_ids=["d-1", ""]), "deploy_ids", "Entry 1: may not be blank."),
    (incident(deploy_ids=[7]), "deploy_ids", "Entry 0: expected a string, got 7."),
    (incident(deploy_ids=["x" * 201]), "deploy_ids", "Entry 0: at most 200 characters (this has 201)."),
    (
        incident(deploy_ids=[f"d-{n}" for n in range(MAX_DEPLOY_IDS + 1)]),
        "deploy_ids",
        f"At most {MAX_DEPLOY_IDS} entries (this has {MAX_DEPLOY_IDS + 1}).",
    ),
    (["i-1"], "non_field_errors", 'Expected an object (incident), got ["i-1"].'),
]


@pytest.mark.parametrize(("bad", "name", "message"), INCIDENT_PROBLEMS)
def test_it_names_a_bad_incident_by_its_index(actor, bad, name, message):
    error = _refused(incidents_ingest, actor, [incident("good-0"), incident("good-1"), bad])
    assert error.errors == {2: {name: [message]}}


def test_it_accepts_a_blank_severity_and_an_incident_resolved_as_it_started(actor):
    item = incident(severity="", started_at="2024-05-02T11:00:00Z", resolved_at="2024-05-02T13:00:00+02:00")
    assert incidents_ingest(actor=actor, items=[item]).created == 1


def test_it_reports_every_problem_of_every_item_at_once(actor):
    batch = [
        deployment("d-1"),
        deployment("d-2", team="ghost", succeeded="yes", deployed_at="2024-05-02"),
        deployment("d-3"),
        deployment("d-1"),
        deployment("d-1", service=""),
    ]
    error = _refused(deployments_ingest, actor, batch)
    assert error.errors == {
        1: {
            "team": ["Unknown team 'ghost': no team has this slug."],
            "succeeded": ["Expected true or false, got 'yes'."],
            "deployed_at": [
                "A date alone is not enough: give a time and a time zone "
                "(e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00), not '2024-05-02'."
            ],
        },
        3: {"deploy_id": ["Duplicate deploy_id 'd-1': item 0 has it too."]},
        4: {
            "service": ["This field may not be blank."],
            "deploy_id": ["Duplicate deploy_id 'd-1': item 0 has it too."],
        },
    }
    assert str(error) == "3 items of the batch have problems; nothing of this batch was written."


def test_it_writes_nothing_of_a_batch_that_would_also_change_stored_rows(actor):
    deployments_ingest(actor=actor, items=[deployment("d-1")])
    stored = list(Deployment.objects.values())
    commits = list(DeploymentCommit.objects.values())
    audits = AuditEntry.objects.count()

    with pytest.raises(IngestError):
        deployments_ingest(actor=actor, items=[deployment("d-1", succeeded=False), deployment("d-2", team="ghost")])

    assert list(Deployment.objects.values()) == stored and list(DeploymentCommit.objects.values()) == commits
    assert AuditEntry.objects.count() == audits


def test_it_refuses_a_batch_that_is_not_a_list(actor):
    error = _refused(incidents_ingest, actor, {"incident_id": "i-1"})
    assert error.errors == {}
    assert str(error) == "Expected a JSON list of incidents, one object per incident; got an object."


def test_it_refuses_a_batch_too_large(actor):
    error = _refused(deployments_ingest, actor, [deployment(f"d-{n}") for n in range(MAX_ITEMS + 1)])
    assert error.errors == {}
    assert str(error) == "A batch holds at most 5,000 deployments; this one has 5,001. Send it in parts."


def test_it_lists_a_handful_of_problems_per_field(actor):
    error = _refused(deployments_ingest, actor, [deployment(commit_times=["noon"] * 50)])
    messages = error.errors[0]["commit_times"]
    assert len(messages) == 6 and messages[-1] == "… and more problems like these."
