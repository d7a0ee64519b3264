"""The ladder page: every track with its levels in order, the linked blueprint's career path and promotion
criteria; HR adds, renames, links and reorders through plain forms, each change audited."""

import pytest

from audit.models import AuditEntry
from ladder.models import Level, Track
from tests.ladder.support import client_as

pytestmark = pytest.mark.django_db


def test_it_shows_the_levels_in_order_with_the_career_path(org):
    page = client_as("engineer").get("/ladder/").content.decode()
    assert (
        page.index("Senior Software Engineer")
        < page.index("Staff Software Engineer")
        < page.index("Senior Staff Software Engineer")
    )
    assert "Blueprint: Staff Software Engineer v1" in page
    assert "Criterion 1" in page and "Typical feeder roles" in page and "Your role" in page
    assert "Add a level" not in page


def test_hr_adds_links_renames_and_moves_levels(org, version):
    hr = client_as("hr")
    track = Track.objects.get()
    assert "Add a level" in hr.get("/ladder/").content.decode()
    response = hr.post(
        f"/ladder/tracks/{track.pk}/levels/new/", {"name": "Principal Engineer", "role": "", "summary": ""}
    )
    assert response.status_code == 302
    principal = Level.objects.get(name="Principal Engineer")
    assert principal.position == 4
    hr.post(f"/ladder/levels/{principal.pk}/", {"name": "Principal", "role": str(version.role.pk), "summary": "Org."})
    principal.refresh_from_db()
    assert (principal.name, principal.role_id, principal.summary) == ("Principal", version.role.pk, "Org.")
    hr.post(f"/ladder/levels/{principal.pk}/move/", {"direction": "up"})
    names = list(Level.objects.order_by("position").values_list("name", flat=True))
    assert names == [
        "Senior Software Engineer",
        "Staff Software Engineer",
        "Principal",
        "Senior Staff Software Engineer",
    ]
    hr.post(f"/ladder/tracks/{track.pk}/", {"name": "IC", "description": "Individual contributors."})
    assert Track.objects.get().name == "IC"
    actions = set(AuditEntry.objects.filter(action__startswith="ladder.").values_list("action", flat=True))
    assert actions == {"ladder.level_create", "ladder.level_save", "ladder.level_move", "ladder.track_save"}


def test_bad_edits_are_shown_and_nothing_is_written(org):
    hr = client_as("hr")
    track = Track.objects.get()
    response = hr.post(f"/ladder/tracks/{track.pk}/levels/new/", {"name": "staff software engineer"})
    assert response.status_code == 400 and "already" in response.content.decode()
    top = Level.objects.order_by("-position").first()
    response = hr.post(f"/ladder/levels/{top.pk}/move/", {"direction": "down"})
    assert response.status_code == 400
    assert Level.objects.count() == 3
