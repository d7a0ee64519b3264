"""Who may see and do what: the one place where rights are decided.

Views and API endpoints call these functions (or the fetch-and-check helpers) instead of
testing groups or the org chart themselves, so no view can forget a check.

Two answers to "no": a thing outside the caller's scope is not found (404), so that its existence
does not leak; a thing in scope that the caller may not use in its current state or role is
forbidden (403).

| subject | the engineer | another engineer | their manager | another manager | their director | HR |
|---|---|---|---|---|---|---|
| employee profile | read | read basic | read | read basic | read | read, edit |
| review, self side | edit while draft, then read | none | read once submitted | none | read once submitted | read |
| review, manager side | read once shared | none | edit until manager_submitted | none | read | read |
| calibration of a cycle | none | none | read (own reports) | none | read (own org) | read, edit |
| jobs and files | own | none | own | none | own | all |
| blueprints | read | read | read | read | read | publish |
| career ladder | read | read | read | read | read | read, edit |
| self-assessment | own: edit draft | none | submitted: read, add view | none | submitted: read, add view | read |
| 30/60/90 plan | update goals | none | update goals, adapt, tick indicators | none | read | all |
| hiring: open an opening | people managers (as its hiring manager) | | | | | any hiring manager |
| hiring: candidates | the hiring team (hiring manager, members, interviewers) reads; others none | | | | | all |
| hiring: candidates, loop, stage, close | the opening's hiring manager | | | | | all |
| hiring: scorecards | own; others' once one's own is submitted; the hiring manager all submitted | | | | | all |
| hiring: scorecard drafts | own only | | | | | none |
| hiring: debrief, decision | the opening's hiring manager | | | | | all |
"""

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

if TYPE_CHECKING:
    from django.db.models import Q

    from hiring.models import Candidate, Interview, Opening
    from jobs.models import Job
    from ladder.models import Assessment
    from org.models import Employee, Team
    from plans.models import Plan
    from reviews.models import FeedbackRequest, Review

HR_GROUP = "HR"
ADMIN_GROUP = "Admin"


class Relation(enum.Enum):
    """How the caller stands to an employee in the manager chain."""

    SELF = "self"
    MANAGER = "manager"  # the employee's direct manager
    DIRECTOR = "director"  # anyone further up the employee's chain
    OTHER = "other"


class Access(enum.IntEnum):
    NONE = 0
    READ = 1
    EDIT = 2


@dataclass
class Viewer:
    """The caller as the policy sees it, loaded once per request."""

    user: Any
    employee: "Employee | None"
    hr: bool
    relations: dict[int, Relation] = field(default_factory=dict)
    subtree: set[int] | None = None
    team_ids: set[int] | None = None


