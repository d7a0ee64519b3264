"""The detailed self-assessment by skill, /reviews/<id>/skills/: the engineer rates the skills of their
blueprint in one plain form while the review is a draft; whoever reads the self-assessment reads them."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from reviews.models import SkillRating
from reviews.services import review_rate_skills
from tests.reviews.page_helpers import engineer_review, user, walk
from tests.reviews.skills_support import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(open_cycle):
    return engineer_review(open_cycle)


def _url(review):
    return reverse("reviews:skills", args=[review.pk])


def _skills(review):
    return list(review.blueprint_version.skills.order_by("position"))


def _page(client, review, username="engineer"):
    client.force_login(user(username))
    response = client.get(_url(review))
    assert response.status_code == 200
    return response.content.decode()


def _rate(review, skills):
    review_rate_skills(actor=User.objects.get(username="engineer"), review=review, skills=skills)


def test_it_shows_every_skill_by_group_with_its_importance_and_labelled_fields(client, review):
    html = _page(client, review)
    skills = _skills(review)
    assert "0 of 35</strong> skills rated" in html
    assert "Must-have technical</a>: <strong>0 of 10</strong> rated" in html
    assert html.index('id="group-technical_must_have"') < html.index('id="group-soft"')
    first = skills[0]
    assert f'<label for="s-{first.pk}-score">' in html and f'id="s-{first.pk}-score"' in html
    assert f'<label for="s-{first.pk}-comment">' in html and f'<label for="s-{first.pk}-evidence">' in html
    assert '<option value="" selected>Not rated</option>' in html
    assert "3 · Meets the bar" in html
    assert '<span class="badge badge--critical">Critical</span>' in html
    assert "<summary>What this skill means" in html
    assert html.count('class="skill-rating"') == len(skills)


def test_the_engineer_saves_the_changed_skills_with_a_plain_form_post(client, review):
    first, second, third, *_rest = _skills(review)
    _rate(review, {third.pk: {"score": 2, "comment": "left alone", "version": 0}})
    data = form_data(_page(client, review))
    data[f"s-{first.pk}-score"] = "4"
    data[f"s-{first.pk}-comment"] = "Designed the ledger.\r\nTwice.  "
    data[f"s-{second.pk}-evidence"] = "https://example.com/pr/1\r\n\r\nhttps://example.com/pr/2\r\n"
    response = client.post(_url(review), data, follow=True)
    assert response.redirect_chain == [(_url(review), 302)]
    html = response.content.decode()
    assert "Saved 2 skills." in html
    assert "2 of 35</strong> skills rated" in html
    stored = {row.skill_id: row for row in SkillRating.objects.filter(review=review)}
    assert (stored[first.pk].score, stored[first.pk].comment, stored[first.pk].version) == (
        4,
        "Designed the ledger.\nTwice.",
        1,
    )
    assert (stored[second.pk].score, stored[second.pk].evidence) == (
        None,
        [
            "https://example.com/pr/1",
            "https://example.com/pr/2",
        ],
    )
    assert stored[third.pk].version == 1  # posted unchanged: not written again
    assert set(stored) == {first.pk, second.pk, third.pk}


def test_posting_the_page_unchanged_saves_nothing(client, review):
    data = form_data(_page(client, review))
    response = client.post(_url(review), data, follow=True)
    assert "Nothing to save: no changes." in response.content.decode()
    assert not SkillRating.objects.exists()


def test_bad_input_answers_400_with_the_field_marked_and_saves_nothing(client, review):
    first, second, *_rest = _skills(review)
    data = form_data(_page(client, review))
    data[f"s-{first.pk}-score"] = "4"
    data[f"s-{second.pk}-comment"] = "kept after the error"
    data[f"s-{second.pk}-evidence"] = "https://example.com/ok\nnot a link"
    response = client.post(_url(review), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved: correct the 1 skill marked below." in html
    assert f'<ul class="errorlist" id="s-{second.pk}-errors"><li>Not saved: Evidence is one web address' in html
    assert "not one: not a link" in html
    assert ">kept after the error</textarea>" in html
    assert not SkillRating.objects.exists()


def test_a_score_outside_the_scale_answers_400(client, review):
    first = _skills(review)[0]
    data = form_data(_page(client, review))
    data[f"s-{first.pk}-score"] = "9"
    assert client.post(_url(review), data).status_code == 400
    assert not SkillRating.objects.exists()


def test_a_conflict_answers_409_keeps_what_was_typed_and_shows_the_stored_value(client, review):
    first, second, *_rest = _skills(review)
    data = form_data(_page(client, review))
    _rate(review, {first.pk: {"score": 5, "comment": "from the other tab", "version": 0}})
    data[f"s-{first.pk}-score"] = "2"
    data[f"s-{first.pk}-comment"] = "my words, kept"
    data[f"s-{second.pk}-score"] = "3"
    response = client.post(_url(review), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Nothing was saved: 1 skill was changed elsewhere" in html
    assert ">my words, kept</textarea>" in html
    assert "from the other tab" in html and "5 · Far exceeds" in html
    assert '<option value="2" selected>' in html
    assert list(SkillRating.objects.values_list("skill_id", "score", "comment")) == [
        (first.pk, 5, "from the other tab")
    ]
    # Saving the re-rendered form again keeps what this person typed.
    again = form_data(html)
    assert client.post(_url(review), again).status_code == 302
    stored = {row.skill_id: (row.score, row.comment) for row in SkillRating.objects.all()}
    assert stored == {first.pk: (2, "my words, kept"), second.pk: (3, "")}


def test_use_the_stored_value_drops_the_typed_one_and_saves_the_rest(client, review):
    first, second, *_rest = _skills(review)
    data = form_data(_page(client, review))
    _rate(review, {first.pk: {"score": 5, "comment": "theirs", "version": 0}})
    data[f"s-{first.pk}-comment"] = "mine"
    data[f"s-{second.pk}-score"] = "3"
    html = client.post(_url(review), data).content.decode()
    again = form_data(html) | {"resolve": f"s-{first.pk}:theirs"}
    assert client.post(_url(review), again).status_code == 302
    stored = {row.skill_id: (row.score, row.comment) for row in SkillRating.objects.all()}
    assert stored == {first.pk: (5, "theirs"), second.pk: (3, "")}


def test_the_manager_gets_403_with_a_reason_while_the_self_assessment_is_a_draft(client, review):
    client.force_login(user("manager"))
    response = client.get(_url(review))
    assert response.status_code == 403
    assert "self-assessment, skills included, is shown once they submit it" in response.content.decode()
    assert 'id="skills-form"' not in response.content.decode()


@pytest.mark.parametrize("username", ["manager", "director", "hr"])
def test_readers_read_the_skills_once_submitted_but_may_not_post(client, review, username):
    first = _skills(review)[0]
    _rate(
        review, {first.pk: {"score": 4, "comment": "Owned the design.", "evidence": ["https://x.test/a"], "version": 0}}
    )
    review = walk(review, "self_submitted")
    html = _page(client, review, username)
    assert "1 of 35</strong> skills rated" in html
    assert "4 · Exceeds" in html and "Owned the design." in html and 'href="https://x.test/a"' in html
    assert 'id="skills-form"' not in html and "<select" not in html
    assert client.post(_url(review), {f"s-{first.pk}-version": "1", f"s-{first.pk}-score": "1"}).status_code == 403
    assert SkillRating.objects.get().score == 4


def test_the_engineer_reads_but_may_not_post_after_submitting(client, review):
    review = walk(review, "self_submitted")
    html = _page(client, review)
    assert "Your self-assessment is submitted" in html and 'id="skills-form"' not in html
    first = _skills(review)[0]
    response = client.post(_url(review), {f"s-{first.pk}-version": "0", f"s-{first.pk}-score": "3"})
    assert response.status_code == 403 and "can no longer be changed" in response.content.decode()
    assert not SkillRating.objects.exists()


@pytest.mark.parametrize("username", ["engineer2", "manager2"])
def test_out_of_scope_is_404(client, review, username):
    client.force_login(user(username))
    assert client.get(_url(review)).status_code == 404
    assert client.post(_url(review), {}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, review):
    response = client.get(_url(review))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_review_page_links_to_it_with_the_count_for_those_who_read_the_self_side(client, review):
    first = _skills(review)[0]
    _rate(review, {first.pk: {"score": 3, "version": 0}})
    client.force_login(user("engineer"))
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Detailed self-assessment by skill</strong>" in html
    assert "1 of 35 skills rated" in html and f'href="{_url(review)}"' in html
    client.force_login(user("manager"))
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert f'href="{_url(review)}"' not in html
    walk(review, "self_submitted")
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "1 of 35 skills rated" in html and f'href="{_url(review)}"' in html
