"""HR sets a final rating from the calibration page: a justification is required when it differs from the
proposed rating (400, nothing written); the change is audited with before, after and reason and moves the
review to calibrated; a stale version is a conflict that names the current final rating and who set it."""

import pytest

from audit.models import AuditEntry
from reviews.models import Review
from reviews.services import review_calibrate
from tests.reviews.calibration_support import adjust_url, calibration_cycle, client_as, place, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_blueprint):
    return calibration_cycle()


@pytest.fixture
def target(cycle):
    # Proposed rating 3 (every dimension 3); the self-assessment says 4.
    return place(cycle, "engineer2", state="manager_submitted", self_scores=4, manager_scores=3, potential="high")


def calibrations(target) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="review.calibrate", target_id=str(target.pk)).order_by("pk"))


def post(cycle, target, htmx: bool = False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client_as("hr").post(adjust_url(cycle, target), data, **headers)


@pytest.mark.parametrize("htmx", [False, True])
def test_it_requires_a_justification_when_the_rating_differs(cycle, target, htmx):
    response = post(cycle, target, htmx=htmx, version=target.version, final_rating=4, justification="  ")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Say why the final rating differs from the manager&#x27;s weighted score (3)." in content
    assert 'aria-invalid="true"' in content
    fresh = Review.objects.get(pk=target.pk)
    assert (fresh.state, fresh.final_rating, fresh.version) == ("manager_submitted", None, target.version)
    assert calibrations(target) == []


@pytest.mark.parametrize("final_rating", ["", "0", "6", "four"])
def test_it_refuses_a_rating_outside_1_to_5(cycle, target, final_rating):
    response = post(cycle, target, version=target.version, final_rating=final_rating, justification="x")
    assert response.status_code == 400
    assert "Choose a final rating from 1 to 5." in response.content.decode()
    assert Review.objects.get(pk=target.pk).final_rating is None


def test_it_sets_the_final_rating_and_audits_before_after_and_reason(cycle, target):
    hr = client_as("hr")
    response = hr.post(
        adjust_url(cycle, target), {"version": target.version, "final_rating": 4, "justification": "Led the PCI work."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#row-{target.pk}")
    fresh = Review.objects.get(pk=target.pk)
    assert (fresh.state, fresh.final_rating, fresh.version) == ("calibrated", 4, target.version + 1)
    assert fresh.calibration_justification == "Led the PCI work."
    [entry] = calibrations(target)
    assert entry.actor.username == "hr"
    assert entry.before == {"state": "manager_submitted", "final_rating": None}
    assert entry.after["final_rating"] == 4 and entry.after["state"] == "calibrated"
    assert entry.reason == "Led the PCI work."
    page = hr.get(response["Location"].split("#")[0]).content.decode()
    assert "Final rating of Emery Engineer: 4 (Exceeds), was not set; proposed 3 (Meets the bar)." in page
    assert "Led the PCI work." in page  # in the adjusted ratings, with the proposed rating and the one before


def test_it_accepts_the_proposed_rating_without_a_justification(cycle, target):
    assert post(cycle, target, version=target.version, final_rating=3, justification="").status_code == 302
    assert Review.objects.get(pk=target.pk).final_rating == 3


def test_it_swaps_the_row_for_htmx_with_before_and_after(cycle, target):
    response = post(cycle, target, htmx=True, version=target.version, final_rating=2, justification="Missed the bar.")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="row-{target.pk}"')
    assert "Saved: final rating <strong>2</strong>" in content
    assert "(proposed 3, was not set)" in content
    assert "Missed the bar." in content
    assert f'name="version" value="{target.version + 1}"' in content


def test_the_htmx_answer_counts_the_summary_and_the_final_distribution_again(cycle, target):
    """Beside the row, htmx swaps in (out of band) the summary and the final ratings' distribution, with
    the rating just set counted."""
    page = client_as("hr").get(f"/cycles/{cycle.pk}/calibration/").content.decode()
    assert "<li><strong>0</strong> with a final rating</li>" in page
    response = post(cycle, target, htmx=True, version=target.version, final_rating=2, justification="Missed the bar.")
    content = response.content.decode()
    summary = content[content.index('id="calibration-figures"') :]
    assert 'hx-swap-oob="true"' in summary[:200]
    assert "<li><strong>1</strong> with a final rating</li>" in summary
    assert "<li><strong>1</strong> adjusted from the proposed rating</li>" in summary
    assert "<strong>2.00</strong> mean final rating" in summary
    distribution = content[content.index('id="calibration-final-distribution"') :]
    assert 'hx-swap-oob="true"' in distribution[:120]
    assert "1 review" in distribution and "mean 2.00" in distribution


@pytest.mark.parametrize("htmx", [False, True])
def test_it_reports_a_stale_version_with_the_current_rating_and_who_set_it(cycle, target, htmx):
    review_calibrate(
        actor=user("hr"), review=target, version=target.version, final_rating=5, justification="Outstanding."
    )
    response = post(cycle, target, htmx=htmx, version=target.version, final_rating=2, justification="Too generous.")
    assert response.status_code == 409
    content = response.content.decode()
    assert "Emery Engineer&#x27;s review was changed by Harper Rivera" in content
    assert "The final rating is now 5 (Far exceeds)." in content
    fresh = Review.objects.get(pk=target.pk)
    assert (fresh.final_rating, fresh.version) == (5, target.version + 1)
    assert len(calibrations(target)) == 1


def test_it_refuses_a_review_that_is_not_waiting_for_calibration(cycle):
    draft = place(cycle, "newhire", state="self_submitted", self_scores=3)
    response = post(cycle, draft, version=draft.version, final_rating=3, justification="")
    assert response.status_code == 403
    assert Review.objects.get(pk=draft.pk).state == "self_submitted"
