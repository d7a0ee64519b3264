"""A cycle chooses the DORA report year whose tiers judge its figures; only a year with tiers loaded."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from tests.org_builders import small_org
from tests.reviews.cycle_support import new_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def org():
    return small_org()


def test_it_defaults_to_the_2023_report():
    cycle = new_cycle()
    assert cycle.dora_report_year == 2023


def test_it_keeps_a_chosen_year_that_has_tiers():
    cycle = new_cycle(dora_report_year=2021)
    cycle.refresh_from_db()
    assert cycle.dora_report_year == 2021
    entry = AuditEntry.objects.get(action="cycle.create", target_id=str(cycle.pk))
    assert entry.after["dora_report_year"] == 2021


def test_it_refuses_a_year_without_tiers():
    with pytest.raises(ValidationError) as refused:
        new_cycle(dora_report_year=2019)
    assert "dora_report_year" in refused.value.message_dict
