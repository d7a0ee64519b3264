import pytest

from tests.ladder.support import blueprint, org_with_ladder


@pytest.fixture
def version(db):
    """A published blueprint of four skills (critical, important, optional, expert) and two criteria."""
    return blueprint(skills=4, criteria=2)


@pytest.fixture
def org(version):
    return org_with_ladder(version)
