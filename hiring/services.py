"""Writes of hiring, each in one transaction and audited: openings (created, closed, reopened), candidates
(added, moved between stages), interviews (added, changed, removed, or the blueprint's default loop),
scorecards (written once at submission; an amendment is a new scorecard naming the one it replaces; a draft
is private to its interviewer and not audited) and decisions. Who may call them is checked by the views
through staffrole.access; the rules that depend on the data (a closed opening, a stage transition, who may
be hiring manager) are checked here."""

import re
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
    ScorecardDraft,
    ScorecardRating,
    SignalCheck,
)
from org.models import Employee
from scorecards.models import BlueprintVersion, Role, ScorecardDimension
from staffrole import access

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


class OpeningClosed(PermissionDenied):
    """A closed opening takes no new candidates or interviews (403 in the API, a message on the pages)."""


MESSAGE_CLOSED_CANDIDATES = "This opening is closed: it takes no new candidates. Reopen it first."
MESSAGE_CLOSED_INTERVIEWS = "This opening is closed: its loops take no new interviews. Reopen it first."

# Which stage a candidate may move to from each stage. Reaching a decision goes forward one step at a time;
# anyone not yet hired may be rejected; an offer may go back to onsite for more signal; a rejected candidate
# may be reconsidered (back to applied); hired is final. Rejecting and reconsidering need a reason.
STAGE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Candidate.Stage.APPLIED: (Candidate.Stage.SCREEN, Candidate.Stage.REJECTED),
    Candidate.Stage.SCREEN: (Candidate.Stage.ONSITE, Candidate.Stage.REJECTED),
    Candidate.Stage.ONSITE: (Candidate.Stage.OFFER, Candidate.Stage.REJECTED),
    Candidate.Stage.OFFER: (Candidate.Stage.HIRED, Candidate.Stage.ONSITE, Candidate.Stage.REJECTED),
    Candidate.Stage.HIRED: (),
    Candidate.Stage.REJECTED: (Candidate.Stage.APPLIED,),
}
STAGES_NEEDING_A_REASON = {Candidate.Stage.REJECTED}


def stage_choices(candidate: Candidate) -> list[tuple[str, str]]:
    """The stages this candidate may move to now, as (value, label)."""
    labels = dict(Candidate.Stage.choices)
    return [(stage, labels[stage]) for stage in STAGE_TRANSITIONS.get(candidate.stage, ())]


def newest_published_version(role: Role) -> BlueprintVersion | None:
    return BlueprintVersion.objects.filter(role=role, status="published").order_by("-number").first()


@transaction.atomic
def opening_create(
    *,
    actor: Any,
    version: BlueprintVersion,
    title: str,
    hiring_manager: Employee,
    members: Sequence[Employee] = (),
) -> Opening:
    """Open an opening pinning `version`. HR names any active hiring manager; a people manager opens it
    as its own hiring manager (access.may_appoint_hiring_manager). `actor=None` is the demo loader."""
    errors: dict[str, str] = {}
    if not version.is_published:
        errors["blueprint_version"] = "An opening pins a published blueprint version."
    if actor is not None and not access.may_appoint_hiring_manager(actor, hiring_manager):
        errors["hiring_manager"] = (
            "You open an opening as its hiring manager; HR may name someone else."
            if hiring_manager.active
            else f"{hiring_manager.name} has left: choose an active hiring manager."
        )
    if not title.strip():
        errors["title"] = "Give the opening a title."
    inactive = sorted(m.name for m in members if not m.active)
    if inactive:
        errors["members"] = f"These people have left: {', '.join(inactive)}."
    if errors:
        raise ValidationError(errors)
    opening = Opening(
        role_id=version.role_id, blueprint_version=version, title=title.strip(), hiring_manager=hiring_manager
    )
    opening.full_clean()
    opening.save()
    team = {m.pk: m for m in members if m.pk != hiring_manager.pk}
    HiringTeamMember.objects.bulk_create(HiringTeamMember(opening=opening, employee=m) for m in team.values())
    audit_record(
        actor=actor,
        action="hiring.opening_create",
        target=opening,
        after={
            "title": opening.title,
            "blueprint_version": version.pk,
            "hiring_manager": hiring_manager.pk,
            "members": sorted(team),
        },
    )
    return opening


