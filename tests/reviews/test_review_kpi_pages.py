"""The attach and detach forms of the review page, with and without htmx; the KPI evidence under a
rating, in the history and in the API, for whoever may read that side; and the panel's query count."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from kpis.models import KPISeries
from reviews.evidence import kpi_entries
from reviews.kpi_panel import review_kpi_panel
from reviews.models import Rating
from staffrole import access
from tests.reviews.kpi_support import (
    client_as,
    dimensions,
    measure,
    user,
)
from tests.reviews.page_helpers import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _flaky(review):
    return KPISeries.objects.get(kpi="Flaky test rate", team__slug="platform")


def _form(review, dimension, series, side="self", **extra):
    rating = Rating.objects.get(review=review, dimension=dimension, side=side)
    version = {f"version-{dimension.pk}": rating.version}
    return {"series": series.pk, "dimension": dimension.pk, "side": side, **version, **extra}


def _attach(username, review, dimension, series, *, client=None, **kwargs):
    url = reverse("reviews:kpi_attach", args=[review.pk])
    client = client or client_as(username)
    return client.post(url, _form(review, dimension, series, **kwargs.pop("form", {})), **kwargs)


def test_without_javascript_it_attaches_and_comes_back_to_the_panel(kpi_review):
    dimension = dimensions(kpi_review)[0]
    client = client_as("engineer")
    response = _attach("engineer", kpi_review, dimension, _flaky(kpi_review), client=client)
    assert response.status_code == 302
    detail = reverse("reviews:detail", args=[kpi_review.pk])
    assert response["Location"] == f"{detail}#kpi-{_flaky(kpi_review).pk}"
    page = client.get(response["Location"]).content.decode()
    assert escape(f"Attached Flaky test rate of Platform to {dimension.name} (self-assessment).") in page
    field = page.split(f'id="kpi-evidence-r-{dimension.pk}-self"', 1)[1].split("</div>", 1)[0]
    assert "Flaky test rate" in field and "3.2%" in field and "Target missed" in field


def test_with_htmx_it_answers_the_panel_and_the_ratings_new_versions(kpi_review):
    dimension = dimensions(kpi_review)[0]
    response = _attach("engineer", kpi_review, dimension, _flaky(kpi_review), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    rating = Rating.objects.get(review=kpi_review, dimension=dimension, side="self")
    assert body.lstrip().startswith("<section") and 'id="review-kpis"' in body
    assert 'role="status"' in body
    assert f'id="kpi-evidence-r-{dimension.pk}-self" hx-swap-oob="true"' in body
    assert f'id="r-{dimension.pk}-self-version" value="{rating.version}" hx-swap-oob="true"' in body
    assert 'class="review-version" hx-swap-oob="outerHTML:.review-version"' in body


def test_htmx_sends_the_fields_own_version_which_wins_over_the_pages(kpi_review):
    dimension = dimensions(kpi_review)[0]
    current = Rating.objects.get(review=kpi_review, dimension=dimension, side="self").version
    form = {f"version-{dimension.pk}": current + 5, f"r-{dimension.pk}-self-version": current}
    response = _attach("engineer", kpi_review, dimension, _flaky(kpi_review), form=form, **HTMX)
    assert response.status_code == 200


def test_a_stale_version_answers_409_and_changes_nothing(kpi_review):
    dimension = dimensions(kpi_review)[0]
    stale = {f"version-{dimension.pk}": 99}
    for extra in ({}, HTMX):
        response = _attach("engineer", kpi_review, dimension, _flaky(kpi_review), form=stale, **extra)
        assert response.status_code == 409
        assert "changed elsewhere since the page showed it" in response.content.decode()
    assert kpi_entries(Rating.objects.get(review=kpi_review, dimension=dimension, side="self").evidence) == []


def test_a_kpi_outside_the_panel_answers_400_with_the_reason(kpi_review):
    payments = KPISeries.objects.get(kpi="Flaky test rate", team__slug="payments")
    response = _attach("engineer", kpi_review, dimensions(kpi_review)[0], payments, **HTMX)
    assert response.status_code == 400
    assert "That KPI is not one of the KPIs for this period" in response.content.decode()


def test_the_other_side_answers_403(kpi_review):
    response = _attach("manager", kpi_review, dimensions(kpi_review)[0], _flaky(kpi_review))
    assert response.status_code == 403
    response = _attach("engineer", kpi_review, dimensions(kpi_review)[0], _flaky(kpi_review), form={"side": "manager"})
    assert response.status_code == 403


def test_a_peer_gets_404(kpi_review):
    response = _attach("engineer2", kpi_review, dimensions(kpi_review)[0], _flaky(kpi_review))
    assert response.status_code == 404


def test_it_detaches_without_javascript(kpi_review):
    dimension = dimensions(kpi_review)[0]
    _attach("engineer", kpi_review, dimension, _flaky(kpi_review))
    url = reverse("reviews:kpi_detach", args=[kpi_review.pk])
    response = client_as("engineer").post(url, _form(kpi_review, dimension, _flaky(kpi_review)))
    assert response.status_code == 302
    assert kpi_entries(Rating.objects.get(review=kpi_review, dimension=dimension, side="self").evidence) == []


def test_the_manager_reads_the_engineers_kpi_evidence_once_submitted_and_hr_too(kpi_review):
    dimension = dimensions(kpi_review)[0]
    _attach("engineer", kpi_review, dimension, _flaky(kpi_review))
    url = reverse("reviews:detail", args=[kpi_review.pk])
    assert "kpi-evidence__item" not in client_as("manager").get(url).content.decode()  # the draft is not theirs to read
    walk(kpi_review, "self_submitted")
    for username in ("manager", "director", "hr", "engineer"):
        page = client_as(username).get(url).content.decode()
        field = page.split(f'id="kpi-evidence-r-{dimension.pk}-self"', 1)[1].split("</div>", 1)[0]
        assert "Flaky test rate" in field and "3.2%" in field, username
        assert "Remove" not in field, username  # nobody edits a submitted self-assessment


def test_the_history_shows_the_attachment_to_those_who_read_the_side(kpi_review):
    _attach("engineer", kpi_review, dimensions(kpi_review)[0], _flaky(kpi_review))
    url = reverse("reviews:detail", args=[kpi_review.pk])
    assert "Attached a KPI to" in client_as("engineer").get(url).content.decode()
    assert "Attached a KPI to" not in client_as("manager").get(url).content.decode()
    assert "Attached a KPI to" in client_as("hr").get(url).content.decode()


def test_the_api_gives_links_and_kpis_apart(kpi_review):
    from reviews.services import RatingInput, review_rate

    dimension = dimensions(kpi_review)[0]
    review_rate(
        actor=user("engineer"),
        review=kpi_review,
        ratings=[RatingInput(dimension.name, evidence=["https://example.com/doc"])],
        version=None,
    )
    _attach("engineer", kpi_review, dimension, _flaky(kpi_review))
    data = client_as("engineer").get(f"/api/v1/reviews/{kpi_review.pk}/").json()
    line = next(r for r in data["ratings"] if r["dimension"] == dimension.name)
    assert line["self_evidence"] == ["https://example.com/doc"]
    [kpi] = line["self_kpi_evidence"]
    assert kpi["kpi"] == "Flaky test rate" and kpi["value"] == "3.2" and kpi["attainment"] == "missed"
    assert kpi["period_range"] == ["2026-01-01", "2026-03-01"] and kpi["attached_by"] == "engineer"
    assert line["manager_kpi_evidence"] is None  # not theirs to read yet


def test_the_panel_runs_in_a_fixed_number_of_queries(kpi_review, django_assert_num_queries):
    hr, manager = user("hr"), user("manager")
    for caller in (hr, manager):  # what the page has read already: the caller, their place, their teams
        access.review_relation(caller, kpi_review)
        access.visible_team_ids(caller)
    with django_assert_num_queries(3):
        few = review_kpi_panel(user=hr, review=kpi_review)
    for n in range(6):
        measure("SLO attainment", "service", f"extra-{n}", {"2026-02": "99.5"}, "%", team="platform")
        measure("PR review turnaround", "engineer", "engineer", {f"2026-W0{n + 1}": "0.5"}, "business days")
    with django_assert_num_queries(3):
        many = review_kpi_panel(user=hr, review=kpi_review)
    with django_assert_num_queries(3):
        review_kpi_panel(user=manager, review=kpi_review)
    assert len(many.rows) >= len(few.rows) + 7
