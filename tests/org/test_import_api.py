import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from audit.models import AuditEntry
from org.importer import COLUMNS
from org.models import Employee

pytestmark = pytest.mark.django_db

URL = "/api/v1/org/import/"


@pytest.fixture
def org_api(client, org_small):
    token = Token.objects.create(user=org_small["hr"].user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_it_imports_a_multipart_file(org_api, org_csv, org_current_rows, org_row, mailoutbox):
    rows = [*org_current_rows(), org_row("newdev", manager="manager")]
    response = org_api.post(URL + "?invite=0", {"file": SimpleUploadedFile("org.csv", org_csv(rows))})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "dry_run": False,
        "created": 1,
        "updated": 0,
        "deactivated": 0,
        "reactivated": 0,
        "unchanged": 7,
        "teams_created": 0,
        "warnings": [],
    }
    assert Employee.objects.filter(user__username="newdev").exists() and mailoutbox == []


def test_it_imports_a_text_csv_body(org_api, org_csv, org_current_rows, django_capture_on_commit_callbacks, mailoutbox):
    rows = [row for row in org_current_rows() if row["username"] != "engineer2"]
    with django_capture_on_commit_callbacks(execute=True):
        response = org_api.post(URL, org_csv(rows), content_type="text/csv; charset=utf-8")
    assert response.status_code == 200, response.content
    assert response.json()["deactivated"] == 1
    assert not Employee.objects.get(user__username="engineer2").active
    assert AuditEntry.objects.get(action="org.import").target_repr == "request body"


def test_it_only_checks_on_a_dry_run(org_api, org_csv, org_row):
    body = org_csv(
        [org_row("hr"), org_row("newdev", manager="hr", team="ops", phone="1")],
        columns=[*COLUMNS, "phone"],
    )
    response = org_api.post(URL + "?dry_run=1&deactivate_missing=0", body, content_type="text/csv")
    assert response.status_code == 200
    assert response.json() == {
        "dry_run": True,
        "created": 1,
        "updated": 1,
        "deactivated": 0,
        "reactivated": 0,
        "unchanged": 0,
        "teams_created": 1,
        "warnings": ["Ignored column not used by the import: phone."],
    }
    assert not Employee.objects.filter(user__username="newdev").exists()
    assert not AuditEntry.objects.exists()


def test_it_answers_400_with_every_problem_and_writes_nothing(org_api, org_csv, org_row):
    body = org_csv([org_row("dev", manager="mia"), org_row("zoe", start_date="2024-02-30")])
    response = org_api.post(URL, body, content_type="text/csv")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The file has 3 problems; nothing was imported.",
        "errors": [
            {
                "row": None,
                "column": "username",
                "value": "hr",
                "reason": "you are not in the file, so the import would deactivate your own account: "
                "add yourself, or keep people missing from the file",
            },
            {
                "row": 2,
                "column": "manager",
                "value": "mia",
                "reason": "unknown manager 'mia': not in the file and not an employee",
            },
            {"row": 3, "column": "start_date", "value": "2024-02-30", "reason": "not a real date"},
        ],
    }
    assert not Employee.objects.filter(user__username="dev").exists()


def test_it_answers_400_for_a_file_that_is_not_utf8(org_api):
    response = org_api.post(URL, "username,email\né".encode("latin-1"), content_type="text/csv")
    assert response.status_code == 400
    assert response.json()["errors"][0]["reason"].startswith("the file is not UTF-8 text")


@pytest.mark.parametrize(
    ("request_args", "expected"),
    [
        (
            {"data": {}},
            {"detail": "Send the CSV as the multipart field `file`, or as a body with Content-Type text/csv."},
        ),
        ({"data": b"\n", "content_type": "text/csv"}, None),
        (
            {"path": URL + "?dry_run=maybe", "data": b"x", "content_type": "text/csv"},
            {"detail": "Nothing was imported: dry_run is 1 or 0.", "dry_run": ["Expected 1 or 0."]},
        ),
    ],
)
def test_it_answers_400_for_a_request_without_a_usable_file(org_api, request_args, expected):
    response = org_api.post(request_args.pop("path", URL), **request_args)
    assert response.status_code == 400
    if expected:
        assert response.json() == expected
    else:
        assert response.json().get("errors") == [
            {"row": None, "column": None, "value": "", "reason": "the file is empty"}
        ], response.json()


def test_it_refuses_people_outside_hr(client, engineer_user, org_csv, org_row):
    client.force_login(engineer_user)
    response = client.post(URL, org_csv([org_row("dev")]), content_type="text/csv")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only HR can import the organisation."}
    assert not Employee.objects.exists()


def test_it_answers_401_to_anonymous_callers(client, org_csv, org_row):
    response = client.post(URL, org_csv([org_row("dev")]), content_type="text/csv")
    assert response.status_code == 401 and "detail" in response.json()


def test_it_is_described_in_the_schema(client, engineer_user):
    client.force_login(engineer_user)
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/org/import/"]["post"]
    assert set(operation["requestBody"]["content"]) == {"multipart/form-data", "text/csv"}
    assert {p["name"] for p in operation["parameters"]} == {"dry_run", "deactivate_missing", "invite"}
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
