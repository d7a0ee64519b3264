"""Scorecard drafts on the server: the interviewer's alone, never in the debrief or calibration, never a key
to the others' scorecards, and gone once submitted."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from hiring.models import ScorecardDraft
from hiring.selectors import candidate_debrief, interviewer_calibration
from scorecards.models import ScorecardDimension
from tests.hiring.conftest import client_for, user
from tests.hiring.support import submit

pytestmark = pytest.mark.django_db

SECRET = "Draft thought: strong on tradeoffs"


def _dimension(name: str) -> ScorecardDimension:
    return ScorecardDimension.objects.get(name=name, version__status="published")


def _draft_form(**extra: str) -> dict[str, str]:
    design = _dimension("System design & architecture").pk
    return {"action": "draft", "based_on": "", f"rating-{design}": "strong_yes", f"notes-{design}": SECRET, **extra}


def test_an_interviewer_saves_a_draft_and_comes_back_to_it(hiring):
    interview = hiring["engineer_interview"]
    client = client_for("engineer")
    url = reverse("hiring:scorecard", args=[interview.pk])
    response = client.post(url, _draft_form(recommendation="yes"))
    assert response.status_code == 302 and response["Location"] == url
    draft = ScorecardDraft.objects.get(interview=interview, interviewer__user__username="engineer")
    assert draft.data["ratings"]["System design & architecture"] == {"rating": "strong_yes", "notes": SECRET}
    page = client.get(url).content.decode()
    assert SECRET in page and 'value="strong_yes" selected' in page and "Discard the draft" in page
    candidate_page = client.get(reverse("hiring:candidate", args=[interview.candidate_id])).content.decode()
    assert "Continue your draft" in candidate_page
    assert not AuditEntry.objects.filter(action__startswith="hiring.scorecard").exists()


def test_nobody_else_sees_a_draft_and_it_counts_nowhere(hiring):
    interview, candidate = hiring["engineer_interview"], hiring["candidate"]
    client_for("engineer").post(reverse("hiring:scorecard", args=[interview.pk]), _draft_form(recommendation="yes"))
    for username in ("manager", "hr", "newhire", "manager2"):
        page = client_for(username).get(reverse("hiring:candidate", args=[candidate.pk])).content.decode()
        assert SECRET not in page and "draft" not in page.lower(), username
        body = client_for(username).get(reverse("api-hiring-candidate-detail", args=[candidate.pk])).json()
        seat = next(s for r in body["loop"] for s in r["panel"] if s["interviewer"]["username"] == "engineer")
        assert seat["scorecard"] is None and seat["scorecard_hidden"] is False and seat["draft_saved_at"] is None
    debrief = client_for("manager").get(reverse("api-hiring-debrief", args=[candidate.pk])).json()
    assert debrief["weighted_score"] is None and all(not d["ratings"] for d in debrief["dimensions"])
    assert candidate_debrief(candidate).scorecards == []
    assert interviewer_calibration(user("hr")) == []
    # Nobody else reads it in the API either (newhire is on the same interview: no draft of their own).
    draft_url = reverse("api-hiring-scorecard-draft", args=[interview.pk])
    assert client_for("newhire").get(draft_url).status_code == 404
    assert client_for("manager").get(draft_url).status_code == 403
    assert client_for("hr").get(draft_url).status_code == 403
    assert client_for("engineer2").get(draft_url).status_code == 404


def test_a_draft_does_not_unseal_the_others_scorecards(hiring):
    submit(hiring["manager2_interview"], {"Hands-on coding & debugging": "no"}, notes="Missed the race condition")
    client = client_for("engineer")
    client.post(reverse("hiring:scorecard", args=[hiring["engineer_interview"].pk]), _draft_form(recommendation="yes"))
    page = client.get(reverse("hiring:candidate", args=[hiring["candidate"].pk])).content.decode()
    assert "Missed the race condition" not in page and "hidden until you submit yours" in page


def test_submitting_deletes_the_draft_and_a_late_autosave_does_not_bring_it_back(hiring):
    interview = hiring["engineer_interview"]
    client = client_for("engineer")
    url = reverse("hiring:scorecard", args=[interview.pk])
    client.post(url, _draft_form())
    submitted = client.post(url, {**_draft_form(recommendation="yes"), "action": "submit"})
    assert submitted.status_code == 302 and not ScorecardDraft.objects.exists()
    # An autosave sent from the page as it was before the submission (based on no scorecard) is refused.
    late = client.post(reverse("hiring:scorecard_draft", args=[interview.pk]), _draft_form(), HTTP_HX_REQUEST="true")
    assert late.status_code == 200 and "was not saved" in late.content.decode()
    assert not ScorecardDraft.objects.exists()


def test_the_page_autosaves_through_htmx(hiring):
    interview = hiring["engineer_interview"]
    client = client_for("engineer")
    page = client.get(reverse("hiring:scorecard", args=[interview.pk])).content.decode()
    assert f'hx-post="{reverse("hiring:scorecard_draft", args=[interview.pk])}"' in page and "Save draft" in page
    response = client.post(
        reverse("hiring:scorecard_draft", args=[interview.pk]), _draft_form(notes="half-way"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Draft saved at" in response.content.decode()
    assert ScorecardDraft.objects.get().data["notes"] == "half-way"
    bad = client.post(
        reverse("hiring:scorecard_draft", args=[interview.pk]),
        _draft_form(recommendation="maybe"),
        HTTP_HX_REQUEST="true",
    )
    assert "Choose an overall recommendation" in bad.content.decode()
    assert ScorecardDraft.objects.get().data["notes"] == "half-way"


def test_the_api_saves_reads_and_discards_ones_own_draft(hiring):
    interview = hiring["engineer_interview"]
    url = reverse("api-hiring-scorecard-draft", args=[interview.pk])
    client = client_for("engineer")
    assert client.get(url).status_code == 404
    body = {
        "ratings": [{"dimension": "Communication", "notes": "Still deciding"}],
        "recommendation": "",
        "notes": "first pass",
        "based_on": None,
    }
    saved = client.put(url, body, content_type="application/json")
    assert saved.status_code == 200
    assert saved.json()["ratings"] == [{"dimension": "Communication", "rating": "", "notes": "Still deciding"}]
    assert client.get(url).json()["notes"] == "first pass"
    bad = client.put(url, {"ratings": [{"dimension": "Karaoke", "rating": "yes"}]}, content_type="application/json")
    assert bad.status_code == 400
    mine = client.get(reverse("api-hiring-candidate-detail", args=[interview.candidate_id])).json()
    own = next(s for r in mine["loop"] for s in r["panel"] if s["interviewer"]["username"] == "engineer")
    assert own["draft_saved_at"] is not None
    assert client.delete(url).status_code == 204 and client.get(url).status_code == 404
    submit(interview, {"Communication": "yes"}, by="engineer")
    stale = client.put(url, {"notes": "late", "based_on": None}, content_type="application/json")
    assert stale.status_code == 400 and "draft" in stale.json()
