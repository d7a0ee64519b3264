"""Every route, requested as every kind of user against the demo organisation, answers as the access
policy says, with the strict Content-Security-Policy (tests/csp.py). A route missing from ROUTES fails the
suite: nobody can add an unguarded page."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from staffrole import access
from tests.csp import policy_problems

PERSONAS = ("anonymous", "engineer", "engineer2", "manager", "manager2", "director", "hr")
# Who is who to the subject of the per-person routes, `engineer`: engineer2 is another engineer,
# manager their manager, manager2 another manager, director their director.
CHAIN = {"engineer", "manager", "director", "hr"}  # may read engineer's full record


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def page(status: int = 200, **special: int) -> dict[str, int]:
    """A page behind the login: anonymous callers are sent to log in."""
    return {**everyone(status), "anonymous": 302, **special}


def api(status: int = 200, **special: int) -> dict[str, int]:
    """An API endpoint: anonymous callers are told to authenticate."""
    return {**everyone(status), "anonymous": 401, **special}


def hr_page(hr: int = 200, others: int = 403) -> dict[str, int]:
    return {**page(others), "hr": hr}


def hr_api(hr: int = 200, others: int = 403) -> dict[str, int]:
    return {**api(others), "hr": hr}


def own_job(status: int, *, anonymous: int) -> dict[str, int]:
    """Jobs and files: the requester (engineer) and HR; everyone else is out of scope."""
    return {**everyone(404), "anonymous": anonymous, "engineer": status, "hr": status}


@dataclass
class Check:
    method: str
    expected: dict[str, int]
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda data: {}
    data: dict[str, Any] | None = None
    query: str = ""
    # A check that ends the session (log out) runs on clients of its own.
    fresh_clients: bool = False
    # (persona → bool): whether the answer shows the full record; checked with `marker`.
    marker: Callable[[Any], bool] | None = None
    sees_marker: set[str] = field(default_factory=set)


def engineer(data: dict[str, Any]) -> dict[str, Any]:
    return {"username": "engineer"}


def role(data: dict[str, Any]) -> dict[str, Any]:
    return {"slug": "staff-software-engineer"}


def job(data: dict[str, Any]) -> dict[str, Any]:
    return {"job_id": data["job"].pk}


def review(data: dict[str, Any]) -> dict[str, Any]:
    return {"review_id": data["review"].pk}


def self_rating(data: dict[str, Any]) -> dict[str, Any]:
    return {**review(data), "dimension_id": data["dimension"].pk, "side": "self"}


def manager_rating(data: dict[str, Any]) -> dict[str, Any]:
    return {**review(data), "dimension_id": data["dimension"].pk, "side": "manager"}


def cycle(data: dict[str, Any]) -> dict[str, Any]:
    return {"cycle_id": data["cycle"].pk}


def spare_cycle(data: dict[str, Any]) -> dict[str, Any]:
    """A planned cycle of its own for the checks that move a cycle along, run in the order listed."""
    return {"cycle_id": data["spare_cycle"].pk}


def feedback_request(data: dict[str, Any]) -> dict[str, Any]:
    return {"request_id": data["feedback_request"].pk}


# engineer's review in the demo cycle, as each persona is related to it (see CHAIN).
REVIEW_READERS = {**page(404), "engineer": 200, "manager": 200, "director": 200, "hr": 200}
REVIEW_READERS_API = {**api(404), "engineer": 200, "manager": 200, "director": 200, "hr": 200}


def review_api(status: int, **special: int) -> dict[str, int]:
    """Those who may read engineer's review get `status`; everyone else does not learn that it exists."""
    return {**REVIEW_READERS_API, **{p: status for p, s in REVIEW_READERS_API.items() if s == 200}, **special}


def review_page(status: int, **special: int) -> dict[str, int]:
    return {**REVIEW_READERS, **{p: status for p, s in REVIEW_READERS.items() if s == 200}, **special}


def other_review(data: dict[str, Any]) -> dict[str, Any]:
    return {"review_id": data["calibrated_review"].pk}


def lists_engineers_review(response: Any) -> bool:
    return b'"username":"engineer"' in response.content


def shows_potential(response: Any) -> bool:
    return response.json()["potential"] is not None


def shows_final_rating(response: Any) -> bool:
    return response.json()["final_rating"] is not None


def full_profile_page(response: Any) -> bool:
    return "<dt>Start date</dt>" in response.content.decode()


def full_profile_api(response: Any) -> bool:
    return response.json()["detail"] == "full"


def submitted_assessment(data: dict[str, Any]) -> dict[str, Any]:
    return {"assessment_id": data["submitted_assessment"].pk}


def draft_assessment(data: dict[str, Any]) -> dict[str, Any]:
    return {"assessment_id": data["draft_assessment"].pk}


def track(data: dict[str, Any]) -> dict[str, Any]:
    return {"track_id": data["track"].pk}


def level(data: dict[str, Any]) -> dict[str, Any]:
    return {"level_id": data["level"].pk}


