"""The forms of the ladder pages: HR's edits of tracks and levels, the self-assessment, the manager's view."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from ladder.models import AssessmentCriterion, ManagerView
from ladder.services import COMMENT_MAX_LENGTH, EVIDENCE_MAX_LENGTH, NAME_MAX_LENGTH
from reviews.forms import SCORE_CHOICES, normalise_text
from reviews.services import EVIDENCE_MAX_LINKS, is_evidence_link
from scorecards.models import Role


class TrackForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX_LENGTH)
    description = forms.CharField(required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}))


class LevelForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX_LENGTH)
    role = forms.ModelChoiceField(
        queryset=Role.objects.order_by("title"), required=False, empty_label="No blueprint", label="Role blueprint"
    )
    summary = forms.CharField(required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}))


class LevelMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


def skill_prefix(skill_id: int) -> str:
    return f"s-{skill_id}"


def criterion_prefix(criterion_id: int) -> str:
    return f"c-{criterion_id}"


def links_text(links: Any) -> str:
    return "\n".join(str(link) for link in links) if isinstance(links, list) else ""


class AssessmentSkillForm(forms.Form):
    score = forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, required=False, empty_value=None)
    evidence = forms.CharField(required=False, strip=False, max_length=EVIDENCE_MAX_LENGTH)
    links = forms.CharField(required=False, strip=False)
    kpis = forms.MultipleChoiceField(required=False, choices=[])

    def __init__(self, *args: Any, kpi_names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kpis = self.fields["kpis"]
        assert isinstance(kpis, forms.MultipleChoiceField)  # noqa: S101 - declared above
        kpis.choices = [(name, name) for name in kpi_names]

    def clean_evidence(self) -> str:
        return normalise_text(self.cleaned_data["evidence"])

    def clean_links(self) -> list[str]:
        links = [line.strip() for line in normalise_text(self.cleaned_data["links"]).split("\n") if line.strip()]
        if len(links) > EVIDENCE_MAX_LINKS:
            raise ValidationError(f"Give at most {EVIDENCE_MAX_LINKS} links.")
        bad = [link[:80] for link in links if not is_evidence_link(link)]
        if bad:
            raise ValidationError("One web address (http:// or https://) per line; not one: " + ", ".join(bad))
        return links

    def first_error(self) -> str:
        return next(str(message) for messages in self.errors.values() for message in messages)


class AssessmentCriterionForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Not answered"), *AssessmentCriterion.Status.choices], required=False)
    evidence = forms.CharField(required=False, strip=False, max_length=EVIDENCE_MAX_LENGTH)

    def clean_evidence(self) -> str:
        return normalise_text(self.cleaned_data["evidence"])

    def first_error(self) -> str:
        return next(str(message) for messages in self.errors.values() for message in messages)


class ManagerViewForm(forms.Form):
    readiness = forms.ChoiceField(choices=ManagerView.Readiness.choices, widget=forms.RadioSelect)
    comment = forms.CharField(required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_comment(self) -> str:
        return normalise_text(self.cleaned_data["comment"])
