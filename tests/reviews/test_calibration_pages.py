"""The calibration table shows 50 people a page, the pager keeping the filters and the order; the figures,
distributions and 9-box stay over everyone filtered; a page out of range shows the nearest page; "accept
as is" covers every page under the filters and says how many."""

import re

import pytest

from org.models import Employee
from reviews.calibration import CALIBRATION_PAGE_SIZE, CalibrationFilters, calibration_overview
from reviews.models import Rating, Review
from tests.reviews.calibration_support import (
    accept_url,
    adjust_url,
    calibration_cycle,
    client_as,
    page_url,
    review,
    synthetic,
    user,
)

pytestmark = pytest.mark.django_db

SYNTHETIC = 60  # with engineer, newhire and engineer2: 63 reviews, two pages
POTENTIALS = ("high", "medium", "low")


@pytest.fixture
def cycle(staff_blueprint):
    """60 synthetic engineers' reviews manager-submitted (every dimension rated 1 + n % 5 by the manager,
    so that is the proposed rating), with a potential; the demo organisation's three still in draft."""
    cycle = calibration_cycle(engineers=SYNTHETIC)
    usernames = [f"eng{n:04d}" for n in range(1, SYNTHETIC + 1)]
    reviews = Review.objects.filter(cycle=cycle, employee__user__username__in=usernames)
    Rating.objects.filter(review__in=reviews, side=Rating.Side.SELF).update(score=3)
    for index, username in enumerate(usernames):
        target = reviews.filter(employee__user__username=username)
        Rating.objects.filter(review__in=target, side=Rating.Side.MANAGER).update(score=1 + index % 5)
        target.update(state="manager_submitted", potential=POTENTIALS[index % 3])
    assert Review.objects.filter(cycle=cycle).count() == SYNTHETIC + 3
    return cycle


def rows_of(content: str) -> list[int]:
    """The review ids of the table's rows, in order."""
    return [int(pk) for pk in re.findall(r'<tr id="row-(\d+)"', content)]


def get(cycle, query: str = "", username: str = "hr") -> str:
    response = client_as(username).get(page_url(cycle, query))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_fifty_rows_a_page_and_a_pager(cycle):
    content = get(cycle)
    assert CALIBRATION_PAGE_SIZE == 50
    assert len(rows_of(content)) == 50
    assert "People (63)" in content
    assert "Page 1 of 2: people 1\N{EN DASH}50 of 63" in content
    assert 'aria-label="Pages of the people table"' in content
    assert 'href="?page=2#people-title" rel="next"' in content


def test_it_shows_each_review_on_exactly_one_page(cycle):
    first, second = rows_of(get(cycle)), rows_of(get(cycle, "?page=2"))
    assert len(second) == 13
    assert not set(first) & set(second)
    assert set(first) | set(second) == set(Review.objects.filter(cycle=cycle).values_list("pk", flat=True))
    names = list(Review.objects.filter(pk__in=first + second).values_list("pk", "employee__name"))
    by_pk = dict(names)
    assert [by_pk[pk] for pk in first + second] == sorted(by_pk[pk] for pk in first + second)


def test_it_keeps_the_filters_and_the_order_in_the_pager_and_the_forms(cycle):
    query = "?state=manager_submitted&sort=-manager_score"
    first = get(cycle, query)
    assert len(rows_of(first)) == 50
    assert 'href="?state=manager_submitted&amp;sort=-manager_score&amp;page=2#people-title" rel="next"' in first
    second = get(cycle, query + "&page=2")
    assert len(rows_of(second)) == 10  # the three drafts are filtered out
    assert 'href="?state=manager_submitted&amp;sort=-manager_score#people-title" rel="prev"' in second
    assert "Page 2 of 2: people 51\N{EN DASH}60 of 60" in second
    # The order runs on across pages: the highest proposed ratings first.
    proposed = {
        pk: 1 + (int(name[3:]) - 1) % 5
        for pk, name in Review.objects.filter(cycle=cycle).values_list("pk", "employee__user__username")
        if re.fullmatch(r"eng\d{4}", name)
    }
    scores = [proposed[pk] for pk in rows_of(first) + rows_of(second)]
    assert scores == sorted(scores, reverse=True)
    # Sorting or filtering starts again at page 1, keeping the rest; the forms come back to this page.
    assert 'href="?state=manager_submitted&amp;sort=manager_score"' in second
    assert '<input type="hidden" name="sort" value="-manager_score">' in second
    assert 'name="page"' not in second
    assert 'name="return" value="state=manager_submitted&amp;sort=-manager_score&amp;page=2"' in second


