import pytest
from django.contrib.auth.models import User

from tests.reviews.cycle_support import open_cycle_around_today


@pytest.fixture
def open_cycle(db, staff_blueprint):
    """The demo organisation (without its demo cycle) with an open cycle around today: a draft review
    for everyone with a manager."""
    return open_cycle_around_today("2026 Q4")


@pytest.fixture
def user(db):
    return lambda username: User.objects.get(username=username)


from tests.reviews.kpi_support import kpi_cycle, kpi_review  # noqa: E402, F401 - fixtures
