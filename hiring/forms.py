"""The hiring forms: openings, candidates, interviews, stages, the decision, and the interviewer's
scorecard read from a plain POST (or from their saved draft)."""

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from hiring.models import Candidate, Decision, Interview, Opening, Rating, ScorecardDraft
from hiring.services import RatingInput, SignalInput, blueprint_exercises, blueprint_signals, stage_choices
from org.models import Employee
from scorecards.models import Role, ScorecardDimension
from staffrole import access

RATING_CHOICES = [("", "Not assessed"), *Rating.choices]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}{f' ({obj.title})' if obj.title else ''}"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}{f' ({obj.title})' if obj.title else ''}"


def active_people() -> QuerySet[Employee]:
    return Employee.objects.filter(active=True).select_related("user").order_by("name", "pk")


class OpeningForm(forms.Form):
    """HR names any active hiring manager; a people manager opens the opening as its hiring manager."""

    role = forms.ModelChoiceField(
        queryset=Role.objects.none(),
        help_text="The opening pins the role's newest published blueprint version; later edits never change it.",
    )
    title = forms.CharField(max_length=200, required=False, help_text="Leave blank to use the role's name.")
    hiring_manager = PersonChoiceField(queryset=Employee.objects.none())
    members = PeopleChoiceField(
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Hiring team",
        help_text="They see the opening's candidates (as do the interviewers you add to the loops).",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = cast(forms.ModelChoiceField, self.fields["role"])
        role.queryset = Role.objects.filter(versions__status="published").distinct().order_by("title")
        people = active_people()
        me = access.viewer(user).employee
        manager = cast(forms.ModelChoiceField, self.fields["hiring_manager"])
        if access.viewer(user).hr:
            manager.queryset = people
        else:
            manager.queryset = people.filter(pk=me.pk) if me is not None else people.none()
            manager.initial = me.pk if me is not None else None
            manager.help_text = "You open this opening as its hiring manager."
        cast(forms.ModelMultipleChoiceField, self.fields["members"]).queryset = people


class CandidateForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False, label="Email")
    source = forms.CharField(max_length=200, required=False, help_text="Referral, job board, agency, sourcing...")
    private_notes = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by the hiring team and HR only.",
    )