# engineer's self-assessments (the demo's): the person and those over them read the submitted one; a draft
# is the person's alone (403 to their readers); nobody else learns that either exists (404).
ASSESSMENT_READERS = {**page(404), "engineer": 200, "manager": 200, "director": 200, "hr": 200}
ASSESSMENT_READERS_API = {**api(404), "engineer": 200, "manager": 200, "director": 200, "hr": 200}


def assessment_page(status: int, **special: int) -> dict[str, int]:
    return {**ASSESSMENT_READERS, **{p: status for p, s in ASSESSMENT_READERS.items() if s == 200}, **special}


def assessment_api(status: int, **special: int) -> dict[str, int]:
    return {**ASSESSMENT_READERS_API, **{p: status for p, s in ASSESSMENT_READERS_API.items() if s == 200}, **special}


def plan(data: dict[str, Any]) -> dict[str, Any]:
    return {"plan_id": data["plan"].pk}


def goal(data: dict[str, Any]) -> dict[str, Any]:
    return {**plan(data), "goal_id": data["goal"].pk}


def indicator(data: dict[str, Any]) -> dict[str, Any]:
    return {**plan(data), "indicator_id": data["indicator"].pk}


def plan_page(status: int, **special: int) -> dict[str, int]:
    """newhire's plan: manager, director and HR may read it; everyone else gets 404."""
    return {**page(404), "manager": status, "director": status, "hr": status, **special}


def plan_api(status: int, **special: int) -> dict[str, int]:
    return {**api(404), "manager": status, "director": status, "hr": status, **special}


def shows_newhires_plan(response: Any) -> bool:
    return "Noor Newhire" in response.content.decode()


def lists_newhires_plan(response: Any) -> bool:
    return b'"username":"newhire"' in response.content


def opening(data: dict[str, Any]) -> dict[str, Any]:
    return {"opening_id": data["opening"].pk}


def candidate(data: dict[str, Any]) -> dict[str, Any]:
    return {"candidate_id": data["candidate"].pk}


def interview(data: dict[str, Any]) -> dict[str, Any]:
    return {"interview_id": data["interview"].pk}


def spare_interview(data: dict[str, Any]) -> dict[str, Any]:
    return {"interview_id": data["spare_interview"].pk}


# The demo opening: manager is its hiring manager, engineer and manager2 interview its candidate; engineer2
# and director are outside the hiring team and do not learn that it exists (404).
HIRING_TEAM = {**page(404), "engineer": 200, "manager": 200, "manager2": 200, "hr": 200}
HIRING_TEAM_API = {**api(404), "engineer": 200, "manager": 200, "manager2": 200, "hr": 200}


def hiring_page(status: int, **special: int) -> dict[str, int]:
    return {**HIRING_TEAM, **{p: status for p, s in HIRING_TEAM.items() if s == 200}, **special}


def hiring_api(status: int, **special: int) -> dict[str, int]:
    return {**HIRING_TEAM_API, **{p: status for p, s in HIRING_TEAM_API.items() if s == 200}, **special}