def test_it_counts_the_figures_over_everyone_filtered_not_the_page(cycle):
    second = get(cycle, "?page=2")
    assert len(rows_of(second)) == 13
    assert "<strong>63</strong> reviews" in second
    assert "<strong>60</strong> waiting for calibration" in second
    full = calibration_overview(user=user("hr"), cycle=cycle, filters=CalibrationFilters())
    assert full.figures["count"] == 63
    assert full.manager_score_distribution.total == 60
    assert f"<strong>{full.figures['mean_weighted_manager']}</strong> mean weighted manager score" in second
    assert "Weighted manager scores, rounded to the nearest rating" in second
    mean = full.manager_score_distribution.mean
    assert f"· 60 reviews · mean {mean}" in second  # the distribution of all 60 scored, on a page of 13
    for cell in full.nine_box:
        label = f"{cell.performance} performance, {cell.potential} potential"
        assert f'<strong>{len(cell.rows)}</strong> <span class="visually-hidden">{label}</span>' in second


def box_of(content: str, performance: str, potential: str) -> str:
    """The HTML of one 9-box cell."""
    [cell] = re.findall(rf'ninebox__cell--{performance}-{potential}" role="cell">(.*?)</div>', content, re.S)
    return cell


def test_it_names_a_few_in_each_box_and_counts_the_rest(cycle):
    content = get(cycle, "?page=2")
    full = calibration_overview(user=user("hr"), cycle=cycle, filters=CalibrationFilters())
    # 60 placed: proposed 1-2 low, 3 medium, 4-5 high against three potentials.
    assert sum(len(cell.rows) for cell in full.nine_box) == 60
    assert max(len(cell.rows) for cell in full.nine_box) > 5
    for cell in full.nine_box:
        html = box_of(content, cell.performance, cell.potential)
        by_name = sorted(cell.rows, key=lambda row: (row.employee_name, row.review_id))
        named = [int(pk) for pk in re.findall(r'href="/reviews/(\d+)/"', html)]
        assert named == [row.review_id for row in by_name[:5]]
        if len(by_name) > 5:
            assert f'<a href="?#people-title">and {len(by_name) - 5} more</a>' in html
        else:
            assert "more</a>" not in html
    assert "Not placed: 3 without a rating or a potential yet" in content


@pytest.mark.parametrize(
    ("page", "rows", "number"),
    [("99", 13, 2), ("0", 50, 1), ("-1", 50, 1), ("two", 50, 1), ("", 50, 1), ("9" * 30, 13, 2)],
)
def test_it_shows_the_nearest_page_for_one_that_is_out_of_range(cycle, page, rows, number):
    content = get(cycle, f"?page={page}")
    assert len(rows_of(content)) == rows
    assert f"Page {number} of 2:" in content


def test_it_offers_to_accept_every_review_under_the_filters_on_every_page(cycle):
    content = get(cycle, "?page=2")
    assert "Accept the 60 manager-submitted reviews in the cycle as they are…" in content
    assert "This sets <strong>60</strong> final ratings" in content
    assert "on all 2 pages of the table, not only the people on this page" in content
    [token] = re.findall(r'<input type="hidden" name="review" value="([0-9:,]+)">', content)
    offered = dict(pair.split(":") for pair in token.split(","))
    assert len(offered) == 60
    response = client_as("hr").post(accept_url(cycle), {"review": token, "return": "page=2"})
    assert response.status_code == 302
    assert response["Location"].endswith("?page=2")
    assert Review.objects.filter(cycle=cycle, state="calibrated").count() == 60


def test_it_offers_to_accept_only_those_under_the_filters(cycle):
    team = Employee.objects.get(user__username="mgr001").team_id
    content = get(cycle, f"?team={team}")
    assert "Accept the 8 manager-submitted reviews under these filters as they are…" in content
    [token] = re.findall(r'<input type="hidden" name="review" value="([0-9:,]+)">', content)
    ids = {int(pair.split(":")[0]) for pair in token.split(",")}
    assert ids == {review(cycle, username).pk for username in synthetic(1)}


def test_it_accepts_nothing_when_one_review_offered_changed(cycle):
    content = get(cycle)
    [token] = re.findall(r'<input type="hidden" name="review" value="([0-9:,]+)">', content)
    changed = review(cycle, "eng0060")
    Review.objects.filter(pk=changed.pk).update(version=changed.version + 1)
    response = client_as("hr").post(accept_url(cycle), {"review": token})
    assert response.status_code == 409
    assert f"Nothing was accepted: {changed.employee.name} changed since you loaded the page." in (
        response.content.decode()
    )
    assert not Review.objects.filter(cycle=cycle, state="calibrated").exists()


def test_it_comes_back_to_the_same_page_after_an_adjustment(cycle):
    target = review(cycle, "eng0002")
    data = {
        "version": target.version,
        "final_rating": 2,
        "justification": "",
        "return": "sort=-manager_score&page=2",
    }
    response = client_as("hr").post(adjust_url(cycle, target), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?sort=-manager_score&page=2#row-{target.pk}")


def test_it_pages_a_directors_table_and_counts_their_org(cycle):
    content = get(cycle, username="director")
    scope = Review.objects.filter(cycle=cycle).exclude(employee__user__username="director").count()
    assert len(rows_of(content)) == min(scope, 50)
    assert f"People ({scope})" in content
    assert "manager-submitted review" not in content  # readers are offered nothing to accept
