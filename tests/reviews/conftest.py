from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone


@pytest.fixture
def open_cycle(db, staff_blueprint):
    """The demo organisation (without its demo cycle) with an open cycle around today: a draft review
    for everyone with a manager."""
    from reviews.demo import demo_seed
    from reviews.services import cycle_create, cycle_open

    demo_seed(cycle=False)
    hr = User.objects.get(username="hr")
    today = timezone.localdate()
    cycle = cycle_create(
        actor=hr,
        name="2026 Q4",
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=30),
        self_due=today + timedelta(days=7),
        manager_due=today + timedelta(days=14),
        calibration_due=today + timedelta(days=21),
        signoff_due=today + timedelta(days=42),
    )
    return cycle_open(actor=hr, cycle=cycle).cycle


@pytest.fixture
def user(db):
    return lambda username: User.objects.get(username=username)