@transaction.atomic
def opening_set_state(*, actor: Any, opening: Opening, state: str, reason: str = "") -> Opening:
    """Close an open opening or reopen a closed one (audited, with an optional reason)."""
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    _require_hiring_manager(actor, opening, "closes or reopens it")
    if state not in Opening.State.values:
        raise ValidationError({"state": "Choose open or closed."})
    if opening.state == state:
        raise ValidationError({"state": f"The opening is already {state}."})
    before = opening.state
    opening.state = state
    opening.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="hiring.opening_close" if state == Opening.State.CLOSED else "hiring.opening_reopen",
        target=opening,
        before={"state": before},
        after={"state": state},
        reason=reason.strip()[:NOTES_MAX_LENGTH],
    )
    return opening


def _require_hiring_manager(actor: Any, opening: Opening | int, what: str) -> None:
    """The one check of every write to an opening's candidates, loop and decisions: the opening's hiring
    manager or HR (access.is_hiring_manager); `actor=None` is the demo loader."""
    if actor is None:
        return
    if isinstance(opening, int):
        opening = Opening.objects.only("pk", "hiring_manager_id").get(pk=opening)
    if not access.is_hiring_manager(actor, opening):
        raise PermissionDenied(f"Only the opening's hiring manager or HR {what}.")


def _refuse_if_closed(opening: Opening, message: str) -> None:
    state = Opening.objects.filter(pk=opening.pk).values_list("state", flat=True).first()
    if state == Opening.State.CLOSED:
        raise OpeningClosed(message)


@transaction.atomic
def candidate_add(
    *, actor: Any, opening: Opening, name: str, email: str = "", source: str = "", private_notes: str = ""
) -> Candidate:
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    _require_hiring_manager(actor, opening, "adds candidates")
    _refuse_if_closed(opening, MESSAGE_CLOSED_CANDIDATES)
    if not name.strip():
        raise ValidationError({"name": "Give the candidate's name."})
    candidate = Candidate(
        opening=opening,
        name=name.strip(),
        email=email.strip(),
        source=source.strip(),
        private_notes=private_notes[:NOTES_MAX_LENGTH],
    )
    candidate.full_clean()
    candidate.save()
    audit_record(
        actor=actor,
        action="hiring.candidate_add",
        target=candidate,
        after={"opening": opening.pk, "source": candidate.source, "stage": candidate.stage},
    )
    return candidate


