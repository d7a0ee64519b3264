"""Writes of hiring, each in one transaction and audited: openings, candidates, interviews, scorecards
(written once at submission; an amendment is a new scorecard naming the one it replaces) and decisions."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from hiring.models import (
    Candidate,
    Decision,
    HiringTeamMember,
    Interview,
    Opening,
    Rating,
    Scorecard,
    ScorecardRating,
    SignalCheck,
)
from org.models import Employee
from scorecards.models import BlueprintVersion, ScorecardDimension

NOTES_MAX_LENGTH = 10_000


@dataclass(frozen=True)
class RatingInput:
    dimension: str
    rating: str
    notes: str = ""


@dataclass(frozen=True)
class SignalInput:
    kind: str
    text: str
    evidence: str = ""


def blueprint_exercises(version: BlueprintVersion) -> list[str]:
    hiring = (version.sections or {}).get("hiring") or {}
    return [str(item.get("name", "")) for item in hiring.get("exercises", []) if item.get("name")]


def blueprint_signals(version: BlueprintVersion) -> dict[str, list[str]]:
    hiring = (version.sections or {}).get("hiring") or {}
    return {
        SignalCheck.Kind.STRONG: [str(t) for t in hiring.get("strong_signals", [])],
        SignalCheck.Kind.WEAK: [str(t) for t in hiring.get("weak_signals", [])],
        SignalCheck.Kind.RED_FLAG: [str(t) for t in hiring.get("red_flags", [])],
    }


@transaction.atomic
def opening_create(
    *, actor: Any, version: BlueprintVersion, title: str, hiring_manager: Employee, members: Sequence[Employee] = ()
) -> Opening:
    if not version.is_published:
        raise ValidationError({"blueprint_version": "An opening pins a published blueprint version."})
    opening = Opening(role_id=version.role_id, blueprint_version=version, title=title, hiring_manager=hiring_manager)
    opening.full_clean()
    opening.save()
    HiringTeamMember.objects.bulk_create(HiringTeamMember(opening=opening, employee=m) for m in members)
    audit_record(
        actor=actor,
        action="hiring.opening_create",
        target=opening,
        after={"title": title, "blueprint_version": version.pk, "hiring_manager": hiring_manager.pk},
    )
    return opening


@transaction.atomic
def candidate_add(
    *, actor: Any, opening: Opening, name: str, email: str = "", source: str = "", private_notes: str = ""
) -> Candidate:
    candidate = Candidate(opening=opening, name=name, email=email, source=source, private_notes=private_notes)
    candidate.full_clean()
    candidate.save()
    audit_record(actor=actor, action="hiring.candidate_add", target=candidate, after={"opening": opening.pk})
    return candidate


@transaction.atomic
def interview_add(
    *,
    actor: Any,
    candidate: Candidate,
    exercise: str,
    interviewer: Employee,
    focus: list[str],
    scheduled_at: datetime | None = None,
) -> Interview:
    version = candidate.opening.blueprint_version
    if exercise not in blueprint_exercises(version):
        raise ValidationError({"exercise": f"{exercise!r} is not a practical exercise of the blueprint."})
    dimensions = list(ScorecardDimension.objects.filter(version=version, name__in=focus))
    unknown = sorted(set(focus) - {d.name for d in dimensions})
    if unknown or not dimensions:
        raise ValidationError({"focus": f"Focus on the blueprint's scorecard dimensions; unknown: {unknown}."})
    interview = Interview(candidate=candidate, exercise=exercise, interviewer=interviewer, scheduled_at=scheduled_at)
    interview.full_clean()
    interview.save()
    interview.focus.set(dimensions)
    audit_record(
        actor=actor,
        action="hiring.interview_add",
        target=interview,
        after={"exercise": exercise, "interviewer": interviewer.pk, "focus": sorted(focus)},
    )
    return interview


def current_scorecard(interview: Interview) -> Scorecard | None:
    """The interview's latest scorecard: the one no other scorecard amends."""
    return interview.scorecards.filter(amended_by__isnull=True).order_by("-submitted_at", "-pk").first()


@transaction.atomic
def scorecard_submit(
    *,
    actor: Any,
    interview: Interview,
    recommendation: str,
    ratings: list[RatingInput],
    signals: Sequence[SignalInput] = (),
    notes: str = "",
    amend_reason: str = "",
) -> Scorecard:
    """Submit the interviewer's scorecard. A second submission is an amendment: a new scorecard that
    names the one it replaces, with a reason; the first stays exactly as it was."""
    interviewer = Employee.objects.filter(user=actor).first()
    if interviewer is None or interviewer.pk != interview.interviewer_id:
        raise PermissionDenied("Only the interviewer writes this interview's scorecard.")
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    previous = current_scorecard(interview)
    errors: dict[str, str] = {}
    if recommendation not in Rating.values:
        errors["recommendation"] = "Choose an overall recommendation."
    if previous is not None and not amend_reason.strip():
        errors["amend_reason"] = "Your scorecard is already submitted: an amendment needs a reason."
    dimensions = {
        d.name: d
        for d in ScorecardDimension.objects.filter(version_id=interview.candidate.opening.blueprint_version_id)
    }
    seen = set()
    for given in ratings:
        if given.dimension not in dimensions:
            errors["ratings"] = f"Unknown dimension {given.dimension!r}."
        elif given.rating not in Rating.values:
            errors["ratings"] = f"{given.dimension}: choose strong no, no, yes, strong yes or no decision."
        elif given.dimension in seen:
            errors["ratings"] = f"{given.dimension} is rated twice."
        seen.add(given.dimension)
    allowed = blueprint_signals(interview.candidate.opening.blueprint_version)
    for signal in signals:
        if signal.text not in allowed.get(signal.kind, []):
            errors["signals"] = "Tick the blueprint's own signals and red flags."
    if errors:
        raise ValidationError(errors)
    scorecard = Scorecard.objects.create(
        interview=interview,
        interviewer=interviewer,
        recommendation=recommendation,
        notes=notes[:NOTES_MAX_LENGTH],
        submitted_at=timezone.now(),
        amends=previous,
        amend_reason=amend_reason.strip() if previous else "",
    )
    ScorecardRating.objects.bulk_create(
        ScorecardRating(scorecard=scorecard, dimension=dimensions[g.dimension], rating=g.rating, notes=g.notes)
        for g in ratings
    )
    SignalCheck.objects.bulk_create(
        SignalCheck(scorecard=scorecard, kind=s.kind, text=s.text, evidence=s.evidence) for s in signals
    )
    audit_record(
        actor=actor,
        action="hiring.scorecard_amend" if previous else "hiring.scorecard_submit",
        target=scorecard,
        before={"scorecard": previous.pk} if previous else None,
        after={
            "recommendation": recommendation,
            "ratings": {g.dimension: g.rating for g in ratings},
            "signals": [[s.kind, s.text] for s in signals],
        },
        reason=scorecard.amend_reason,
    )
    return scorecard


@transaction.atomic
def decision_record(*, actor: Any, candidate: Candidate, outcome: str, reason: str) -> Decision:
    """Record the debrief's decision; every decision is a new row, the earlier ones stay."""
    errors = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = "Choose hire, no hire or more signal needed."
    if not reason.strip():
        errors["reason"] = "Say why: a decision needs its reason."
    if errors:
        raise ValidationError(errors)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    decision = Decision.objects.create(candidate=candidate, outcome=outcome, reason=reason.strip(), decided_by=actor)
    audit_record(
        actor=actor, action="hiring.decision", target=decision, after={"outcome": outcome}, reason=decision.reason
    )
    return decision
