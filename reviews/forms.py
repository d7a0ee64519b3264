"""Forms of the review page. Each rating field (one dimension, one side) is a small form of its own, named by
a prefix, so that the page posts them together without JavaScript and htmx posts them one at a time."""

import hashlib
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from reviews.evidence import evidence_links
from reviews.models import SCORE_LABELS, Review
from reviews.services import ACTIONS, EVIDENCE_MAX_LINKS, SKILL_COMMENT_MAX_LENGTH, is_evidence_link

COMMENT_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 5_000
SCORE_CHOICES = [(score, f"{score} · {label}") for score, label in SCORE_LABELS.items()]


def field_prefix(dimension_id: int, side: str) -> str:
    return f"r-{dimension_id}-{side}"


def normalise_text(value: str) -> str:
    """Browsers post line breaks as CRLF; store and compare plain LF, without trailing blanks."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def rating_fingerprint(score: int | None, comment: str, evidence: list[Any]) -> str:
    """A short digest of a field's value as the page showed it: a posted field whose value still matches
    it was left alone, so a stale version of it is no conflict."""
    payload = json.dumps([score, normalise_text(comment), evidence_links(evidence)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def evidence_text(evidence: Any) -> str:
    """The links of a rating's evidence as the text box shows them (KPI evidence has its own list)."""
    return "\n".join(evidence_links(evidence))


class RatingFieldForm(forms.Form):
    """One dimension on one side: the score, comment and evidence links, with the version the page read."""

    score = forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, required=False, empty_value=None)
    comment = forms.CharField(required=False, strip=False, max_length=COMMENT_MAX_LENGTH)
    evidence = forms.CharField(required=False, strip=False)
    version = forms.IntegerField(min_value=0)
    # The fingerprint of the value the page showed, and on a conflict the version "Keep mine" overwrites.
    orig = forms.CharField(required=False, max_length=64)
    theirs = forms.IntegerField(required=False, min_value=0)

    def clean_comment(self) -> str:
        return normalise_text(self.cleaned_data["comment"])

    def clean_evidence(self) -> list[str]:
        links = [line.strip() for line in normalise_text(self.cleaned_data["evidence"]).split("\n") if line.strip()]
        if len(links) > EVIDENCE_MAX_LINKS:
            raise ValidationError(f"Give at most {EVIDENCE_MAX_LINKS} evidence links.")
        bad = [link[:80] for link in links if not is_evidence_link(link)]
        if bad:
            raise ValidationError(
                "Evidence is one web address (http:// or https://) per line; not one: " + ", ".join(bad) + "."
            )
        return links

    def fingerprint(self) -> str:
        data = self.cleaned_data
        return rating_fingerprint(data["score"], data["comment"], data["evidence"])

    def touched(self) -> bool:
        return self.fingerprint() != self.cleaned_data["orig"]

    def first_error(self) -> str:
        return " ".join(str(message) for errors in self.errors.values() for message in errors)


def skill_prefix(skill_id: int) -> str:
    return f"s-{skill_id}"


class SkillRatingForm(RatingFieldForm):
    """One skill of the detailed self-assessment: the same score, comment and evidence as a rating field,
    with the version the page read and a fingerprint of the value it showed."""

    comment = forms.CharField(required=False, strip=False, max_length=SKILL_COMMENT_MAX_LENGTH)


class PotentialForm(forms.Form):
    """The reviewer's potential for calibration's 9-box, with the value the page showed."""

    potential = forms.ChoiceField(choices=[("", "Not set"), *Review.Potential.choices], required=False)
    orig = forms.ChoiceField(choices=[("", "Not set"), *Review.Potential.choices], required=False)
    theirs = forms.ChoiceField(choices=[("", "Not set"), *Review.Potential.choices], required=False)

    def touched(self) -> bool:
        return self.cleaned_data["potential"] != self.cleaned_data["orig"]


class TransitionForm(forms.Form):
    """A move of the review: the action, the review version the page showed, and a reason or comment.
    Calibration with a final rating other than the manager's score names it and says why."""

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    version = forms.IntegerField(required=False, min_value=0)
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)
    final_rating = forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, required=False, empty_value=None)
    justification = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)

    def clean_reason(self) -> str:
        return normalise_text(self.cleaned_data["reason"])

    def clean_justification(self) -> str:
        return normalise_text(self.cleaned_data["justification"])


class ReviewFilterForm(forms.Form):
    cycle = forms.IntegerField(required=False, min_value=1)
    state = forms.ChoiceField(choices=[("", "Any state"), *Review.State.choices], required=False)