def _in_group(user: Any, name: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_staffrole_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._staffrole_groups = cache
    return name in cache


def is_hr(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or _in_group(user, HR_GROUP) or _in_group(user, ADMIN_GROUP)


def is_authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def viewer(user: Any) -> Viewer:
    """The caller's employee record and HR standing, cached on the user object for the request."""
    cached = getattr(user, "_staffrole_viewer", None)
    if cached is not None:
        return cached
    employee = None
    if is_authenticated(user):
        from org.selectors import employee_for_user

        employee = employee_for_user(user_id=user.pk)
    result = Viewer(user=user, employee=employee, hr=is_hr(user))
    if is_authenticated(user):
        user._staffrole_viewer = result
    return result


def subtree_of(user: Any) -> set[int]:
    """Ids of everyone below the caller in the manager chain (one query, cached per request)."""
    who = viewer(user)
    if who.subtree is None:
        from org.selectors import subtree_ids

        who.subtree = subtree_ids(root_id=who.employee.pk) if who.employee else set()
    return who.subtree


def relation_to(user: Any, employee: "Employee") -> Relation:
    who = viewer(user)
    if who.employee is None:
        return Relation.OTHER
    if employee.pk == who.employee.pk:
        return Relation.SELF
    if employee.manager_id == who.employee.pk:
        return Relation.MANAGER
    if employee.pk not in who.relations:
        if who.subtree is not None:
            below = employee.pk in who.subtree
        else:
            from org.selectors import ancestor_ids

            below = who.employee.pk in ancestor_ids(employee_id=employee.pk)
        who.relations[employee.pk] = Relation.DIRECTOR if below else Relation.OTHER
    return who.relations[employee.pk]


def refuse(*, in_scope: bool, what: str = "Not found.", why: str = "You may not do this.") -> Exception:
    """The one rule for saying no: out of scope is 404, in scope but not allowed is 403."""
    return PermissionDenied(why) if in_scope else Http404(what)


# --- Employees -----------------------------------------------------------------------------------


def can_read_employee(user: Any, employee: "Employee") -> bool:
    """The basic profile (name, title, team, role, manager): every colleague, while the person is active."""
    if not is_authenticated(user):
        return False
    return employee.active or can_read_employee_full(user, employee)


def can_read_employee_full(user: Any, employee: "Employee") -> bool:
    """Level, start date, email and history: the person, their manager chain and HR."""
    if not is_authenticated(user):
        return False
    return viewer(user).hr or relation_to(user, employee) is not Relation.OTHER


def can_edit_employee(user: Any, employee: "Employee") -> bool:
    return viewer(user).hr


def can_import_org(user: Any) -> bool:
    return is_authenticated(user) and viewer(user).hr


def can_list_inactive_employees(user: Any) -> bool:
    return is_authenticated(user) and viewer(user).hr


def get_employee_for_user(user: Any, username: str, *, edit: bool = False) -> "Employee":
    """The employee, if the caller may see them (404 otherwise); with `edit`, 403 unless they may edit."""
    from org.models import Employee

    employee = (
        Employee.objects.select_related("user", "team", "role", "manager__user").filter(user__username=username).first()
    )
    if employee is None or not can_read_employee(user, employee):
        raise Http404("No such person.")
    if edit and not can_edit_employee(user, employee):
        raise PermissionDenied("Only HR can edit a person's record.")
    return employee


def get_employee_by_id_for_user(user: Any, employee_id: Any) -> "Employee":
    from org.models import Employee

    try:
        employee = Employee.objects.select_related("user", "team", "role", "manager__user").get(pk=employee_id)
    except (Employee.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such person.") from exc
    if not can_read_employee(user, employee):
        raise Http404("No such person.")
    return employee


# --- Reviews (the review model arrives with review cycles; these rules are its policy) ---------

SELF_SUBMITTED_STATES = frozenset({"self_submitted", "manager_submitted", "calibrated", "shared", "acknowledged"})
MANAGER_EDITABLE_STATES = frozenset({"draft", "self_submitted"})
SHARED_STATES = frozenset({"shared", "acknowledged"})


def review_in_scope(*, relation: Relation, hr: bool) -> bool:
    return hr or relation is not Relation.OTHER


def review_self_side_access(*, relation: Relation, hr: bool, state: str) -> Access:
    if relation is Relation.SELF:
        return Access.EDIT if state == "draft" else Access.READ
    if relation in (Relation.MANAGER, Relation.DIRECTOR):
        return Access.READ if state in SELF_SUBMITTED_STATES else Access.NONE
    return Access.READ if hr else Access.NONE


def review_manager_side_access(*, relation: Relation, hr: bool, state: str) -> Access:
    # An HR person's own review follows the engineer's rule: nobody reads their manager's view early.
    if relation is Relation.SELF:
        return Access.READ if state in SHARED_STATES else Access.NONE
    if relation is Relation.MANAGER:
        return Access.EDIT if state in MANAGER_EDITABLE_STATES else Access.READ
    if relation is Relation.DIRECTOR:
        return Access.READ
    return Access.READ if hr else Access.NONE


def review_relation(user: Any, review: "Review") -> Relation:
    """How the caller stands to a review: its subject, its reviewer (fixed when the cycle opened),
    someone above the reviewer (or, without one, above the person), or nobody."""
    who = viewer(user)
    if who.employee is None:
        return Relation.OTHER
    if review.employee_id == who.employee.pk:
        return Relation.SELF
    if review.reviewer_id == who.employee.pk:
        return Relation.MANAGER
    key = -review.pk  # cached apart from employee relations
    if key not in who.relations:
        from org.selectors import ancestor_ids

        anchor_id = review.reviewer_id or review.employee_id
        if who.subtree is not None:
            below = anchor_id in who.subtree
        else:
            below = who.employee.pk in ancestor_ids(employee_id=anchor_id)
        who.relations[key] = Relation.DIRECTOR if below else Relation.OTHER
    return who.relations[key]


def review_visibility_q(user: Any) -> "Q | None":
    """Reviews the caller may open, as a filter: None for HR (all of them)."""
    from django.db.models import Q

    who = viewer(user)
    if who.hr:
        return None
    if who.employee is None:
        return Q(pk__in=[])
    below = subtree_of(user)
    return (
        Q(employee=who.employee)
        | Q(reviewer=who.employee)
        | Q(reviewer__in=below)
        | Q(reviewer__isnull=True, employee__in=below)
    )


def get_review_for_user(user: Any, review_id: Any) -> "Review":
    """The review, if the caller may open it; 404 otherwise (its existence is not revealed)."""
    from reviews.models import Review

    try:
        review = Review.objects.select_related(
            "cycle", "employee__user", "reviewer__user", "blueprint_version__role"
        ).get(pk=review_id)
    except (Review.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such review.") from exc
    if not review_in_scope(relation=review_relation(user, review), hr=viewer(user).hr):
        raise Http404("No such review.")
    return review


def review_access(user: Any, review: "Review") -> tuple[Access, Access]:
    """(self side, manager side) for the caller on this review in its current state."""
    relation = review_relation(user, review)
    hr = viewer(user).hr
    return (
        review_self_side_access(relation=relation, hr=hr, state=review.state),
        review_manager_side_access(relation=relation, hr=hr, state=review.state),
    )


def review_actions(user: Any, review: "Review") -> set[str]:
    """The transitions the caller may attempt on this review now (completeness is the service's job)."""
    if review.cycle.state == "closed":
        return set()
    relation = review_relation(user, review)
    hr = viewer(user).hr
    state = review.state
    actions = set()
    if relation is Relation.SELF and state == "draft":
        actions.add("submit_self")
    if relation is Relation.MANAGER and state == "self_submitted":
        actions.add("submit_manager")
    if hr and relation is not Relation.SELF and state in ("manager_submitted", "calibrated"):
        actions.add("calibrate")
    if relation is Relation.MANAGER and state == "calibrated":
        actions.add("share")
    if relation is Relation.SELF and state == "shared":
        actions.add("acknowledge")
    if hr and relation is not Relation.SELF and state != "draft":
        actions.add("reopen")
    return actions


def can_manage_cycles(user: Any) -> bool:
    """Create, open, advance and close review cycles; reassign reviewers."""
    return is_authenticated(user) and viewer(user).hr


def can_view_cycle(user: Any) -> bool:
    return is_authenticated(user)


# --- Calibration ---------------------------------------------------------------------------------


def calibration_access(user: Any) -> Access:
    """HR calibrates; a manager reads their reports' calibration, a director their whole org."""
    if not is_authenticated(user):
        return Access.NONE
    if viewer(user).hr:
        return Access.EDIT
    return Access.READ if subtree_of(user) else Access.NONE


def can_export_calibration(user: Any) -> bool:
    """The calibration pack and the ZIP of every review packet of a cycle: HR, who hands them out."""
    return calibration_access(user) is Access.EDIT


def calibration_employee_ids(user: Any) -> set[int] | None:
    """Whose ratings the caller sees in calibration: None means everyone (HR)."""
    if viewer(user).hr:
        return None
    return subtree_of(user)


# --- Blueprints ----------------------------------------------------------------------------------


def can_view_blueprints(user: Any) -> bool:
    return is_authenticated(user)


def can_view_draft_blueprints(user: Any) -> bool:
    return is_hr(user)


def can_manage_blueprints(user: Any) -> bool:
    """Import, publish and start new drafts of role blueprints."""
    return is_hr(user)


# --- Jobs and their files ------------------------------------------------------------------------


def can_view_job(user: Any, job: "Job") -> bool:
    return is_authenticated(user) and (job.requester_id == user.pk or is_hr(user))


def get_job_for_user(user: Any, job_id: Any) -> "Job":
    """The job, if the user may see it; 404 otherwise (never reveal that it exists)."""
    from jobs.models import Job

    try:
        job = Job.objects.select_related("requester").get(pk=job_id)
    except (Job.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such job.") from exc
    if not can_view_job(user, job):
        raise Http404("No such job.")
    return job


# --- Peer feedback -------------------------------------------------------------------------------
# The reviewer asks peers directly; the person reviewed may ask too, pending the reviewer's approval.
# A peer sees only their own request. Who said what: the reviewer, their chain and HR. The person
# reviewed: who was asked and whether they answered, then an anonymised summary once the review is shared.


class FeedbackView(enum.Enum):
    NAMES = "names"  # every answer with its author
    SUMMARY = "summary"  # per dimension, without names
    STATUS = "status"  # who was asked and whether they answered, no content
    NONE = "none"


def feedback_view(user: Any, review: "Review") -> FeedbackView:
    """What the caller sees of the peer feedback on a review (their own answers aside)."""
    if not is_authenticated(user):
        return FeedbackView.NONE
    relation = review_relation(user, review)
    if relation is Relation.SELF:
        return FeedbackView.SUMMARY if review.state in SHARED_STATES else FeedbackView.STATUS
    if relation in (Relation.MANAGER, Relation.DIRECTOR) or viewer(user).hr:
        return FeedbackView.NAMES
    return FeedbackView.NONE


def can_request_feedback(user: Any, review: "Review") -> bool:
    """The reviewer asks peers; the person reviewed asks too, and the reviewer approves."""
    return is_authenticated(user) and review_relation(user, review) in (Relation.SELF, Relation.MANAGER)


def feedback_request_needs_approval(user: Any, review: "Review") -> bool:
    return review_relation(user, review) is not Relation.MANAGER


def can_decide_feedback(user: Any, review: "Review") -> bool:
    """Approve or decline the requests the person reviewed made, withdraw unanswered ones: the reviewer."""
    return is_authenticated(user) and review_relation(user, review) is Relation.MANAGER


def is_feedback_peer(user: Any, request: "FeedbackRequest") -> bool:
    who = viewer(user)
    return who.employee is not None and request.peer_id == who.employee.pk


def get_feedback_request_for_user(user: Any, request_id: Any) -> "FeedbackRequest":
    """The request, for its peer or anyone who may follow the review's feedback; 404 for everyone else
    (other peers never learn who else was asked)."""
    from reviews.models import FeedbackRequest

    try:
        request = FeedbackRequest.objects.select_related(
            "peer__user",
            "requested_by",
            "review__cycle",
            "review__employee__user",
            "review__reviewer__user",
            "review__blueprint_version__role",
        ).get(pk=request_id)
    except (FeedbackRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such feedback request.") from exc
    if not is_feedback_peer(user, request) and feedback_view(user, request.review) is FeedbackView.NONE:
        raise Http404("No such feedback request.")
    return request


# --- Review API ----------------------------------------------------------------------------------


def can_see_final_rating(user: Any, review: "Review") -> bool:
    """HR, the reviewer and the chain above see the final rating (and its justification) once set;
    the person reviewed only once the review is shared with them."""
    if review_relation(user, review) is Relation.SELF:
        return review.state in SHARED_STATES
    return review_in_scope(relation=review_relation(user, review), hr=viewer(user).hr)


def can_see_potential(user: Any, review: "Review") -> bool:
    """Potential feeds calibration's 9-box: whoever reads the manager side, except the person reviewed."""
    if review_relation(user, review) is Relation.SELF:
        return False
    return review_access(user, review)[1] is not Access.NONE


# --- KPIs ----------------------------------------------------------------------------------------

KPI_INGEST_GROUP = "KPI ingest"  # service accounts of CI/CD and incident tools


def can_ingest_kpis(user: Any) -> bool:
    """Send measurements, deployments and incidents: HR and the KPI ingest accounts."""
    return is_authenticated(user) and (viewer(user).hr or _in_group(user, KPI_INGEST_GROUP))


def visible_team_ids(user: Any) -> set[int] | None:
    """Teams whose KPIs the caller may read: None for HR (all of them); otherwise their own team and
    every team someone below them in the manager chain belongs to (one query, cached per request)."""
    who = viewer(user)
    if who.hr:
        return None
    if who.employee is None:
        return set()
    if who.team_ids is None:
        from org.models import Employee

        below = subtree_of(user)
        ids = set(Employee.objects.filter(pk__in=below, team__isnull=False).values_list("team_id", flat=True))
        if who.employee.team_id:
            ids.add(who.employee.team_id)
        who.team_ids = ids
    return who.team_ids


def can_view_team_kpis(user: Any, team: "Team") -> bool:
    if not is_authenticated(user):
        return False
    teams = visible_team_ids(user)
    return teams is None or team.pk in teams


# --- 30/60/90 plans ------------------------------------------------------------------------------
# The person, their manager chain and HR read a plan. The person and their direct manager keep each goal's
# status, notes and evidence; the manager (and HR) adapt the plan and tick its success indicators off.
# A closed plan is history: everyone who may read it reads it, nobody writes it (403).


def can_read_plan(user: Any, plan: "Plan") -> bool:
    if not is_authenticated(user):
        return False
    return viewer(user).hr or relation_to(user, plan.employee) is not Relation.OTHER


def can_update_goal(user: Any, plan: "Plan") -> bool:
    if not plan.is_active or not is_authenticated(user):
        return False
    return viewer(user).hr or relation_to(user, plan.employee) in (Relation.SELF, Relation.MANAGER)


def can_adapt_plan(user: Any, plan: "Plan") -> bool:
    """Edit, add and remove goals; tick success indicators off."""
    if not plan.is_active or not is_authenticated(user):
        return False
    if relation_to(user, plan.employee) is Relation.SELF:
        return False  # HR's own plan is adapted by their manager, like anyone's
    return viewer(user).hr or relation_to(user, plan.employee) is Relation.MANAGER


def plan_visibility_q(user: Any) -> "Q | None":
    """Plans the caller may open, as a filter: None for HR (all of them)."""
    from django.db.models import Q

    who = viewer(user)
    if who.hr:
        return None
    if who.employee is None:
        return Q(pk__in=[])
    return Q(employee=who.employee) | Q(employee__in=subtree_of(user))


def get_plan_for_user(user: Any, plan_id: Any) -> "Plan":
    """The plan, if the caller may read it; 404 otherwise (its existence is not revealed)."""
    from plans.models import Plan

    try:
        plan = Plan.objects.select_related(
            "employee__user", "employee__manager__user", "employee__team", "blueprint_version__role"
        ).get(pk=plan_id)
    except (Plan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such plan.") from exc
    if not can_read_plan(user, plan):
        raise Http404("No such plan.")
    return plan


# --- Career ladder and self-assessments -----------------------------------------------------------
# Everyone signed in reads the ladder; HR edits it. A self-assessment is its person's: they edit their
# draft and read all of theirs. Their manager chain and HR read the submitted ones (a draft is the
# person's alone: 403 to them), and the chain records a view on a submitted one; nobody else learns that
# an assessment exists (404).


def can_view_ladder(user: Any) -> bool:
    return is_authenticated(user)


def can_edit_ladder(user: Any) -> bool:
    """Add, rename, reorder and link tracks and levels."""
    return is_authenticated(user) and viewer(user).hr


def can_read_assessments(user: Any, employee: "Employee") -> bool:
    """Whether the caller may see that the person has self-assessments at all (their list, their trend)."""
    if not is_authenticated(user):
        return False
    return viewer(user).hr or relation_to(user, employee) is not Relation.OTHER


def can_read_assessment(user: Any, assessment: "Assessment") -> bool:
    """The person reads all of theirs; their readers the submitted ones."""
    if relation_to(user, assessment.employee) is Relation.SELF:
        return True
    return assessment.state == "submitted" and can_read_assessments(user, assessment.employee)


def can_edit_assessment(user: Any, assessment: "Assessment") -> bool:
    return assessment.state == "draft" and relation_to(user, assessment.employee) is Relation.SELF


def can_start_assessment(user: Any) -> bool:
    return is_authenticated(user) and viewer(user).employee is not None


def can_record_manager_view(user: Any, assessment: "Assessment") -> bool:
    """The manager and those above them, once the person has submitted."""
    if not is_authenticated(user) or assessment.state != "submitted":
        return False
    return relation_to(user, assessment.employee) in (Relation.MANAGER, Relation.DIRECTOR)


def get_assessment_for_user(user: Any, assessment_id: Any) -> "Assessment":
    """The assessment, if the caller may read it: 404 out of scope, 403 for a draft of someone else."""
    from ladder.models import Assessment

    try:
        assessment = Assessment.objects.select_related(
            "employee__user",
            "employee__manager__user",
            "employee__team",
            "blueprint_version__role",
            "level__track",
            "next_level__track",
        ).get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such self-assessment.") from exc
    if not can_read_assessments(user, assessment.employee):
        raise Http404("No such self-assessment.")
    if not can_read_assessment(user, assessment):
        raise PermissionDenied(f"{assessment.employee.name}'s self-assessment is shown once they submit it.")
    return assessment


# --- Hiring ---------------------------------------------------------------------------------------
# Candidates are private to the opening's hiring team (its hiring manager, its members and the
# interviewers of its loops) and HR; everyone else does not learn that an opening or candidate exists
# (404). An interviewer sees the other interviewers' scorecards on a candidate only once their own is
# submitted; the hiring manager and HR see every submitted one. The debrief and the decision are the
# hiring manager's and HR's (403 to the rest of the team).


def opening_visibility_q(user: Any) -> "Q | None":
    """Openings the caller may open, as a filter: None for HR (all of them)."""
    from django.db.models import Q

    who = viewer(user)
    if who.hr:
        return None
    if who.employee is None:
        return Q(pk__in=[])
    me = who.employee.pk
    return Q(hiring_manager_id=me) | Q(members__employee_id=me) | Q(candidates__interviews__interviewers__id=me)


def is_hiring_team(user: Any, opening: "Opening") -> bool:
    if not is_authenticated(user):
        return False
    who = viewer(user)
    if who.hr:
        return True
    if who.employee is None:
        return False
    if opening.hiring_manager_id == who.employee.pk:
        return True
    from hiring.models import Opening

    q = opening_visibility_q(user)
    return q is None or Opening.objects.filter(q, pk=opening.pk).exists()


def is_hiring_manager(user: Any, opening: "Opening") -> bool:
    """The opening's hiring manager, or HR: debrief, decision, the whole loop's scorecards."""
    if not is_authenticated(user):
        return False
    who = viewer(user)
    return who.hr or (who.employee is not None and opening.hiring_manager_id == who.employee.pk)


def can_manage_openings(user: Any) -> bool:
    """Open a new opening: HR, and people managers (anyone with an active direct report), who hire for
    their own teams. A manager opens it as its own hiring manager (`may_appoint_hiring_manager`)."""
    if not is_authenticated(user):
        return False
    who = viewer(user)
    if who.hr:
        return True
    return who.employee is not None and who.employee.active and who.employee.reports.filter(active=True).exists()


def may_appoint_hiring_manager(user: Any, employee: "Employee") -> bool:
    """HR names anyone active as an opening's hiring manager; a people manager only themselves."""
    who = viewer(user)
    if not is_authenticated(user) or not employee.active:
        return False
    return who.hr or (who.employee is not None and who.employee.pk == employee.pk)


def can_view_interviewer_calibration(user: Any) -> bool:
    """HR, and anyone who is the hiring manager of an opening (for the openings they manage)."""
    if not is_authenticated(user):
        return False
    who = viewer(user)
    if who.hr:
        return True
    if who.employee is None:
        return False
    from hiring.models import Opening

    return Opening.objects.filter(hiring_manager_id=who.employee.pk).exists()


def sees_others_scorecards(user: Any, candidate: "Candidate", *, own_submitted: bool) -> bool:
    """Whether the caller sees the other interviewers' submitted scorecards on this candidate."""
    return own_submitted or is_hiring_manager(user, candidate.opening)


def can_write_scorecard(user: Any, interview: "Interview") -> bool:
    """One of the interview's interviewers (each writes, drafts and amends only their own scorecard)."""
    who = viewer(user)
    if not is_authenticated(user) or who.employee is None:
        return False
    return interview.interviewers.filter(pk=who.employee.pk).exists()


def get_opening_for_user(user: Any, opening_id: Any) -> "Opening":
    from hiring.models import Opening

    try:
        opening = Opening.objects.select_related("role", "blueprint_version", "hiring_manager__user").get(pk=opening_id)
    except (Opening.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such opening.") from exc
    if not is_hiring_team(user, opening):
        raise Http404("No such opening.")
    return opening


def get_candidate_for_user(user: Any, candidate_id: Any) -> "Candidate":
    from hiring.models import Candidate

    try:
        candidate = Candidate.objects.select_related(
            "opening__role", "opening__blueprint_version", "opening__hiring_manager__user"
        ).get(pk=candidate_id)
    except (Candidate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such candidate.") from exc
    if not is_hiring_team(user, candidate.opening):
        raise Http404("No such candidate.")
    return candidate


def get_interview_for_user(user: Any, interview_id: Any, *, write: bool = False) -> "Interview":
    """The interview, for its hiring team (404 otherwise); with `write`, 403 unless it is the caller's."""
    from hiring.models import Interview

    try:
        interview = Interview.objects.select_related(
            "candidate__opening__role",
            "candidate__opening__blueprint_version",
            "candidate__opening__hiring_manager__user",
        ).get(pk=interview_id)
    except (Interview.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such interview.") from exc
    if not is_hiring_team(user, interview.candidate.opening):
        raise Http404("No such interview.")
    if write and not can_write_scorecard(user, interview):
        raise PermissionDenied("Only the interview's interviewers write its scorecards.")
    return interview
