"""Attaching a KPI of the panel to a rating as evidence, and taking it off: who may, what is refused,
the snapshot kept, the version check and the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from reviews.evidence import kpi_entries
from reviews.models import Rating, Review
from reviews.services import (
    RatingInput,
    ReviewConflict,
    cycle_advance,
    cycle_close,
    rating_kpi_attach,
    rating_kpi_detach,
    review_rate,
)
from tests.reviews.kpi_support import (
    dimensions,
    measure,
    user,
)
from tests.reviews.page_helpers import walk

pytestmark = pytest.mark.django_db


def _rating(review, dimension, side="self"):
    return Rating.objects.get(review=review, dimension=dimension, side=side)


def _attach(username, review, dimension, kpi="Flaky test rate", subject="platform", side="self", version=None):
    the_series = _series(review, kpi, subject)
    if version is None:
        version = _rating(review, dimension, side).version
    return rating_kpi_attach(
        actor=user(username),
        review=review,
        dimension_id=dimension.pk,
        side=side,
        series_id=the_series.pk,
        version=version,
    )


def _series(review, kpi, subject):
    from kpis.models import KPISeries

    if subject == "engineer":
        return KPISeries.objects.get(kpi=kpi, engineer=review.employee)
    return KPISeries.objects.get(kpi=kpi, team__slug=subject, subject_kind="team")


def test_it_attaches_a_snapshot_of_the_kpi_to_the_engineers_rating(kpi_review):
    dimension = dimensions(kpi_review)[0]
    before = _rating(kpi_review, dimension)
    rating = _attach("engineer", kpi_review, dimension)
    [entry] = kpi_entries(rating.evidence)
    flaky = _series(kpi_review, "Flaky test rate", "platform")
    assert entry == {
        "kind": "kpi",
        "series": flaky.pk,
        "kpi": "Flaky test rate",
        "subject": "Platform",
        "subject_kind": "team",
        "unit": "%",
        "period": "month",
        "period_range": ["2026-01-01", "2026-03-01"],
        "period_range_text": "Jan 2026 to Mar 2026",
        "value": "3.2",
        "value_period": "2026-03-01",
        "value_text": "3.2%",
        "value_period_text": "Mar 2026",
        "attainment": "missed",
        "tier": None,
        "report_year": 2023,
        "attached_by": "engineer",
        "attached_by_name": kpi_review.employee.name,
        "attached_at": entry["attached_at"],
    }
    assert rating.version == before.version + 1
    assert Review.objects.get(pk=kpi_review.pk).version == kpi_review.version + 1


def test_the_snapshot_does_not_change_when_new_measurements_arrive(kpi_review):
    dimension = dimensions(kpi_review)[0]
    _attach("engineer", kpi_review, dimension)
    measure("Flaky test rate", "team", "platform", {"2026-03": "1.1"}, "%")
    [entry] = kpi_entries(_rating(kpi_review, dimension).evidence)
    assert entry["value"] == "3.2" and entry["attainment"] == "missed"


def test_the_manager_attaches_to_their_side(kpi_review):
    review = walk(kpi_review, "self_submitted")
    dimension = dimensions(review)[2]
    rating = _attach("manager", review, dimension, kpi="PR review turnaround", subject="engineer", side="manager")
    assert [e["kpi"] for e in kpi_entries(rating.evidence)] == ["PR review turnaround"]
    assert rating.side == "manager"


def test_the_engineer_cannot_attach_to_the_manager_side(kpi_review):
    with pytest.raises(PermissionDenied, match="Only the reviewer"):
        _attach("engineer", kpi_review, dimensions(kpi_review)[0], side="manager")


def test_the_manager_cannot_attach_to_the_self_side(kpi_review):
    with pytest.raises(PermissionDenied, match="Only the person reviewed"):
        _attach("manager", kpi_review, dimensions(kpi_review)[0], side="self")


@pytest.mark.parametrize("username", ["hr", "director"])
def test_readers_of_the_review_cannot_attach(kpi_review, username):
    with pytest.raises(PermissionDenied):
        _attach(username, kpi_review, dimensions(kpi_review)[0], side="self")


def test_a_kpi_of_another_team_is_refused_with_a_clear_message(kpi_review):
    with pytest.raises(ValidationError) as refused:
        _attach("engineer", kpi_review, dimensions(kpi_review)[0], subject="payments")
    assert refused.value.message_dict["series"] == [
        f"That KPI is not one of the KPIs for this period of {kpi_review.employee.name}, their team or its "
        "services that you may see; choose one in the KPI panel."
    ]
    assert kpi_entries(_rating(kpi_review, dimensions(kpi_review)[0]).evidence) == []


def test_a_kpi_the_caller_may_not_see_is_refused(kpi_review):
    """A reviewer from another team reads the review but not the team's KPIs."""
    from org.models import Employee
    from reviews.services import review_reassign

    review = review_reassign(
        actor=user("hr"), review=kpi_review, reviewer=Employee.objects.get(user__username="manager2"), reason="x"
    )
    with pytest.raises(ValidationError, match="that you may see"):
        _attach("manager2", review, dimensions(review)[0], side="manager")
    dimension = dimensions(review)[0]
    rating = _attach("manager2", review, dimension, kpi="PR review turnaround", subject="engineer", side="manager")
    assert len(kpi_entries(rating.evidence)) == 1


