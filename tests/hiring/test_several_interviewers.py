"""Several interviewers on one interview: each writes their own scorecard, sealed from the others (the
co-interviewer included) until they have submitted theirs; the debrief and calibration count each."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hiring.models import Scorecard
from hiring.selectors import candidate_debrief, interviewer_calibration
from tests.hiring.conftest import client_for, user
from tests.hiring.support import submit

pytestmark = pytest.mark.django_db


def _seat(body, username):  # type: ignore[no-untyped-def]
    return next(s for row in body["loop"] for s in row["panel"] if s["interviewer"]["username"] == username)


def test_the_co_interviewer_does_not_see_the_others_scorecard_until_submitting_theirs(hiring):
    interview = hiring["engineer_interview"]
    submit(interview, {"System design & architecture": "strong_yes"}, by="engineer", notes="Crisp boundaries")
    url = reverse("hiring:candidate", args=[hiring["candidate"].pk])
    page = client_for("newhire").get(url).content.decode()
    assert "hidden until you submit yours" in page and "Crisp boundaries" not in page
    api = client_for("newhire").get(reverse("api-hiring-candidate-detail", args=[hiring["candidate"].pk])).json()
    assert _seat(api, "engineer") == {
        "interviewer": {"username": "engineer", "name": "Eli Engineer"},
        "scorecard_hidden": True,
        "scorecard": None,
        "draft_saved_at": None,
    }
    submit(interview, {"System design & architecture": "yes"}, by="newhire")
    page = client_for("newhire").get(url).content.decode()
    assert "Crisp boundaries" in page and "hidden until you submit yours" not in page
    # engineer, whose only interview is submitted, sees newhire's too.
    api = client_for("engineer").get(reverse("api-hiring-candidate-detail", args=[hiring["candidate"].pk])).json()
    assert _seat(api, "newhire")["scorecard"]["ratings"][0]["rating"] == "yes"


def test_each_interviewer_writes_and_amends_only_their_own(hiring):
    interview = hiring["engineer_interview"]
    mine = submit(interview, {"Communication": "no"}, by="engineer")
    theirs = submit(interview, {"Communication": "yes"}, by="newhire")
    assert mine.interviewer.user.username == "engineer" and theirs.amends is None  # not an amendment of engineer's
    amended = submit(interview, {"Communication": "yes"}, by="engineer", amend_reason="Re-read my notes")
    assert amended.amends == mine
    assert Scorecard.objects.filter(interview=interview).count() == 3
    with pytest.raises(PermissionDenied):
        submit(interview, {"Communication": "yes"}, by="manager2")  # on the team, not on this interview
    assert client_for("manager2").get(reverse("hiring:scorecard", args=[interview.pk])).status_code == 403


def test_the_debrief_and_calibration_count_every_interviewers_current_scorecard(hiring):
    interview = hiring["engineer_interview"]
    submit(interview, {"System design & architecture": "strong_yes"}, by="engineer")
    submit(interview, {"System design & architecture": "no"}, by="newhire")
    submit(hiring["manager2_interview"], {"Hands-on coding & debugging": "yes"})
    view = candidate_debrief(hiring["candidate"])
    design = next(line for line in view.debrief.lines if line.name == "System design & architecture")
    assert sorted(g.interviewer for g in design.ratings) == ["Eli Engineer", "Noor Newhire"]
    assert design.split and design.mean_display == 3  # (4 + 2) / 2
    assert len(view.scorecards) == 3
    figures = {f.interviewer: f for f in interviewer_calibration(user("hr"))}
    assert set(figures) == {"Eli Engineer", "Noor Newhire", "Mika Manager"}
    # engineer 4 against the rest of the panel's (2 + 3) / 2 = 2.5
    assert str(figures["Eli Engineer"].leniency) == "1.50"
