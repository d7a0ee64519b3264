import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from hiring.models import Scorecard
from tests.hiring.conftest import client_for
from tests.hiring.support import submit

pytestmark = pytest.mark.django_db


def test_it_refuses_to_change_a_submitted_scorecard_without_an_amendment_reason(hiring):
    first = submit(hiring["engineer_interview"], {"System design & architecture": "yes"})
    with pytest.raises(ValidationError) as exc:
        submit(hiring["engineer_interview"], {"System design & architecture": "strong_no"})
    assert "amend_reason" in exc.value.message_dict
    first.refresh_from_db()
    assert [r.rating for r in first.ratings.all()] == ["yes"]
    assert Scorecard.objects.count() == 1


def test_it_records_an_amendment_as_a_new_audited_scorecard(hiring):
    first = submit(hiring["engineer_interview"], {"System design & architecture": "yes"})
    second = submit(
        hiring["engineer_interview"], {"System design & architecture": "no"}, amend_reason="Misread my notes."
    )
    assert second.pk != first.pk and second.amends_id == first.pk
    assert [r.rating for r in Scorecard.objects.get(pk=first.pk).ratings.all()] == ["yes"]
    entry = AuditEntry.objects.get(action="hiring.scorecard_amend")
    assert entry.reason == "Misread my notes." and entry.before == {"scorecard": first.pk}


def test_the_page_answers_400_to_a_resubmission_without_a_reason(hiring):
    interview = hiring["engineer_interview"]
    submit(interview, {"System design & architecture": "yes"})
    response = client_for("engineer").post(reverse("hiring:scorecard", args=[interview.pk]), {"recommendation": "no"})
    assert response.status_code == 400
    assert Scorecard.objects.count() == 1


def test_the_api_answers_400_to_a_resubmission_without_a_reason(hiring):
    interview = hiring["engineer_interview"]
    submit(interview, {"System design & architecture": "yes"})
    response = client_for("engineer").post(
        reverse("api-hiring-scorecard-submit", args=[interview.pk]),
        {"recommendation": "no", "ratings": []},
        content_type="application/json",
    )
    assert response.status_code == 400 and "amend_reason" in response.json()
