import pytest
from django.contrib.auth.models import User

from audit.models import AuditEntry
from tests.org_builders import person, small_org

pytestmark = pytest.mark.django_db


def _login(client, username):
    client.force_login(User.objects.get(username=username))


def test_it_lists_active_colleagues_with_filters(client):
    small_org()
    _login(client, "engineer")
    page = client.get("/people/").content.decode()
    assert "Engineer2" in page and "Manager" in page
    page = client.get("/people/?team=payments").content.decode()
    assert "Engineer2" in page and "Newhire" not in page
    page = client.get("/people/?q=newh").content.decode()
    assert "Newhire" in page and "Engineer2" not in page


def test_it_scopes_the_directory_to_a_managers_reports_and_org(client):
    small_org()
    _login(client, "director")
    # Profile links, not bare names: "Hr" could be two letters of the page's CSRF token.
    reports = client.get("/people/?scope=reports").content.decode()
    assert 'href="/people/manager2/"' in reports and 'href="/people/newhire/"' not in reports
    org = client.get("/people/?scope=org").content.decode()
    assert 'href="/people/newhire/"' in org and 'href="/people/hr/"' not in org


def test_it_shows_deactivated_people_to_hr_only(client):
    org = small_org()
    leaver = person("leaver", manager=org["manager"], active=False)
    _login(client, "engineer")
    assert "Leaver" not in client.get("/people/?inactive=1").content.decode()
    assert client.get("/people/leaver/").status_code == 404
    _login(client, "hr")
    assert "Leaver" in client.get("/people/?inactive=1").content.decode()
    assert client.get(f"/people/{leaver.user.username}/").status_code == 200


def test_it_shows_the_basic_profile_to_colleagues_and_the_full_one_to_the_chain(client):
    small_org()
    _login(client, "engineer2")
    basic = client.get("/people/engineer/").content.decode()
    assert "<dt>Start date</dt>" not in basic and "<dt>Level</dt>" not in basic and "Manager chain" not in basic
    assert "Level, start date and reviews are visible to" in basic
    _login(client, "director")
    full = client.get("/people/engineer/").content.decode()
    assert (
        "<dt>Start date</dt>" in full
        and "<dt>Level</dt>" in full
        and "Manager chain" in full
        and "Edit record" not in full
    )


def test_it_lets_hr_edit_a_record_and_records_the_change(client):
    org = small_org()
    _login(client, "hr")
    response = client.post(
        "/people/engineer/edit/",
        {
            "name": "Eli Engineer",
            "email": "eli@example.test",
            "title": "Senior Staff Engineer",
            "level": "Senior Staff",
            "team": "platform",
            "manager": "manager2",
            "start_date": "2022-03-01",
            "active": "on",
            "reason": "Moved to payments",
        },
    )
    assert response.status_code == 302
    engineer = org["engineer"].__class__.objects.get(pk=org["engineer"].pk)
    assert engineer.manager == org["manager2"] and engineer.level == "Senior Staff"
    entry = AuditEntry.objects.get(action="employee.update")
    assert entry.before["manager"] == "manager" and entry.after["manager"] == "manager2"
    assert entry.reason == "Moved to payments"
    page = client.get("/people/engineer/").content.decode()
    assert "Record history" in page and "Moved to payments" in page


def test_it_refuses_a_loop_in_the_manager_chain_and_changes_nothing(client):
    org = small_org()
    _login(client, "hr")
    response = client.post(
        "/people/manager/edit/",
        {
            "name": "Manager",
            "email": "manager@example.test",
            "manager": "engineer",
            "start_date": "2022-03-01",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "loop in the manager chain" in response.content.decode()
    assert org["manager"].__class__.objects.get(pk=org["manager"].pk).manager == org["director"]
    assert not AuditEntry.objects.exists()


def test_it_refuses_to_deactivate_a_manager_with_reports(client):
    small_org()
    _login(client, "hr")
    response = client.post(
        "/people/manager/edit/",
        {"name": "Manager", "email": "manager@example.test", "manager": "director", "start_date": "2022-03-01"},
    )
    assert response.status_code == 200
    assert "still has 2 active report(s)" in response.content.decode()


def test_it_deactivates_a_leaver_and_blocks_their_login(client):
    org = small_org()
    _login(client, "hr")
    response = client.post(
        "/people/newhire/edit/",
        {"name": "Newhire", "email": "newhire@example.test", "manager": "manager", "start_date": "2022-03-01"},
    )
    assert response.status_code == 302
    newhire = org["newhire"].__class__.objects.select_related("user").get(pk=org["newhire"].pk)
    assert not newhire.active and newhire.deactivated_at and not newhire.user.is_active


@pytest.mark.parametrize("username", ["manager", "engineer", "director"])
def test_it_forbids_edits_to_everyone_but_hr(client, username):
    small_org()
    _login(client, username)
    assert client.get("/people/engineer/edit/").status_code == 403
    assert client.post("/people/engineer/edit/", {"name": "x"}).status_code == 403


def test_it_lists_people_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    org = small_org()
    for n in range(30):
        person(f"extra{n}", manager=org["manager"])
    _login(client, "director")
    with django_assert_max_num_queries(12):
        assert client.get("/people/?scope=org").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/people/manager/").status_code == 200