@transaction.atomic
def candidate_move(*, actor: Any, candidate: Candidate, stage: str, reason: str = "") -> Candidate:
    """Move a candidate to another stage, as STAGE_TRANSITIONS allows (audited with before and after)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _require_hiring_manager(actor, candidate.opening_id, "moves a candidate between stages")
    labels = dict(Candidate.Stage.choices)
    if stage not in labels:
        raise ValidationError({"stage": "Choose a stage."})
    allowed = STAGE_TRANSITIONS.get(candidate.stage, ())
    if stage not in allowed:
        nexts = ", ".join(labels[s] for s in allowed) or "none: it is final"
        raise ValidationError(
            {"stage": f"A candidate at {labels[candidate.stage]} cannot move to {labels[stage]} (allowed: {nexts})."}
        )
    needs_reason = stage in STAGES_NEEDING_A_REASON or candidate.stage == Candidate.Stage.REJECTED
    if needs_reason and not reason.strip():
        raise ValidationError({"reason": f"Say why: moving to {labels[stage]} needs a reason."})
    before = candidate.stage
    candidate.stage = stage
    candidate.save(update_fields=["stage"])
    audit_record(
        actor=actor,
        action="hiring.candidate_stage",
        target=candidate,
        before={"stage": before},
        after={"stage": stage},
        reason=reason.strip()[:NOTES_MAX_LENGTH],
    )
    return candidate


def _focus_dimensions(version: BlueprintVersion, focus: Sequence[str]) -> list[ScorecardDimension]:
    dimensions = list(ScorecardDimension.objects.filter(version=version, name__in=focus))
    unknown = sorted(set(focus) - {d.name for d in dimensions})
    if unknown or not dimensions:
        raise ValidationError(
            {
                "focus": "Choose at least one of the blueprint's scorecard dimensions"
                + (f"; unknown: {', '.join(unknown)}." if unknown else ".")
            }
        )
    return dimensions


def _interviewer_errors(interviewers: Sequence[Employee]) -> str:
    inactive = sorted(e.name for e in interviewers if not e.active)
    return f"These people have left: {', '.join(inactive)}." if inactive else ""


@transaction.atomic
def interview_add(
    *,
    actor: Any,
    candidate: Candidate,
    exercise: str,
    interviewers: Sequence[Employee],
    focus: Sequence[str],
    scheduled_at: datetime | None = None,
) -> Interview:
    """Add one of the blueprint's practical exercises to the candidate's loop, with its interviewers (any
    number, none yet included) and the dimensions it focuses on."""
    opening = Opening.objects.select_for_update().get(pk=candidate.opening_id)
    _require_hiring_manager(actor, opening, "plans the interview loop")
    _refuse_if_closed(opening, MESSAGE_CLOSED_INTERVIEWS)
    version = candidate.opening.blueprint_version
    errors: dict[str, str] = {}
    if exercise not in blueprint_exercises(version):
        errors["exercise"] = f"{exercise!r} is not a practical exercise of the blueprint."
    try:
        dimensions = _focus_dimensions(version, focus)
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if problem := _interviewer_errors(interviewers):
        errors["interviewers"] = problem
    if errors:
        raise ValidationError(errors)
    interview = Interview(candidate=candidate, exercise=exercise, scheduled_at=scheduled_at)
    interview.full_clean()
    interview.save()
    interview.focus.set(dimensions)
    people = {e.pk: e for e in interviewers}
    interview.interviewers.set(people.values())
    audit_record(
        actor=actor,
        action="hiring.interview_add",
        target=interview,
        after={
            "candidate": candidate.pk,
            "exercise": exercise,
            "interviewers": sorted(people),
            "focus": sorted(d.name for d in dimensions),
        },
    )
    return interview


@transaction.atomic
def interview_update(
    *,
    actor: Any,
    interview: Interview,
    interviewers: Sequence[Employee],
    focus: Sequence[str],
    scheduled_at: datetime | None = None,
) -> Interview:
    """Change an interview's interviewers and focus. Someone who has submitted a scorecard for it stays on
    it (their scorecard is part of the record), and the focus is fixed once any scorecard is in."""
    interview = Interview.objects.select_for_update().select_related("candidate__opening").get(pk=interview.pk)
    _require_hiring_manager(actor, interview.candidate.opening, "plans the interview loop")
    version = interview.candidate.opening.blueprint_version
    errors: dict[str, str] = {}
    try:
        dimensions = _focus_dimensions(version, focus)
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
        dimensions = []
    people = {e.pk: e for e in interviewers}
    before_people = set(interview.interviewers.values_list("pk", flat=True))
    new_people = {pk: e for pk, e in people.items() if pk not in before_people}
    if problem := _interviewer_errors(list(new_people.values())):
        errors["interviewers"] = problem
    submitted = set(interview.scorecards.values_list("interviewer_id", flat=True))
    kept_out = sorted(Employee.objects.filter(pk__in=submitted - set(people)).values_list("name", flat=True))
    if kept_out:
        errors["interviewers"] = f"{', '.join(kept_out)} submitted a scorecard for it and stays on the interview."
    before_focus = sorted(d.name for d in interview.focus.all())
    if submitted and dimensions and sorted(d.name for d in dimensions) != before_focus:
        errors["focus"] = "A scorecard is in: the focus of this interview no longer changes."
    if errors:
        raise ValidationError(errors)
    interview.focus.set(dimensions)
    interview.interviewers.set(people.values())
    if scheduled_at != interview.scheduled_at:
        interview.scheduled_at = scheduled_at
        interview.save(update_fields=["scheduled_at"])
    # A removed interviewer's unsubmitted draft goes with them.
    ScorecardDraft.objects.filter(interview=interview).exclude(interviewer_id__in=list(people)).delete()
    audit_record(
        actor=actor,
        action="hiring.interview_update",
        target=interview,
        before={"interviewers": sorted(before_people), "focus": before_focus},
        after={"interviewers": sorted(people), "focus": sorted(d.name for d in dimensions)},
    )
    return interview


@transaction.atomic
def interview_remove(*, actor: Any, interview: Interview) -> None:
    """Take an interview out of the loop; one with a submitted scorecard stays (it is evidence)."""
    interview = Interview.objects.select_for_update().select_related("candidate").get(pk=interview.pk)
    _require_hiring_manager(actor, interview.candidate.opening_id, "plans the interview loop")
    if interview.scorecards.exists():
        raise ValidationError(
            {"interview": "A scorecard was submitted for this interview: it stays in the loop as evidence."}
        )
    before = {
        "candidate": interview.candidate_id,
        "exercise": interview.exercise,
        "interviewers": sorted(interview.interviewers.values_list("pk", flat=True)),
        "focus": sorted(interview.focus.values_list("name", flat=True)),
    }
    audit_record(actor=actor, action="hiring.interview_remove", target=interview, before=before)
    interview.delete()


STOPWORDS = frozenset(
    {
        *("with", "that", "this", "from", "have", "into", "their", "about", "your", "under", "where", "which"),
        *("while", "what", "when", "them", "they", "than", "then", "ability", "clear", "provide", "example"),
        *("evaluate", "short"),
    }
)


def _stems(*texts: str) -> set[str]:
    """Crude word stems (first five letters of words of four letters or more, minus filler)."""
    words = re.findall(r"[a-z]+", " ".join(texts).lower())
    return {w[:5] for w in words if len(w) >= 4 and w not in STOPWORDS}


def default_focus(version: BlueprintVersion, exercise: dict[str, Any], limit: int = 3) -> list[str]:
    """The dimensions an exercise most plausibly assesses: those sharing the most word stems between the
    exercise (name and details) and the dimension (name and meets-the-bar text), heaviest first on ties.
    Falls back to the heaviest dimension, so every interview focuses on something."""
    words = _stems(str(exercise.get("name", "")), *[str(d) for d in exercise.get("details", [])])
    dimensions = list(ScorecardDimension.objects.filter(version=version).order_by("position"))
    scored = []
    for dimension in dimensions:
        overlap = len(words & _stems(dimension.name, dimension.meets_bar or ""))
        if overlap:
            scored.append((-overlap, -dimension.weight, dimension.position, dimension.name))
    chosen = [name for *_, name in sorted(scored)[:limit]]
    if not chosen and dimensions:
        chosen = [max(dimensions, key=lambda d: (d.weight, -d.position)).name]
    return chosen


@transaction.atomic
def loop_create_default(*, actor: Any, candidate: Candidate) -> list[Interview]:
    """One click: one interview for each of the blueprint's practical exercises the loop lacks, each with
    its suggested focus (default_focus) and no interviewer yet. Exercises already in the loop are skipped."""
    opening = Opening.objects.select_for_update().get(pk=candidate.opening_id)
    _require_hiring_manager(actor, opening, "plans the interview loop")
    _refuse_if_closed(opening, MESSAGE_CLOSED_INTERVIEWS)
    version = opening.blueprint_version
    hiring = (version.sections or {}).get("hiring") or {}
    present = set(candidate.interviews.values_list("exercise", flat=True))
    created = []
    for exercise in hiring.get("exercises", []):
        name = str(exercise.get("name", ""))
        if not name or name in present:
            continue
        created.append(
            interview_add(
                actor=actor, candidate=candidate, exercise=name, interviewers=[], focus=default_focus(version, exercise)
            )
        )
    if not created:
        raise ValidationError({"loop": "The loop already has every practical exercise of the blueprint."})
    return created


def current_scorecard(interview: Interview, interviewer: Employee | int | None = None) -> Scorecard | None:
    """The interviewer's latest scorecard for the interview: the one no other scorecard amends."""
    cards = interview.scorecards.filter(amended_by__isnull=True)
    if interviewer is not None:
        cards = cards.filter(interviewer_id=getattr(interviewer, "pk", interviewer))
    return cards.order_by("-submitted_at", "-pk").first()


