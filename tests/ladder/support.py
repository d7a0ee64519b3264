"""Helpers for the ladder tests: a small organisation with a blueprint of any size, and assessments moved
along through the services."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from ladder import services
from ladder.models import Assessment, Level, Track
from org.models import Employee
from scorecards.models import BlueprintVersion, KPIDefinition, PromotionCriterion, Role, Skill
from tests.org_builders import small_org

IMPORTANCES = ["critical", "important", "optional", "expert"]
GROUPS = ["technical_must_have", "technical_good_to_have", "technical_advanced", "soft"]


def blueprint(*, skills: int = 4, criteria: int = 2, title: str = "Staff Software Engineer") -> BlueprintVersion:
    """A published blueprint whose skills cycle through the importances (critical, important, optional, expert)."""
    role = Role.objects.get_or_create(slug=title.lower().replace(" ", "-"), defaults={"title": title})[0]
    number = BlueprintVersion.objects.filter(role=role).count() + 1
    version = BlueprintVersion.objects.create(
        role=role,
        number=number,
        status=BlueprintVersion.Status.PUBLISHED,
        title=title,
        published_at=timezone.now(),
        sections={"career_path": {"feeder_roles": ["Senior Software Engineer"], "next_roles": ["Principal Engineer"]}},
    )
    Skill.objects.bulk_create(
        Skill(
            version=version,
            position=index,
            name=f"Skill {index + 1}",
            group=GROUPS[(index // 4) % len(GROUPS)],
            importance=IMPORTANCES[index % len(IMPORTANCES)],
        )
        for index in range(skills)
    )
    PromotionCriterion.objects.bulk_create(
        PromotionCriterion(version=version, position=index, text=f"Criterion {index + 1}") for index in range(criteria)
    )
    KPIDefinition.objects.create(version=version, position=0, name="Change failure rate (DORA)")
    return version


def org_with_ladder(version: BlueprintVersion) -> dict[str, Employee]:
    """The small organisation, everyone engineering in the blueprint's role; a track Senior -> Staff ->
    Senior Staff with Staff linked to the role."""
    people = small_org()
    Employee.objects.filter(user__username__in=["engineer", "engineer2", "newhire"]).update(role=version.role)
    track = Track.objects.create(name="Software engineering (IC)", slug="software-engineering-ic")
    Level.objects.create(track=track, name="Senior Software Engineer", position=1)
    Level.objects.create(track=track, name="Staff Software Engineer", position=2, role=version.role)
    Level.objects.create(track=track, name="Senior Staff Software Engineer", position=3)
    return {name: Employee.objects.get(pk=employee.pk) for name, employee in people.items()}


def user(username: str) -> User:
    return User.objects.get(username=username)


def client_as(username: str | None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(user(username))
    return client


def start(username: str = "engineer", **kwargs: Any) -> Assessment:
    assessment, _created = services.assessment_start(actor=user(username), **kwargs)
    return assessment


def rate(
    assessment: Assessment, scores: list[int | None], *, statuses: list[str] | None = None, **extra: Any
) -> Assessment:
    """Scores in the blueprint's order of skills; criteria answered with `statuses` (default all met)."""
    rows = list(assessment.skills.order_by("skill__position"))
    criteria = list(assessment.criteria.order_by("criterion__position"))
    statuses = statuses if statuses is not None else ["met"] * len(criteria)
    fresh = Assessment.objects.get(pk=assessment.pk)
    return services.assessment_save(
        actor=fresh.employee.user,
        assessment=fresh,
        version=fresh.version,
        skills=[
            services.SkillInput(skill=row.skill_id, score=score, clear_score=score is None, **extra)
            for row, score in zip(rows, scores, strict=False)
        ],
        criteria=[
            services.CriterionInput(criterion=answer.criterion_id, status=status)
            for answer, status in zip(criteria, statuses, strict=False)
        ],
    )


def submitted(username: str, scores: list[int | None], *, days_ago: int = 0, **kwargs: Any) -> Assessment:
    when = timezone.now() - timedelta(days=days_ago)
    assessment = start(username, now=when)
    rate(assessment, scores, **kwargs)
    return services.assessment_submit(actor=user(username), assessment=assessment, now=when)
