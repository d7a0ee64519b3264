"""The hiring forms: the decision, and the interviewer's scorecard read from a plain POST."""

from dataclasses import dataclass, field
from typing import Any

from django import forms

from hiring.models import Decision, Interview, Rating
from hiring.services import RatingInput, SignalInput, blueprint_signals

RATING_CHOICES = [("", "Not assessed"), *Rating.choices]


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
