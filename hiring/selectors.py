"""Reads of hiring, each in a fixed number of queries. Drafts are read only for their own interviewer and
never reach the debrief or calibration, which use each interviewer's current submitted scorecard."""

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
from hiring.models import Candidate, Decision, Interview, Opening, Scorecard, ScorecardDraft
from org.models import Employee
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
        .prefetch_related(
            Prefetch("interviewers", queryset=Employee.objects.select_related("user").order_by("name", "pk")),
            "focus",
            _scorecards(),
        )
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


def current_cards(interview: Interview) -> dict[int, Scorecard]:
    """Each interviewer's current scorecard for the interview (the latest, unamended one), by employee id,
    from the prefetched scorecards."""
    cards = list(interview.scorecards.all())
    amended = {card.amends_id for card in cards if card.amends_id}
    current: dict[int, Scorecard] = {}
    for card in cards:  # in submission order: a later one wins
        if card.pk not in amended:
            current[card.interviewer_id] = card
    return current


def current_of(interview: Interview) -> list[Scorecard]:
    """The interview's current scorecards, one per interviewer who submitted, in submission order."""
    return sorted(current_cards(interview).values(), key=lambda c: (c.submitted_at, c.pk))


@dataclass
class Seat:
    """One interviewer on one interview, as the caller may see it."""

    interviewer: Employee
    scorecard: Scorecard | None  # the current one, when the caller may see it
    history: list[Scorecard]  # the amended ones, when the caller may see them
    hidden: bool  # submitted, but not shown to the caller yet
    mine: bool
    draft: ScorecardDraft | None = None  # the caller's own draft only


@dataclass
class LoopRow:
    interview: Interview
    seats: list[Seat]
    own: Seat | None  # the caller's seat on this interview

    @property
    def mine(self) -> bool:
        return self.own is not None


@dataclass
class Loop:
    rows: list[LoopRow]
    own_submitted: bool
    sees_others: bool
    own_interviews: list[Interview] = field(default_factory=list)


def candidate_loop(*, user: Any, candidate: Candidate) -> Loop:
    """The loop with, per interview, a seat for each interviewer. The caller sees their own scorecards and
    draft; others' scorecards once all of their own on this candidate are submitted (the hiring manager and
    HR: every submitted one); nobody sees anyone else's draft."""
    interviews = interviews_of([candidate])
    me = access.viewer(user).employee
    my_id = me.pk if me is not None else None
    mine = [i for i in interviews if any(e.pk == my_id for e in i.interviewers.all())]
    own_submitted = bool(mine) and all(my_id in current_cards(i) for i in mine)
    sees_others = access.sees_others_scorecards(user, candidate, own_submitted=own_submitted)
    drafts = {
        d.interview_id: d
        for d in ScorecardDraft.objects.filter(interview__in=interviews, interviewer_id=my_id)
        if my_id is not None
    }
    rows = []
    for interview in interviews:
        current = current_cards(interview)
        people = {e.pk: e for e in interview.interviewers.all()}
        for submitted in interview.scorecards.all():  # someone no longer on it keeps their scorecard on show
            people.setdefault(submitted.interviewer_id, submitted.interviewer)
        seats = []
        for pk, person in people.items():
            is_mine = pk == my_id
            card = current.get(pk)
            visible = is_mine or sees_others
            seats.append(
                Seat(
                    interviewer=person,
                    scorecard=card if visible else None,
                    history=(
                        [c for c in interview.scorecards.all() if c.interviewer_id == pk and c is not card]
                        if visible
                        else []
                    ),
                    hidden=card is not None and not visible,
                    mine=is_mine,
                    draft=drafts.get(interview.pk) if is_mine else None,
                )
            )
        own = next((seat for seat in seats if seat.mine), None)
        rows.append(LoopRow(interview=interview, seats=seats, own=own))
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
    cards = [card for interview in interviews for card in current_of(interview)]
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
        Interview.objects.filter(candidate__opening__in=openings).prefetch_related("focus", _scorecards())
    )
    facts = []
    for interview in interviews:
        for card in current_of(interview):
            facts.append(
                CardFacts(
                    interviewer=card.interviewer.name,
                    candidate=interview.candidate_id,
                    focus=frozenset(d.name for d in interview.focus.all()),
                    ratings={r.dimension.name: r.rating for r in card.ratings.all()},
                )
            )
    return calibration_compute(facts)
