"""Routes that serve a file never serve one outside its folder: job downloads (page and API), the PDF
renderer's static-only fetcher, static files, and the import previews whose URL carries a token."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from jobs.models import Job
from jobs.services import job_attach_result
from staffrole import pdf

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SECRET_MARK = "SECRET_KEY"  # in staffrole/settings/*.py, which no route may serve
TRAVERSALS = [
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/staffrole/settings/base.py",
    "..%5c..%5cstaffrole%5csettings%5cbase.py",
    "%252e%252e%252fetc%252fpasswd",
    "/etc/passwd",
    "%2Fetc%2Fpasswd",
    "....//....//etc/passwd",
    "..;/..;/etc/passwd",
    "%00../../etc/passwd",
]


@pytest.fixture
def job_owner(db: None, settings: Any, tmp_path: Path) -> tuple[Client, Job]:
    settings.MEDIA_ROOT = tmp_path / "media"
    owner = User.objects.create_user("owner", password="demo")
    job = Job.objects.create(kind=Job.Kind.ROLE_PDF, requester=owner, state=Job.State.SUCCEEDED, progress=100)
    job_attach_result(job=job, name="../../role.pdf", content=b"%PDF-1.7 tiny")
    client = Client()
    client.force_login(owner)
    return client, job


def _no_file_leaked(response: Any) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"root:" not in body and SECRET_MARK.encode() not in body, body[:200]


@pytest.mark.parametrize("prefix", ["/jobs/", "/api/v1/jobs/"])
@pytest.mark.parametrize("traversal", TRAVERSALS)
def test_a_job_download_url_with_a_path_in_it_is_not_found(
    job_owner: tuple[Client, Job], prefix: str, traversal: str
) -> None:
    client, _job = job_owner
    for url in (f"{prefix}{traversal}/download/", f"{prefix}{traversal}/"):
        response = client.get(url)
        assert response.status_code in (400, 404), (url, response.status_code)
        _no_file_leaked(response)


def test_a_result_name_with_a_path_is_stored_inside_the_jobs_folder(job_owner: tuple[Client, Job]) -> None:
    client, job = job_owner
    stored = Path(job.result_file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "/" not in job.result_name and "\\" not in job.result_name
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 tiny"
    assert "/" not in response["Content-Disposition"].split("filename=")[1]


@pytest.mark.parametrize("stored", ["../../staffrole/settings/base.py", str(ROOT / "staffrole/settings/base.py")])
@pytest.mark.parametrize("prefix", ["/jobs/", "/api/v1/jobs/"])
def test_a_tampered_file_path_in_the_database_is_refused(
    job_owner: tuple[Client, Job], stored: str, prefix: str
) -> None:
    """Even if a job row named a file outside the media folder, the download does not serve it."""
    client, job = job_owner
    Job.objects.filter(pk=job.pk).update(result_file=stored)
    response = client.get(f"{prefix}{job.pk}/download/")
    assert response.status_code in (400, 404), response.status_code
    _no_file_leaked(response)


@pytest.mark.parametrize(
    "url",
    [
        "staffrole-static:%2e%2e%2f%2e%2e%2fstaffrole%2fsettings%2fbase.py",
        "staffrole-static:css%2f..%2f..%2fmanage.py",
        "staffrole-static:..%2fmanage.py",
        "staffrole-static:css/%2e%2e%5c%2e%2e%5cmanage.py",
        "staffrole-static:%2Fetc%2Fpasswd",
        "staffrole-static://etc/passwd",
        "staffrole-static:css/print.css%00.png",
        "staffrole-static:C:\\Windows\\win.ini",
        "staffrole-static:file:///etc/passwd",
        "STAFFROLE-STATIC:css/print.css",
    ],
)
def test_the_pdf_fetcher_refuses_encoded_and_absolute_paths(url: str) -> None:
    with pytest.raises(pdf.RefusedURLError):
        pdf.static_only_url_fetcher(url)


@pytest.mark.parametrize("traversal", TRAVERSALS)
def test_static_files_stay_in_the_static_folder(db: None, traversal: str) -> None:
    response = Client().get(f"/static/{traversal}")
    assert response.status_code in (400, 404), response.status_code
    _no_file_leaked(response)


@pytest.mark.parametrize("page", ["/org/import/", "/roles/import/"])
@pytest.mark.parametrize("traversal", ["..%2f..%2fetc%2fpasswd", "%2e%2e", "..", "%00"])
def test_an_import_preview_token_is_not_a_path(hr_user: Any, page: str, traversal: str) -> None:
    """The token names an upload kept in the session; any other value goes back to the upload page."""
    client = Client()
    client.force_login(hr_user)
    response = client.get(f"{page}{traversal}/")
    assert response.status_code in (302, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"] == page
    _no_file_leaked(response)
