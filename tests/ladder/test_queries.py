"""The results page and a person's list read in a fixed number of queries, whatever the number of skills
and assessments."""

import pytest

from tests.ladder.support import blueprint, client_as, org_with_ladder, rate, start, submitted

pytestmark = pytest.mark.django_db


def _results(skills: int, django_assert_num_queries, expected: int):
    version = blueprint(skills=skills, criteria=3)
    org_with_ladder(version)
    assessment = submitted("engineer", [2] * skills, days_ago=30)
    draft = start()
    rate(draft, [3] * skills)
    client = client_as("manager")
    client.get("/")  # the session and the user, loaded once
    with django_assert_num_queries(expected):
        assert client.get(f"/ladder/assessments/{assessment.pk}/").status_code == 200


@pytest.mark.parametrize("skills", [2, 20])
def test_the_results_page_reads_in_fixed_queries(skills, django_assert_num_queries):
    _results(skills, django_assert_num_queries, expected=10)


@pytest.mark.parametrize("count", [2, 20])
def test_the_people_list_reads_in_fixed_queries(count, django_assert_num_queries):
    version = blueprint(skills=4, criteria=1)
    org_with_ladder(version)
    for days in range(count):
        submitted("engineer", [3, 2, 3, 3], days_ago=days + 1)
    client = client_as("manager")
    with django_assert_num_queries(7):
        page = client.get("/ladder/people/engineer/")
    assert page.status_code == 200 and page.content.decode().count("/ladder/assessments/") == count


@pytest.mark.parametrize("skills", [2, 20])
def test_the_self_assessment_form_reads_in_fixed_queries(skills, django_assert_num_queries):
    version = blueprint(skills=skills, criteria=2)
    org_with_ladder(version)
    start()
    client = client_as("engineer")
    with django_assert_num_queries(12):
        assert client.get("/ladder/me/").status_code == 200
