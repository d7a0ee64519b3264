import pytest

from tests.reviews.cycle_support import client_as, demo_org, move, new_cycle, opened, review_of  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


def test_it_lists_every_cycle_to_every_colleague():
    opened(new_cycle("2026 Q4"))
    new_cycle("2027 Q1")
    for username in ("engineer", "engineer2", "manager", "director", "hr"):
        page = client_as(username).get("/cycles/").content.decode()
        assert "2026 Q4" in page and "2027 Q1" in page


def test_it_offers_new_cycle_to_hr_only():
    assert 'href="/cycles/new/"' in client_as("hr").get("/cycles/").content.decode()
    for username in ("engineer", "manager", "director"):
        assert 'href="/cycles/new/"' not in client_as(username).get("/cycles/").content.decode()


def test_it_counts_only_the_reviews_the_caller_may_open():
    cycle = opened(new_cycle())
    move(review_of(cycle, "engineer"), "self_submitted")
    hr = client_as("hr").get("/cycles/").context["rows"][0]
    assert hr["total"] == 3
    assert {cell["state"]: cell["count"] for cell in hr["cells"]}["self_submitted"] == 1
    manager = client_as("manager").get("/cycles/").context["rows"][0]
    assert manager["total"] == 2  # engineer and newhire
    engineer2 = client_as("engineer2").get("/cycles/").context["rows"][0]
    assert engineer2["total"] == 1


def test_it_sends_anonymous_callers_to_log_in(db):
    response = client_as(None).get("/cycles/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_lists_cycles_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    for n in range(6):
        cycle = new_cycle(f"Cycle {n}")
        if n % 2:
            opened(cycle)
    for username in ("hr", "manager", "engineer"):
        client = client_as(username)
        with django_assert_max_num_queries(7):
            assert client.get("/cycles/").status_code == 200