def _interviewer_of(actor: Any, interview: Interview) -> Employee:
    interviewer = Employee.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    if interviewer is None or not interview.interviewers.filter(pk=interviewer.pk).exists():
        raise PermissionDenied("Only the interview's interviewers write its scorecards.")
    return interviewer


def _scorecard_errors(
    interview: Interview, *, recommendation: str, ratings: Sequence[RatingInput], signals: Sequence[SignalInput]
) -> tuple[dict[str, str], dict[str, ScorecardDimension]]:
    """Problems with the values given (blank ones allowed: the caller decides what must be there)."""
    errors: dict[str, str] = {}
    if recommendation and recommendation not in Rating.values:
        errors["recommendation"] = "Choose an overall recommendation."
    dimensions = {
        d.name: d
        for d in ScorecardDimension.objects.filter(version_id=interview.candidate.opening.blueprint_version_id)
    }
    seen = set()
    for given in ratings:
        if given.dimension not in dimensions:
            errors["ratings"] = f"Unknown dimension {given.dimension!r}."
        elif given.rating and given.rating not in Rating.values:
            errors["ratings"] = f"{given.dimension}: choose strong no, no, yes, strong yes or no decision."
        elif given.dimension in seen:
            errors["ratings"] = f"{given.dimension} is rated twice."
        seen.add(given.dimension)
    allowed = blueprint_signals(interview.candidate.opening.blueprint_version)
    for signal in signals:
        if signal.text not in allowed.get(signal.kind, []):
            errors["signals"] = "Tick the blueprint's own signals and red flags."
    return errors, dimensions


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
    """Submit the caller's own scorecard for the interview. A second submission by the same interviewer is
    an amendment: a new scorecard naming the one it replaces, with a reason; the first stays as it was.
    The caller's draft for the interview, if any, is deleted."""
    interviewer = _interviewer_of(actor, interview)
    interview = Interview.objects.select_for_update().select_related("candidate__opening").get(pk=interview.pk)
    previous = current_scorecard(interview, interviewer)
    errors, dimensions = _scorecard_errors(interview, recommendation=recommendation, ratings=ratings, signals=signals)
    if not recommendation:
        errors["recommendation"] = "Choose an overall recommendation."
    if any(not g.rating for g in ratings):
        errors["ratings"] = "Each rating given needs a value (leave a dimension out to not assess it)."
    if previous is not None and not amend_reason.strip():
        errors["amend_reason"] = "Your scorecard is already submitted: an amendment needs a reason."
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
    ScorecardDraft.objects.filter(interview=interview, interviewer=interviewer).delete()
    audit_record(
        actor=actor,
        action="hiring.scorecard_amend" if previous else "hiring.scorecard_submit",
        target=scorecard,
        before={"scorecard": previous.pk} if previous else None,
        after={
            "interview": interview.pk,
            "recommendation": recommendation,
            "ratings": {g.dimension: g.rating for g in ratings},
            "signals": [[s.kind, s.text] for s in signals],
        },
        reason=scorecard.amend_reason,
    )
    return scorecard


