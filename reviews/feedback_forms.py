"""Forms of the peer feedback pages; the rules live in reviews.feedback."""

import re
from collections.abc import Sequence
from typing import Any

from django import forms

from org.models import Employee
from reviews.feedback import MAX_COMMENT, MAX_MESSAGE, MAX_PEERS
from reviews.models import SCORE_LABELS
from scorecards.models import ScorecardDimension

SCORE_CHOICES = [("", "No score"), *((str(score), f"{score} · {label}") for score, label in SCORE_LABELS.items())]


class FeedbackRequestForm(forms.Form):
    peers = forms.CharField(
        label="Peers",
        max_length=2000,
        help_text="Their usernames, separated by commas or spaces.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "feedback-peer-suggestions"}),
    )
    due = forms.DateField(label="Answer by", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    message = forms.CharField(
        label="Message to the peers",
        max_length=MAX_MESSAGE,
        required=False,
        help_text="Optional: what you would like them to look at.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_peers(self) -> list[Employee]:
        usernames = list(dict.fromkeys(name for name in re.split(r"[\s,;]+", self.cleaned_data["peers"]) if name))
        if not usernames:
            raise forms.ValidationError("Name at least one peer.")
        if len(usernames) > MAX_PEERS:
            raise forms.ValidationError(f"Ask at most {MAX_PEERS} peers at once.")
        found = {
            employee.user.username: employee
            for employee in Employee.objects.select_related("user").filter(user__username__in=usernames)
        }
        unknown = [name for name in usernames if name not in found]
        if unknown:
            raise forms.ValidationError(f"Nobody has the username {', '.join(repr(name) for name in unknown)}.")
        return [found[name] for name in usernames]


class FeedbackAnswerForm(forms.Form):
    """A score (optional) and a comment per dimension; a dimension left blank is not answered."""

    def __init__(self, *args: Any, dimensions: Sequence[ScorecardDimension], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = list(dimensions)
        for dimension in self.dimensions:
            self.fields[f"score_{dimension.pk}"] = forms.ChoiceField(
                label="Score", choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[f"comment_{dimension.pk}"] = forms.CharField(
                label="Comment",
                max_length=MAX_COMMENT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """Each dimension with its two bound fields, for the template."""
        return [
            {"dimension": d, "score": self[f"score_{d.pk}"], "comment": self[f"comment_{d.pk}"]}
            for d in self.dimensions
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answered = 0
        for dimension in self.dimensions:
            score, comment = data.get(f"score_{dimension.pk}"), (data.get(f"comment_{dimension.pk}") or "").strip()
            if score and not comment:
                self.add_error(
                    f"comment_{dimension.pk}", "A comment is required for each dimension you answer; the score is not."
                )
            if score or comment:
                answered += 1
        if not answered and not self.errors:
            raise forms.ValidationError("Answer at least one dimension: a comment, and a score if you like.")
        return data

    def answers(self) -> dict[str, tuple[int | None, str]]:
        result = {}
        for dimension in self.dimensions:
            score = self.cleaned_data.get(f"score_{dimension.pk}")
            comment = (self.cleaned_data.get(f"comment_{dimension.pk}") or "").strip()
            if score or comment:
                result[dimension.name] = (int(score) if score else None, comment)
        return result

    def field_for(self, dimension_name: str) -> str | None:
        for dimension in self.dimensions:
            if dimension.name == dimension_name:
                return f"comment_{dimension.pk}"
        return None


class FeedbackApproveForm(forms.Form):
    due = forms.DateField(
        label="Answer by",
        required=False,
        help_text="Leave as is to keep the date asked for.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class FeedbackDeclineForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=500, required=False, widget=forms.TextInput)
