"""A gap weighs by the skill's importance: critical 3, important 2, optional 1, expert 1 (against a
hand-computed example)."""

from decimal import Decimal

import pytest

from ladder.models import AssessmentSkill
from ladder.standing import standing_of
from scorecards.models import Skill
from tests.ladder.support import rate, start, submitted

pytestmark = pytest.mark.django_db


def _row(position: int, importance: str, score: int | None) -> AssessmentSkill:
    skill = Skill(pk=position + 1, position=position, name=f"S{position}", group="soft", importance=importance)
    return AssessmentSkill(skill=skill, score=score)


def test_it_weights_each_gap_by_importance():
    # Gaps 1, 2, 2, 0 weigh 3, 2, 1, 1: weighted gap 3 + 4 + 2 + 0 = 9.
    # Weighted score (3*2 + 2*1 + 1*1 + 1*4) / (3 + 2 + 1 + 1) = 13 / 7 = 1.857... -> 1.86.
    standing = standing_of(
        [_row(0, "critical", 2), _row(1, "important", 1), _row(2, "optional", 1), _row(3, "expert", 4)], []
    )
    assert [s.weighted_gap for s in standing.skills] == [3, 4, 2, 0]
    assert standing.weighted_gap == 9
    assert standing.weighted_score == Decimal("1.86")
    assert standing.largest_gap == 2 * (3 + 2 + 1 + 1)


def test_it_weighs_a_critical_gap_three_times_an_optional_one():
    critical = standing_of([_row(0, "critical", 2), _row(1, "optional", 3)], [])
    optional = standing_of([_row(0, "critical", 3), _row(1, "optional", 2)], [])
    assert (critical.weighted_gap, optional.weighted_gap) == (3, 1)


def test_it_lists_critical_gaps_first_then_the_largest():
    standing = standing_of(
        [_row(0, "important", 1), _row(1, "critical", 2), _row(2, "optional", 1), _row(3, "critical", 1)], []
    )
    assert [s.skill.name for s in standing.gaps] == ["S3", "S1", "S0", "S2"]


def test_it_leaves_unrated_skills_out_of_the_figures():
    standing = standing_of([_row(0, "critical", None), _row(1, "important", 2)], [])
    assert standing.weighted_gap == 2 and standing.weighted_score == Decimal("2.00")
    assert not standing.complete and standing.suggestion is None


def test_it_freezes_the_figures_when_submitted(org):
    # Blueprint order: critical, important, optional, expert.
    assessment = submitted("engineer", [2, 1, 1, 4])
    assert assessment.weighted_gap == Decimal("9.00")
    assert assessment.weighted_score == Decimal("1.86")
    assert assessment.suggested_readiness == "not_ready"


def test_it_shows_the_weights_and_the_gap_view_on_the_page(org, client):
    assessment = start()
    rate(assessment, [2, 1, 1, 4])
    client.force_login(assessment.employee.user)
    page = client.get(f"/ladder/assessments/{assessment.pk}/").content.decode()
    assert "critical 3, important 2, optional 1, expert 1" in page
    gaps = page.split('id="gaps"')[1].split("</section>")[0]
    assert gaps.index("Skill 1") < gaps.index("Skill 2") < gaps.index("Skill 3")
    assert 'id="weighted-gap"><strong>9</strong>' in page
