"""Text people type (evidence, comments, links) is escaped on the pages, in the charts and in the API."""

import pytest

from ladder import services
from ladder.models import Assessment
from tests.ladder.support import client_as, rate, start, submitted, user

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_evidence_is_escaped_everywhere(org):
    draft = start()
    row = draft.skills.order_by("skill__position").first()
    answer = draft.criteria.order_by("criterion__position").first()
    services.assessment_save(
        actor=user("engineer"),
        assessment=draft,
        version=draft.version,
        skills=[services.SkillInput(skill=row.skill_id, score=2, evidence=HOSTILE)],
        criteria=[services.CriterionInput(criterion=answer.criterion_id, status="met", evidence=HOSTILE)],
    )
    rate(Assessment.objects.get(pk=draft.pk), [2, 3, 3, 3], statuses=["met", "met"])
    assessment = services.assessment_submit(actor=user("engineer"), assessment=draft)
    services.manager_view_record(actor=user("manager"), assessment=assessment, readiness="ready", comment=HOSTILE)
    for username, url in (("engineer", "/ladder/me/"), ("manager", f"/ladder/assessments/{assessment.pk}/")):
        page = client_as(username).get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page
    page = client_as("manager").get(f"/ladder/assessments/{assessment.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    body = client_as("manager").get(f"/api/v1/ladder/assessments/{assessment.pk}/").json()
    assert body["skills"][0]["evidence"] == HOSTILE and body["manager_views"][0]["comment"] == HOSTILE


def test_a_hostile_link_is_refused(org):
    draft = submitted("engineer", [3, 3, 3, 3]) and start("engineer2")
    client = client_as("engineer2")
    page = client.get("/ladder/me/").content.decode()
    assert 'name="version"' in page
    skill = draft.skills.order_by("skill__position").first().skill_id
    response = client.post(
        "/ladder/me/",
        {
            "version": draft.version,
            f"s-{skill}-score": "3",
            f"s-{skill}-links": "javascript:alert(1)",
            "action": "save",
        },
    )
    assert response.status_code == 400 and "Not saved" in response.content.decode()
    assert "javascript:alert(1)</textarea>" in response.content.decode()
    assert Assessment.objects.get(pk=draft.pk).version == draft.version
