"""The detailed self-assessment by skill: the engineer's optional rating of each skill of their blueprint.

One form, without JavaScript: every skill carries the version it was read at and a fingerprint of the value
shown, so only the skills this person changed are written, all at once or not at all. A skill someone else
saved meanwhile comes back as a conflict (409) that keeps what was typed and shows what is stored.
"""

import contextlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reviews import selectors
from reviews.forms import SCORE_CHOICES, SkillRatingForm, evidence_text, rating_fingerprint, skill_prefix
from reviews.models import SCORE_LABELS, Review, SkillRating
from reviews.services import WRITABLE_CYCLE_STATES, ReviewConflict, review_rate_skills
from scorecards.models import Skill
from staffrole import access
from staffrole.access import Access, Relation


@dataclass
class SkillRow:
    """One skill as the page shows it: the stored rating, or on a re-render what this person posted."""

    skill: Skill
    rating: SkillRating | None
    score: int | None = None
    comment: str = ""
    evidence: str = ""  # one link per line, as in the text box
    version: int = 0
    orig: str = ""
    errors: list[str] = field(default_factory=list)
    conflict: bool = False

    @property
    def prefix(self) -> str:
        return skill_prefix(self.skill.pk)

    @property
    def rated(self) -> bool:
        return self.rating is not None and self.rating.score is not None

    @property
    def stored_score_label(self) -> str:
        score = self.rating.score if self.rating else None
        return f"{score} · {SCORE_LABELS[score]}" if score in SCORE_LABELS else ""

    @property
    def stored_evidence(self) -> list[dict[str, str]]:
        evidence = self.rating.evidence if self.rating else []
        links = [str(link).strip() for link in evidence if str(link).strip()] if isinstance(evidence, list) else []
        return [{"text": text, "href": text if text.startswith(("https://", "http://")) else ""} for text in links]

    @property
    def has_details(self) -> bool:
        return bool(self.skill.description or self.skill.strong_performance)


@dataclass
class SkillGroup:
    key: str
    label: str
    rows: list[SkillRow]

    @property
    def rated(self) -> int:
        return sum(row.rated for row in self.rows)


def _row(skill: Skill, rating: SkillRating | None) -> SkillRow:
    score = rating.score if rating else None
    comment = rating.comment if rating else ""
    evidence = rating.evidence if rating and isinstance(rating.evidence, list) else []
    return SkillRow(
        skill=skill,
        rating=rating,
        score=score,
        comment=comment,
        evidence=evidence_text(evidence),
        version=rating.version if rating else 0,
        orig=rating_fingerprint(score, comment, evidence),
    )


def _posted(row: SkillRow, data: Any) -> SkillRow:
    """The skill as this person left it in the form they posted (their text is never dropped)."""
    prefix = row.prefix
    raw_score = data.get(f"{prefix}-score", "")
    row.score = int(raw_score) if raw_score in {"1", "2", "3", "4", "5"} else None
    row.comment = data.get(f"{prefix}-comment", "")
    row.evidence = data.get(f"{prefix}-evidence", "")
    with contextlib.suppress(TypeError, ValueError):
        row.version = int(data.get(f"{prefix}-version"))
    row.orig = data.get(f"{prefix}-orig", row.orig)[:64]
    return row


def _groups(rows: list[SkillRow]) -> list[SkillGroup]:
    """Skills by group, the groups in the order the blueprint first names them."""
    labels = dict(Skill.Group.choices)
    groups: dict[str, SkillGroup] = {}
    for row in rows:
        key = row.skill.group
        if key not in groups:
            label = str(labels.get(key, key))
            groups[key] = SkillGroup(key=key, label=label[:1].upper() + label[1:], rows=[])
        groups[key].rows.append(row)
    return list(groups.values())


def _editable(user: Any, review: Review) -> bool:
    self_access, _manager = access.review_access(user, review)
    return (
        access.review_relation(user, review) is Relation.SELF
        and self_access is Access.EDIT
        and review.cycle.state in WRITABLE_CYCLE_STATES
    )


@dataclass
class SkillsPost:
    """What a posted form carried, to show again when it is not saved."""

    data: Any = None
    keep: set[int] = field(default_factory=set)  # skills whose posted values are shown instead of the stored
    errors: dict[int, list[str]] = field(default_factory=dict)
    conflicts: set[int] = field(default_factory=set)


