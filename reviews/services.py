"""Writes to cycles and reviews. Each runs in one transaction, locks the rows it changes, checks
rights through staffrole.access, and records every rating change and transition in the audit trail
(docs/adr/0011-review-history.md)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import AuditItem, audit_record, audit_record_many
from kpis.models import DoraTier
from org.models import Employee, Team
from reviews.evidence import MAX_KPI_ENTRIES, attached_series, kpi_entries, kpi_snapshot, with_links
from reviews.kpi_panel import review_kpi_panel
from reviews.models import Cycle, Rating, Review, SkillRating
from reviews.scoring import Explanation, explain, rounded_rating
from scorecards.models import BlueprintVersion, ScorecardDimension
from staffrole import access
from staffrole.access import Access, Relation

ACTIONS = ("submit_self", "submit_manager", "calibrate", "share", "acknowledge", "reopen")
WRITABLE_CYCLE_STATES = (Cycle.State.OPEN, Cycle.State.CALIBRATING)
FINISHED_STATES = (Review.State.SHARED, Review.State.ACKNOWLEDGED)


class ReviewConflict(Exception):
    """A write named a version older than the one stored: someone else saved first."""

    def __init__(self, *, review: Review, fields: dict[str, Any] | None = None) -> None:
        super().__init__("This review was changed since you loaded it.")
        self.review = review
        self.current_version = review.version
        # For a field-level conflict: the values now stored, keyed as the caller named the fields.
        self.fields = fields or {}


class ReviewIncomplete(Exception):
    """A side cannot be submitted while a dimension is unrated."""

    def __init__(self, *, missing: list[str], side: str) -> None:
        super().__init__(f"Rate every dimension before submitting: {', '.join(missing)}.")
        self.missing = missing
        self.side = side


@dataclass(frozen=True)
class RatingInput:
    dimension: str  # the dimension's name, as in the blueprint
    score: int | None = None
    comment: str | None = None
    evidence: list[str] | None = None
    # Autosave names the version of the one field it read; None skips the field-level check.
    field_version: int | None = None


@dataclass
class OpenResult:
    cycle: Cycle
    enrolled: int = 0
    skipped: list[tuple[Employee, str]] = field(default_factory=list)


# --- Cycles --------------------------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def cycle_create(
    *,
    actor: Any,
    name: str,
    period_start: date,
    period_end: date,
    self_due: date,
    manager_due: date,
    calibration_due: date,
    signoff_due: date,
    teams: Sequence[Team] = (),
    dora_report_year: int = 2023,
) -> Cycle:
    _require(access.can_manage_cycles(actor), "Only HR can create review cycles.")
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["A cycle needs a name."]
    if period_start > period_end:
        errors["period_end"] = ["The review period ends before it starts."]
    if not (self_due <= manager_due <= calibration_due <= signoff_due):
        errors["deadlines"] = ["Deadlines must come in order: self-assessment, manager review, calibration, sign-off."]
    if not DoraTier.objects.filter(report_year=dora_report_year).exists():
        errors["dora_report_year"] = [f"No DORA tiers are loaded for the report year {dora_report_year}."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cycle = Cycle.objects.create(
            name=name.strip(),
            period_start=period_start,
            period_end=period_end,
            self_due=self_due,
            manager_due=manager_due,
            calibration_due=calibration_due,
            signoff_due=signoff_due,
            dora_report_year=dora_report_year,
            created_by=actor if access.is_authenticated(actor) else None,
        )
        if teams:
            cycle.teams.set(teams)
        after = {**_cycle_snapshot(cycle), "dora_report_year": cycle.dora_report_year}
        audit_record(actor=actor, action="cycle.create", target=cycle, after=after)
    return cycle


def _cycle_snapshot(cycle: Cycle) -> dict[str, Any]:
    return {
        "name": cycle.name,
        "state": cycle.state,
        "period": [cycle.period_start.isoformat(), cycle.period_end.isoformat()],
        "deadlines": [
            cycle.self_due.isoformat(),
            cycle.manager_due.isoformat(),
            cycle.calibration_due.isoformat(),
            cycle.signoff_due.isoformat(),
        ],
        "teams": sorted(cycle.teams.values_list("slug", flat=True)) if cycle.pk else [],
    }


def _published_versions_by_role() -> dict[int, BlueprintVersion]:
    newest: dict[int, BlueprintVersion] = {}
    for version in BlueprintVersion.objects.filter(status=BlueprintVersion.Status.PUBLISHED).order_by(
        "role_id", "number"
    ):
        newest[version.role_id] = version
    return newest


def _enrol(*, cycle: Cycle, people: Iterable[Employee], versions: dict[int, BlueprintVersion]) -> OpenResult:
    """Create a draft review (and its empty ratings) for each person who has a published blueprint."""
    result = OpenResult(cycle=cycle)
    existing = set(Review.objects.filter(cycle=cycle).values_list("employee_id", flat=True))
    reviews = []
    for person in people:
        if person.pk in existing:
            continue
        version = versions.get(person.role_id) if person.role_id else None
        if version is None:
            reason = "no role blueprint" if not person.role_id else "their role has no published blueprint"
            result.skipped.append((person, reason))
            continue
        reviews.append(Review(cycle=cycle, employee=person, reviewer_id=person.manager_id, blueprint_version=version))
    created = Review.objects.bulk_create(reviews, batch_size=500)
    if created and created[0].pk is None:  # backends that return no ids on bulk insert
        created = list(Review.objects.filter(cycle=cycle, employee__in=[r.employee_id for r in reviews]))
    dimensions: dict[int, list[int]] = {}
    for dimension in ScorecardDimension.objects.filter(
        version_id__in={review.blueprint_version_id for review in created}
    ).order_by("position"):
        dimensions.setdefault(dimension.version_id, []).append(dimension.pk)
    Rating.objects.bulk_create(
        (
            Rating(review=review, dimension_id=dimension_id, side=side)
            for review in created
            for dimension_id in dimensions.get(review.blueprint_version_id, [])
            for side in (Rating.Side.SELF, Rating.Side.MANAGER)
        ),
        batch_size=1000,
    )
    result.enrolled = len(created)
    return result


def cycle_open(*, actor: Any, cycle: Cycle) -> OpenResult:
    """Enrol every active person in scope: a draft review each, with their manager as reviewer and
    their role's newest published blueprint version, both fixed from now on."""
    _require(access.can_manage_cycles(actor), "Only HR can open review cycles.")
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        _require(cycle.state == Cycle.State.PLANNED, f"The cycle is {cycle.state}; only a planned cycle opens.")
        people = Employee.objects.filter(active=True)
        team_ids = list(cycle.teams.values_list("pk", flat=True))
        if team_ids:
            people = people.filter(team_id__in=team_ids)
        result = _enrol(cycle=cycle, people=people.order_by("pk"), versions=_published_versions_by_role())
        cycle.state = Cycle.State.OPEN
        cycle.opened_at = timezone.now()
        cycle.save(update_fields=["state", "opened_at"])
        audit_record(
            actor=actor,
            action="cycle.open",
            target=cycle,
            before={"state": Cycle.State.PLANNED},
            after={
                "state": Cycle.State.OPEN,
                "enrolled": result.enrolled,
                "skipped": [{"username": p.user.username, "reason": r} for p, r in result.skipped],
            },
        )
    result.cycle = cycle
    return result