ROUTES: dict[str, list[Check]] = {
    "dashboard": [Check("get", page())],
    "healthz": [Check("get", everyone(200))],
    # Open in test settings; production closes it (tests/observability/test_it_guards_metrics_in_production.py).
    "metrics": [Check("get", everyone(200))],
    "login": [Check("get", everyone(200))],
    "logout": [Check("get", everyone(405)), Check("post", everyone(302), fresh_clients=True)],
    "password_change": [Check("get", page()), Check("post", page(200))],
    "password_change_done": [Check("get", page())],
    "password_reset": [Check("get", everyone(200))],
    "password_reset_done": [Check("get", everyone(200))],
    "password_reset_confirm": [Check("get", everyone(200), kwargs=lambda d: {"uidb64": "MQ", "token": "bad-token"})],
    "password_reset_complete": [Check("get", everyone(200))],
    "scorecards:role_list": [Check("get", page())],
    "scorecards:import": [Check("get", hr_page()), Check("post", hr_page(hr=200))],
    "scorecards:import_preview": [Check("get", hr_page(hr=302), kwargs=lambda d: {"token": "expired"})],
    "scorecards:role_detail": [Check("get", page(), kwargs=role)],
    "scorecards:role_versions": [Check("get", page(), kwargs=role)],
    "scorecards:role_diff": [Check("get", page(), kwargs=role)],
    # Every colleague may export a role sheet; that path renders a PDF, covered by its own tests.
    "scorecards:role_export": [Check("get", page(405), kwargs=role)],
    "scorecards:role_publish": [Check("post", hr_page(hr=302), kwargs=role)],
    "scorecards:role_start_draft": [Check("post", hr_page(hr=302), kwargs=role)],
    "scorecards:role_discard_draft": [Check("post", hr_page(hr=302), kwargs=role)],
    "jobs:detail": [Check("get", own_job(200, anonymous=302), kwargs=job)],
    "jobs:progress": [Check("get", own_job(200, anonymous=302), kwargs=job)],
    "jobs:download": [Check("get", own_job(200, anonymous=302), kwargs=job)],
    "org:people": [Check("get", page())],
    "org:person": [
        Check("get", page(), kwargs=engineer, marker=full_profile_page, sees_marker=CHAIN),
    ],
    "org:person_edit": [Check("get", hr_page(), kwargs=engineer), Check("post", hr_page(hr=200), kwargs=engineer)],
    "org:import": [Check("get", hr_page()), Check("post", hr_page(hr=200))],
    "org:import_preview": [Check("get", hr_page(hr=302), kwargs=lambda d: {"token": "expired"})],
    "api-token": [Check("get", everyone(405)), Check("post", everyone(400))],
    "api-role-list": [Check("get", api())],
    "api-role-detail": [Check("get", api(), kwargs=role)],
    "api-job-detail": [Check("get", own_job(200, anonymous=401), kwargs=job)],
    "api-job-download": [Check("get", own_job(200, anonymous=401), kwargs=job)],
    "api-me": [Check("get", api())],
    "api-employee-list": [Check("get", api()), Check("get", hr_api(), query="?active=all")],
    "api-employee-detail": [
        Check(
            "get",
            api(),
            kwargs=lambda d: {"pk": d["engineer"].pk},
            marker=full_profile_api,
            sees_marker=CHAIN,
        ),
        Check("patch", hr_api(), kwargs=lambda d: {"pk": d["engineer"].pk}, data={}),
    ],
    "api-org-import": [Check("get", hr_api(hr=405, others=405)), Check("post", hr_api(hr=400))],
    # Reviews: engineer's review is self_submitted, so the self side is read-only for everyone and the
    # manager side is manager's to write; a review outside one's reach is a 404, never a 403.
    "reviews:list": [Check("get", page())],
    "reviews:detail": [
        Check("get", review_page(200), kwargs=review),
        Check("post", review_page(403, manager=302), kwargs=review),
    ],
    "reviews:transition": [Check("post", review_page(400), kwargs=review)],
    "reviews:potential": [
        Check("get", review_page(403, manager=200), kwargs=review),
        # manager set "high" since; an empty form (clear it, having seen nothing) would overwrite that.
        Check("post", review_page(403, manager=409), kwargs=review),
    ],
    # The detailed self-assessment by skill is part of the self side: read-only for everyone once submitted.
    "reviews:skills": [
        Check("get", review_page(200), kwargs=review),
        Check("post", review_page(403), kwargs=review),
    ],
    # KPI evidence is written on one's own side: only manager writes (the manager side) now, and an empty
    # form names no KPI (400); the others who read the review may not (403).
    "reviews:kpi_attach": [Check("post", review_page(403, manager=400), kwargs=review)],
    "reviews:kpi_detach": [Check("post", review_page(403, manager=400), kwargs=review)],
    "reviews:rating": [
        Check("get", review_page(200), kwargs=self_rating),
        Check("get", review_page(200, engineer=403), kwargs=manager_rating),
        Check("post", review_page(403), kwargs=self_rating),
        Check("post", review_page(403, manager=400), kwargs=manager_rating),
    ],
    "feedback:inbox": [Check("get", page())],
    "feedback:review": [
        Check("get", review_page(200), kwargs=review),
        Check("post", review_page(403, engineer=200, manager=200), kwargs=review),
    ],
    # engineer2 was asked by manager and has answered: the peer and those over the review see it; only
    # the reviewer decides on a request.
    "feedback:answer": [
        Check("get", review_page(200, engineer=403, engineer2=200), kwargs=feedback_request),
        Check("post", review_page(403, engineer2=403), kwargs=feedback_request),
    ],
    "feedback:approve": [
        Check("get", page(405), kwargs=feedback_request),
        Check("post", review_page(403, manager=302, engineer2=403), kwargs=feedback_request),
    ],
    "feedback:decline": [
        Check("get", page(405), kwargs=feedback_request),
        Check("post", review_page(403, manager=302, engineer2=403), kwargs=feedback_request),
    ],
    "api-review-list": [Check("get", api(), marker=lists_engineers_review, sees_marker=CHAIN)],
    "api-review-detail": [
        Check("get", review_api(200), kwargs=review, marker=shows_potential, sees_marker=CHAIN - {"engineer"}),
        # engineer2's review is calibrated but not yet shared: its final rating is not theirs to see yet.
        Check(
            "get",
            {**api(404), "engineer2": 200, "manager2": 200, "director": 200, "hr": 200},
            kwargs=other_review,
            marker=shows_final_rating,
            sees_marker={"manager2", "director", "hr"},
        ),
    ],
    "api-review-ratings": [Check("patch", review_api(400), kwargs=review, data={})],
    "api-review-transitions": [
        Check("post", review_api(400), kwargs=review, data={}),
        # Only the reviewer submits the manager side (and manager has not rated yet: 400 lists what is missing).
        Check("post", review_api(403, manager=400), kwargs=review, data={"action": "submit_manager"}),
    ],
    "api-review-skills": [
        Check("get", review_api(200), kwargs=review),
        Check("patch", review_api(403), kwargs=review, data={}),
    ],
    "api-review-calibration": [Check("post", review_api(403, hr=400), kwargs=review, data={})],
    "api-review-reassign": [Check("post", review_api(403, hr=400), kwargs=review, data={})],
    "api-cycle-list": [Check("get", api()), Check("post", hr_api(hr=400), data={})],
    "api-cycle-detail": [Check("get", api(), kwargs=cycle)],
    "cycles:list": [Check("get", page())],
    "cycles:new": [Check("get", hr_page()), Check("post", hr_page())],
    "cycles:detail": [Check("get", page(), kwargs=cycle)],
    "cycles:enrol": [Check("post", hr_page(), kwargs=cycle)],
    "cycles:reassign": [Check("post", hr_page(), kwargs=cycle)],
    # Calibration: HR edits; a manager reads their reports', a director their org (engineer2 shows only
    # to those over them); an engineer without reports sees the cycle but not its calibration (403).
    # Setting a final rating: HR only; a review outside one's calibration is a 404.
    "cycles:calibration": [
        Check(
            "get",
            page(200, engineer=403, engineer2=403),
            kwargs=cycle,
            marker=lambda response: b"Emery Engineer" in response.content,
            sees_marker={"manager2", "director", "hr"},
        )
    ],
    "cycles:calibration-adjust": [
        Check("get", page(405), kwargs=lambda d: {"cycle_id": d["cycle"].pk, "review_id": d["review"].pk}),
        Check(
            "post",
            page(403, manager2=404, hr=400),
            kwargs=lambda d: {"cycle_id": d["cycle"].pk, "review_id": d["review"].pk},
        ),
    ],
    # An empty form names no review to accept (400).
    "cycles:calibration-accept": [Check("get", page(405), kwargs=cycle), Check("post", hr_page(hr=400), kwargs=cycle)],
    # Exports start a job: whoever may open the review gets its packet; a cycle's pack and ZIP are HR's.
    "reviews:packet": [Check("get", page(405), kwargs=review), Check("post", review_page(302), kwargs=review)],
    "api-review-packet": [Check("post", review_api(202), kwargs=review)],
    "cycles:calibration-export": [Check("post", hr_page(hr=302), kwargs=cycle)],
    "cycles:calibration-packets": [Check("post", hr_page(hr=302), kwargs=cycle)],
    "api-cycle-calibration-export": [Check("post", hr_api(hr=202), kwargs=cycle, data={})],
    "api-cycle-packets-export": [Check("post", hr_api(hr=202), kwargs=cycle, data={})],
    # Reading what accepting as is would finalise is HR's; an empty list names no review to accept (400).
    "api-cycle-calibration-accept": [
        Check("get", hr_api(hr=200), kwargs=cycle),
        Check("post", hr_api(hr=400), kwargs=cycle, data={"reviews": []}),
    ],
    # These move the spare cycle: planned → open → calibrating, then closing needs confirmation. A step
    # the cycle's state does not allow is a 403 (CONTRACTS.md), like any other refusal in scope.
    "cycles:open": [Check("get", page(405), kwargs=spare_cycle), Check("post", hr_page(hr=302), kwargs=spare_cycle)],
    "api-cycle-open": [Check("post", hr_api(hr=403), kwargs=spare_cycle, data={})],
    "cycles:advance": [Check("post", hr_page(hr=302), kwargs=spare_cycle)],
    "api-cycle-advance": [Check("post", hr_api(hr=403), kwargs=spare_cycle, data={})],
    "cycles:close": [Check("post", hr_page(hr=200), kwargs=spare_cycle)],
    "api-cycle-close": [Check("post", hr_api(hr=400), kwargs=spare_cycle, data={})],
    # Engineering events: HR (and KPI ingest accounts) send a JSON list; an empty object is not one (400).
    "api-kpi-deployments": [Check("get", hr_api(hr=405, others=405)), Check("post", hr_api(hr=400), data={})],
    "api-kpi-incidents": [Check("get", hr_api(hr=405, others=405)), Check("post", hr_api(hr=400), data={})],
    "api-kpi-measurements": [Check("get", hr_api(hr=405, others=405)), Check("post", hr_api(hr=400), data={})],
    "api-kpi-slo-windows": [Check("get", hr_api(hr=405, others=405)), Check("post", hr_api(hr=400), data={})],
    # platform's DORA figures: its people and those above them, and HR; another team's people do not
    # learn that it exists (404, like a team that does not).
    "api-kpi-dora": [
        Check(
            "get",
            {**api(404), "engineer": 200, "manager": 200, "director": 200, "hr": 200},
            query="?team=platform&period=month&start=2026-01-01&end=2026-03-31",
        )
    ],
    # platform's KPI series and trends: like its DORA figures (engineers' own series are filtered inside).
    "api-kpi-trends": [
        Check("get", {**api(404), "engineer": 200, "manager": 200, "director": 200, "hr": 200}, query="?team=platform")
    ],
    # The KPI pages: the list shows each caller the teams they may see; platform's dashboard answers
    # another team's people 404, like a team that does not exist.
    "kpis:teams": [Check("get", page())],
    "kpis:team": [
        Check(
            "get",
            page(404, engineer=200, manager=200, director=200, hr=200),
            kwargs=lambda d: {"team": "platform"},
        )
    ],
    # The measurement upload and its sample file: HR (and KPI ingest accounts); an empty form is shown again.
    "kpis:measurements_upload": [Check("get", hr_page()), Check("post", hr_page())],
    "kpis:measurements_sample": [Check("get", hr_page())],
    # The career ladder: everyone reads it, HR edits it (an empty form is a 400 for HR, a 403 for the others).
    "ladder:index": [Check("get", page())],
    "ladder:track_create": [Check("get", page(405)), Check("post", hr_page(hr=400))],
    "ladder:track_edit": [Check("post", hr_page(hr=400), kwargs=track)],
    "ladder:level_create": [Check("post", hr_page(hr=400), kwargs=track)],
    "ladder:level_edit": [Check("post", hr_page(hr=400), kwargs=level)],
    "ladder:level_move": [Check("post", hr_page(hr=400), kwargs=level)],
    # One's own self-assessment: engineer has a draft (an empty form is a 400); the others have none and are
    # sent back to start one. Starting one: engineer is sent to their draft, engineer2 gets a new draft, people
    # without a role are told why; these run in the order listed.
    "ladder:me": [Check("get", page()), Check("post", page(302, engineer=400))],
    "ladder:start": [Check("get", page(405)), Check("post", page(302))],
    "ladder:assessment": [
        Check("get", assessment_page(200), kwargs=submitted_assessment),
        Check("get", assessment_page(403, engineer=200), kwargs=draft_assessment),
    ],
    # The chain records a view on a submitted assessment (an empty form is a 400); the person and HR may not.
    "ladder:manager_view": [
        Check("post", assessment_page(403, manager=400, director=400), kwargs=submitted_assessment)
    ],
    "ladder:assessment_pdf": [
        Check("get", page(405), kwargs=submitted_assessment),
        Check("post", assessment_page(302), kwargs=submitted_assessment),
    ],
    "ladder:person": [Check("get", assessment_page(200), kwargs=engineer)],
    "api-ladder-track-list": [Check("get", api()), Check("post", hr_api(hr=400), data={})],
    "api-ladder-track-detail": [Check("get", api(), kwargs=track), Check("patch", hr_api(), kwargs=track, data={})],
    "api-ladder-level-create": [Check("post", hr_api(hr=400), kwargs=track, data={})],
    "api-ladder-level-detail": [Check("get", api(), kwargs=level), Check("patch", hr_api(), kwargs=level, data={})],
    # Starting (POST) answers the draft one has (engineer; engineer2 since ladder:start), 400 without a role.
    "api-ladder-assessment-list": [
        Check("get", api()),
        Check("get", assessment_api(200), query="?employee=engineer"),
        Check("post", api(400, engineer=200, engineer2=200), data={}),
    ],
    "api-ladder-assessment-detail": [
        Check("get", assessment_api(200), kwargs=submitted_assessment),
        Check("get", assessment_api(403, engineer=200), kwargs=draft_assessment),
        Check("patch", assessment_api(403), kwargs=submitted_assessment, data={}),
        Check("patch", assessment_api(403, engineer=400), kwargs=draft_assessment, data={}),
    ],
    # engineer's draft leaves two criteria unanswered: submitting lists them (400).
    "api-ladder-assessment-submit": [
        Check("post", assessment_api(403, engineer=400), kwargs=draft_assessment, data={})
    ],
    "api-ladder-assessment-manager-view": [
        Check("post", assessment_api(403, manager=400, director=400), kwargs=submitted_assessment, data={})
    ],
    "api-ladder-assessment-pdf": [Check("post", assessment_api(202), kwargs=submitted_assessment)],
    # 30/60/90 plans: newhire's plan is read by newhire (not a persona), manager, director and HR; everyone else
    # does not learn that it exists (404). Goals are updated by the person, their manager and HR, the plan is
    # adapted by the manager and HR (an empty form is a 400 for them); the director only reads (403).
    "plans:index": [Check("get", page(), marker=shows_newhires_plan, sees_marker={"manager", "director", "hr"})],
    "plans:detail": [Check("get", plan_page(200), kwargs=plan)],
    "plans:goal_update": [
        Check("get", page(405), kwargs=goal),
        Check("post", plan_page(400, director=403), kwargs=goal),
    ],
    "plans:goal_edit": [Check("post", plan_page(400, director=403), kwargs=goal)],
    "plans:goal_remove": [Check("post", plan_page(400, director=403), kwargs=goal)],
    "plans:goal_add": [Check("post", plan_page(400, director=403), kwargs=plan)],
    "plans:indicator_check": [Check("post", plan_page(400, director=403), kwargs=indicator)],
    "api-plan-list": [
        Check("get", api(), marker=lists_newhires_plan, sees_marker={"manager", "director", "hr"}),
        Check(
            "get",
            api(),
            query="?employee=newhire",
            marker=lists_newhires_plan,
            sees_marker={"manager", "director", "hr"},
        ),
    ],
    "api-plan-detail": [Check("get", plan_api(200), kwargs=plan)],
    "api-plan-goal-add": [Check("post", plan_api(400, director=403), kwargs=plan, data={})],
    "api-plan-goal": [
        Check("patch", plan_api(400, director=403), kwargs=goal, data={}),
        Check("delete", plan_api(400, director=403), kwargs=goal),
    ],
    "api-plan-indicator-check": [Check("post", plan_api(400, director=403), kwargs=indicator, data={})],
    # Hiring: the hiring team reads the opening and its candidates; engineer writes their own scorecard (an empty
    # form is a 400); the debrief, the decision and its PDF are the hiring manager's and HR's (403 to the team).
    "hiring:index": [Check("get", page())],
    # HR and people managers (manager, manager2, director) open openings; an empty form is a 400.
    "hiring:opening_new": [
        Check("get", page(403, manager=200, manager2=200, director=200, hr=200)),
        Check("post", page(403, manager=400, manager2=400, director=400, hr=400)),
    ],
    "hiring:opening": [Check("get", hiring_page(200), kwargs=opening)],
    "hiring:candidate": [Check("get", hiring_page(200), kwargs=candidate)],
    # The hiring manager and HR manage the opening, its candidates and their loops (403 to the rest of the
    # team). Empty forms change nothing: no action (302 back with a message), no stage or focus (400).
    "hiring:opening_state": [Check("post", hiring_page(403, manager=302, hr=302), kwargs=opening)],
    "hiring:candidate_new": [
        Check("get", hiring_page(403, manager=200, hr=200), kwargs=opening),
        Check("post", hiring_page(403, manager=400, hr=400), kwargs=opening),
    ],
    "hiring:candidate_stage": [Check("post", hiring_page(403, manager=400, hr=400), kwargs=candidate)],
    # manager adds the missing exercises of the default loop; for hr nothing is missing any more (302 both).
    "hiring:loop_default": [Check("post", hiring_page(403, manager=302, hr=302), kwargs=candidate)],
    "hiring:interview_new": [
        Check("get", hiring_page(403, manager=200, hr=200), kwargs=candidate),
        Check("post", hiring_page(403, manager=400, hr=400), kwargs=candidate),
    ],
    "hiring:interview_edit": [
        Check("get", hiring_page(403, manager=200, hr=200), kwargs=interview),
        Check("post", hiring_page(403, manager=400, hr=400), kwargs=interview),
    ],
    # The spare interview has a submitted scorecard, so removing it is refused (302 back with a message).
    "hiring:interview_remove": [Check("post", hiring_page(403, manager=302, hr=302), kwargs=spare_interview)],
    # A draft is its interviewer's alone: engineer saves one (302 back to the form); nobody else may.
    "hiring:scorecard_draft": [Check("post", hiring_page(403, engineer=302), kwargs=interview)],
    "hiring:scorecard": [
        Check("get", hiring_page(403, engineer=200), kwargs=interview),
        Check("post", hiring_page(403, engineer=400), kwargs=interview),
    ],
    "hiring:debrief": [
        Check("get", hiring_page(403, manager=200, hr=200), kwargs=candidate),
        Check("post", hiring_page(403, manager=400, hr=400), kwargs=candidate),
    ],
    "hiring:debrief_pdf": [
        Check("get", page(405), kwargs=candidate),
        Check("post", hiring_page(403, manager=302, hr=302), kwargs=candidate),
    ],
    "hiring:calibration": [Check("get", page(403, manager=200, hr=200))],
    "api-hiring-opening-list": [
        Check("get", api()),
        Check("post", api(403, manager=400, manager2=400, director=400, hr=400), data={}),
    ],
    "api-hiring-opening-state": [Check("post", hiring_api(403, manager=400, hr=400), kwargs=opening, data={})],
    "api-hiring-candidate-stage": [Check("post", hiring_api(403, manager=400, hr=400), kwargs=candidate, data={})],
    # hiring:loop_default above already added every exercise: nothing left to add (400).
    "api-hiring-loop-default": [Check("post", hiring_api(403, manager=400, hr=400), kwargs=candidate)],
    "api-hiring-interview-detail": [
        Check("get", hiring_api(200), kwargs=interview),
        Check("patch", hiring_api(403, manager=400, hr=400), kwargs=interview, data={"focus": []}),
        # Refused: the spare interview has a submitted scorecard.
        Check("delete", hiring_api(403, manager=400, hr=400), kwargs=spare_interview),
    ],
    # engineer's own draft (hiring:scorecard_draft saved one above); nobody else reads, writes or discards it.
    "api-hiring-scorecard-draft": [
        Check("get", hiring_api(403, engineer=200), kwargs=interview),
        Check("put", hiring_api(403, engineer=200), kwargs=interview, data={}),
        Check("delete", hiring_api(403, engineer=204), kwargs=interview),
    ],
    "api-hiring-opening-detail": [Check("get", hiring_api(200), kwargs=opening)],
    "api-hiring-candidate-create": [Check("post", hiring_api(403, manager=400, hr=400), kwargs=opening, data={})],
    "api-hiring-interview-create": [Check("post", hiring_api(403, manager=400, hr=400), kwargs=candidate, data={})],
    "api-hiring-candidate-detail": [Check("get", hiring_api(200), kwargs=candidate)],
    "api-hiring-scorecard-submit": [Check("post", hiring_api(403, engineer=400), kwargs=interview, data={})],
    "api-hiring-debrief": [Check("get", hiring_api(403, manager=200, hr=200), kwargs=candidate)],
    "api-hiring-decision-create": [Check("post", hiring_api(403, manager=400, hr=400), kwargs=candidate, data={})],
    "api-hiring-debrief-pdf": [Check("post", hiring_api(403, manager=202, hr=202), kwargs=candidate)],
    "api-hiring-calibration": [Check("get", api(403, manager=200, hr=200))],
    "api-schema": [Check("get", everyone(200))],
    "api-docs": [Check("get", everyone(200))],
}

