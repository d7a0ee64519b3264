"""The engineer's detailed self-assessment by skill: review_rate_skills writes what it is given, checks the
version each skill was read at, validates every value, and refuses everyone but the engineer in draft."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from reviews.models import Review, SkillRating
from reviews.services import ReviewConflict, review_rate_skills
from tests.reviews.page_helpers import engineer_review, user, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(open_cycle):
    return engineer_review(open_cycle)


def _skills(review):
    return list(review.blueprint_version.skills.order_by("position").values_list("pk", flat=True))


def _rate(review, skills, username="engineer"):
    return review_rate_skills(actor=user(username), review=review, skills=skills)


def _stored(review):
    return {
        row.skill_id: (row.score, row.comment, row.evidence, row.version)
        for row in SkillRating.objects.filter(review=review)
    }


def test_it_writes_new_ratings_bumps_the_review_version_and_audits_each(review):
    first, second, *_rest = _skills(review)
    before = review.version
    _rate(
        review,
        {
            first: {
                "score": 4,
                "comment": "Designed the ledger.",
                "evidence": ["https://example.com/adr"],
                "version": 0,
            },
            second: {"score": 2, "version": 0},
        },
    )
    assert _stored(review) == {
        first: (4, "Designed the ledger.", ["https://example.com/adr"], 1),
        second: (2, "", [], 1),
    }
    assert Review.objects.get(pk=review.pk).version == before + 1
    entries = AuditEntry.objects.filter(action="review.skill_rating", target_id=str(review.pk)).order_by("id")
    assert [(e.before, e.after) for e in entries] == [
        (
            {"skill": first, "score": None, "comment": "", "evidence": []},
            {"skill": first, "score": 4, "comment": "Designed the ledger.", "evidence": ["https://example.com/adr"]},
        ),
        (
            {"skill": second, "score": None, "comment": "", "evidence": []},
            {"skill": second, "score": 2, "comment": "", "evidence": []},
        ),
    ]
    assert {e.actor.username for e in entries} == {"engineer"}


def test_it_keeps_what_is_left_out_and_clears_a_score_given_as_none(review):
    first = _skills(review)[0]
    _rate(review, {first: {"score": 4, "comment": "kept", "evidence": ["https://example.com/a"], "version": 0}})
    _rate(review, {first: {"score": None, "version": 1}})
    assert _stored(review) == {first: (None, "kept", ["https://example.com/a"], 2)}


def test_it_changes_nothing_for_values_already_stored(review):
    first = _skills(review)[0]
    _rate(review, {first: {"score": 3, "version": 0}})
    version = Review.objects.get(pk=review.pk).version
    _rate(review, {first: {"score": 3, "comment": "", "evidence": [], "version": 1}})
    second = _skills(review)[1]
    _rate(review, {second: {"score": None, "comment": "", "version": 0}})  # an empty rating of a new skill
    assert _stored(review) == {first: (3, "", [], 1)}
    assert Review.objects.get(pk=review.pk).version == version
    assert AuditEntry.objects.filter(action="review.skill_rating").count() == 1


def test_an_evidence_change_alone_is_written_and_audited(review):
    first = _skills(review)[0]
    _rate(review, {first: {"score": 3, "version": 0}})
    _rate(review, {first: {"evidence": ["https://example.com/pr/1"], "version": 1}})
    assert _stored(review) == {first: (3, "", ["https://example.com/pr/1"], 2)}
    assert AuditEntry.objects.filter(action="review.skill_rating").count() == 2


def test_a_stale_version_writes_nothing_and_names_the_stored_values(review):
    first, second, *_rest = _skills(review)
    _rate(review, {first: {"score": 4, "comment": "first tab", "evidence": ["https://example.com/x"], "version": 0}})
    version = Review.objects.get(pk=review.pk).version
    with pytest.raises(ReviewConflict) as caught:
        _rate(
            review,
            {
                second: {"score": 5, "comment": "would be fine alone", "version": 0},
                first: {"score": 1, "comment": "second tab", "version": 0},
            },
        )
    assert caught.value.fields == {
        str(first): {"score": 4, "comment": "first tab", "evidence": ["https://example.com/x"], "version": 1}
    }
    assert caught.value.current_version == version
    assert _stored(review) == {first: (4, "first tab", ["https://example.com/x"], 1)}
    assert Review.objects.get(pk=review.pk).version == version


def test_a_version_for_a_skill_never_rated_must_be_zero(review):
    first = _skills(review)[0]
    with pytest.raises(ReviewConflict) as caught:
        _rate(review, {first: {"score": 4, "version": 3}})
    assert caught.value.fields == {str(first): {"score": None, "comment": "", "evidence": [], "version": 0}}
    assert not SkillRating.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"score": 0}, "a score is a whole number from 1 to 5"),
        ({"score": 6}, "a score is a whole number from 1 to 5"),
        ({"score": True}, "a score is a whole number from 1 to 5"),
        ({"score": "4"}, "a score is a whole number from 1 to 5"),
        ({"score": 3.5}, "a score is a whole number from 1 to 5"),
        ({"comment": None}, "a comment is text"),
        ({"comment": "x" * 5001}, "at most 5000 characters"),
        ({"evidence": "https://example.com"}, "evidence is a list"),
        ({"evidence": ["ftp://example.com/file"]}, "not one: ftp://example.com/file"),
        ({"evidence": ["javascript:alert(1)"]}, "not one: javascript:alert(1)"),
        ({"evidence": ["not a link"]}, "not one: not a link"),
        ({"evidence": [f"https://example.com/{n}" for n in range(21)]}, "at most 20 evidence links"),
        ({"evidence": ["https://example.com/" + "a" * 500]}, "(http:// or https://)"),
        ({"version": -1}, "the version is the whole number you read"),
        ({"version": False}, "the version is the whole number you read"),
        ({"grade": 4}, "unknown field 'grade'"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(review, value, message):
    first, second, *_rest = _skills(review)
    version = review.version
    with pytest.raises(ValidationError) as caught:
        _rate(review, {second: {"score": 4, "version": 0}, first: value})
    [error] = caught.value.message_dict["skills"]
    assert message in error and error.startswith("System design and architecture: ")
    assert not SkillRating.objects.exists()
    assert Review.objects.get(pk=review.pk).version == version


def test_a_skill_of_another_blueprint_is_unknown(review):
    from scorecards.models import Skill

    foreign = Skill.objects.exclude(version=review.blueprint_version).values_list("pk", flat=True).first()
    missing = foreign or 999_999
    with pytest.raises(ValidationError) as caught:
        _rate(review, {missing: {"score": 4, "version": 0}})
    assert caught.value.message_dict["skills"] == [f"Unknown skill {missing}."]
    assert not SkillRating.objects.exists()


@pytest.mark.parametrize("username", ["manager", "director", "hr"])
def test_only_the_engineer_rates_their_skills(review, username):
    with pytest.raises(PermissionDenied):
        _rate(review, {_skills(review)[0]: {"score": 4, "version": 0}}, username=username)
    assert not SkillRating.objects.exists()


def test_after_submitting_the_self_assessment_the_skills_are_final(review):
    first = _skills(review)[0]
    _rate(review, {first: {"score": 4, "version": 0}})
    review = walk(review, "self_submitted")
    with pytest.raises(PermissionDenied, match="while the review is a draft"):
        _rate(review, {first: {"score": 2, "version": 1}})
    assert _stored(review) == {first: (4, "", [], 1)}
