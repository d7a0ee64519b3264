import pytest
from django.urls import reverse

from audit.models import AuditEntry
from hiring.models import Decision
from jobs.models import Job
from tests.hiring.conftest import client_for
from tests.hiring.support import submit

pytestmark = pytest.mark.django_db


def test_it_shows_score_coverage_disagreement_and_red_flags_first(hiring, django_assert_max_num_queries):
    submit(hiring["engineer_interview"], {"System design & architecture": "yes", "Communication": "no_decision"})
    submit(
        hiring["manager2_interview"],
        {"Hands-on coding & debugging": "no", "System design & architecture": "no"},
        red_flag=True,
    )
    client = client_for("manager")
    with django_assert_max_num_queries(25):
        page = client.get(reverse("hiring:debrief", args=[hiring["candidate"].pk])).content.decode()
    # System design mean (3 + 2) / 2 = 2.5, weight 25; coding 2, weight 20: (62.5 + 40) / 45 = 2.277...
    assert "2.28 of 4" in page
    assert "Renormalised over 2 of 7 dimensions (45 of 100 weight)." in page
    assert "Nobody assessed: Operational excellence, Technical leadership, Communication" in page
    assert "Ratings split on: System design &amp; architecture." in page
    assert page.index("Red flags") < page.index("Weighted score")
    assert "Blamed the on-call team" in page


def test_it_records_a_decision_with_its_reason(hiring):
    url = reverse("hiring:debrief", args=[hiring["candidate"].pk])
    client = client_for("manager")
    assert client.post(url, {"outcome": "hire"}).status_code == 400
    response = client.post(url, {"outcome": "more_signal", "reason": "Nobody probed operations."})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.outcome, decision.reason) == ("more_signal", "Nobody probed operations.")
    assert AuditEntry.objects.filter(action="hiring.decision", reason="Nobody probed operations.").exists()
    client.post(url, {"outcome": "hire", "reason": "Operations interview went well."})
    assert Decision.objects.count() == 2


def test_the_debrief_is_the_hiring_managers(hiring):
    url = reverse("hiring:debrief", args=[hiring["candidate"].pk])
    assert client_for("engineer").get(url).status_code == 403
    assert client_for("hr").get(url).status_code == 200


def test_it_starts_the_debrief_pdf_job(hiring):
    response = client_for("manager").post(reverse("hiring:debrief_pdf", args=[hiring["candidate"].pk]))
    job = Job.objects.get(kind=Job.Kind.HIRING_DEBRIEF_PDF)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.params == {"candidate": hiring["candidate"].pk}


def test_the_list_pages_keep_their_query_counts(hiring, django_assert_max_num_queries):
    client = client_for("manager")
    for url in (
        reverse("hiring:index"),
        reverse("hiring:opening", args=[hiring["opening"].pk]),
        reverse("hiring:candidate", args=[hiring["candidate"].pk]),
        reverse("hiring:calibration"),
    ):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