def _render(
    request: HttpRequest,
    review: Review,
    *,
    status: int = 200,
    post: SkillsPost | None = None,
    error: str = "",
    refusal: str = "",
) -> HttpResponse:
    post = post or SkillsPost()
    context: dict[str, Any] = {
        "review": review,
        "person": review.employee,
        "cycle": review.cycle,
        "blueprint": review.blueprint_version,
        "relation": access.review_relation(request.user, review).value,
        "refusal": refusal,
        "error": error,
    }
    if refusal:
        return render(request, "reviews/review_skills.html", context, status=status)
    skills, ratings = selectors.review_skills(review=review)
    rows = []
    for skill in skills:
        row = _row(skill, ratings.get(skill.pk))
        if skill.pk in post.keep:
            row = _posted(row, post.data)
        if skill.pk in post.conflicts:
            # Saving again keeps what was typed: the form now names the version and value stored.
            stored = _row(skill, row.rating)
            row.conflict, row.version, row.orig = True, stored.version, stored.orig
        row.errors = post.errors.get(skill.pk, [])
        rows.append(row)
    context |= {
        "groups": _groups(rows),
        "rated": sum(row.rated for row in rows),
        "total": len(rows),
        "editable": _editable(request.user, review),
        "score_choices": SCORE_CHOICES,
        "conflicts": len(post.conflicts),
    }
    return render(request, "reviews/review_skills.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_skills(request: HttpRequest, review_id: int) -> HttpResponse:
    """Whoever reads the self-assessment reads the skills; the engineer rates them while the review is a draft."""
    review = access.get_review_for_user(request.user, review_id)
    self_access, _manager = access.review_access(request.user, review)
    if self_access is Access.NONE:
        why = (
            f"{review.employee.name}'s self-assessment, skills included, is shown once they submit it "
            f"(the review is {review.get_state_display().lower()})."
        )
        return _render(request, review, status=403, refusal=why)
    if request.method == "POST":
        return _save(request, review)
    return _render(request, review)


def _save(request: HttpRequest, review: Review) -> HttpResponse:
    if not _editable(request.user, review):
        if access.review_relation(request.user, review) is Relation.SELF:
            why = (
                f"Your self-assessment can no longer be changed (the review is "
                f"{review.get_state_display().lower()}, the cycle {review.cycle.state})."
            )
        else:
            why = f"Only {review.employee.name} rates their skills, while their review is a draft."
        return _render(request, review, status=403, refusal=why)
    data = request.POST
    resolve = data.get("resolve", "")
    post = SkillsPost(data=data)
    skills, ratings = selectors.review_skills(review=review)
    changes: dict[int, dict[str, Any]] = {}
    for skill in skills:
        prefix = skill_prefix(skill.pk)
        if f"{prefix}-version" not in data:
            continue
        form = SkillRatingForm(data, prefix=prefix)
        if not form.is_valid():
            post.errors[skill.pk] = [form.first_error()]
            post.keep.add(skill.pk)
            continue
        if not form.touched() or resolve == f"{prefix}:theirs":
            continue
        post.keep.add(skill.pk)
        current = ratings.get(skill.pk)
        stored = _row(skill, current)
        if form.fingerprint() == stored.orig:
            continue  # the value stored already
        values = form.cleaned_data
        changes[skill.pk] = {
            "score": values["score"],
            "comment": values["comment"],
            "evidence": values["evidence"],
            "version": values["version"],
        }
    if post.errors:
        count = len(post.errors)
        return _render(
            request,
            review,
            status=400,
            post=post,
            error=f"Nothing was saved: correct the {count} skill{'s' if count != 1 else ''} marked below.",
        )
    if not changes:
        messages.info(request, "Nothing to save: no changes.")
        return redirect("reviews:skills", review.pk)
    try:
        review_rate_skills(actor=request.user, review=review, skills=changes)
    except ReviewConflict as exc:
        post.conflicts = {int(pk) for pk in exc.fields}
        count = len(post.conflicts)
        return _render(
            request,
            review,
            status=409,
            post=post,
            error=f"Nothing was saved: {count} skill{'s were' if count != 1 else ' was'} changed elsewhere since you "
            "opened the page. What you typed is kept below, with the value now stored beside it: save again to "
            "keep yours, or choose to use the stored value.",
        )
    except ValidationError as exc:
        return _render(request, review, status=400, post=post, error="Nothing was saved: " + " ".join(exc.messages))
    except PermissionDenied as exc:
        return _render(request, review, status=403, refusal=str(exc))
    count = len(changes)
    messages.success(request, f"Saved {count} skill{'s' if count != 1 else ''}.")
    return redirect("reviews:skills", review.pk)
