"""What the hiring endpoints read and answer. Output is built by the `*_data` functions; the output
serializers describe it for the schema. Names are prefixed Hiring* to stay unique in the schema."""

from typing import Any

from rest_framework import serializers

from hiring.models import Candidate, Decision, Interview, Opening, Rating, Scorecard, ScorecardDraft, SignalCheck
from hiring.selectors import DebriefView, Loop, Seat
from reviews.api.serializers import PersonSerializer


def person(employee: Any) -> dict[str, str]:
    return {"username": employee.user.username, "name": employee.name}


# --- Input ---------------------------------------------------------------------------------------


class HiringOpeningInputSerializer(serializers.Serializer):
    role = serializers.SlugField(help_text="The role's slug; the newest published blueprint version is pinned.")
    title = serializers.CharField(max_length=200)
    hiring_manager = serializers.CharField(help_text="The hiring manager's username.")
    members = serializers.ListField(child=serializers.CharField(), required=False, max_length=50)


class HiringCandidateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    source = serializers.CharField(required=False, allow_blank=True, max_length=200)  # type: ignore[assignment]
    private_notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class HiringInterviewInputSerializer(serializers.Serializer):
    exercise = serializers.CharField(max_length=255, help_text="A practical exercise of the pinned blueprint.")
    interviewers = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        max_length=20,
        help_text="The interviewers' usernames; each writes their own scorecard. May be empty (assign later).",
    )
    interviewer = serializers.CharField(
        required=False, help_text="Deprecated: one interviewer's username (use `interviewers`)."
    )
    focus = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1, max_length=50)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)


class HiringInterviewUpdateSerializer(serializers.Serializer):
    interviewers = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        max_length=20,
        help_text="The full list of usernames. Someone who submitted a scorecard for it cannot be removed.",
    )
    focus = serializers.ListField(
        child=serializers.CharField(max_length=200),
        min_length=1,
        max_length=50,
        required=False,
        help_text="Fixed once a scorecard is submitted.",
    )
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)


class HiringOpeningStateInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Opening.State.choices, help_text="closed to close, open to reopen.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5_000)


class HiringStageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Candidate.Stage.choices)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5_000,
        help_text="Required to reject, and to move a rejected candidate back.",
    )


class HiringRatingInputSerializer(serializers.Serializer):
    dimension = serializers.CharField(max_length=200)
    rating = serializers.ChoiceField(choices=Rating.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5_000)


class HiringSignalInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SignalCheck.Kind.choices)
    text = serializers.CharField(max_length=2_000)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=5_000)


class HiringScorecardInputSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=Rating.choices)
    ratings = serializers.ListField(child=HiringRatingInputSerializer(), max_length=100)
    signals = serializers.ListField(child=HiringSignalInputSerializer(), required=False, max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    amend_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=5_000, help_text="Required when amending a submitted scorecard."
    )


class HiringDraftRatingInputSerializer(serializers.Serializer):
    dimension = serializers.CharField(max_length=200)
    rating = serializers.ChoiceField(choices=[("", "Not rated yet"), *Rating.choices], required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5_000)


class HiringDraftInputSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(
        choices=[("", "Not chosen yet"), *Rating.choices], required=False, allow_blank=True
    )
    ratings = serializers.ListField(child=HiringDraftRatingInputSerializer(), required=False, max_length=100)
    signals = serializers.ListField(child=HiringSignalInputSerializer(), required=False, max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    amend_reason = serializers.CharField(required=False, allow_blank=True, max_length=5_000)
    based_on = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Your current scorecard's id when you started (null: none). If you have submitted since, the "
        "draft is refused (400) instead of coming back to life.",
    )


class HiringDecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    reason = serializers.CharField(max_length=5_000)


# --- Output --------------------------------------------------------------------------------------


def opening_data(opening: Opening, *, candidates: list[Candidate] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": opening.pk,
        "title": opening.title,
        "role": opening.role.slug,
        "blueprint_version": opening.blueprint_version.number,
        "hiring_manager": person(opening.hiring_manager),
        "state": opening.state,
    }
    if candidates is not None:
        data["candidates"] = [
            {"id": c.pk, "name": c.name, "stage": c.stage, "interviews": len(getattr(c, "loop", []))}
            for c in candidates
        ]
    return data


