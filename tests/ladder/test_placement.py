"""A person's place on the ladder: the level tied to their role (named like their level when several are),
and the next position of its track; the criteria come from the next level's blueprint when it has one."""

import pytest

from ladder.models import Level, Track
from ladder.selectors import ladder_place
from tests.ladder.support import blueprint, start

pytestmark = pytest.mark.django_db


def test_it_places_a_person_by_role_then_by_level_name(org, version):
    assert ladder_place(employee=org["engineer"]).level.name == "Staff Software Engineer"
    other = Track.objects.create(name="Another", slug="another")
    Level.objects.create(track=other, name="Staff", position=1, role=version.role)
    Level.objects.create(track=other, name="Lead", position=2)
    place = ladder_place(employee=org["engineer"])  # level "Staff"
    assert (place.level.name, place.next_level.name) == ("Staff", "Lead")
    org["engineer"].level = "Principal"  # no level of that name: the first by track name, then position
    assert ladder_place(employee=org["engineer"]).level.track.name == "Another"
    org["engineer"].level = "staff software engineer"
    assert ladder_place(employee=org["engineer"]).level.name == "Staff Software Engineer"


def test_the_top_of_a_track_has_no_next_level_and_no_role_no_place(org):
    Level.objects.filter(name="Senior Staff Software Engineer").delete()
    assert ladder_place(employee=org["engineer"]).next_level is None
    assert ladder_place(employee=org["manager"]).level is None


def test_the_criteria_come_from_the_next_levels_blueprint(org):
    senior_staff = blueprint(skills=2, criteria=3, title="Senior Staff Software Engineer")
    Level.objects.filter(name="Senior Staff Software Engineer").update(role=senior_staff.role)
    draft = start()
    assert draft.next_level.name == "Senior Staff Software Engineer"
    assert {answer.criterion.version_id for answer in draft.criteria.all()} == {senior_staff.pk}
    assert draft.criteria.count() == 3 and draft.skills.count() == 4
