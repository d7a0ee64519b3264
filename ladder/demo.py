"""The demo career ladder and `engineer`'s self-assessments (demo data only, never created by migrations).

`demo_ladder_ensure` makes the "Software engineering (IC)" track once: Senior Software Engineer -> Staff
Software Engineer -> Senior Staff Software Engineer -> Principal Engineer, each level linked to the role of
the same name where one exists (a role imported later is linked on a later run, unless HR has linked or
renamed the level since). Once the Staff Software Engineer blueprint is published and `engineer` has no
self-assessment yet, it adds one submitted a month ago (with their manager's view) and a draft now, so the
trend has two points. A second run changes nothing.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.text import slugify

from audit.services import AuditItem, audit_record_many
from ladder import services
from ladder.models import Assessment, Level, ManagerView, Track
from scorecards.models import BlueprintVersion, Role

TRACK_NAME = "Software engineering (IC)"
TRACK_DESCRIPTION = (
    "The individual contributor track for software engineers: broader scope and leverage at each step, "
    "hands-on throughout."
)
LEVELS = [
    ("Senior Software Engineer", "Owns features end to end within a team; reliable delivery and sound design."),
    ("Staff Software Engineer", "Shapes a domain across teams: technical direction, systemic risk, mentorship."),
    ("Senior Staff Software Engineer", "Leads initiatives spanning several domains; multi-quarter roadmaps."),
    ("Principal Engineer", "Sets organisation-wide technical direction and long-term architecture strategy."),
]
# engineer's demo scores, by importance, a month ago and now: a little better now.
EARLIER = {"critical": [3, 2, 3, 2, 3], "important": [3, 2, 3, 3, 2, 3], "optional": [2, 1], "expert": [2, 3, 1]}
NOW = {"critical": [3, 3, 4, 3, 3], "important": [3, 3, 3, 4, 2, 3], "optional": [2, 2], "expert": [3, 3, 2]}


@dataclass(frozen=True)
class DemoLadder:
    track_created: bool
    levels_linked: int
    assessments_created: int


def demo_ladder_ensure() -> DemoLadder:
    track_created, linked = _track_ensure()
    return DemoLadder(track_created=track_created, levels_linked=linked, assessments_created=_assessments_ensure())


def _track_ensure() -> tuple[bool, int]:
    track = Track.objects.filter(slug=slugify(TRACK_NAME)).first()
    roles = dict(Role.objects.filter(slug__in=[slugify(name) for name, _summary in LEVELS]).values_list("slug", "pk"))
    if track is None:
        track = Track.objects.create(name=TRACK_NAME, slug=slugify(TRACK_NAME), description=TRACK_DESCRIPTION)
        levels = Level.objects.bulk_create(
            Level(track=track, name=name, position=index, role_id=roles.get(slugify(name)), summary=summary)
            for index, (name, summary) in enumerate(LEVELS, start=1)
        )
        audit_record_many(
            actor=None,
            items=[
                AuditItem.about(track, action="ladder.track_create", after={"name": track.name}),
                *(
                    AuditItem.about(
                        level, action="ladder.level_create", after={"name": level.name, "role": level.role_id}
                    )
                    for level in levels
                ),
            ],
        )
        return True, 0
    # A role imported since the track was made: link the level of the same name that HR left unlinked.
    linked = 0
    for level in Level.objects.filter(track=track, role__isnull=True, name__in=[name for name, _s in LEVELS]):
        role_id = roles.get(slugify(level.name))
        if role_id is not None:
            linked += Level.objects.filter(pk=level.pk, role__isnull=True).update(role_id=role_id)
    return False, linked


def _scores(pattern: dict[str, list[int]], skills: list[Any]) -> dict[int, int]:
    taken: dict[str, int] = {}
    scores = {}
    for skill in skills:
        options = pattern.get(skill.importance) or [3]
        index = taken.get(skill.importance, 0)
        scores[skill.pk] = options[index % len(options)]
        taken[skill.importance] = index + 1
    return scores


EVIDENCE = {
    "critical": "Led the design review of the ledger split; the ADR is the team's reference.",
    "important": "Paired with two engineers on this over the quarter.",
}
LINK = "https://wiki.demo.staffrole.test/adr/ledger-split"


def _answers(assessment: Assessment, pattern: dict[str, list[int]], *, criteria_answered: int) -> None:
    rows = list(assessment.skills.select_related("skill").order_by("skill__position"))
    scores = _scores(pattern, [row.skill for row in rows])
    first_kpi = assessment.blueprint_version.kpis.order_by("position").values_list("name", flat=True).first()
    skills = []
    for index, row in enumerate(rows):
        evidence = EVIDENCE.get(row.skill.importance, "") if index < 6 else ""
        skills.append(
            services.SkillInput(
                skill=row.skill_id,
                score=scores[row.skill_id],
                evidence=evidence,
                links=[LINK] if index == 0 else [],
                kpis=[first_kpi] if index == 0 and first_kpi else [],
            )
        )
    statuses = ["partly", "not_yet", "partly", "met", "not_yet"]
    criteria = [
        services.CriterionInput(
            criterion=answer.criterion_id,
            status=statuses[index % len(statuses)],
            evidence="Cross-team roadmap for payments and platform." if index == 0 else "",
        )
        for index, answer in enumerate(assessment.criteria.order_by("criterion__position")[:criteria_answered])
    ]
    services.assessment_save(
        actor=assessment.employee.user,
        assessment=assessment,
        version=assessment.version,
        skills=skills,
        criteria=criteria,
    )


def _assessments_ensure() -> int:
    # One query answers "nothing to do" while engineer's role has no published blueprint.
    published = BlueprintVersion.objects.filter(
        role__employees__user__username="engineer", status=BlueprintVersion.Status.PUBLISHED
    )
    if not published.exists() or Assessment.objects.filter(employee__user__username="engineer").exists():
        return 0
    engineer = User.objects.filter(username="engineer").select_related("employee").first()
    manager = User.objects.filter(username="manager").first()
    if engineer is None or manager is None:
        return 0
    now = timezone.now()
    try:
        earlier, _created = services.assessment_start(actor=engineer, now=now - timedelta(days=30))
    except (ValidationError, PermissionDenied):  # no published blueprint for their role yet
        return 0
    _answers(earlier, EARLIER, criteria_answered=earlier.criteria.count())
    earlier = services.assessment_submit(actor=engineer, assessment=earlier, now=now - timedelta(days=29))
    services.manager_view_record(
        actor=manager,
        assessment=earlier,
        readiness=ManagerView.Readiness.DEVELOPING,
        comment="Strong in design; distributed systems and the optional platform skills are the next step. "
        "Let us pick one multi-team initiative for next quarter.",
    )
    draft, _created = services.assessment_start(actor=engineer, now=now)
    _answers(draft, NOW, criteria_answered=max(0, draft.criteria.count() - 2))
    return 2