def scorecard_data(card: Scorecard) -> dict[str, Any]:
    return {
        "id": card.pk,
        "interviewer": person(card.interviewer),
        "recommendation": card.recommendation,
        "notes": card.notes,
        "submitted_at": card.submitted_at,
        "amends": card.amends_id,
        "amend_reason": card.amend_reason,
        "ratings": [{"dimension": r.dimension.name, "rating": r.rating, "notes": r.notes} for r in card.ratings.all()],
        "signals": [{"kind": s.kind, "text": s.text, "evidence": s.evidence} for s in card.signals.all()],
    }


def interview_data(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.pk,
        "candidate": interview.candidate_id,
        "exercise": interview.exercise,
        "interviewers": [person(e) for e in sorted(interview.interviewers.all(), key=lambda e: (e.name, e.pk))],
        "focus": [d.name for d in sorted(interview.focus.all(), key=lambda d: d.position)],
        "scheduled_at": interview.scheduled_at,
    }


def draft_data(draft: ScorecardDraft) -> dict[str, Any]:
    data = draft.data or {}
    return {
        "interview": draft.interview_id,
        "saved_at": draft.saved_at,
        "recommendation": data.get("recommendation", ""),
        "notes": data.get("notes", ""),
        "amend_reason": data.get("amend_reason", ""),
        "ratings": [
            {"dimension": name, "rating": given.get("rating", ""), "notes": given.get("notes", "")}
            for name, given in (data.get("ratings") or {}).items()
        ],
        "signals": list(data.get("signals") or []),
    }


def seat_data(seat: Seat) -> dict[str, Any]:
    return {
        "interviewer": person(seat.interviewer),
        "scorecard_hidden": seat.hidden,
        "scorecard": scorecard_data(seat.scorecard) if seat.scorecard else None,
        "draft_saved_at": seat.draft.saved_at if seat.draft else None,
    }


def candidate_data(candidate: Candidate, loop: Loop) -> dict[str, Any]:
    return {
        "id": candidate.pk,
        "opening": candidate.opening_id,
        "name": candidate.name,
        "email": candidate.email,
        "source": candidate.source,
        "stage": candidate.stage,
        "private_notes": candidate.private_notes,
        "own_submitted": loop.own_submitted,
        "loop": [
            {**interview_data(row.interview), "panel": [seat_data(seat) for seat in row.seats]} for row in loop.rows
        ],
    }


def debrief_data(candidate: Candidate, view: DebriefView) -> dict[str, Any]:
    d = view.debrief
    return {
        "candidate": candidate.pk,
        "weighted_score": d.weighted_score,
        "covered_dimensions": len(d.covered),
        "total_dimensions": len(d.lines),
        "renormalised": d.renormalised,
        "uncovered": d.uncovered,
        "disagreements": d.disagreements,
        "red_flags": [{"text": s.text, "evidence": s.evidence, "interviewer": s.interviewer} for s in d.red_flags],
        "dimensions": [
            {
                "name": line.name,
                "weight": line.weight,
                "mean": line.mean_display,
                "split": line.split,
                "ratings": [{"interviewer": g.interviewer, "rating": g.rating, "notes": g.notes} for g in line.ratings],
            }
            for line in d.lines
        ],
        "decisions": [
            {
                "outcome": decision.outcome,
                "reason": decision.reason,
                "decided_by": decision.decided_by.get_username(),
                "decided_at": decision.decided_at,
            }
            for decision in view.decisions
        ],
    }


class HiringOpeningCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    stage = serializers.ChoiceField(choices=Candidate.Stage.choices)
    interviews = serializers.IntegerField()


class HiringOpeningSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    role = serializers.CharField()
    blueprint_version = serializers.IntegerField()
    hiring_manager = PersonSerializer()
    state = serializers.ChoiceField(choices=Opening.State.choices)
    candidates = HiringOpeningCandidateSerializer(many=True, required=False, help_text="On the detail only.")


class HiringRatingOutSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    rating = serializers.ChoiceField(choices=Rating.choices)
    notes = serializers.CharField()


class HiringSignalOutSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SignalCheck.Kind.choices)
    text = serializers.CharField()
    evidence = serializers.CharField()


class HiringScorecardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    interviewer = PersonSerializer()
    recommendation = serializers.ChoiceField(choices=Rating.choices)
    notes = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    amends = serializers.IntegerField(allow_null=True, help_text="The scorecard this one amends.")
    amend_reason = serializers.CharField()
    ratings = HiringRatingOutSerializer(many=True)
    signals = HiringSignalOutSerializer(many=True)


class HiringSeatSerializer(serializers.Serializer):
    interviewer = PersonSerializer()
    scorecard_hidden = serializers.BooleanField(help_text="Submitted, hidden until you submit your own.")
    scorecard = HiringScorecardSerializer(allow_null=True, help_text="Their current scorecard, if you may see it.")
    draft_saved_at = serializers.DateTimeField(
        allow_null=True, help_text="On your own seat only: when you last saved a draft (never shown to others)."
    )


class HiringInterviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    candidate = serializers.IntegerField()
    exercise = serializers.CharField()
    interviewers = PersonSerializer(many=True)
    focus = serializers.ListField(child=serializers.CharField())
    scheduled_at = serializers.DateTimeField(allow_null=True)


class HiringLoopInterviewSerializer(HiringInterviewSerializer):
    panel = HiringSeatSerializer(many=True, help_text="One entry per interviewer, each with their own scorecard.")


class HiringDraftRatingSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    rating = serializers.CharField(help_text="Blank while not rated yet.")
    notes = serializers.CharField()


class HiringDraftSerializer(serializers.Serializer):
    interview = serializers.IntegerField()
    saved_at = serializers.DateTimeField()
    recommendation = serializers.CharField()
    notes = serializers.CharField()
    amend_reason = serializers.CharField()
    ratings = HiringDraftRatingSerializer(many=True)
    signals = HiringSignalOutSerializer(many=True)


class HiringStageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=Candidate.Stage.choices)
    next_stages = serializers.ListField(child=serializers.CharField(), help_text="Where it may move from here.")


class HiringCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    opening = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    stage = serializers.ChoiceField(choices=Candidate.Stage.choices)
    private_notes = serializers.CharField()
    own_submitted = serializers.BooleanField()
    loop = HiringLoopInterviewSerializer(many=True)


class HiringDebriefRatingSerializer(serializers.Serializer):
    interviewer = serializers.CharField()
    rating = serializers.ChoiceField(choices=Rating.choices)
    notes = serializers.CharField()


class HiringDebriefDimensionSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True)
    split = serializers.BooleanField()
    ratings = HiringDebriefRatingSerializer(many=True)


class HiringRedFlagSerializer(serializers.Serializer):
    text = serializers.CharField()
    evidence = serializers.CharField()
    interviewer = serializers.CharField()


class HiringDecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    reason = serializers.CharField()
    decided_by = serializers.CharField()
    decided_at = serializers.DateTimeField()


class HiringDebriefSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    weighted_score = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True)
    covered_dimensions = serializers.IntegerField()
    total_dimensions = serializers.IntegerField()
    renormalised = serializers.CharField()
    uncovered = serializers.ListField(child=serializers.CharField())
    disagreements = serializers.ListField(child=serializers.CharField())
    red_flags = HiringRedFlagSerializer(many=True)
    dimensions = HiringDebriefDimensionSerializer(many=True)
    decisions = HiringDecisionSerializer(many=True)


class HiringCalibrationSerializer(serializers.Serializer):
    interviewer = serializers.CharField()
    scorecards = serializers.IntegerField()
    ratings = serializers.IntegerField()
    distribution = serializers.DictField(child=serializers.IntegerField())
    no_decision_rate = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True)
    focus_fill_rate = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True)
    leniency = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False, allow_null=True)
    compared_candidates = serializers.IntegerField()
