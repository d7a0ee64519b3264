"""The PDF renderer reads nothing but the app's static files, and blueprint text stays text."""

import http.server
import io
import logging
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from scorecards.documents import role_one_pager_pdf
from scorecards.services import blueprint_import, blueprint_parse_upload
from staffrole import pdf

DOCUMENT = Path(__file__).resolve().parents[1] / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
HOSTILE_IMG = '<img src="file:///etc/passwd">'
HOSTILE_LINK = '<link rel=stylesheet href="http://127.0.0.1:9/x.css">'
HOSTILE_SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the renderer asks the fetcher for."""
    urls: list[str] = []
    real = pdf.static_only_url_fetcher

    def recording(url, *args, **kwargs):
        urls.append(url)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(pdf, "static_only_url_fetcher", recording)
    return urls


@pytest.fixture
def listener():
    """A local HTTP server that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.com/x.css",
        "ftp://example.com/x.css",
        "data:text/css,body{}",
        "staffrole-static:../../staffrole/settings/base.py",
        "staffrole-static:css/%2e%2e/%2e%2e/staffrole/settings/base.py",
        "staffrole-static:css\\..\\..\\manage.py",
        "staffrole-static:/etc/passwd",
        "staffrole-static:css/no-such-file.css",
        "staffrole-static:",
        "css/print.css",
    ],
)
def test_it_refuses_every_url_but_a_static_file(url, caplog):
    with caplog.at_level(logging.WARNING, logger="staffrole.pdf"), pytest.raises(pdf.RefusedURLError):
        pdf.static_only_url_fetcher(url)
    assert any("refused" in record.getMessage() for record in caplog.records)


def test_it_serves_the_apps_own_static_files():
    response = pdf.static_only_url_fetcher("staffrole-static:css/print.css")
    body = response.read()
    response.close()
    assert body == (Path(__file__).resolve().parents[1] / "static" / "css" / "print.css").read_bytes()
    assert response.content_type == "text/css"


def test_it_never_reaches_the_network_even_for_raw_html(fetched, listener):
    port, hits = listener
    html = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/evil.css">'
        f'<img src="http://127.0.0.1:{port}/evil.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="staffrole-static:css/print.css"><p>Hello</p>'
    )
    content = pdf.render_pdf(html)
    assert content.startswith(b"%PDF-")
    assert hits == []
    assert f"http://127.0.0.1:{port}/evil.css" in fetched  # asked, and refused
    assert "staffrole-static:css/print.css" in fetched


@pytest.mark.django_db
def test_it_prints_hostile_blueprint_text_as_text(client, engineer_user, fetched):
    data = blueprint_parse_upload(name=DOCUMENT.name, content=DOCUMENT.read_bytes())
    data["mission"] = f"{HOSTILE_IMG} {HOSTILE_LINK} {HOSTILE_SCRIPT}"
    data["responsibilities"][0]["text"] = HOSTILE_SCRIPT
    data["scorecard"][0]["name"] = "<b>Design</b>"
    version = blueprint_import(actor=None, data=data, publish=True).version

    _, content = role_one_pager_pdf(version.pk)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    flat = "".join(text.split())
    for literal in (HOSTILE_IMG, HOSTILE_LINK, HOSTILE_SCRIPT, "<b>Design</b>"):
        assert "".join(literal.split()) in flat, literal
    assert fetched and all(url.startswith("staffrole-static:") for url in fetched), fetched

    client.force_login(engineer_user)
    page = client.get("/roles/staff-software-engineer/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert HOSTILE_SCRIPT not in page and HOSTILE_IMG not in page
    assert "&lt;b&gt;Design&lt;/b&gt;" in page