ADMIN_PREFIX = "admin/"


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            found.append((name, prefix + str(pattern.pattern)))
    return found


def test_it_has_an_entry_for_every_route():
    routes = [(name, route) for name, route in _walk(get_resolver().url_patterns) if not route.startswith(ADMIN_PREFIX)]
    unnamed = [route for name, route in routes if not name]
    assert not unnamed, f"Routes without a name cannot be checked: {unnamed}"
    missing = sorted({name for name, _route in routes} - set(ROUTES))
    assert not missing, f"Add these routes to ROUTES with the answers the access policy gives: {missing}"
    stale = sorted(set(ROUTES) - {name for name, _route in routes})
    assert not stale, f"ROUTES lists routes that no longer exist: {stale}"


@pytest.fixture
def demo(db, staff_blueprint, settings, tmp_path) -> dict[str, Any]:
    from jobs.models import Job
    from jobs.services import job_attach_result
    from org.models import Employee
    from reviews import feedback
    from reviews.demo import demo_seed
    from reviews.models import Review
    from reviews.services import cycle_create, review_rate, review_transition
    from scorecards.models import ScorecardDimension

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed()
    requester = User.objects.get(username="engineer")
    the_job = Job.objects.create(kind=Job.Kind.ROLE_PDF, requester=requester, state=Job.State.SUCCEEDED, progress=100)
    job_attach_result(job=the_job, name="role.pdf", content=b"%PDF-1.7 tiny")
    the_review = Review.objects.select_related("cycle", "blueprint_version").get(employee__user__username="engineer")
    dimensions = list(ScorecardDimension.objects.filter(version=the_review.blueprint_version).order_by("position"))
    [asked] = feedback.feedback_request(
        actor=User.objects.get(username="manager"),
        review=the_review,
        peers=[Employee.objects.get(user__username="engineer2")],
        due=feedback.default_due(the_review.cycle),
    )
    feedback.feedback_answer(
        actor=User.objects.get(username="engineer2"),
        request=asked,
        answers={dimensions[0].name: (4, "Clear design notes and steady reviews.")},
    )
    the_review = review_rate(
        actor=User.objects.get(username="manager"), review=the_review, ratings=[], version=None, potential="high"
    )
    calibrated = review_transition(
        actor=User.objects.get(username="hr"),
        review=Review.objects.get(employee__user__username="engineer2"),
        action="calibrate",
    )
    today = timezone.localdate()
    spare = cycle_create(
        actor=User.objects.get(username="hr"),
        name="Spare cycle",
        period_start=today,
        period_end=today + timedelta(days=90),
        self_due=today + timedelta(days=60),
        manager_due=today + timedelta(days=70),
        calibration_due=today + timedelta(days=80),
        signoff_due=today + timedelta(days=90),
    )
    from ladder.models import Assessment, Level, Track

    assessments = Assessment.objects.filter(employee__user__username="engineer")
    data_ladder = {
        "submitted_assessment": assessments.get(state="submitted"),
        "draft_assessment": assessments.get(state="draft"),
        "track": Track.objects.get(slug="software-engineering-ic"),
        "level": Level.objects.get(name="Staff Software Engineer"),
    }
    return {
        **data_ladder,
        "job": the_job,
        "engineer": Employee.objects.get(user__username="engineer"),
        "review": the_review,
        "dimension": dimensions[0],
        "cycle": the_review.cycle,
        "spare_cycle": spare,
        "feedback_request": asked,
        "calibrated_review": calibrated,
        **_plan_data(),
        **_hiring_data(),
    }