def test_the_same_kpi_twice_on_one_rating_is_refused(kpi_review):
    dimension = dimensions(kpi_review)[0]
    _attach("engineer", kpi_review, dimension)
    with pytest.raises(ValidationError, match="Flaky test rate of Platform is already evidence for"):
        _attach("engineer", kpi_review, dimension)
    # Another dimension may hold it too.
    _attach("engineer", kpi_review, dimensions(kpi_review)[1])


def test_a_stale_rating_version_is_a_conflict(kpi_review):
    dimension = dimensions(kpi_review)[0]
    read = _rating(kpi_review, dimension).version
    review_rate(
        actor=user("engineer"),
        review=kpi_review,
        ratings=[RatingInput(dimension.name, comment="changed in another tab")],
        version=None,
    )
    with pytest.raises(ReviewConflict) as conflict:
        _attach("engineer", kpi_review, dimension, version=read)
    assert dimension.name in conflict.value.fields
    assert kpi_entries(_rating(kpi_review, dimension).evidence) == []


def test_it_detaches_a_kpi(kpi_review):
    dimension = dimensions(kpi_review)[0]
    rating = _attach("engineer", kpi_review, dimension)
    flaky = _series(kpi_review, "Flaky test rate", "platform")
    rating = rating_kpi_detach(
        actor=user("engineer"),
        review=kpi_review,
        dimension_id=dimension.pk,
        side="self",
        series_id=flaky.pk,
        version=rating.version,
    )
    assert kpi_entries(rating.evidence) == []
    with pytest.raises(ValidationError, match="not evidence for"):
        rating_kpi_detach(
            actor=user("engineer"),
            review=kpi_review,
            dimension_id=dimension.pk,
            side="self",
            series_id=flaky.pk,
            version=rating.version,
        )


def test_attach_and_detach_are_in_the_audit_trail(kpi_review):
    dimension = dimensions(kpi_review)[0]
    rating = _attach("engineer", kpi_review, dimension)
    rating_kpi_detach(
        actor=user("engineer"),
        review=kpi_review,
        dimension_id=dimension.pk,
        side="self",
        series_id=kpi_entries(rating.evidence)[0]["series"],
        version=rating.version,
    )
    entries = list(
        AuditEntry.objects.filter(target_type="reviews.review", target_id=str(kpi_review.pk))
        .filter(action__startswith="review.evidence_")
        .order_by("id")
    )
    assert [e.action for e in entries] == ["review.evidence_attach", "review.evidence_detach"]
    assert entries[0].actor.username == "engineer"
    assert entries[0].after["dimension"] == dimension.name and entries[0].after["side"] == "self"
    assert entries[0].after["kpi"]["kpi"] == "Flaky test rate"
    assert entries[1].before["kpi"]["series"] == entries[0].after["kpi"]["series"]


def test_a_submitted_self_assessment_refuses_kpis(kpi_review):
    review = walk(kpi_review, "self_submitted")
    with pytest.raises(PermissionDenied, match="can no longer be edited"):
        _attach("engineer", review, dimensions(review)[0])


def test_a_submitted_manager_review_refuses_kpis(kpi_review):
    review = walk(kpi_review, "manager_submitted")
    with pytest.raises(PermissionDenied, match="can no longer be edited"):
        _attach("manager", review, dimensions(review)[0], side="manager")


def test_a_closed_cycle_refuses_kpis(kpi_review, kpi_cycle):
    cycle_advance(actor=user("hr"), cycle=kpi_cycle)
    unfinished = list(kpi_cycle.reviews.values_list("pk", flat=True))
    cycle_close(actor=user("hr"), cycle=kpi_cycle, confirm_unfinished=unfinished)
    with pytest.raises(PermissionDenied):
        _attach("engineer", kpi_review, dimensions(kpi_review)[0])


def test_editing_the_links_keeps_the_kpis(kpi_review):
    dimension = dimensions(kpi_review)[0]
    _attach("engineer", kpi_review, dimension)
    review_rate(
        actor=user("engineer"),
        review=kpi_review,
        ratings=[RatingInput(dimension.name, evidence=["https://example.com/postmortem"])],
        version=None,
    )
    evidence = _rating(kpi_review, dimension).evidence
    assert evidence[0] == "https://example.com/postmortem"
    assert [e["kpi"] for e in kpi_entries(evidence)] == ["Flaky test rate"]
    review_rate(
        actor=user("engineer"),
        review=kpi_review,
        ratings=[RatingInput(dimension.name, evidence=[])],
        version=None,
    )
    assert len(kpi_entries(_rating(kpi_review, dimension).evidence)) == 1