def draft_of(actor: Any, interview: Interview) -> ScorecardDraft | None:
    """The caller's own draft for the interview (nobody reads anyone else's)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return ScorecardDraft.objects.filter(interview=interview, interviewer__user=actor).first()


@transaction.atomic
def scorecard_draft_save(
    *,
    actor: Any,
    interview: Interview,
    recommendation: str = "",
    ratings: Sequence[RatingInput] = (),
    signals: Sequence[SignalInput] = (),
    notes: str = "",
    amend_reason: str = "",
    based_on: int | None = None,
    check_based_on: bool = False,
) -> ScorecardDraft:
    """Save (replace) the caller's draft scorecard for the interview. Anything may still be blank; values
    given must be valid. Not audited: a draft is private and becomes history only when submitted.

    With `check_based_on`, `based_on` is the id of the caller's current scorecard when they started editing
    (None: none yet). If they have submitted since (an autosave arriving after the submission), the draft is
    refused rather than brought back to life."""
    interviewer = _interviewer_of(actor, interview)
    interview = Interview.objects.select_for_update().select_related("candidate__opening").get(pk=interview.pk)
    current = current_scorecard(interview, interviewer)
    if check_based_on and (current.pk if current else None) != based_on:
        raise ValidationError(
            {"draft": "Your scorecard was submitted after this page was opened: this draft was not saved."}
        )
    errors, _ = _scorecard_errors(interview, recommendation=recommendation, ratings=ratings, signals=signals)
    if errors:
        raise ValidationError(errors)
    data = {
        "recommendation": recommendation,
        "notes": notes[:NOTES_MAX_LENGTH],
        "amend_reason": amend_reason[:NOTES_MAX_LENGTH],
        "ratings": {
            g.dimension: {"rating": g.rating, "notes": g.notes[:5_000]} for g in ratings if g.rating or g.notes
        },
        "signals": [{"kind": s.kind, "text": s.text, "evidence": s.evidence[:5_000]} for s in signals],
    }
    draft, _ = ScorecardDraft.objects.update_or_create(
        interview=interview, interviewer=interviewer, defaults={"data": data}
    )
    return draft


@transaction.atomic
def scorecard_draft_discard(*, actor: Any, interview: Interview) -> bool:
    """Delete the caller's draft; answers whether there was one."""
    interviewer = _interviewer_of(actor, interview)
    deleted, _ = ScorecardDraft.objects.filter(interview=interview, interviewer=interviewer).delete()
    return bool(deleted)


@transaction.atomic
def decision_record(*, actor: Any, candidate: Candidate, outcome: str, reason: str) -> Decision:
    """Record the debrief's decision; every decision is a new row, the earlier ones stay."""
    _require_hiring_manager(actor, candidate.opening_id, "records a decision")
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
