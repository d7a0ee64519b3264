"""Each dimension shows the blueprint's skills and responsibilities that share its significant words."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from reviews.selectors import related_parts, review_blueprint_parts, significant_words


def _dimension(pk, name, meets_bar=""):
    return SimpleNamespace(pk=pk, name=name, meets_bar=meets_bar, weight=Decimal(10))


def _skill(name, description=""):
    return SimpleNamespace(name=name, description=description)


def _responsibility(text):
    return SimpleNamespace(text=text)


def test_it_reduces_words_to_stems_and_drops_filler():
    assert significant_words("Designs, designing and the design") == {"desig"}
    assert significant_words("Leadership: leads and leading") == {"lead"}
    assert significant_words("Mentorship and mentoring a mentor") == {"mento"}
    assert significant_words("Secure-by-design; security") == {"secur", "desig"}
    assert significant_words("a to of it with") == set()


def test_it_ranks_parts_by_shared_words_name_words_first():
    dimension = _dimension(1, "Operational excellence", "SLO mindset, observability, incident leadership")
    skills = [
        _skill("Kubernetes"),
        _skill("Observability", "Metrics, logs, traces; SLO and alert design"),
        _skill("Operational excellence engineering", "Designing for failure; SLO-based prioritization"),
        _skill("Incident command", "Leads incidents calmly"),
    ]
    responsibilities = [
        _responsibility("Write quarterly plans"),
        _responsibility("Lead incident response and postmortems"),
    ]
    related = related_parts(dimensions=[dimension], skills=skills, responsibilities=responsibilities)[1]
    assert [s.name for s in related.skills] == [
        "Operational excellence engineering",
        "Observability",
        "Incident command",
    ]
    assert [r.text for r in related.responsibilities] == ["Lead incident response and postmortems"]


def test_it_needs_a_name_word_or_two_words_of_the_bar():
    dimension = _dimension(1, "Communication", "Clear writing and speaking; concise, decision-oriented")
    skills = [_skill("Decision facilitation"), _skill("Concise decision records"), _skill("Written communication")]
    related = related_parts(dimensions=[dimension], skills=skills, responsibilities=[])[1]
    assert [s.name for s in related.skills] == ["Written communication", "Concise decision records"]


def test_it_keeps_blueprint_order_between_equals_and_shows_at_most_the_limit():
    dimension = _dimension(1, "Testing")
    skills = [_skill(f"Testing {n}") for n in range(6)]
    related = related_parts(dimensions=[dimension], skills=skills, responsibilities=[], limit=3)[1]
    assert [s.name for s in related.skills] == ["Testing 0", "Testing 1", "Testing 2"]
    again = related_parts(dimensions=[dimension], skills=list(skills), responsibilities=[], limit=3)[1]
    assert again == related


@pytest.mark.django_db
def test_it_relates_the_staff_blueprints_dimensions_sensibly(staff_blueprint, django_assert_num_queries):
    with django_assert_num_queries(3):
        parts = review_blueprint_parts(version_id=staff_blueprint.pk)
    by_name = {d.name: parts.related[d.pk] for d in parts.dimensions}
    assert len(by_name) == 7
    assert by_name["System design & architecture"].skills[0].name == "System design and architecture"
    assert by_name["Operational excellence"].skills[0].name == "Operational excellence engineering"
    assert by_name["Communication"].skills[0].name == "Clear written communication"
    assert "Mentorship and coaching" in [s.name for s in by_name["Collaboration & mentorship"].skills]
    assert by_name["Collaboration & mentorship"].responsibilities[0].text.startswith("Mentor and coach engineers")
    assert by_name["Security & quality mindset"].skills[0].name == "Testing strategy and quality engineering"
    assert "Security fundamentals" in [s.name for s in by_name["Security & quality mindset"].skills]
    assert all(len(r.skills) <= 3 and len(r.responsibilities) <= 3 for r in by_name.values())
