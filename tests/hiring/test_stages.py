"""Moving a candidate between stages: the allowed transitions, reasons where needed, and the history."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from hiring.services import STAGE_TRANSITIONS
from tests.hiring.conftest import client_for

pytestmark = pytest.mark.django_db


def _move(client, candidate, stage, reason=""):  # type: ignore[no-untyped-def]
    return client.post(reverse("hiring:candidate_stage", args=[candidate.pk]), {"stage": stage, "reason": reason})


def test_it_moves_a_candidate_forward_to_hired_and_records_each_step(hiring):
    candidate, client = hiring["candidate"], client_for("manager")
    for stage in ("screen", "onsite", "offer", "hired"):
        response = _move(client, candidate, stage)
        assert response.status_code == 302, stage
        candidate.refresh_from_db()
        assert candidate.stage == stage
    entries = list(AuditEntry.objects.filter(action="hiring.candidate_stage").order_by("pk"))
    assert [(e.before["stage"], e.after["stage"]) for e in entries] == [
        ("applied", "screen"),
        ("screen", "onsite"),
        ("onsite", "offer"),
        ("offer", "hired"),
    ]
    assert all(e.actor.username == "manager" for e in entries)
    page = client.get(reverse("hiring:candidate", args=[candidate.pk])).content.decode()
    assert "Hired is final." in page and 'id="stage-history"' in page


def test_it_refuses_a_skipped_step_naming_the_allowed_ones(hiring):
    candidate = hiring["candidate"]
    response = _move(client_for("manager"), candidate, "offer")
    assert response.status_code == 400
    assert "cannot move to Offer (allowed: Screen, Rejected)" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == "applied" and not AuditEntry.objects.filter(action="hiring.candidate_stage").exists()


def test_hired_is_final(hiring):
    candidate = hiring["candidate"]
    url = reverse("api-hiring-candidate-stage", args=[candidate.pk])
    client = client_for("hr")
    for stage in ("screen", "onsite", "offer", "hired"):
        assert client.post(url, {"stage": stage}, content_type="application/json").status_code == 200
    response = client.post(url, {"stage": "rejected", "reason": "Changed our mind"}, content_type="application/json")
    assert response.status_code == 400 and "none: it is final" in response.json()["stage"][0]


def test_rejecting_and_reconsidering_need_a_reason(hiring):
    candidate = hiring["candidate"]
    url = reverse("api-hiring-candidate-stage", args=[candidate.pk])
    client = client_for("manager")
    bare = client.post(url, {"stage": "rejected"}, content_type="application/json")
    assert bare.status_code == 400 and "reason" in bare.json()
    done = client.post(url, {"stage": "rejected", "reason": "Not enough depth"}, content_type="application/json")
    assert done.status_code == 200 and done.json() == {
        "id": candidate.pk,
        "stage": "rejected",
        "next_stages": ["applied"],
    }
    assert client.post(url, {"stage": "applied"}, content_type="application/json").status_code == 400
    back = client.post(url, {"stage": "applied", "reason": "Re-applied a year later"}, content_type="application/json")
    assert back.status_code == 200
    entry = AuditEntry.objects.filter(action="hiring.candidate_stage").latest("pk")
    assert entry.reason == "Re-applied a year later" and entry.before == {"stage": "rejected"}


def test_an_offer_may_go_back_to_onsite_for_more_signal():
    assert "onsite" in STAGE_TRANSITIONS["offer"]


def test_only_the_hiring_manager_and_hr_move_candidates(hiring):
    candidate = hiring["candidate"]
    assert _move(client_for("engineer"), candidate, "screen").status_code == 403
    assert _move(client_for("engineer2"), candidate, "screen").status_code == 404
    url = reverse("api-hiring-candidate-stage", args=[candidate.pk])
    assert client_for("manager2").post(url, {"stage": "screen"}, content_type="application/json").status_code == 403
    candidate.refresh_from_db()
    assert candidate.stage == "applied"