def _hiring_data() -> dict[str, Any]:
    """The demo opening, its candidate and engineer's interview of them (hiring/demo.py), and a spare
    interview engineer has submitted a scorecard for (so it cannot be removed)."""
    from hiring.models import Interview
    from hiring.services import RatingInput, interview_add, scorecard_submit
    from org.models import Employee

    interview = Interview.objects.select_related("candidate__opening").get(interviewers__user__username="engineer")
    spare = interview_add(
        actor=None,
        candidate=interview.candidate,
        exercise="Production debugging scenario",
        interviewers=[Employee.objects.get(user__username="engineer")],
        focus=["Operational excellence"],
    )
    scorecard_submit(
        actor=User.objects.get(username="engineer"),
        interview=spare,
        recommendation="yes",
        ratings=[RatingInput(dimension="Operational excellence", rating="yes")],
    )
    return {
        "opening": interview.candidate.opening,
        "candidate": interview.candidate,
        "interview": interview,
        "spare_interview": spare,
    }


def _plan_data() -> dict[str, Any]:
    """newhire's 30/60/90 plan from the demo (newhire reports to manager), a goal and an indicator of it."""
    from plans.models import Indicator, Plan

    plan = Plan.objects.get(employee__user__username="newhire", state="active")
    return {
        "plan": plan,
        "goal": plan.goals.filter(removed=False).order_by("position").first(),
        "indicator": Indicator.objects.filter(plan=plan).order_by("position").first(),
    }


