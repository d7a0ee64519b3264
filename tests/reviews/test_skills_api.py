"""GET and PATCH /api/v1/reviews/{id}/skills/: every skill of the pinned blueprint with the engineer's rating;
written by the engineer while the review is a draft; 404 out of scope, 403 in scope but not allowed, 409
stale, 400 bad input."""

import pytest
from django.contrib.auth.models import User

from reviews.models import SkillRating
from reviews.services import review_rate_skills
from tests.reviews.api_support import as_, fresh, move_to, review_of, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(open_cycle):
    return review_of(open_cycle, "engineer")


def _skills(review):
    return list(review.blueprint_version.skills.order_by("position"))


def test_get_lists_every_skill_of_the_blueprint_in_order(review):
    first = _skills(review)[0]
    review_rate_skills(
        actor=User.objects.get(username="engineer"),
        review=review,
        skills={first.pk: {"score": 4, "comment": "ok", "evidence": ["https://example.com/a"], "version": 0}},
    )
    response = as_("engineer").get(url(review, "skills"))
    assert response.status_code == 200
    body = response.json()
    assert [item["skill"] for item in body] == [skill.pk for skill in _skills(review)]
    assert body[0] == {
        "skill": first.pk,
        "name": first.name,
        "group": first.group,
        "importance": first.importance,
        "score": 4,
        "comment": "ok",
        "evidence": ["https://example.com/a"],
        "version": 1,
    }
    assert all(
        (item["score"], item["comment"], item["evidence"], item["version"]) == (None, "", [], 0) for item in body[1:]
    )


def test_patch_writes_the_named_skills_and_answers_the_get_shape(review):
    first, second, *_rest = _skills(review)
    response = as_("engineer").patch(
        url(review, "skills"),
        {
            "skills": [
                {"skill": first.pk, "score": 5, "comment": "Led it.", "evidence": ["https://x.test/1"], "version": 0},
                {"skill": second.pk, "score": 2, "version": 0},
            ]
        },
    )
    assert response.status_code == 200, response.json()
    body = {item["skill"]: item for item in response.json()}
    assert len(body) == len(_skills(review))
    assert (body[first.pk]["score"], body[first.pk]["comment"], body[first.pk]["version"]) == (5, "Led it.", 1)
    assert (body[second.pk]["score"], body[second.pk]["version"]) == (2, 1)
    # A null score clears it; what is left out is kept.
    response = as_("engineer").patch(
        url(review, "skills"), {"skills": [{"skill": first.pk, "score": None, "version": 1}]}
    )
    stored = SkillRating.objects.get(review=review, skill=first)
    assert (stored.score, stored.comment, stored.evidence, stored.version) == (None, "Led it.", ["https://x.test/1"], 2)


def test_a_stale_version_answers_409_with_the_stored_values_and_writes_nothing(review):
    first, second, *_rest = _skills(review)
    as_("engineer").patch(url(review, "skills"), {"skills": [{"skill": first.pk, "score": 4, "version": 0}]})
    version = fresh(review).version
    response = as_("engineer").patch(
        url(review, "skills"),
        {
            "skills": [
                {"skill": second.pk, "score": 3, "version": 0},
                {"skill": first.pk, "score": 1, "comment": "other tab", "version": 0},
            ]
        },
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A skill was changed since you read it: nothing was saved.",
        "version": version,
        "skills": {str(first.pk): {"score": 4, "comment": "", "evidence": [], "version": 1}},
    }
    assert list(SkillRating.objects.filter(review=review).values_list("skill_id", "score")) == [(first.pk, 4)]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"score": 6, "version": 0}, "A score is a whole number from 1 to 5."),
        ({"score": "4", "version": 0}, "A score is a whole number from 1 to 5."),
        ({"score": True, "version": 0}, "A score is a whole number from 1 to 5."),
        ({"score": 4}, "version"),
        ({"evidence": ["not a link"], "version": 0}, "evidence"),
        ({"evidence": ["ftp://example.com/f"], "version": 0}, "http://"),
        ({"comment": "x" * 5001, "version": 0}, "comment"),
    ],
)
def test_bad_input_answers_400_and_writes_nothing(review, item, message):
    first = _skills(review)[0]
    version = fresh(review).version
    response = as_("engineer").patch(url(review, "skills"), {"skills": [{"skill": first.pk, **item}]})
    assert response.status_code == 400
    assert message in str(response.json()["skills"])
    assert not SkillRating.objects.exists()
    assert fresh(review).version == version


@pytest.mark.parametrize(
    "body",
    [{}, {"skills": "all"}, {"skills": [{"skill": 999_999, "score": 3, "version": 0}]}],
)
def test_a_bad_body_or_unknown_skill_answers_400(review, body):
    response = as_("engineer").patch(url(review, "skills"), body)
    assert response.status_code == 400 and "skills" in response.json()


def test_a_skill_named_twice_answers_400(review):
    first = _skills(review)[0]
    item = {"skill": first.pk, "score": 3, "version": 0}
    response = as_("engineer").patch(url(review, "skills"), {"skills": [item, item]})
    assert response.status_code == 400
    assert response.json()["skills"] == [f"Skill {first.pk}: named more than once."]


@pytest.mark.parametrize("persona", ["manager", "director"])
def test_the_chain_gets_403_while_the_self_assessment_is_a_draft(review, persona):
    response = as_(persona).get(url(review, "skills"))
    assert response.status_code == 403 and "once they submit it" in response.json()["detail"]


@pytest.mark.parametrize("persona", ["manager", "director", "hr"])
def test_the_chain_and_hr_read_once_submitted_but_may_not_write(review, persona):
    review = move_to(review, "self_submitted")
    assert as_(persona).get(url(review, "skills")).status_code == 200
    first = _skills(review)[0]
    response = as_(persona).patch(url(review, "skills"), {"skills": [{"skill": first.pk, "score": 3, "version": 0}]})
    assert response.status_code == 403
    assert not SkillRating.objects.exists()


def test_the_engineer_may_not_write_once_submitted(review):
    review = move_to(review, "self_submitted")
    first = _skills(review)[0]
    response = as_("engineer").patch(url(review, "skills"), {"skills": [{"skill": first.pk, "score": 3, "version": 0}]})
    assert response.status_code == 403 and "while the review is a draft" in response.json()["detail"]


@pytest.mark.parametrize("persona", ["engineer2", "manager2"])
def test_out_of_scope_is_404(review, persona):
    assert as_(persona).get(url(review, "skills")).status_code == 404
    first = _skills(review)[0]
    response = as_(persona).patch(url(review, "skills"), {"skills": [{"skill": first.pk, "score": 3, "version": 0}]})
    assert response.status_code == 404


def test_anonymous_is_401(review):
    assert as_(None).get(url(review, "skills")).status_code == 401


def test_the_schema_describes_the_skills_endpoint(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = schema["paths"]["/api/v1/reviews/{review_id}/skills/"]
    assert set(operations["get"]["responses"]) == {"200", "401", "403", "404"}
    assert set(operations["patch"]["responses"]) == {"200", "400", "401", "403", "404", "409"}
    assert "requestBody" in operations["patch"]
    assert set(schema["components"]["schemas"]["SkillRating"]["properties"]) == {
        "skill",
        "name",
        "group",
        "importance",
        "score",
        "comment",
        "evidence",
        "version",
    }
