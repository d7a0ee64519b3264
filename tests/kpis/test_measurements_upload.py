"""The measurement CSV upload page: who may use it, the file's format, every problem by its line, all or nothing."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kpis import measurement_files
from kpis.models import KPISeries, Measurement
from tests.kpis.measurement_builders import HEADER, ROLE, ingest_account, org

pytestmark = pytest.mark.django_db
__all__ = ["org"]

URL = "/kpis/measurements/upload/"
TEAM_ROW = f"{ROLE},Change failure rate (DORA),team,platform,,2026-11,8.5,%,ci"
SERVICE_ROW = f"{ROLE},slo-attainment,service,billing-api,platform,2026-Q4,99.95,%,slo-report"
ENGINEER_ROW = f"{ROLE},Lead time to change (DORA),engineer,engineer,,2026-W47,20,hours,ci"


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def upload(client: Client, content: str | bytes, name: str = "kpis.csv", **data: str):
    raw = content.encode() if isinstance(content, str) else content
    return client.post(URL, {"file": SimpleUploadedFile(name, raw, content_type="text/csv"), **data}, follow=True)


def text(response) -> str:
    return response.content.decode()


def test_it_imports_a_file_and_says_what_it_did(org):
    client = as_user("hr")
    response = upload(client, "\n".join([HEADER, TEAM_ROW, SERVICE_ROW, ENGINEER_ROW]) + "\n")
    assert response.redirect_chain == [(URL, 302)]
    page = text(response)
    assert "Imported kpis.csv: 3 created, 0 updated, 0 unchanged." in page
    assert "The trends of the changed KPI series are being recomputed in the background" in page
    assert Measurement.objects.count() == 3

    page = text(upload(client, "\n".join([HEADER, TEAM_ROW, SERVICE_ROW, ENGINEER_ROW.replace(",20,", ",21,")])))
    assert "Imported kpis.csv: 0 created, 1 updated, 2 unchanged." in page

    page = text(upload(client, "\n".join([HEADER, TEAM_ROW, SERVICE_ROW, ENGINEER_ROW.replace(",20,", ",21,")])))
    assert "Nothing to change: every measurement in kpis.csv is already stored as sent" in page


def test_columns_come_in_any_order_with_a_bom_and_crlf_and_team_may_be_left_out(org):
    content = (
        "\ufeffValue,Period,Source,Unit,Subject,Subject_Type,KPI,Role\r\n"
        "8.5,2026-11,ci,%,platform,team,change-failure-rate-dora,staff-software-engineer\r\n"
    )
    response = upload(as_user("hr"), content.encode("utf-8"))
    assert "1 created" in text(response)
    assert KPISeries.objects.get().kpi == "Change failure rate (DORA)"


def test_a_default_source_fills_empty_source_cells(org):
    content = "\n".join([HEADER, TEAM_ROW.removesuffix("ci"), SERVICE_ROW])
    assert "2 created" in text(upload(as_user("hr"), content, default_source="quarterly-survey"))
    assert sorted(Measurement.objects.values_list("source", flat=True)) == ["quarterly-survey", "slo-report"]


def test_every_bad_row_is_reported_by_its_line_even_after_a_multi_line_cell_and_nothing_is_written(org):
    content = "\r\n".join(
        [
            HEADER,
            TEAM_ROW,
            f'{ROLE},"Lead time to change (DORA)",engineer,engineer,,2026-W47,20,hours,"ci\r\nnightly\r\nrun"',
            "",
            f"{ROLE},Change failure rate (DORA),team,platform,,2026-13,8.5,%,ci",
            f"{ROLE},slo-attainment,service,billing-api,,2026-Q4,99.95,%,slo",
            "too,few,cells",
            TEAM_ROW.replace("8.5", "<b>nine</b>"),
            TEAM_ROW.replace("8.5", "9"),
        ]
    )
    response = upload(as_user("hr"), content)
    page = text(response)
    assert response.status_code == 200 and not Measurement.objects.exists()
    assert "5 rows of the file have problems; nothing was imported." in page
    problems = [(problem.order, problem.field, problem.message) for problem in response.context["problems"]]
    assert problems == [
        (7, "period", "No month 13 in '2026-13'."),
        (8, "team", "A service's measurements name the team that owns it (its slug)."),
        (9, "", "This row has 3 cells; the header names 9 columns."),
        (10, "value", "Not a number: '<b>nine</b>'."),
        (11, "period", "Line 2 gives this KPI of this subject for 2026-11 from 'ci' too."),
    ]
    assert "Not a number: &#x27;&lt;b&gt;nine&lt;/b&gt;&#x27;." in page  # escaped like everything else


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The submitted file is empty."),
        ("\n\n", "The file is empty. It needs a header row naming the columns"),
        (HEADER + "\n", "The file has a header but no measurements."),
        (
            HEADER + ",colour\n" + TEAM_ROW + ",red\n",
            "The header row (line 1) is not right: Unknown column &#x27;colour&#x27;.",
        ),
        ("role,kpi,value\n", "Missing columns: subject_type, subject, period, unit, source."),
        (HEADER + ",kpi\n", "Column named twice: kpi."),
        ("r\u00f4le,kpi\n".encode("latin-1"), "The file is not UTF-8 text: byte 0xf4 on line 1 is not UTF-8."),
        (HEADER + '\n"unclosed,' + TEAM_ROW + "\n", "cannot be read as CSV"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(org, content, message):
    response = upload(as_user("hr"), content)
    assert message in text(response)
    assert not Measurement.objects.exists()


def test_a_file_too_large_is_refused(org, monkeypatch):
    monkeypatch.setattr(measurement_files, "MAX_BYTES", 100)
    response = upload(as_user("hr"), "\n".join([HEADER, TEAM_ROW, SERVICE_ROW]))
    assert "The file is larger than" in text(response) and not Measurement.objects.exists()


def test_a_file_with_more_rows_than_the_api_takes_is_one_batch(org, monkeypatch):
    monkeypatch.setattr("kpis.services.MAX_ITEMS", 2)  # the API's cap; the file's is measurement_files.MAX_ROWS
    rows = [TEAM_ROW.replace("2026-11", f"2026-{month:02d}") for month in range(1, 13)]
    assert "12 created" in text(upload(as_user("hr"), "\n".join([HEADER, *rows])))


def test_it_is_for_hr_and_ingest_accounts(org):
    bot = ingest_account()
    client = Client()
    client.force_login(bot)
    assert client.get(URL).status_code == 200
    assert "1 created" in text(upload(client, "\n".join([HEADER, TEAM_ROW])))
    for username in ("engineer", "manager", "director"):
        refused = as_user(username)
        assert refused.get(URL).status_code == 403
        assert upload(refused, "\n".join([HEADER, SERVICE_ROW])).status_code == 403
    assert Measurement.objects.count() == 1
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_needs_a_csrf_token(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="hr"))
    response = client.post(URL, {"file": SimpleUploadedFile("k.csv", f"{HEADER}\n{TEAM_ROW}".encode())})
    assert response.status_code == 403 and not Measurement.objects.exists()


def test_the_page_shows_the_format_and_offers_a_sample(org):
    client = as_user("hr")
    page = text(client.get(URL))
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page
    assert "2026-W47 (an ISO week)" in page and "change-failure-rate-dora" in page
    sample = client.get("/kpis/measurements/sample.csv")
    assert sample.status_code == 200 and sample["Content-Type"] == "text/csv; charset=utf-8"
    assert sample.content.decode().startswith(HEADER + "\r\n")
    assert as_user("engineer").get("/kpis/measurements/sample.csv").status_code == 403


def test_the_sample_imports_as_it_is(org):
    response = upload(as_user("hr"), measurement_files.sample_csv())
    assert "3 created" in text(response)


def test_the_kpi_index_links_to_the_page_for_those_who_may_upload(org):
    assert URL in text(as_user("hr").get("/kpis/"))
    assert URL not in text(as_user("manager").get("/kpis/"))
