"""The engineer's self-assessment page works as a plain form: start, rate with evidence, save, submit; a
stale form (another tab saved first) keeps what was typed (409)."""

import pytest

from ladder.models import Assessment
from tests.ladder.support import client_as

pytestmark = pytest.mark.django_db


def _form(assessment: Assessment, scores: list[int | None], **extra: str) -> dict[str, str]:
    data = {"version": str(assessment.version), "action": "save"}
    for row, score in zip(assessment.skills.order_by("skill__position"), scores, strict=True):
        data[f"s-{row.skill_id}-score"] = str(score or "")
        data[f"s-{row.skill_id}-evidence"] = ""
        data[f"s-{row.skill_id}-links"] = ""
    for answer in assessment.criteria.all():
        data[f"c-{answer.criterion_id}-status"] = "met"
        data[f"c-{answer.criterion_id}-evidence"] = ""
    return data | extra


def test_it_starts_saves_and_submits_without_javascript(org):
    client = client_as("engineer")
    page = client.get("/ladder/me/").content.decode()
    assert "Start a self-assessment" in page
    assert client.post("/ladder/me/start/").status_code == 302
    draft = Assessment.objects.get()
    page = client.get("/ladder/me/").content.decode()
    assert "Meets the bar" in page and "What your current level expects" in page and "Skill 4" in page
    first = draft.skills.order_by("skill__position").first()
    data = _form(draft, [2, 3, None, 4])
    data[f"s-{first.skill_id}-evidence"] = "Led the design review."
    data[f"s-{first.skill_id}-links"] = "https://wiki.example.test/adr/1\r\n"
    data[f"s-{first.skill_id}-kpis"] = "Change failure rate (DORA)"
    assert client.post("/ladder/me/", data).status_code == 302
    row = draft.skills.get(pk=first.pk)
    assert (row.score, row.evidence, row.links, row.kpis) == (
        2,
        "Led the design review.",
        ["https://wiki.example.test/adr/1"],
        ["Change failure rate (DORA)"],
    )
    draft.refresh_from_db()
    incomplete = client.post("/ladder/me/", _form(draft, [2, 3, None, 4], action="submit"))
    assert incomplete.status_code == 400 and "1 skill is not rated" in incomplete.content.decode()
    draft.refresh_from_db()
    done = client.post("/ladder/me/", _form(draft, [2, 3, 3, 4], action="submit"))
    assert done.status_code == 302 and done["Location"] == f"/ladder/assessments/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.state == "submitted" and draft.submitted_at is not None
    assert "Start a self-assessment" in client.get("/ladder/me/").content.decode()


def test_a_stale_form_keeps_what_was_typed(org):
    client = client_as("engineer")
    client.post("/ladder/me/start/")
    draft = Assessment.objects.get()
    old = _form(draft, [2, 2, 2, 2])
    assert client.post("/ladder/me/", old).status_code == 302
    stale = client.post("/ladder/me/", _form(draft, [5, 5, 5, 5]))
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "changed elsewhere" in page and '<option value="5" selected>' in page
    assert f'name="version" value="{draft.version + 1}"' in page
    assert list(draft.skills.values_list("score", flat=True)) == [2, 2, 2, 2]


def test_someone_without_a_role_is_told_why(org):
    client = client_as("manager")
    assert "no role with a published blueprint" in client.get("/ladder/me/").content.decode()
    response = client.post("/ladder/me/start/", follow=True)
    assert "nothing to assess against" in response.content.decode()
    assert not Assessment.objects.exists()
