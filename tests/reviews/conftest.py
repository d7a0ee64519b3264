from datetime import date

import pytest
from django.contrib.auth.models import User


@pytest.fixture
def open_cycle(db, staff_blueprint):
    """The demo organisation with an open cycle: a draft review for every engineer."""
    from reviews.demo import demo_seed
    from reviews.services import cycle_create, cycle_open

    demo_seed()
    hr = User.objects.get(username="hr")
    cycle = cycle_create(
        actor=hr,
        name="2026 Q4",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 12, 31),
        self_due=date(2026, 12, 5),
        manager_due=date(2026, 12, 12),
        calibration_due=date(2026, 12, 19),
        signoff_due=date(2027, 1, 9),
    )
    return cycle_open(actor=hr, cycle=cycle).cycle


@pytest.fixture
def user(db):
    return lambda username: User.objects.get(username=username)