def _clients() -> dict[str, Client]:
    clients = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(User.objects.get(username=persona))
        clients[persona] = client
    return clients


def iter_mismatches(data: dict[str, Any]) -> Iterator[str]:
    """Each (route, method, persona) whose answer differs from the table, as it is found."""
    shared = _clients()
    for name, checks in ROUTES.items():
        for check in checks:
            clients = _clients() if check.fresh_clients else shared
            url = reverse(name, kwargs=check.kwargs(data)) + check.query
            for persona, expected in check.expected.items():
                request = getattr(clients[persona], check.method)
                kwargs: dict[str, Any] = {}
                if check.data is not None:
                    kwargs = {"data": check.data, "content_type": "application/json"}
                response = request(url, **kwargs)
                # Every answer, page, fragment, API or file, carries the strict Content-Security-Policy.
                for problem in policy_problems(response, url):
                    yield f"{check.method.upper()} {url} as {persona}: {problem}"
                if response.status_code != expected:
                    yield f"{check.method.upper()} {url} as {persona}: {response.status_code} != {expected}"
                elif expected == 302 and persona == "anonymous" and not url.startswith("/accounts/logout"):
                    if not response["Location"].startswith(reverse("login")):
                        yield f"{check.method.upper()} {url} as anonymous: not sent to log in"
                elif (
                    check.marker is not None
                    and response.status_code == 200
                    and check.marker(response) is not (persona in check.sees_marker)
                ):
                    yield f"{check.method.upper()} {url} as {persona}: wrong level of detail"


