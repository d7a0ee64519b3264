"""Reads of hiring, each in a fixed number of queries."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from hiring.debrief import (
    CardFacts,
    Debrief,
    GivenRating,
    GivenSignal,
    InterviewerFigures,
    calibration_compute,
    debrief_compute,
)
from hiring.models import Candidate, Decision, Interview, Opening, Scorecard
from scorecards.models import ScorecardDimension
from staffrole import access


def openings_for(user: Any) -> QuerySet[Opening]:
    openings = Opening.objects.select_related("role", "blueprint_version", "hiring_manager__user")
    q = access.opening_visibility_q(user)
    if q is not None:
        ids = Opening.objects.filter(q).values("pk")
        openings = openings.filter(pk__in=ids)
    return openings.annotate(candidate_count=Count("candidates", distinct=True)).order_by("-created_at", "-pk")


def _scorecards() -> Prefetch:
    return Prefetch(
        "scorecards",
        queryset=Scorecard.objects.select_related("interviewer__user", "amends")
        .prefetch_related("ratings__dimension", "signals")
        .order_by("submitted_at", "pk"),
    )


def interviews_of(candidates: list[Candidate] | QuerySet[Candidate]) -> list[Interview]:
    return list(
        Interview.objects.filter(candidate__in=candidates)
        .select_related("interviewer__user")
        .prefetch_related("focus", _scorecards())
        .order_by("candidate_id", "scheduled_at", "pk")
    )


def opening_candidates(opening: Opening) -> list[Candidate]:
    candidates = list(opening.candidates.order_by("name", "pk"))
    interviews = interviews_of(candidates)
    by_candidate: dict[int, list[Interview]] = {}
    for interview in interviews:
        by_candidate.setdefault(interview.candidate_id, []).append(interview)
    for candidate in candidates:
        candidate.loop = by_candidate.get(candidate.pk, [])  # type: ignore[attr-defined]
    return candidates


def current_of(interview: Interview) -> Scorecard | None:
    cards = list(interview.scorecards.all())
    amended = {card.amends_id for card in cards if card.amends_id}
    current = [card for card in cards if card.pk not in amended]
    return current[-1] if current else None


@dataclass
class LoopRow:
    interview: Interview
    scorecard: Scorecard | None
    history: list[Scorecard]
    hidden: bool  # submitted, but not shown to the caller yet
    mine: bool


@dataclass
class Loop:
    rows: list[LoopRow]
    own_submitted: bool
    sees_others: bool
    own_interviews: list[Interview] = field(default_factory=list)


def candidate_loop(*, user: Any, candidate: Candidate) -> Loop:
    interviews = interviews_of([candidate])
    me = access.viewer(user).employee
    mine = [i for i in interviews if me is not None and i.interviewer_id == me.pk]
    own_submitted = bool(mine) and all(current_of(i) is not None for i in mine)
    sees_others = access.sees_others_scorecards(user, candidate, own_submitted=own_submitted)
    rows = []
    for interview in interviews:
        is_mine = me is not None and interview.interviewer_id == me.pk
        card = current_of(interview)
        visible = is_mine or sees_others
        rows.append(
            LoopRow(
                interview=interview,
                scorecard=card if visible else None,
                history=[c for c in interview.scorecards.all() if c is not card] if visible else [],
                hidden=card is not None and not visible,
                mine=is_mine,
            )
        )
    return Loop(rows=rows, own_submitted=own_submitted, sees_others=sees_others, own_interviews=mine)


def dimensions_of(candidate: Candidate) -> list[ScorecardDimension]:
    return list(
        ScorecardDimension.objects.filter(version_id=candidate.opening.blueprint_version_id).order_by("position")
    )


@dataclass
class DebriefView:
    debrief: Debrief
    loop: list[Interview]
    scorecards: list[Scorecard]
    decisions: list[Decision]


def candidate_debrief(candidate: Candidate) -> DebriefView:
    """The debrief over the current scorecards of the candidate's loop."""
    dimensions = dimensions_of(candidate)
    interviews = interviews_of([candidate])
    cards = [card for card in (current_of(i) for i in interviews) if card is not None]
    ratings = [
        GivenRating(dimension=r.dimension.name, interviewer=card.interviewer.name, rating=r.rating, notes=r.notes)
        for card in cards
        for r in card.ratings.all()
    ]
    signals = [
        GivenSignal(kind=s.kind, text=s.text, evidence=s.evidence, interviewer=card.interviewer.name)
        for card in cards
        for s in card.signals.all()
    ]
    debrief = debrief_compute(dimensions=[(d.name, d.weight) for d in dimensions], ratings=ratings, signals=signals)
    decisions = list(candidate.decisions.select_related("decided_by").order_by("-decided_at", "-pk"))
    return DebriefView(debrief=debrief, loop=interviews, scorecards=cards, decisions=decisions)


def interviewer_calibration(user: Any) -> list[InterviewerFigures]:
    """HR: every opening; a hiring manager: the openings they manage."""
    who = access.viewer(user)
    openings = Opening.objects.all()
    if not who.hr:
        openings = openings.filter(hiring_manager=who.employee)
    interviews = list(
        Interview.objects.filter(candidate__opening__in=openings)
        .select_related("interviewer")
        .prefetch_related("focus", _scorecards())
    )
    facts = []
    for interview in interviews:
        card = current_of(interview)
        if card is None:
            continue
        facts.append(
            CardFacts(
                interviewer=card.interviewer.name,
                candidate=interview.candidate_id,
                focus=frozenset(d.name for d in interview.focus.all()),
                ratings={r.dimension.name: r.rating for r in card.ratings.all()},
            )
        )
    return calibration_compute(facts)