class InterviewForm(forms.Form):
    exercise = forms.ChoiceField(label="Practical exercise")
    interviewers = PeopleChoiceField(
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each interviewer writes their own scorecard. You may assign them later.",
    )
    focus = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Focus dimensions",
        error_messages={"required": "Choose at least one dimension the interview focuses on."},
    )
    scheduled_at = forms.DateTimeField(
        required=False,
        label="Scheduled",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, opening: Opening, interview: Interview | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = opening.blueprint_version
        cast(forms.ChoiceField, self.fields["exercise"]).choices = [
            (name, name) for name in blueprint_exercises(version)
        ]
        dimensions = ScorecardDimension.objects.filter(version=version).order_by("position")
        cast(forms.ChoiceField, self.fields["focus"]).choices = [
            (d.name, f"{d.name} ({d.weight.normalize():f}%)") for d in dimensions
        ]
        interviewers = cast(forms.ModelMultipleChoiceField, self.fields["interviewers"])
        interviewers.queryset = active_people()
        if interview is not None:
            del self.fields["exercise"]
            # Someone who has left stays listed while they are on the interview.
            interviewers.queryset = Employee.objects.filter(
                pk__in=[
                    *active_people().values_list("pk", flat=True),
                    *interview.interviewers.values_list("pk", flat=True),
                ]
            ).order_by("name", "pk")
            if not self.is_bound:
                self.initial = {
                    "interviewers": list(interview.interviewers.all()),
                    "focus": [d.name for d in interview.focus.all()],
                    "scheduled_at": interview.scheduled_at,
                }


class StageForm(forms.Form):
    stage = forms.ChoiceField(label="Move to")
    reason = forms.CharField(
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to reject or to reconsider a rejected candidate.",
    )

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = stage_choices(candidate) or [
            ("", "None: hired is final")
        ]


class OpeningStateForm(forms.Form):
    reason = forms.CharField(required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000)


@dataclass
class SignalField:
    key: str
    kind: str
    text: str
    checked: bool = False
    evidence: str = ""


@dataclass
class DimensionField:
    dimension: Any
    rating: str = ""
    notes: str = ""


@dataclass
class ScorecardForm:
    """Per focus dimension a rating (or blank: not assessed), the blueprint's signals to tick with evidence,
    an overall recommendation. Field names: rating-<dimension id>, notes-<id>, signal-<n>, evidence-<n>."""

    interview: Interview
    dimensions: list[DimensionField]
    signals: list[SignalField]
    recommendation: str = ""
    notes: str = ""
    amend_reason: str = ""
    errors: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, interview: Interview, data: Any = None) -> "ScorecardForm":
        data = data or {}
        dims = [
            DimensionField(
                dimension=d,
                rating=str(data.get(f"rating-{d.pk}", "")),
                notes=str(data.get(f"notes-{d.pk}", ""))[:5_000],
            )
            for d in sorted(interview.focus.all(), key=lambda d: d.position)
        ]
        signals = []
        number = 0
        for kind, texts in blueprint_signals(interview.candidate.opening.blueprint_version).items():
            for text in texts:
                key = str(number)
                signals.append(
                    SignalField(
                        key=key,
                        kind=kind,
                        text=text,
                        checked=bool(data.get(f"signal-{key}")),
                        evidence=str(data.get(f"evidence-{key}", ""))[:5_000],
                    )
                )
                number += 1
        return cls(
            interview=interview,
            dimensions=dims,
            signals=signals,
            recommendation=str(data.get("recommendation", "")),
            notes=str(data.get("notes", ""))[:10_000],
            amend_reason=str(data.get("amend_reason", ""))[:5_000],
        )

    @classmethod
    def from_draft(cls, interview: Interview, draft: ScorecardDraft) -> "ScorecardForm":
        """The form as the interviewer left it in their draft."""
        data = draft.data or {}
        ratings = data.get("ratings") or {}
        ticked = {(s.get("kind"), s.get("text")): s.get("evidence", "") for s in data.get("signals") or []}
        values: dict[str, str] = {
            "recommendation": data.get("recommendation", ""),
            "notes": data.get("notes", ""),
            "amend_reason": data.get("amend_reason", ""),
        }
        for d in interview.focus.all():
            given = ratings.get(d.name) or {}
            values[f"rating-{d.pk}"] = given.get("rating", "")
            values[f"notes-{d.pk}"] = given.get("notes", "")
        form = cls.build(interview, values)
        for signal in form.signals:
            if (signal.kind, signal.text) in ticked:
                signal.checked = True
                signal.evidence = ticked[(signal.kind, signal.text)]
        return form

    def draft_ratings(self) -> list[RatingInput]:
        """Ratings and notes as typed so far, a dimension with only notes included (blank rating)."""
        return [
            RatingInput(dimension=f.dimension.name, rating=f.rating, notes=f.notes)
            for f in self.dimensions
            if f.rating or f.notes
        ]

    def ratings(self) -> list[RatingInput]:
        return [
            RatingInput(dimension=f.dimension.name, rating=f.rating, notes=f.notes) for f in self.dimensions if f.rating
        ]

    def ticked(self) -> list[SignalInput]:
        return [SignalInput(kind=s.kind, text=s.text, evidence=s.evidence) for s in self.signals if s.checked]

    def signals_of(self, kind: str) -> list[SignalField]:
        return [s for s in self.signals if s.kind == kind]

    @property
    def strong(self) -> list[SignalField]:
        return self.signals_of("strong")

    @property
    def weak(self) -> list[SignalField]:
        return self.signals_of("weak")

    @property
    def red_flags(self) -> list[SignalField]:
        return self.signals_of("red_flag")
