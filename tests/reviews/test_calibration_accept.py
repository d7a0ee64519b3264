"""Accepting many reviews as they are is all or nothing: one stale or unfit review and nothing is written;
otherwise each gets its proposed rating as the final one, moves to calibrated and is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from reviews.calibration_services import CalibrationConflict, calibration_accept_as_is
from reviews.models import Review
from tests.reviews.calibration_support import accept_url, calibration_cycle, client_as, page_url, place, user
from tests.reviews.cycle_support import new_cycle, opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_blueprint):
    cycle = calibration_cycle(engineers=3)
    place(cycle, "eng0001", state="manager_submitted", self_scores=3, manager_scores=4)
    place(cycle, "eng0002", state="manager_submitted", self_scores=3, manager_scores=[4, 3, 3, 4, 3, 4, 3])  # 3.50
    place(cycle, "eng0003", state="manager_submitted", self_scores=3, manager_scores=2)
    return cycle


def chosen(cycle) -> dict[int, int]:
    reviews = Review.objects.filter(cycle=cycle, employee__user__username__in=["eng0001", "eng0002", "eng0003"])
    return dict(reviews.values_list("pk", "version"))


def snapshot(cycle) -> list[tuple]:
    return list(Review.objects.filter(cycle=cycle).order_by("pk").values_list("pk", "state", "final_rating", "version"))


def test_it_accepts_each_proposed_rating_and_audits_it(cycle):
    picked = chosen(cycle)
    accepted = calibration_accept_as_is(actor=user("hr"), cycle=cycle, reviews=picked)
    assert len(accepted) == 3
    finals = dict(Review.objects.filter(pk__in=picked).values_list("employee__user__username", "final_rating"))
    assert finals == {"eng0001": 4, "eng0002": 4, "eng0003": 2}
    for review in Review.objects.filter(pk__in=picked):
        assert review.state == "calibrated" and review.calibrated_at is not None
        assert review.version == picked[review.pk] + 1
    entries = AuditEntry.objects.filter(action="review.calibrate", target_id__in=[str(pk) for pk in picked])
    assert entries.count() == 3
    for entry in entries:
        assert entry.actor.username == "hr"
        assert entry.reason == "Accepted as is with 2 others"
        assert entry.before == {"state": "manager_submitted", "final_rating": None}
        assert entry.after["bulk"] is True and entry.after["state"] == "calibrated"
    assert {entry.after["weighted_manager_score"] for entry in entries} == {"4.00", "3.50", "2.00"}


def test_it_writes_nothing_when_one_review_is_stale(cycle):
    picked = chosen(cycle)
    stale = next(iter(picked))
    picked[stale] -= 1
    before = snapshot(cycle)
    with pytest.raises(CalibrationConflict) as caught:
        calibration_accept_as_is(actor=user("hr"), cycle=cycle, reviews=picked)
    assert [review.pk for review in caught.value.reviews] == [stale]
    assert snapshot(cycle) == before
    assert not AuditEntry.objects.filter(action="review.calibrate").exists()


def test_it_names_every_review_that_cannot_be_accepted(cycle):
    place(cycle, "eng0002", state="self_submitted", self_scores=3)
    picked = chosen(cycle)
    other = opened(new_cycle("Another cycle"))
    picked[Review.objects.filter(cycle=other).first().pk] = 1
    before = snapshot(cycle)
    with pytest.raises(ValidationError) as caught:
        calibration_accept_as_is(actor=user("hr"), cycle=cycle, reviews=picked)
    messages = caught.value.messages
    assert len(messages) == 2
    assert any("is not a review of Calibration cycle" in message for message in messages)
    assert any("the review is self submitted, not waiting for calibration" in message for message in messages)
    assert snapshot(cycle) == before


def test_it_is_for_hr_only(cycle):
    with pytest.raises(PermissionDenied):
        calibration_accept_as_is(actor=user("director"), cycle=cycle, reviews=chosen(cycle))
    assert not AuditEntry.objects.filter(action="review.calibrate").exists()


def test_it_offers_the_manager_submitted_reviews_and_accepts_them(cycle):
    page = client_as("hr").get(page_url(cycle)).content.decode()
    assert "Accept the 3 manager-submitted reviews in the cycle as they are" in page
    picked = ",".join(f"{pk}:{version}" for pk, version in sorted(chosen(cycle).items()))
    assert f'<input type="hidden" name="review" value="{picked}">' in page
    response = client_as("hr").post(accept_url(cycle), {"review": picked})
    assert response.status_code == 302
    assert Review.objects.filter(cycle=cycle, state="calibrated").count() == 3


def test_it_accepts_reviews_posted_one_a_field(cycle):
    response = client_as("hr").post(
        accept_url(cycle), {"review": [f"{pk}:{version}" for pk, version in chosen(cycle).items()]}
    )
    assert response.status_code == 302
    assert Review.objects.filter(cycle=cycle, state="calibrated").count() == 3


@pytest.mark.parametrize("posted", ["1:2,x", "1:2,,3:4", ":", "1:2;3:4"])
def test_it_accepts_nothing_from_a_form_it_does_not_understand(cycle, posted):
    before = snapshot(cycle)
    response = client_as("hr").post(accept_url(cycle), {"review": posted})
    assert response.status_code == 400
    assert "Nothing was accepted: the form was not understood." in response.content.decode()
    assert snapshot(cycle) == before


def test_it_answers_a_conflict_on_the_page_naming_the_people(cycle):
    picked = chosen(cycle)
    first = min(picked)
    Review.objects.filter(pk=first).update(version=picked[first] + 1)
    name = Review.objects.get(pk=first).employee.name
    before = snapshot(cycle)
    response = client_as("hr").post(accept_url(cycle), {"review": [f"{pk}:{v}" for pk, v in picked.items()]})
    assert response.status_code == 409
    assert f"Nothing was accepted: {name} changed since you loaded the page." in response.content.decode()
    assert snapshot(cycle) == before


def test_it_offers_only_the_rows_the_filters_show(cycle):
    response = client_as("hr").get(page_url(cycle, "?state=draft"))
    assert "manager-submitted review" not in response.content.decode()


def test_it_leaves_reviews_accepted_as_is_out_of_the_adjusted_ratings(cycle, django_assert_num_queries):
    from reviews.calibration import calibration_adjustments
    from reviews.services import review_calibrate

    picked = chosen(cycle)
    adjusted = Review.objects.get(cycle=cycle, employee__user__username="eng0003")
    del picked[adjusted.pk]
    calibration_accept_as_is(actor=user("hr"), cycle=cycle, reviews=picked)
    review_calibrate(
        actor=user("hr"), review=adjusted, version=adjusted.version, final_rating=3, justification="Carried the team."
    )
    hr = user("hr")
    calibration_adjustments(user=hr, cycle=cycle)  # the caller's groups and employee record, once
    with django_assert_num_queries(1):
        found = calibration_adjustments(user=hr, cycle=cycle)
    assert [(change.review_id, change.proposed, change.after) for change in found] == [(adjusted.pk, 2, 3)]
    assert AuditEntry.objects.filter(action="review.calibrate", after__bulk=True).count() == 2
