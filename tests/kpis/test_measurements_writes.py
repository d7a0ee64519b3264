"""What a measurement batch writes: new values, changed values (audited), nothing for a re-sent batch,
a trend recompute of the changed series once the batch commits; and who may send one."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from kpis.measurements import measurements_ingest
from kpis.models import KPISeries, KPITrend, Measurement
from kpis.services import MAX_ITEMS, IngestError
from tests.kpis.measurement_builders import engineer, ingest_account, measurement, org, service

pytestmark = pytest.mark.django_db
__all__ = ["org"]


def test_a_resent_batch_writes_nothing_and_is_not_audited(org):
    batch = [measurement(), service(), engineer()]
    first = measurements_ingest(actor=None, items=batch)
    assert first.counts() == {"created": 3, "updated": 0, "unchanged": 0}
    stamps = list(Measurement.objects.values_list("pk", "updated_at"))
    audits = AuditEntry.objects.count()
    assert AuditEntry.objects.filter(action="kpis.measurements_ingest").count() == 1

    again = measurements_ingest(actor=None, items=[measurement(value="8.500"), service(), engineer()])

    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3}
    assert again.series == frozenset()
    assert list(Measurement.objects.values_list("pk", "updated_at")) == stamps
    assert AuditEntry.objects.count() == audits


def test_a_changed_value_is_updated_and_audited(org):
    measurements_ingest(actor=None, items=[measurement(), service()])
    hr = User.objects.get(username="hr")

    result = measurements_ingest(actor=hr, items=[measurement(value=9.25), service()], source="upload of q4.csv")

    assert result.counts() == {"created": 0, "updated": 1, "unchanged": 1}
    assert result.series == frozenset({KPISeries.objects.get(subject_kind="team").pk})
    assert Measurement.objects.get(series__subject_kind="team").value == Decimal("9.25")
    entry = AuditEntry.objects.filter(action="kpis.measurements_ingest").latest("pk")
    assert entry.actor == hr
    assert (entry.after["source"], entry.after["updated"], entry.after["created"]) == ("upload of q4.csv", 1, 0)
    assert len(entry.after["updated_ids"]) == 1


def test_another_source_for_the_same_period_is_a_value_of_its_own(org):
    measurements_ingest(actor=None, items=[measurement()])
    result = measurements_ingest(actor=None, items=[measurement(source="survey", value=12)])
    assert result.created == 1 and Measurement.objects.count() == 2 and KPISeries.objects.count() == 1


def test_the_changed_series_trends_are_recomputed_once_the_batch_commits(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        measurements_ingest(actor=None, items=[measurement(), measurement(period="2026-12", value=7)])
    assert not KPITrend.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()  # the task runs eagerly in the tests
    trend = KPITrend.objects.get()
    assert (trend.points, trend.latest_value, trend.previous_value) == (2, Decimal(7), Decimal("8.5"))


def test_nothing_is_dispatched_for_a_batch_that_changes_nothing(org, django_capture_on_commit_callbacks):
    measurements_ingest(actor=None, items=[measurement()])
    with django_capture_on_commit_callbacks() as callbacks:
        measurements_ingest(actor=None, items=[measurement()])
    assert callbacks == []


def test_hr_and_ingest_accounts_may_send_others_may_not(org):
    assert measurements_ingest(actor=ingest_account(), items=[measurement()]).created == 1
    assert measurements_ingest(actor=User.objects.get(username="hr"), items=[service()]).created == 1
    for username in ("engineer", "manager", "director"):
        with pytest.raises(PermissionDenied, match=r"^Only HR and KPI ingest accounts can send measurements\.$"):
            measurements_ingest(actor=User.objects.get(username=username), items=[engineer()])
    assert Measurement.objects.count() == 2


def test_a_batch_is_capped_unless_a_file_import_raises_the_cap(org):
    items = [measurement(period=f"{2000 + n // 12}-{n % 12 + 1:02d}") for n in range(MAX_ITEMS + 1)]
    with pytest.raises(IngestError, match=f"^A batch holds at most {MAX_ITEMS:,} measurements; this one has"):
        measurements_ingest(actor=None, items=items)
    assert measurements_ingest(actor=None, items=items, max_items=MAX_ITEMS + 1).created == MAX_ITEMS + 1