def cycle_enrol(*, actor: Any, cycle: Cycle, employee: Employee, reason: str = "") -> Review:
    """A late joiner: HR adds one person to an open cycle."""
    _require(access.can_manage_cycles(actor), "Only HR can enrol people in a cycle.")
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        _require(cycle.state in WRITABLE_CYCLE_STATES, f"The cycle is {cycle.state}; nobody can join it now.")
        if not employee.active:
            raise ValidationError({"employee": [f"{employee.name} is deactivated."]})
        if Review.objects.filter(cycle=cycle, employee=employee).exists():
            raise ValidationError({"employee": [f"{employee.name} already has a review in this cycle."]})
        result = _enrol(cycle=cycle, people=[employee], versions=_published_versions_by_role())
        if result.skipped:
            raise ValidationError({"employee": [f"{employee.name} cannot be reviewed: {result.skipped[0][1]}."]})
        review = Review.objects.get(cycle=cycle, employee=employee)
        audit_record(
            actor=actor,
            action="review.enrol",
            target=review,
            after={"employee": employee.user.username, "reviewer": _username(review.reviewer)},
            reason=reason,
        )
    return review


def cycle_advance(*, actor: Any, cycle: Cycle) -> Cycle:
    """Open → calibrating: manager reviews are due; HR starts aligning ratings."""
    _require(access.can_manage_cycles(actor), "Only HR can move a cycle on.")
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        _require(
            cycle.state == Cycle.State.OPEN, f"The cycle is {cycle.state}; only an open cycle moves to calibration."
        )
        cycle.state = Cycle.State.CALIBRATING
        cycle.save(update_fields=["state"])
        audit_record(
            actor=actor, action="cycle.calibrate", target=cycle, before={"state": "open"}, after={"state": cycle.state}
        )
    return cycle


