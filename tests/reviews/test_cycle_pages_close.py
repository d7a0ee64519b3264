import pytest

from audit.models import AuditEntry
from org.models import Employee
from reviews.cycle_forms import listed_digest
from reviews.models import Cycle
from reviews.services import review_transition
from tests.org_builders import person
from tests.reviews.cycle_support import calibrating, client_as, demo_org, move, new_cycle, opened, review_of, user  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


@pytest.fixture
def cycle():
    cycle = opened(new_cycle())
    move(review_of(cycle, "engineer"), "shared")
    return calibrating(cycle)


@pytest.fixture
def org_with_many_unfinished(staff_blueprint):
    manager = Employee.objects.get(user__username="manager")
    for n in range(5):
        person(f"extra{n}", manager=manager, team=manager.team)
    Employee.objects.filter(user__username__startswith="extra").update(role=staff_blueprint.role)
    return calibrating(opened(new_cycle()))  # 8 drafts


def test_it_lists_each_unfinished_review_with_a_checkbox(cycle):
    page = client_as("hr").get(f"/cycles/{cycle.pk}/").content.decode()
    for username in ("engineer2", "newhire"):
        review = review_of(cycle, username)
        assert f'name="close-confirm" value="{review.pk}"' in page
    assert f'name="close-confirm" value="{review_of(cycle, "engineer").pk}"' not in page
    assert "2 reviews not shared yet" in page


def test_it_refuses_to_close_until_each_unfinished_review_is_ticked(cycle):
    newhire = review_of(cycle, "newhire")
    response = client_as("hr").post(f"/cycles/{cycle.pk}/close/", {"close-confirm": [newhire.pk]})
    assert response.status_code == 200
    assert response.context["close_form"].errors["confirm"] == [
        "Tick each unfinished review, or confirm the whole list, to close the cycle; not ticked: Emery Engineer."
    ]
    page = response.content.decode()
    assert f'value="{newhire.pk}" checked' in page  # what HR ticked stays ticked
    assert Cycle.objects.get(pk=cycle.pk).state == "calibrating"


def test_it_closes_once_every_unfinished_review_is_confirmed(cycle):
    confirmed = [review_of(cycle, "newhire").pk, review_of(cycle, "engineer2").pk]
    response = client_as("hr").post(
        f"/cycles/{cycle.pk}/close/", {"close-confirm": confirmed, "close-reason": "Both on leave"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Closed 2026 Q4 with 2 unfinished review(s)."]
    cycle.refresh_from_db()
    assert cycle.state == "closed" and cycle.closed_at is not None
    entry = AuditEntry.objects.get(action="cycle.close", target_id=str(cycle.pk))
    assert entry.after["closed_unfinished"] == sorted(confirmed) and entry.reason == "Both on leave"
    assert "closed the cycle with 2 unfinished reviews" in response.content.decode()


def test_it_closes_without_ticks_when_every_review_is_finished():
    cycle = opened(new_cycle(teams=[]))
    for username in ("engineer", "engineer2", "newhire"):
        move(review_of(cycle, username), "shared")
    calibrating(cycle)
    response = client_as("hr").post(f"/cycles/{cycle.pk}/close/", follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Closed 2026 Q4."]
    assert Cycle.objects.get(pk=cycle.pk).state == "closed"


def test_it_refuses_to_close_a_cycle_that_is_not_calibrating():
    cycle = opened(new_cycle())
    response = client_as("hr").post(f"/cycles/{cycle.pk}/close/", follow=True)
    assert [str(m) for m in response.context["messages"]] == ["The cycle is open; only a calibrating cycle closes."]
    assert Cycle.objects.get(pk=cycle.pk).state == "open"


def test_it_refuses_to_close_for_anyone_but_hr(cycle):
    everything = {"close-confirm": [review_of(cycle, u).pk for u in ("newhire", "engineer2")]}
    for username in ("engineer", "manager", "director"):
        assert client_as(username).post(f"/cycles/{cycle.pk}/close/", everything).status_code == 403
    assert Cycle.objects.get(pk=cycle.pk).state == "calibrating"


def test_it_closes_with_the_whole_list_confirmed_at_once(cycle):
    page = client_as("hr").get(f"/cycles/{cycle.pk}/").content.decode()
    listed = listed_digest([review_of(cycle, "engineer2"), review_of(cycle, "newhire")])
    assert f'name="close-listed" value="{listed}"' in page
    response = client_as("hr").post(
        f"/cycles/{cycle.pk}/close/", {"close-confirm_listed": "on", "close-listed": listed}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="cycle.close", target_id=str(cycle.pk))
    assert entry.after["closed_unfinished"] == sorted(
        [review_of(cycle, "engineer2").pk, review_of(cycle, "newhire").pk]
    )


def test_it_refuses_a_whole_list_confirmation_when_the_list_has_changed(cycle):
    listed = listed_digest([review_of(cycle, "engineer2"), review_of(cycle, "newhire")])
    # HR reopens the shared review in another tab: it is unfinished again, and was not on the list.
    review_transition(actor=user("hr"), review=review_of(cycle, "engineer"), action="reopen", reason="Evidence")
    response = client_as("hr").post(
        f"/cycles/{cycle.pk}/close/", {"close-confirm_listed": "on", "close-listed": listed}
    )
    assert response.status_code == 200
    assert response.context["close_form"].non_field_errors() == [
        "The unfinished reviews changed since the page was loaded; check the list again."
    ]
    assert f'value="{listed_digest(response.context["close_form"].unfinished)}"' in response.content.decode()
    assert Cycle.objects.get(pk=cycle.pk).state == "calibrating"


def test_it_names_a_few_of_many_unticked_reviews(org_with_many_unfinished):
    cycle = org_with_many_unfinished
    response = client_as("hr").post(f"/cycles/{cycle.pk}/close/")
    [error] = response.context["close_form"].errors["confirm"]
    assert error.endswith("not ticked: Eli Engineer, Emery Engineer, Extra0, Extra1, Extra2 and 3 more.")
