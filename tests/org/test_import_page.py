import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from org.models import Employee

pytestmark = pytest.mark.django_db


def _upload(client, content: bytes, name: str = "org.csv", **options):
    return client.post("/org/import/", {"file": SimpleUploadedFile(name, content, "text/csv"), **options})


def _fingerprint(page: str) -> str:
    match = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', page)
    assert match, page
    return match.group(1)


def test_it_uploads_previews_and_imports_on_confirm(
    client, org_small, org_csv, org_current_rows, org_row, mailoutbox, django_capture_on_commit_callbacks
):
    rows = [row for row in org_current_rows() if row["username"] != "engineer2"]
    rows[0]["title"] = "VP Engineering"
    rows.append(org_row("newdev", manager="manager", team="growth"))
    client.force_login(org_small["hr"].user)

    response = _upload(client, org_csv(rows), send_invites="on")
    assert response.status_code == 302
    preview_url = response["Location"]
    assert re.fullmatch(r"/org/import/[\w-]+/", preview_url)

    page = client.get(preview_url).content.decode()
    assert "<strong>1</strong> new" in page and "<strong>1</strong> changed" in page
    assert "<strong>1</strong> deactivated" in page and "<strong>5</strong> unchanged" in page
    assert "newdev" in page and "<code>growth</code>" in page
    assert '<span class="diff-old">Director of Engineering</span>' in page
    assert '<span class="diff-new">VP Engineering</span>' in page
    assert "Engineer2" in page and "Confirm import" in page
    assert Employee.objects.count() == 7  # nothing written yet

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            preview_url, {"fingerprint": _fingerprint(page), "send_invites": "on", "action": "confirm"}
        )
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert Employee.objects.get(user__username="director").title == "VP Engineering"
    assert not Employee.objects.get(user__username="engineer2").active
    assert [m.to for m in mailoutbox] == [["newdev@example.test"]]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Imported org.csv: 1 created, 1 changed, 0 reactivated, 1 deactivated, 5 unchanged, 1 new team. "
        "1 invitation is being emailed."
    ]
    # The upload is used up: confirming again imports nothing twice.
    assert client.post(preview_url, {"fingerprint": _fingerprint(page)})["Location"] == "/org/import/"
    assert AuditEntry.objects.filter(action="org.import").count() == 1


def test_it_lists_every_problem_and_offers_no_confirm_button(client, hr_user, org_csv, org_row):
    client.force_login(hr_user)
    rows = [org_row("dev", manager="mia"), org_row("zoe", start_date="2024-02-30", role="wizard")]
    page = client.get(_upload(client, org_csv(rows))["Location"]).content.decode()
    assert "The file has 3 problems." in page
    assert "unknown manager &#x27;mia&#x27;: not in the file and not an employee" in page
    assert "not a real date" in page and "unknown role slug &#x27;wizard&#x27;" in page
    assert page.count("<tr>") == 4  # header and three problems
    assert "Confirm import" not in page and 'name="fingerprint"' not in page


def test_it_shows_the_new_plan_instead_of_importing_when_the_organisation_changed(
    client, org_small, org_csv, org_current_rows
):
    rows = org_current_rows()
    rows[0]["title"] = "VP Engineering"
    client.force_login(org_small["hr"].user)
    preview_url = _upload(client, org_csv(rows))["Location"]
    fingerprint = _fingerprint(client.get(preview_url).content.decode())

    Employee.objects.filter(user__username="engineer").update(title="Principal Engineer")  # someone else's edit
    response = client.post(preview_url, {"fingerprint": fingerprint, "action": "confirm"}, follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(preview_url, 302)]
    assert "The organisation changed since this preview was made. Nothing was imported" in page
    assert "Principal Engineer" in page and _fingerprint(page) != fingerprint
    assert Employee.objects.get(user__username="director").title == "Director of Engineering"


def test_it_previews_again_when_the_options_change_what_happens(client, org_small, org_csv, org_current_rows):
    rows = [row for row in org_current_rows() if row["username"] != "engineer2"]
    client.force_login(org_small["hr"].user)
    preview_url = _upload(client, org_csv(rows))["Location"]
    fingerprint = _fingerprint(client.get(preview_url).content.decode())

    response = client.post(preview_url, {"fingerprint": fingerprint, "keep_missing": "on"}, follow=True)
    page = response.content.decode()
    assert "With the options you chose, the import does something else" in page
    assert "<strong>0</strong> deactivated" in page and "Kept as they are" in page
    assert Employee.objects.get(user__username="engineer2").active

    response = client.post(preview_url, {"fingerprint": _fingerprint(page), "keep_missing": "on"})
    assert response["Location"] == "/people/"
    assert Employee.objects.get(user__username="engineer2").active


def test_it_refuses_people_outside_hr(client, engineer_user, org_csv, org_row):
    client.force_login(engineer_user)
    assert client.get("/org/import/").status_code == 403
    assert _upload(client, org_csv([org_row("dev")])).status_code == 403
    assert client.get("/org/import/some-token/").status_code == 403


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/org/import/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_refuses_a_file_over_the_size_limit_on_upload(client, hr_user, org_csv, org_row, monkeypatch):
    from org import importer

    monkeypatch.setattr(importer, "MAX_BYTES", 64)
    client.force_login(hr_user)
    response = _upload(client, org_csv([org_row("dev")]))
    assert response.status_code == 200 and "The file is larger than 64 bytes." in response.content.decode()


def test_it_shows_the_preview_in_a_fixed_number_of_queries(
    client, org_small, org_csv, org_current_rows, org_row, django_assert_max_num_queries
):
    client.force_login(org_small["hr"].user)
    small = _upload(client, org_csv(org_current_rows()))["Location"]
    with django_assert_max_num_queries(10):
        assert client.get(small).status_code == 200
    rows = [*org_current_rows(), *(org_row(f"d{n}", manager="manager") for n in range(40))]
    big = _upload(client, org_csv(rows))["Location"]
    with django_assert_max_num_queries(10):
        assert client.get(big).status_code == 200


def test_it_updates_the_preview_for_new_options_without_importing(client, org_small, org_csv, org_current_rows):
    rows = [row for row in org_current_rows() if row["username"] != "engineer2"]
    client.force_login(org_small["hr"].user)
    preview_url = _upload(client, org_csv(rows), send_invites="on")["Location"]
    page = client.get(preview_url).content.decode()
    assert "<strong>1</strong> deactivated" in page

    response = client.post(
        preview_url, {"fingerprint": _fingerprint(page), "keep_missing": "on", "action": "refresh"}, follow=True
    )
    page = response.content.decode()
    assert "<strong>0</strong> deactivated" in page and "Kept as they are" in page
    assert re.search(r'<input type="checkbox" name="keep_missing"[^>]* checked>', page)
    assert re.search(r'<input type="checkbox" name="send_invites"[^>]*id="id_send_invites">', page)
    assert not AuditEntry.objects.exists()
