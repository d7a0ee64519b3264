"""The suggested readiness for the next level follows the rules of ladder/standing.py, and the page says
it is a suggestion."""

from decimal import Decimal

import pytest

from ladder.standing import SUGGESTION_LABEL, suggest
from tests.ladder.support import client_as, rate, start, submitted


def _suggest(**overrides):
    values = {
        "weighted_gap": 0,
        "gap_share": Decimal(0),
        "critical_gaps": 0,
        "weighted_score": Decimal("3.80"),
        "criteria_share": Decimal(1),
    }
    return suggest(**(values | overrides))


def test_it_suggests_ready_without_any_gap_a_high_score_and_every_criterion_met():
    assert _suggest() == "ready"


def test_it_is_not_ready_at_the_bar_alone():
    assert _suggest(weighted_score=Decimal("3.00")) == "ready_soon"
    assert _suggest(criteria_share=Decimal("0.9")) == "ready_soon"


def test_it_is_ready_soon_with_small_gaps_off_the_critical_skills():
    assert _suggest(weighted_gap=2, gap_share=Decimal("0.10"), criteria_share=Decimal("0.5")) == "ready_soon"


def test_a_critical_gap_or_few_criteria_make_it_developing():
    assert _suggest(weighted_gap=3, gap_share=Decimal("0.05"), critical_gaps=1) == "developing"
    assert _suggest(weighted_gap=1, gap_share=Decimal("0.05"), criteria_share=Decimal("0.4")) == "developing"


def test_large_gaps_are_not_ready_yet():
    assert _suggest(weighted_gap=9, gap_share=Decimal("0.36")) == "not_ready"


def test_no_criteria_count_as_nothing_missed():
    assert _suggest(criteria_share=None) == "ready"


@pytest.mark.django_db
def test_it_suggests_nothing_until_everything_is_answered(org):
    assessment = start()
    rate(assessment, [4, 4, 4, None])
    page = client_as("engineer").get(f"/ladder/assessments/{assessment.pk}/").content.decode()
    assert "No suggestion until every skill is rated" in page


@pytest.mark.django_db
def test_the_page_labels_the_suggestion_and_shows_the_managers_view_apart(org):
    assessment = submitted("engineer", [4, 4, 4, 4])
    assert assessment.suggested_readiness == "ready"
    page = client_as("manager").get(f"/ladder/assessments/{assessment.pk}/").content.decode()
    assert SUGGESTION_LABEL in page
    assert "Suggestion - your manager records the actual view" in page
    assert "No manager's view recorded yet." in page
