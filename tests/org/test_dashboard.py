from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from audit.services import audit_record
from tests.org_builders import person, small_org

pytestmark = pytest.mark.django_db


def _login(client, username):
    client.force_login(User.objects.get(username=username))


def test_it_shows_an_engineer_their_own_record_and_nobody_elses_team(client):
    small_org()
    _login(client, "engineer")
    page = client.get("/").content.decode()
    assert "Hello, Engineer" in page and "Your team" not in page and "Organisation</h2>" not in page
    assert 'href="/people/manager/"' in page


def test_it_shows_a_manager_their_team_with_each_persons_status(client, staff_blueprint):
    org = small_org()
    org["newhire"].start_date = timezone.localdate() - timedelta(days=20)
    org["newhire"].role = staff_blueprint.role
    org["newhire"].save()
    _login(client, "manager")
    page = client.get("/").content.decode()
    assert "Your team" in page
    assert "New hire · day 21 of 90" in page
    assert "Ask HR to assign a role blueprint to Engineer" in page
    assert "Your organisation" not in page


def test_it_shows_a_director_each_branch_of_their_organisation(client):
    small_org()
    _login(client, "director")
    page = client.get("/").content.decode()
    assert "Your organisation" in page and "3 people" in page and "2 people" in page


def test_it_shows_hr_the_organisations_figures_and_recent_imports(client):
    org = small_org()
    audit_record(actor=None, action="org.import", target=org["hr"], after={"source_name": "people.csv"})
    _login(client, "hr")
    page = client.get("/").content.decode()
    assert "<strong>7</strong> active people" in page and "<strong>3</strong> managers" in page
    assert "people.csv" in page and "7 active people have no role blueprint" in page


def test_it_points_a_new_hire_to_their_blueprint(client, staff_blueprint):
    org = small_org()
    org["newhire"].start_date = timezone.localdate() - timedelta(days=3)
    org["newhire"].role = staff_blueprint.role
    org["newhire"].save()
    _login(client, "newhire")
    page = client.get("/").content.decode()
    assert "Read the Staff Software Engineer blueprint" in page and "Day 4 of 90" in page


def test_it_welcomes_an_account_without_a_person(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("service"))
    assert "not linked to a person" in client.get("/").content.decode()


def test_it_renders_the_dashboard_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    org = small_org()
    for n in range(25):
        person(f"extra{n}", manager=org["manager"])
    for username in ("director", "manager", "hr"):
        _login(client, username)
        with django_assert_max_num_queries(16):
            assert client.get("/").status_code == 200
