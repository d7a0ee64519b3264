"""HTML to PDF with WeasyPrint, allowed to read nothing but the app's own static files.

Blueprint text is escaped by the templates, but a PDF renderer that follows URLs is a server-side
request forgery and local-file-read primitive the moment anything slips through. So the fetcher
answers only `staffrole-static:<path>` URLs (resolved through django.contrib.staticfiles finders,
no `..`) and refuses everything else: file://, http(s)://, ftp:// and data: alike. Refusing data:
costs nothing (our templates do not use it) and keeps the rule a single sentence. A refusal is
logged at warning level and WeasyPrint leaves the resource out instead of failing the document.
"""

import logging
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_SCHEME = "staffrole-static:"


class RefusedURLError(ValueError):
    """The PDF renderer asked for a URL outside the app's static files."""


def static_path(url: str) -> str:
    """The static file path named by a `staffrole-static:` URL; raises RefusedURLError otherwise."""
    if not url.startswith(STATIC_SCHEME):
        raise RefusedURLError(f"only {STATIC_SCHEME} URLs may be fetched")
    relative = unquote(url[len(STATIC_SCHEME) :].split("?", 1)[0].split("#", 1)[0]).lstrip("/")
    if not relative or "\\" in relative or "\x00" in relative:
        raise RefusedURLError("not a static file path")
    if any(part in ("..", ".") for part in PurePosixPath(relative).parts) or ":" in relative:
        raise RefusedURLError("path traversal is refused")
    return relative


def static_only_url_fetcher(url: str, timeout: int = 10, ssl_context: object = None) -> URLFetcherResponse:
    """Serve `staffrole-static:css/print.css` from the static files; raise for any other URL."""
    try:
        relative = static_path(url)
        found = finders.find(relative)
        if not found or isinstance(found, list):
            raise RefusedURLError("no such static file")
    except RefusedURLError as exc:
        logger.warning("PDF rendering refused to fetch %.200r: %s", url, exc)
        raise
    with open(found, "rb") as static_file:
        body = static_file.read()
    content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


class StaticOnlyURLFetcher(URLFetcher):
    """WeasyPrint 70 takes a URLFetcher instance; this one delegates to static_only_url_fetcher."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=[STATIC_SCHEME.rstrip(":")], allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        return static_only_url_fetcher(url, timeout=self._timeout)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML document (already escaped by its template) to PDF bytes.

    Without base_url, relative URLs are dropped; link resources as `staffrole-static:css/print.css`.
    """
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyURLFetcher())
    pdf = document.write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when no target is given
        raise RuntimeError("WeasyPrint produced no PDF")
    return pdf
