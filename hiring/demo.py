"""The demo opening (demo data only, never created by migrations): Staff Software Engineer, hiring manager
`manager`, `manager2` on its hiring team, one candidate with a loop of two interviews: the system design
exercise with two interviewers (`engineer`, and `newhire` shadowing) and the code review with `manager2`.
Made once the blueprint is published; a second run changes nothing."""

from hiring import services
from hiring.models import Opening
from org.models import Employee
from scorecards.models import BlueprintVersion

DEMO_TITLE = "Staff Software Engineer (demo opening)"
DEMO_CANDIDATE = "Casey Candidate"
# (exercise, interviewers, focus dimensions); the dimensions nobody covers show up in the debrief.
LOOP = [
    ("System design exercise", ["engineer", "newhire"], ["System design & architecture", "Communication"]),
    ("Code review exercise", ["manager2"], ["Hands-on coding & debugging", "Security & quality mindset"]),
]
USERNAMES = ["manager", "engineer", "manager2", "newhire"]


def demo_hiring_ensure() -> bool:
    """Answers whether the opening was created now."""
    version = (
        BlueprintVersion.objects.filter(role__slug="staff-software-engineer", status="published")
        .order_by("-number")
        .first()
    )
    if version is None or Opening.objects.filter(title=DEMO_TITLE).exists():
        return False
    people = {e.user.username: e for e in Employee.objects.select_related("user").filter(user__username__in=USERNAMES)}
    if len(people) < len(USERNAMES):
        return False
    exercises = set(services.blueprint_exercises(version))
    opening = services.opening_create(
        actor=None, version=version, title=DEMO_TITLE, hiring_manager=people["manager"], members=[people["manager2"]]
    )
    candidate = services.candidate_add(
        actor=None,
        opening=opening,
        name=DEMO_CANDIDATE,
        email="casey@example.com",
        source="Referral",
        private_notes="Notice period of two months.",
    )
    for exercise, usernames, focus in LOOP:
        if exercise in exercises:
            services.interview_add(
                actor=None,
                candidate=candidate,
                exercise=exercise,
                interviewers=[people[name] for name in usernames],
                focus=focus,
            )
    return True