def cycle_close(*, actor: Any, cycle: Cycle, confirm_unfinished: Iterable[int] = (), reason: str = "") -> Cycle:
    """Calibrating → closed. Refused while a review is unfinished, unless HR confirms each one by id."""
    _require(access.can_manage_cycles(actor), "Only HR can close a cycle.")
    confirmed = set(confirm_unfinished)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        _require(
            cycle.state == Cycle.State.CALIBRATING, f"The cycle is {cycle.state}; only a calibrating cycle closes."
        )
        unfinished = list(
            Review.objects.filter(cycle=cycle).exclude(state__in=FINISHED_STATES).values_list("pk", flat=True)
        )
        unconfirmed = sorted(set(unfinished) - confirmed)
        if unconfirmed:
            ids = ", ".join(str(pk) for pk in unconfirmed)
            raise ValidationError(
                {"confirm_unfinished": [f"{len(unconfirmed)} review(s) are unfinished ({ids}); confirm each to close."]}
            )
        cycle.state = Cycle.State.CLOSED
        cycle.closed_at = timezone.now()
        cycle.save(update_fields=["state", "closed_at"])
        audit_record(
            actor=actor,
            action="cycle.close",
            target=cycle,
            before={"state": Cycle.State.CALIBRATING},
            after={"state": cycle.state, "closed_unfinished": sorted(unfinished)},
            reason=reason,
        )
    return cycle


def unfinished_review_ids(*, cycle: Cycle) -> list[int]:
    return list(Review.objects.filter(cycle=cycle).exclude(state__in=FINISHED_STATES).values_list("pk", flat=True))


# --- Reviews -------------------------------------------------------------------------------------


def _username(employee: Employee | None) -> str | None:
    return employee.user.username if employee is not None else None


def _locked_review(review_id: int) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("cycle", "employee__user", "reviewer__user", "blueprint_version")
        .get(pk=review_id)
    )


def _check_cycle_writable(review: Review) -> None:
    _require(review.cycle.state in WRITABLE_CYCLE_STATES, f"The cycle {review.cycle.name} is {review.cycle.state}.")


def review_explanation(*, review: Review, side: str, ratings: Iterable[Rating] | None = None) -> Explanation:
    """The weighted score of one side, with each dimension's contribution."""
    rows = ratings if ratings is not None else review.ratings.select_related("dimension")
    chosen = sorted((r for r in rows if r.side == side), key=lambda r: r.dimension.position)
    return explain((r.dimension.name, r.dimension.weight, r.score) for r in chosen)


