"""The ladder API: everyone reads the tracks with their levels in order, blueprints, criteria and career path;
HR adds, renames, links and moves."""

import pytest

from ladder.models import Level
from tests.ladder.support import client_as

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_it_lists_tracks_with_levels_and_the_linked_blueprint(org):
    [track] = client_as("engineer").get("/api/v1/ladder/tracks/").json()
    assert [level["name"] for level in track["levels"]] == [
        "Senior Software Engineer",
        "Staff Software Engineer",
        "Senior Staff Software Engineer",
    ]
    staff = track["levels"][1]
    assert staff["blueprint"] == {"slug": "staff-software-engineer", "title": "Staff Software Engineer", "version": 1}
    assert staff["promotion_criteria"] == ["Criterion 1", "Criterion 2"]
    assert staff["career_path"]["feeder_roles"] == ["Senior Software Engineer"]
    assert track["levels"][0]["blueprint"] is None


def test_hr_adds_links_renames_and_moves_levels(org):
    hr = client_as("hr")
    [track] = hr.get("/api/v1/ladder/tracks/").json()
    added = hr.post(
        f"/api/v1/ladder/tracks/{track['id']}/levels/",
        {"name": "Principal Engineer", "role": "staff-software-engineer", "summary": "Org-wide."},
        content_type=JSON,
    )
    assert added.status_code == 201 and added.json()["levels"][-1]["name"] == "Principal Engineer"
    principal = Level.objects.get(name="Principal Engineer")
    moved = hr.patch(f"/api/v1/ladder/levels/{principal.pk}/", {"position": 1, "name": "Principal"}, content_type=JSON)
    assert moved.status_code == 200
    assert [level["name"] for level in moved.json()["levels"]][:2] == ["Principal", "Senior Software Engineer"]
    assert list(Level.objects.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4]
    renamed = hr.patch(f"/api/v1/ladder/tracks/{track['id']}/", {"name": "IC track"}, content_type=JSON)
    assert renamed.json()["name"] == "IC track"


def test_it_refuses_bad_ladder_edits_with_field_errors(org):
    hr = client_as("hr")
    [track] = hr.get("/api/v1/ladder/tracks/").json()
    level = track["levels"][0]["id"]
    assert hr.post("/api/v1/ladder/tracks/", {}, content_type=JSON).status_code == 400
    duplicate = hr.post(
        f"/api/v1/ladder/tracks/{track['id']}/levels/", {"name": "staff software engineer"}, content_type=JSON
    )
    assert duplicate.status_code == 400 and "name" in duplicate.json()
    assert hr.patch(f"/api/v1/ladder/levels/{level}/", {"position": 9}, content_type=JSON).status_code == 400
    assert hr.patch(f"/api/v1/ladder/levels/{level}/", {"role": "no-such-role"}, content_type=JSON).status_code == 400
    assert hr.get("/api/v1/ladder/levels/999999/").status_code == 404
