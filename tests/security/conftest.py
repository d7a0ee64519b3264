from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture(scope="module")
def hostile_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo organisation (seeded once per module, rolled back afterwards) whose people, team, blueprint,
    ratings, comments and peer feedback carry a script."""
    from pathlib import Path

    from django.contrib.auth.models import User

    from org.models import Employee, Team
    from reviews import feedback
    from reviews.demo import demo_seed
    from reviews.models import Review
    from reviews.services import RatingInput, review_rate
    from scorecards.models import BlueprintVersion, ScorecardDimension
    from scorecards.services import blueprint_import, blueprint_parse_upload
    from tests.conftest import BUNDLED_DOCUMENT

    with django_db_blocker.unblock(), transaction.atomic():
        path = Path(__file__).resolve().parents[2] / BUNDLED_DOCUMENT
        data = blueprint_parse_upload(name=path.name, content=path.read_bytes())
        blueprint_import(actor=None, data=data, source_name=path.name, publish=True)
        demo_seed()
        # Names, team and blueprint text as an HR import or an editor could have written them.
        Employee.objects.filter(user__username="engineer").update(name=f"Eve {PAYLOAD}", title=PAYLOAD)
        Team.objects.filter(slug="platform").update(name=f"Platform {PAYLOAD}")
        BlueprintVersion.objects.update(mission=PAYLOAD, summary=PAYLOAD)
        review = Review.objects.select_related("blueprint_version").get(employee__user__username="engineer")
        dimension = ScorecardDimension.objects.filter(version=review.blueprint_version).order_by("position").first()
        assert dimension is not None
        ScorecardDimension.objects.filter(pk=dimension.pk).update(meets_bar=PAYLOAD)
        review_rate(
            actor=User.objects.get(username="manager"),
            review=review,
            ratings=[RatingInput(dimension=dimension.name, score=3, comment=PAYLOAD)],
            version=None,
        )
        [asked] = feedback.feedback_request(
            actor=User.objects.get(username="manager"),
            review=review,
            peers=[Employee.objects.get(user__username="engineer2")],
            due=feedback.default_due(review.cycle),
        )
        yield {"review": review, "cycle": review.cycle, "feedback_request": asked}
        transaction.set_rollback(True)