def review_rate(
    *,
    actor: Any,
    review: Review,
    ratings: Sequence[RatingInput],
    version: int | None,
    potential: str | None = None,
    potential_seen: str | None = None,
) -> Review:
    """Write the caller's side: self for the person reviewed, manager for their reviewer.

    `version` is the review's version the caller read (the API requires it; a stale one raises
    ReviewConflict). Field-level versions let autosave refuse to overwrite a newer value of one field
    without blocking writes to others; `potential_seen` does the same for the potential ("" for none).
    """
    with transaction.atomic():
        review = _locked_review(review.pk)
        relation = access.review_relation(actor, review)
        if relation is Relation.SELF:
            side = Rating.Side.SELF
        elif relation is Relation.MANAGER:
            side = Rating.Side.MANAGER
        else:
            raise PermissionDenied("Only the person reviewed and their reviewer write ratings.")
        self_access, manager_access = access.review_access(actor, review)
        side_access = self_access if side == Rating.Side.SELF else manager_access
        _require(
            side_access is Access.EDIT,
            f"The {'self-assessment' if side == 'self' else 'manager review'} can no longer be edited "
            f"(the review is {review.get_state_display().lower()}).",
        )
        _check_cycle_writable(review)
        if version is not None and version != review.version:
            raise ReviewConflict(review=review)
        stored = {
            rating.dimension.name: rating
            for rating in review.ratings.select_related("dimension").filter(side=side).order_by("dimension__position")
        }
        errors: dict[str, list[str]] = {}
        for item in ratings:
            if item.dimension not in stored:
                errors.setdefault("ratings", []).append(f"Unknown dimension {item.dimension!r}.")
            elif item.score is not None and not _is_score(item.score):
                errors.setdefault("ratings", []).append(f"{item.dimension}: a score is a whole number from 1 to 5.")
        if potential is not None and potential not in Review.Potential.values and potential != "":
            errors.setdefault("potential", []).append("Potential is low, medium or high.")
        if potential is not None and side != Rating.Side.MANAGER:
            errors.setdefault("potential", []).append("Only the reviewer records potential.")
        if errors:
            raise ValidationError(errors)
        stale: dict[str, Any] = {
            item.dimension: _rating_value(stored[item.dimension])
            for item in ratings
            if item.field_version is not None and item.field_version != stored[item.dimension].version
        }
        if potential is not None and potential_seen is not None and review.potential not in (potential_seen, potential):
            stale["potential"] = review.potential
        if stale:
            raise ReviewConflict(review=review, fields=stale)
        audit: list[AuditItem] = []
        changed_ratings = []
        for item in ratings:
            rating = stored[item.dimension]
            before = _rating_value(rating)
            new_score = item.score if item.score is not None else rating.score
            new_comment = item.comment if item.comment is not None else rating.comment
            # The links are replaced; KPI evidence is attached and detached on its own (rating_kpi_attach).
            new_evidence = with_links(rating.evidence, item.evidence) if item.evidence is not None else rating.evidence
            if (new_score, new_comment, new_evidence) == (rating.score, rating.comment, rating.evidence):
                continue
            rating.score, rating.comment, rating.evidence = new_score, new_comment, new_evidence
            rating.version += 1
            rating.updated_by = actor
            changed_ratings.append(rating)
            audit.append(
                AuditItem.about(
                    review,
                    action="review.rating",
                    before={"dimension": item.dimension, "side": side, **before},
                    after={"dimension": item.dimension, "side": side, **_rating_value(rating)},
                )
            )
        if potential is not None and potential != review.potential:
            audit.append(
                AuditItem.about(
                    review,
                    action="review.potential",
                    before={"potential": review.potential or None},
                    after={"potential": potential or None},
                )
            )
            review.potential = potential
        if not audit:
            return review
        for rating in changed_ratings:
            rating.save(update_fields=["score", "comment", "evidence", "version", "updated_by", "updated_at"])
        review.version += 1
        review.save(update_fields=["version", "potential", "updated_at"])
        audit_record_many(actor=actor, items=audit)
    return review


