import pytest
from django.core.exceptions import PermissionDenied

from kpis.models import Deployment, Incident
from kpis.services import deployments_ingest, incidents_ingest
from staffrole.access import KPI_INGEST_GROUP
from tests.kpis.ingest_builders import deployment, incident, make_teams, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def teams():
    return make_teams()


@pytest.mark.parametrize("groups", [(), ("Managers",)])
def test_it_refuses_anyone_but_hr_and_ingest_accounts(groups):
    engineer = make_user("engineer", *groups)
    with pytest.raises(PermissionDenied):
        deployments_ingest(actor=engineer, items=[deployment()])
    with pytest.raises(PermissionDenied):
        incidents_ingest(actor=engineer, items=[incident()])
    assert not Deployment.objects.exists() and not Incident.objects.exists()


def test_it_checks_rights_before_the_items():
    with pytest.raises(PermissionDenied):
        deployments_ingest(actor=make_user("engineer"), items="not even a list")


@pytest.mark.parametrize("groups", [("HR",), (KPI_INGEST_GROUP,)])
def test_it_lets_hr_and_ingest_accounts_send(groups):
    sender = make_user("sender", *groups)
    assert deployments_ingest(actor=sender, items=[deployment()]).created == 1
    assert incidents_ingest(actor=sender, items=[incident()]).created == 1


def test_the_command_line_sends_with_the_servers_authority():
    assert deployments_ingest(actor=None, items=[deployment()]).created == 1
