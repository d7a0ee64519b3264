"""Filters narrow the rows (and the figures) by team, manager, level and state; a value that is not
understood is ignored with a message; columns sort both ways with the people not scored yet last."""

import pytest

from org.models import Employee
from reviews.calibration import CalibrationFilters, calibration_overview, calibration_rows
from tests.reviews.calibration_support import calibration_cycle, client_as, page_url, place, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_blueprint):
    cycle = calibration_cycle(engineers=16)
    place(cycle, "eng0001", state="manager_submitted", self_scores=3, manager_scores=5)
    place(cycle, "eng0002", state="manager_submitted", self_scores=5, manager_scores=2)  # gap 3.00
    place(cycle, "eng0003", state="calibrated", self_scores=3, manager_scores=3, final=4)
    place(cycle, "eng0009", state="manager_submitted", self_scores=4, manager_scores=4)
    place(cycle, "eng0010", state="self_submitted", self_scores=2)
    return cycle


def names(cycle, **filters) -> list[str]:
    rows = calibration_rows(user=user("hr"), cycle=cycle, filters=CalibrationFilters(**filters))
    return [row.username for row in rows]


def employee(username: str) -> Employee:
    return Employee.objects.get(user__username=username)


def test_it_filters_by_team_manager_level_and_state(cycle):
    team = employee("mgr002").team_id
    assert set(names(cycle, team=team)) == {f"eng{n:04d}" for n in range(9, 17)}
    assert set(names(cycle, manager=employee("manager").pk)) == {"engineer", "newhire"}
    level = employee("eng0001").level
    assert set(names(cycle, level=level)) == set(
        Employee.objects.filter(level=level, role__isnull=False).values_list("user__username", flat=True)
    )
    assert set(names(cycle, state="manager_submitted")) == {"eng0001", "eng0002", "eng0009"}
    assert names(cycle, team=team, state="manager_submitted") == ["eng0009"]


def test_it_narrows_the_figures_with_the_filters(cycle):
    team = employee("mgr001").team_id
    result = calibration_overview(user=user("hr"), cycle=cycle, filters=CalibrationFilters(team=team))
    assert result.figures["count"] == 8
    assert result.manager_score_distribution.total == 3
    assert result.final_distribution.counts[4] == 1


def test_it_sorts_by_weighted_manager_score_with_unscored_people_last(cycle):
    order = names(cycle, sort="-manager_score")
    assert order[:4] == ["eng0001", "eng0009", "eng0003", "eng0002"]
    ascending = names(cycle, sort="manager_score")
    assert ascending[:4] == ["eng0002", "eng0003", "eng0009", "eng0001"]
    assert set(order[4:]) == set(ascending[4:])  # the rest, without a score, last either way


def test_it_sorts_the_largest_gap_first(cycle):
    # |manager - self|: eng0002 3.00, eng0001 2.00, then eng0003 and eng0009 0.00, by name.
    order = names(cycle, sort="gap")
    assert order[:2] == ["eng0002", "eng0001"]
    assert set(order[2:4]) == {"eng0003", "eng0009"}


def test_it_sorts_by_final_rating_and_state(cycle):
    assert names(cycle, sort="-final")[0] == "eng0003"
    by_state = names(cycle, sort="-state")
    assert by_state[0] == "eng0003"
    assert set(by_state[1:4]) == {"eng0001", "eng0002", "eng0009"}  # manager_submitted next
    states = [
        row.state for row in calibration_rows(user=user("hr"), cycle=cycle, filters=CalibrationFilters(sort="state"))
    ]
    order = ["draft", "self_submitted", "manager_submitted", "calibrated", "shared", "acknowledged"]
    assert states == sorted(states, key=order.index)


def test_it_sorts_by_name_by_default(cycle):
    rows = calibration_rows(user=user("hr"), cycle=cycle, filters=CalibrationFilters())
    keys = [row.employee_name for row in rows]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"team": "platform"}, "team"),
        ({"manager": "-3"}, "manager"),
        ({"state": "approved"}, "state"),
        ({"sort": "salary"}, "sort"),
        ({"level": "x" * 60}, "level"),
    ],
)
def test_it_ignores_a_value_it_does_not_understand(query, field):
    filters, errors = CalibrationFilters.from_query(query)
    assert filters == CalibrationFilters()
    assert list(errors) == [field]


@pytest.mark.parametrize(
    "filters",
    [
        CalibrationFilters(),
        CalibrationFilters(team=3, manager=7, level="Staff", state="calibrated", sort="-gap"),
        CalibrationFilters(level="Senior", sort="manager_score"),
    ],
)
def test_it_reads_back_the_query_it_writes(filters):
    query = filters.as_query()
    assert all(isinstance(value, str) for value in query.values())
    assert CalibrationFilters.from_query(query) == (filters, {})


def test_it_shows_a_message_for_a_bad_filter_on_the_page(cycle):
    response = client_as("hr").get(page_url(cycle, "?team=abc&sort=nope"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose the team from the list; showing every team." in content
    assert "That column cannot be sorted; sorted by name." in content


def test_it_links_each_column_to_sort_it_keeping_the_filters(cycle):
    team = employee("mgr001").team_id
    response = client_as("hr").get(page_url(cycle, f"?team={team}&sort=-manager_score"))
    content = response.content.decode()
    assert f'href="?team={team}&amp;sort=manager_score"' in content  # the sorted column reverses
    assert f'href="?team={team}&amp;sort=-final"' in content
    assert 'aria-sort="descending"' in content
