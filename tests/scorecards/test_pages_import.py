import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scorecards.models import BlueprintVersion, Role

pytestmark = pytest.mark.django_db

DOCUMENT = Path(__file__).resolve().parents[2] / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"


def _upload(client, name: str, content: bytes):
    return client.post("/roles/import/", {"file": SimpleUploadedFile(name, content)})


def test_it_previews_then_imports_one_version(client, hr_user):
    client.force_login(hr_user)
    response = _upload(client, "staff-software-engineer.txt", DOCUMENT.read_bytes())
    assert response.status_code == 302
    preview_url = response["Location"]
    assert re.fullmatch(r"/roles/import/[\w-]+/", preview_url)
    assert BlueprintVersion.objects.count() == 0

    preview = client.get(preview_url).content.decode()
    assert "New role" in preview and "Version 1" in preview
    assert "System design &amp; architecture" in preview and "25 %" in preview
    assert "Scorecard dimensions" in preview and 'name="publish"' in preview

    response = client.post(preview_url, {"publish": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/roles/staff-software-engineer/?version=1"
    version = BlueprintVersion.objects.get()
    assert version.is_published and version.created_by == hr_user
    assert version.source_name == "staff-software-engineer.txt"
    # The pending upload is gone: confirming again cannot import twice.
    assert client.post(preview_url, {"publish": "on"}).status_code == 302
    assert BlueprintVersion.objects.count() == 1


def test_it_imports_a_draft_when_publish_is_not_ticked(client, hr_user):
    client.force_login(hr_user)
    preview_url = _upload(client, "staff-software-engineer.txt", DOCUMENT.read_bytes())["Location"]
    client.post(preview_url, {})
    assert BlueprintVersion.objects.get().status == BlueprintVersion.Status.DRAFT


def test_it_shows_the_line_of_a_malformed_document_and_writes_nothing(client, hr_user):
    client.force_login(hr_user)
    broken = DOCUMENT.read_text().replace(
        "| Communication | Clear writing and speaking; concise, decision-oriented | 10% |",
        "| Communication | Clear writing and speaking; concise, decision-oriented | ten |",
    )
    response = _upload(client, "broken.txt", broken.encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"Line \d+: expected [^<]*found [^<]*ten", page), page
    assert "Nothing was saved" in page
    assert BlueprintVersion.objects.count() == 0 and Role.objects.count() == 0


def test_it_shows_what_a_malformed_json_export_expected(client, hr_user):
    client.force_login(hr_user)
    response = _upload(client, "role.json", b'{"title": "Broken",\n "scorecard": [}')
    page = response.content.decode()
    assert "Line 2: expected valid JSON" in page
    assert BlueprintVersion.objects.count() == 0


def test_it_refuses_files_above_the_size_limit(client, hr_user, settings):
    settings.BLUEPRINT_UPLOAD_MAX_BYTES = 100
    client.force_login(hr_user)
    response = _upload(client, "staff-software-engineer.txt", DOCUMENT.read_bytes())
    assert response.status_code == 200
    assert "The file is larger than 100" in response.content.decode()


def test_it_refuses_other_file_types(client, hr_user):
    client.force_login(hr_user)
    response = _upload(client, "role.pdf", b"%PDF-1.7")
    assert "File extension “pdf” is not allowed" in response.content.decode()


def test_it_imports_a_json_export(client, hr_user, staff_blueprint):
    from scorecards.selectors import blueprint_to_dict, blueprint_version_by_id

    data = blueprint_to_dict(blueprint_version_by_id(staff_blueprint.pk))
    data["mission"] = "A new mission."
    client.force_login(hr_user)
    preview_url = _upload(client, "role.json", json.dumps(data).encode())["Location"]
    preview = client.get(preview_url).content.decode()
    assert "Existing role" in preview and "Version 2" in preview
    client.post(preview_url, {})
    assert BlueprintVersion.objects.get(number=2).mission == "A new mission."


def test_it_keeps_the_upload_on_the_server_between_preview_and_confirm(client, hr_user):
    client.force_login(hr_user)
    preview_url = _upload(client, "staff-software-engineer.txt", DOCUMENT.read_bytes())["Location"]
    # Whatever the browser sends besides the publish choice is ignored.
    client.post(preview_url, {"title": "Evil", "content": "{}", "data": "{}"})
    assert BlueprintVersion.objects.get().title == "Staff Software Engineer"


def test_it_expires_a_preview_replaced_by_a_newer_upload(client, hr_user):
    client.force_login(hr_user)
    first = _upload(client, "staff-software-engineer.txt", DOCUMENT.read_bytes())["Location"]
    _upload(client, "staff-software-engineer.txt", DOCUMENT.read_bytes())
    response = client.post(first, {})
    assert response.status_code == 302 and response["Location"] == "/roles/import/"
    assert BlueprintVersion.objects.count() == 0


def test_it_forbids_import_to_people_outside_hr(client, engineer_user):
    client.force_login(engineer_user)
    assert client.get("/roles/import/").status_code == 403
    assert _upload(client, "staff-software-engineer.txt", DOCUMENT.read_bytes()).status_code == 403
    assert client.post("/roles/import/some-token/", {"publish": "on"}).status_code == 403
    assert BlueprintVersion.objects.count() == 0