def matrix_mismatches(data: dict[str, Any]) -> list[str]:
    """Every (route, method, persona) whose answer differs from the table."""
    return list(iter_mismatches(data))


def test_it_answers_every_route_as_the_policy_says(demo):
    assert matrix_mismatches(demo) == []


@pytest.mark.parametrize("persona", ["anonymous", "engineer", "manager"])
def test_it_keeps_the_admin_to_staff(demo, persona):
    client = _clients()[persona]
    for url in ("/admin/", "/admin/auth/user/", "/admin/audit/auditentry/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# Loosening any one rule of the policy must turn the matrix red.
LOOSENED = {
    "is_hr": lambda user: True,
    "can_read_employee_full": lambda user, employee: True,
    "can_edit_employee": lambda user, employee: True,
    "can_import_org": lambda user: True,
    "can_manage_blueprints": lambda user: True,
    "can_view_job": lambda user, job: True,
    "can_list_inactive_employees": lambda user: True,
    "review_in_scope": lambda *, relation, hr: True,
    "review_visibility_q": lambda user: None,
    "review_self_side_access": lambda **kwargs: access.Access.EDIT,
    "review_manager_side_access": lambda **kwargs: access.Access.EDIT,
    "review_actions": lambda user, review: {"submit_self", "submit_manager", "calibrate", "share", "acknowledge"},
    "can_manage_cycles": lambda user: True,
    "feedback_view": lambda user, review: access.FeedbackView.NAMES,
    "can_request_feedback": lambda user, review: True,
    "can_decide_feedback": lambda user, review: True,
    "is_feedback_peer": lambda user, request: True,
    "can_see_potential": lambda user, review: True,
    "can_see_final_rating": lambda user, review: True,
    "can_ingest_kpis": lambda user: True,
    "can_view_team_kpis": lambda user, team: True,
    "visible_team_ids": lambda user: None,
    "calibration_access": lambda user: access.Access.EDIT,
    "calibration_employee_ids": lambda user: None,
    "can_edit_ladder": lambda user: True,
    "can_read_assessments": lambda user, employee: True,
    "can_read_assessment": lambda user, assessment: True,
    "can_edit_assessment": lambda user, assessment: True,
    "can_record_manager_view": lambda user, assessment: True,
    "can_read_plan": lambda user, plan: True,
    "can_update_goal": lambda user, plan: True,
    "can_adapt_plan": lambda user, plan: True,
    "plan_visibility_q": lambda user: None,
    "opening_visibility_q": lambda user: None,
    "is_hiring_team": lambda user, opening: True,
    "is_hiring_manager": lambda user, opening: True,
    "can_manage_openings": lambda user: True,
    "can_view_interviewer_calibration": lambda user: True,
    "can_write_scorecard": lambda user, interview: True,
}


@pytest.mark.parametrize("rule", sorted(LOOSENED))
def test_it_fails_when_a_policy_check_is_removed(demo, monkeypatch, rule):
    monkeypatch.setattr(access, rule, LOOSENED[rule])
    # The first difference is enough: the rest of the matrix need not be walked for every rule.
    assert next(iter_mismatches(demo), None) is not None, f"Loosening access.{rule} went unnoticed"
