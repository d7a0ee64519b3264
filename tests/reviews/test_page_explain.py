"""\"Explain this score\": each dimension's weight times score and contribution, summed to the weighted score."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from reviews.views import score_summary
from tests.reviews.page_helpers import engineer_review, rate, user

pytestmark = pytest.mark.django_db

SCORES = {
    "System design & architecture": 4,
    "Hands-on coding & debugging": 3,
    "Operational excellence": 5,
    "Technical leadership": 2,
    "Communication": 3,
    "Security & quality mindset": 4,
    "Collaboration & mentorship": 1,
}


def test_it_explains_the_weighted_score_line_by_line(client, open_cycle):
    review = engineer_review(open_cycle)
    rate(user("engineer"), review, SCORES)
    client.force_login(user("engineer"))
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    explain = html.split('id="score-self-explain"')[1].split("</table>")[0]
    # 25*4 + 20*3 + 15*5 + 15*2 + 10*3 + 10*4 + 5*1 = 340 over a total weight of 100.
    rows = [
        ("System design &amp; architecture", "25", "100", "1.00"),
        ("Hands-on coding &amp; debugging", "20", "60", "0.60"),
        ("Operational excellence", "15", "75", "0.75"),
        ("Technical leadership", "15", "30", "0.30"),
        ("Communication", "10", "30", "0.30"),
        ("Security &amp; quality mindset", "10", "40", "0.40"),
        ("Collaboration &amp; mentorship", "5", "5", "0.05"),
    ]
    for name, weight, product, contribution in rows:
        row = explain.split(f'<th scope="row">{name}</th>')[1].split("</tr>")[0]
        cells = [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]]
        assert cells[0] == weight and cells[2] == product and cells[3] == contribution, (name, cells)
    assert sum(Decimal(c) for *_r, c in rows) == Decimal("3.40")
    assert "<strong data-weighted-score>3.40</strong>" in explain
    assert "= 340 ÷ 100 = <strong>3.40</strong>" in html
    assert '<p class="score-card__value"><span class="visually-hidden">Weighted score </span>3.40</p>' in html


def test_it_says_what_is_missing_instead_of_a_number(client, open_cycle):
    review = engineer_review(open_cycle)
    rate(user("engineer"), review, {"Communication": 3})
    client.force_login(user("engineer"))
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "No score yet" in html and "6 of 7 dimensions not rated" in html
    assert "Not rated yet: System design &amp; architecture, Hands-on coding &amp; debugging" in html
    assert "<strong data-weighted-score>—</strong>" in html


def test_it_shows_four_places_when_two_would_not_add_up():
    dimensions = [SimpleNamespace(pk=i, name=f"D{i}", weight=Decimal(1), position=i) for i in range(3)]
    ratings = {
        (0, "self"): SimpleNamespace(score=1),
        (1, "self"): SimpleNamespace(score=1),
        (2, "self"): SimpleNamespace(score=2),
    }
    summary = score_summary(side="self", dimensions=dimensions, ratings=ratings)  # type: ignore[arg-type]
    # 1/3 + 1/3 + 2/3 = 1.33; to two places the contributions would add up to 0.33 + 0.33 + 0.67 = 1.33 …
    assert summary.weighted == "1.33" and summary.places == 2
    uneven = {
        (0, "self"): SimpleNamespace(score=2),
        (1, "self"): SimpleNamespace(score=2),
        (2, "self"): SimpleNamespace(score=2),
    }
    # … but 3 * 0.67 = 2.01, not 2.00: four places then.
    assert score_summary(side="self", dimensions=dimensions, ratings=uneven).places == 4  # type: ignore[arg-type]
    assert [line.contribution for line in score_summary(side="self", dimensions=dimensions, ratings=uneven).lines] == [  # type: ignore[arg-type]
        "0.6667",
        "0.6667",
        "0.6667",
    ]