def _is_score(value: Any) -> bool:
    """A whole number from 1 to 5; True and False are not scores."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def _rating_value(rating: Rating) -> dict[str, Any]:
    return {"score": rating.score, "comment": rating.comment, "evidence": rating.evidence, "version": rating.version}


SKILL_COMMENT_MAX_LENGTH = 5_000
SKILL_FIELDS = ("score", "comment", "evidence", "version")
EVIDENCE_MAX_LINKS = 20
EVIDENCE_MAX_LENGTH = 500
_web_address = URLValidator(schemes=["http", "https"])


def is_evidence_link(value: Any) -> bool:
    """One web address (http:// or https://) of reasonable length."""
    if not isinstance(value, str) or not value or len(value) > EVIDENCE_MAX_LENGTH:
        return False
    try:
        _web_address(value)
    except ValidationError:
        return False
    return True


def evidence_problems(evidence: Any) -> list[str]:
    """What is wrong with a list of evidence links, if anything."""
    if not isinstance(evidence, list):
        return ["evidence is a list of web addresses."]
    if len(evidence) > EVIDENCE_MAX_LINKS:
        return [f"give at most {EVIDENCE_MAX_LINKS} evidence links."]
    bad = [str(link)[:80] for link in evidence if not is_evidence_link(link)]
    if bad:
        return ["evidence is one web address (http:// or https://) per link; not one: " + ", ".join(bad) + "."]
    return []


def _skill_problems(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return ["expected an object with score, comment, evidence and version."]
    problems = [f"unknown field {key!r}." for key in value if key not in SKILL_FIELDS]
    if value.get("score") is not None and not _is_score(value["score"]):
        problems.append("a score is a whole number from 1 to 5 (or none: not rated).")
    if "comment" in value:
        comment = value["comment"]
        if not isinstance(comment, str):
            problems.append("a comment is text.")
        elif len(comment) > SKILL_COMMENT_MAX_LENGTH:
            problems.append(f"a comment has at most {SKILL_COMMENT_MAX_LENGTH} characters.")
    if "evidence" in value:
        problems += evidence_problems(value["evidence"])
    if "version" in value:
        version = value["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            problems.append("the version is the whole number you read (0 for a skill not rated yet).")
    return problems


def skill_rating_value(rating: SkillRating | None) -> dict[str, Any]:
    """A skill rating as stored; a skill never rated reads as empty, version 0."""
    if rating is None:
        return {"score": None, "comment": "", "evidence": [], "version": 0}
    evidence = list(rating.evidence) if isinstance(rating.evidence, list) else []
    return {"score": rating.score, "comment": rating.comment, "evidence": evidence, "version": rating.version}


def review_rate_skills(*, actor: Any, review: Review, skills: dict[int, dict[str, Any]]) -> Review:
    """The engineer's optional per-skill self-assessment: {skill id: {"score", "comment", "evidence", "version"}}.

    A key left out keeps its stored value; a score of None clears it. `version` is the skill rating's
    version the caller read (0 for a skill not rated yet): if any is stale, nothing is written and
    ReviewConflict carries the stored values, keyed by the skill id as a string."""
    with transaction.atomic():
        review = _locked_review(review.pk)
        relation = access.review_relation(actor, review)
        self_access, _manager = access.review_access(actor, review)
        _require(
            relation is Relation.SELF and self_access is Access.EDIT,
            "Only the person reviewed rates their skills, while the review is a draft.",
        )
        _check_cycle_writable(review)
        names = dict(review.blueprint_version.skills.values_list("pk", "name"))
        errors = [f"Unknown skill {pk!r}." for pk in skills if pk not in names]
        errors += [
            f"{names[pk]}: {problem}"
            for pk, value in skills.items()
            if pk in names
            for problem in _skill_problems(value)
        ]
        if errors:
            raise ValidationError({"skills": errors})
        existing = {sr.skill_id: sr for sr in review.skill_ratings.all()}
        stale = {
            str(pk): skill_rating_value(existing.get(pk))
            for pk, value in skills.items()
            if "version" in value and value["version"] != skill_rating_value(existing.get(pk))["version"]
        }
        if stale:
            raise ReviewConflict(review=review, fields=stale)
        audit = []
        for pk, value in skills.items():
            row = existing.get(pk)
            before = skill_rating_value(row)
            after = {key: value.get(key, before[key]) for key in ("score", "comment", "evidence")}
            if after == {key: before[key] for key in after}:
                continue
            row = row or SkillRating(review=review, skill_id=pk)
            row.score, row.comment, row.evidence = after["score"], after["comment"], list(after["evidence"])
            row.version += 1
            row.save()
            del before["version"]
            audit.append(
                AuditItem.about(
                    review,
                    action="review.skill_rating",
                    before={"skill": pk, **before},
                    after={"skill": pk, **after},
                )
            )
        if audit:
            review.version += 1
            review.save(update_fields=["version", "updated_at"])
            audit_record_many(actor=actor, items=audit)
    return review


def review_transition(
    *, actor: Any, review: Review, action: str, reason: str = "", version: int | None = None
) -> Review:
    """Move a review along: submit_self, submit_manager, calibrate, share, acknowledge, reopen."""
    if action not in ACTIONS:
        raise ValidationError({"action": [f"Unknown action {action!r}; expected one of {', '.join(ACTIONS)}."]})
    with transaction.atomic():
        review = _locked_review(review.pk)
        if action not in access.review_actions(actor, review):
            raise PermissionDenied(_refusal(actor, review, action))
        if version is not None and version != review.version:
            raise ReviewConflict(review=review)
        if action != "reopen":
            _check_cycle_writable(review)
        else:
            _require(review.cycle.state != Cycle.State.CLOSED, "The cycle is closed; its reviews cannot be reopened.")
            if not reason.strip():
                raise ValidationError({"reason": ["Say why the review is reopened."]})
        before: dict[str, Any] = {"state": review.state}
        now = timezone.now()
        fields = ["state", "version", "updated_at"]
        if action in ("submit_self", "submit_manager", "calibrate"):
            side = Rating.Side.MANAGER if action != "submit_self" else Rating.Side.SELF
            explanation = review_explanation(review=review, side=side)
            if not explanation.complete:
                raise ReviewIncomplete(missing=explanation.missing, side=side)
        if action == "submit_self":
            review.state, review.self_submitted_at = Review.State.SELF_SUBMITTED, now
            fields.append("self_submitted_at")
        elif action == "submit_manager":
            review.state, review.manager_submitted_at = Review.State.MANAGER_SUBMITTED, now
            fields.append("manager_submitted_at")
        elif action == "calibrate":
            before["final_rating"] = review.final_rating
            review.final_rating = rounded_rating(explanation.weighted_score)
            review.state, review.calibrated_at = Review.State.CALIBRATED, now
            review.calibration_justification = ""
            fields += ["final_rating", "calibrated_at", "calibration_justification"]
        elif action == "share":
            review.state, review.shared_at = Review.State.SHARED, now
            fields.append("shared_at")
        elif action == "acknowledge":
            review.state, review.acknowledged_at = Review.State.ACKNOWLEDGED, now
            review.acknowledgement_comment = reason.strip()
            fields += ["acknowledged_at", "acknowledgement_comment"]
        elif action == "reopen":
            review.state = (
                Review.State.DRAFT if review.state == Review.State.SELF_SUBMITTED else Review.State.SELF_SUBMITTED
            )
            before["final_rating"] = review.final_rating
            review.final_rating = None
            review.calibrated_at = review.shared_at = review.acknowledged_at = None
            fields += ["final_rating", "calibrated_at", "shared_at", "acknowledged_at"]
        review.version += 1
        review.save(update_fields=fields)
        after: dict[str, Any] = {"state": review.state}
        if action == "calibrate":
            after["final_rating"] = review.final_rating
        audit_record(
            actor=actor, action=f"review.{action}", target=review, before=before, after=after, reason=reason.strip()
        )
    return review


def _refusal(actor: Any, review: Review, action: str) -> str:
    if review.cycle.state == Cycle.State.CLOSED:
        return f"The cycle {review.cycle.name} is closed: its reviews no longer change."
    state = review.get_state_display().lower().replace("_", " ")
    who = {
        "submit_self": "the person reviewed, while it is a draft",
        "submit_manager": "the reviewer, once the self-assessment is submitted",
        "calibrate": "HR, once the manager review is submitted",
        "share": "the reviewer, once it is calibrated",
        "acknowledge": "the person reviewed, once it is shared",
        "reopen": "HR, once it has left draft",
    }[action]
    return f"The review is {state}: {action.replace('_', ' ')} is for {who}."


def review_calibrate(*, actor: Any, review: Review, version: int, final_rating: int, justification: str = "") -> Review:
    """HR sets the final rating; a rating other than the rounded weighted manager score needs a reason."""
    with transaction.atomic():
        review = _locked_review(review.pk)
        if "calibrate" not in access.review_actions(actor, review):
            raise PermissionDenied(_refusal(actor, review, "calibrate"))
        _check_cycle_writable(review)
        if version != review.version:
            raise ReviewConflict(review=review)
        if not _is_score(final_rating):
            raise ValidationError({"final_rating": ["The final rating is a whole number from 1 to 5."]})
        explanation = review_explanation(review=review, side=Rating.Side.MANAGER)
        if not explanation.complete:
            raise ReviewIncomplete(missing=explanation.missing, side=Rating.Side.MANAGER)
        proposed = rounded_rating(explanation.weighted_score)
        if final_rating != proposed and not justification.strip():
            raise ValidationError(
                {"justification": [f"Say why the final rating differs from the manager's weighted score ({proposed})."]}
            )
        before = {"state": review.state, "final_rating": review.final_rating}
        review.final_rating = final_rating
        review.calibration_justification = justification.strip()
        review.state = Review.State.CALIBRATED
        review.calibrated_at = timezone.now()
        review.version += 1
        review.save(
            update_fields=[
                "final_rating",
                "calibration_justification",
                "state",
                "calibrated_at",
                "version",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="review.calibrate",
            target=review,
            before=before,
            after={
                "state": review.state,
                "final_rating": final_rating,
                "weighted_manager_score": str(explanation.weighted_score),
            },
            reason=justification.strip(),
        )
    return review


def review_reassign(*, actor: Any, review: Review, reviewer: Employee, reason: str) -> Review:
    """HR gives a review another reviewer (a manager change during the cycle); the history shows it."""
    _require(access.can_manage_cycles(actor), "Only HR reassigns reviewers.")
    with transaction.atomic():
        review = _locked_review(review.pk)
        _check_cycle_writable(review)
        if not reason.strip():
            raise ValidationError({"reason": ["Say why the reviewer changes."]})
        errors = []
        if reviewer.pk == review.employee_id:
            errors.append("Nobody reviews themselves.")
        if not reviewer.active:
            errors.append(f"{reviewer.name} is deactivated.")
        if errors:
            raise ValidationError({"reviewer": errors})
        _require(
            review.state in (Review.State.DRAFT, Review.State.SELF_SUBMITTED),
            "Only a review not yet submitted by its reviewer changes hands.",
        )
        before = {"reviewer": _username(review.reviewer)}
        review.reviewer = reviewer
        review.version += 1
        review.save(update_fields=["reviewer", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="review.reassign",
            target=review,
            before=before,
            after={"reviewer": _username(reviewer)},
            reason=reason.strip(),
        )
    return review


def reviews_missing_a_reviewer(*, cycle: Cycle) -> list[Review]:
    return list(Review.objects.filter(cycle=cycle).filter(Q(reviewer__isnull=True) | Q(reviewer__active=False)))


# --- KPI evidence --------------------------------------------------------------------------------

SIDE_NAMES: dict[str, str] = {Rating.Side.SELF: "self-assessment", Rating.Side.MANAGER: "manager review"}


def _locked_own_rating(*, actor: Any, review: Review, dimension_id: Any, side: str) -> tuple[Review, Rating]:
    """Lock the review and the rating of one dimension on one side, if the caller writes that side now:
    the person reviewed their self-assessment while it is a draft, the reviewer the manager review
    until they submit it, while the cycle runs."""
    review = _locked_review(review.pk)
    if side not in Rating.Side.values:
        raise ValidationError({"side": ["The side is self or manager."]})
    relation = access.review_relation(actor, review)
    own = {Relation.SELF: Rating.Side.SELF, Relation.MANAGER: Rating.Side.MANAGER}.get(relation)
    _require(
        own == side,
        f"Only {'the person reviewed' if side == 'self' else 'the reviewer'} adds evidence to the {SIDE_NAMES[side]}.",
    )
    self_access, manager_access = access.review_access(actor, review)
    _require(
        (self_access if side == Rating.Side.SELF else manager_access) is Access.EDIT,
        f"The {SIDE_NAMES[side]} can no longer be edited (the review is {review.get_state_display().lower()}).",
    )
    _check_cycle_writable(review)
    rating = (
        Rating.objects.select_for_update(of=("self",))
        .select_related("dimension")
        .filter(review=review, side=side, dimension_id=dimension_id if isinstance(dimension_id, int) else None)
        .first()
    )
    if rating is None:
        raise ValidationError({"dimension": ["Choose a dimension of this review's scorecard."]})
    return review, rating


def _check_rating_version(review: Review, rating: Rating, version: int | None) -> None:
    if version is not None and version != rating.version:
        raise ReviewConflict(review=review, fields={rating.dimension.name: _rating_value(rating)})


def _save_evidence(*, actor: Any, review: Review, rating: Rating, evidence: list[Any]) -> None:
    rating.evidence = evidence
    rating.version += 1
    rating.updated_by = actor
    rating.save(update_fields=["evidence", "version", "updated_by", "updated_at"])
    review.version += 1
    review.save(update_fields=["version", "updated_at"])


def rating_kpi_attach(
    *, actor: Any, review: Review, dimension_id: int, side: str, series_id: int, version: int | None
) -> Rating:
    """Attach one of the review's KPIs for the period (the page's KPI panel, as the caller sees it) to a
    rating of the caller's side, as a snapshot of what it says now.

    `version` is the rating's version the caller read (as autosave sends it); a stale one raises
    ReviewConflict. A KPI outside the caller's panel, or already attached to that rating, is refused."""
    with transaction.atomic():
        review, rating = _locked_own_rating(actor=actor, review=review, dimension_id=dimension_id, side=side)
        panel = review_kpi_panel(
            user=actor, review=review, series_ids=[series_id] if isinstance(series_id, int) else []
        )
        row = panel.row(series_id)
        if row is None:
            raise ValidationError(
                {
                    "series": [
                        f"That KPI is not one of the KPIs for this period of {review.employee.name}, their team "
                        "or its services that you may see; choose one in the KPI panel."
                    ]
                }
            )
        if series_id in attached_series(rating.evidence):
            raise ValidationError(
                {"series": [f"{row.name} of {row.subject} is already evidence for {rating.dimension.name}."]}
            )
        if len(kpi_entries(rating.evidence)) >= MAX_KPI_ENTRIES:
            raise ValidationError({"series": [f"A rating holds at most {MAX_KPI_ENTRIES} KPIs as evidence."]})
        _check_rating_version(review, rating, version)
        employee = getattr(actor, "employee", None)
        entry = kpi_snapshot(
            row=row,
            report_year=panel.report_year,
            actor=actor,
            attached_at=timezone.now(),
            by_name=employee.name if employee is not None else actor.get_username(),
        )
        evidence = list(rating.evidence) if isinstance(rating.evidence, list) else []
        _save_evidence(actor=actor, review=review, rating=rating, evidence=[*evidence, entry])
        where = {"dimension": rating.dimension.name, "side": side}
        audit_record(
            actor=actor, action="review.evidence_attach", target=review, before=where, after={**where, "kpi": entry}
        )
    return rating


def rating_kpi_detach(
    *, actor: Any, review: Review, dimension_id: int, side: str, series_id: int, version: int | None
) -> Rating:
    """Take a KPI off a rating of the caller's side (whether or not its series is still visible to them:
    the snapshot is theirs). The same rights and version check as attaching."""
    with transaction.atomic():
        review, rating = _locked_own_rating(actor=actor, review=review, dimension_id=dimension_id, side=side)
        entry = next((e for e in kpi_entries(rating.evidence) if e.get("series") == series_id), None)
        if entry is None:
            raise ValidationError({"series": [f"That KPI is not evidence for {rating.dimension.name}."]})
        _check_rating_version(review, rating, version)
        evidence = [e for e in rating.evidence if e is not entry]
        _save_evidence(actor=actor, review=review, rating=rating, evidence=evidence)
        where = {"dimension": rating.dimension.name, "side": side}
        audit_record(
            actor=actor, action="review.evidence_detach", target=review, before={**where, "kpi": entry}, after=where
        )
    return rating
