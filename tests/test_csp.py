"""The Content-Security-Policy forbids inline scripts, eval and inline styles (docs/adr/0023).

These tests read every template and script of the project, so that markup the policy would block is caught
here, by name and line, before a browser refuses it: inline <script> blocks, on*= event handler attributes,
javascript: addresses, htmx's hx-on and js: values and trigger filters (htmx runs them through eval), and
style attributes or <style> blocks in pages a browser shows (PDF templates go to WeasyPrint only)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.csp import parse_policy, policy_problems

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
APP_TEMPLATES = sorted(
    path
    for app in ("audit", "hiring", "jobs", "kpis", "ladder", "org", "plans", "reviews", "scorecards", "staffrole")
    for path in (ROOT / app).rglob("templates/**/*.html")
)
SCRIPTS = sorted((ROOT / "static").rglob("*.js"))
# Rendered by WeasyPrint into PDFs, never sent to a browser: they may style inline.
PDF_TEMPLATE = re.compile(r"(^|/)pdf/")

TAG = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9-]*)(?P<attributes>(?:\"[^\"]*\"|'[^']*'|[^'\">])*)>", re.DOTALL)
ATTRIBUTE = re.compile(r"""(?P<name>[^\s=/>"']+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>]+))?""")
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def markup_problems(text: str, *, pdf: bool = False) -> list[str]:
    """What the policy would refuse in one template, as 'line N: why'."""
    text = TEMPLATE_COMMENT.sub(lambda match: "\n" * match.group(0).count("\n"), text)
    problems = []
    for tag in TAG.finditer(text):
        name = tag.group("name").lower()
        line = _line(text, tag.start())
        attributes = {
            match.group("name").lower(): (match.group("value") or "").strip("\"'")
            for match in ATTRIBUTE.finditer(tag.group("attributes"))
        }
        if name == "script" and "src" not in attributes:
            problems.append(f"line {line}: inline <script> (load a file from static/js/ with src)")
        if name == "style" and not pdf:
            problems.append(f"line {line}: <style> block (move the rules to a stylesheet in static/css/)")
        for attribute, value in attributes.items():
            if re.fullmatch(r"on[a-z]+", attribute):
                problems.append(f"line {line}: event handler attribute {attribute}= (listen in static/js/app.js)")
            if attribute.startswith(("hx-on", "data-hx-on")):
                problems.append(f"line {line}: {attribute} (htmx runs it through eval; listen in static/js/app.js)")
            if attribute in ("hx-vals", "hx-headers", "data-hx-vals") and re.match(r"\s*(js|javascript):", value):
                problems.append(f"line {line}: {attribute} with js: (htmx evaluates it; send JSON)")
            if attribute in ("hx-trigger", "data-hx-trigger") and "[" in value:
                problems.append(f"line {line}: hx-trigger filter {value!r} (htmx evaluates it; send a custom event)")
            if re.match(r"\s*javascript:", value, re.IGNORECASE):
                problems.append(f"line {line}: javascript: address in {attribute}=")
            if attribute == "style" and not pdf:
                problems.append(f"line {line}: style attribute (use a class, or SVG geometry: staffrole/bars.py)")
    return problems


@pytest.mark.parametrize("path", TEMPLATES + APP_TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_have_nothing_the_policy_refuses(path: Path) -> None:
    relative = str(path.relative_to(ROOT))
    assert markup_problems(path.read_text(), pdf=bool(PDF_TEMPLATE.search(relative))) == []


def test_the_scanner_finds_what_the_policy_refuses() -> None:
    found = markup_problems(
        """<script>alert(1)</script>
        <script src="/static/js/app.js" defer></script>
        <button onclick="go()">Go</button>
        <body hx-on:htmx:response-error="x()">
        <div hx-on::after-request="y()" data-hx-on-click="z()">
        <div hx-vals='js:{"a": b()}' hx-trigger="change[target.checked]">
        <a href="javascript:void(0)">x</a>
        <span style="width: 3%"></span><style>p { color: red; }</style>
        {# <script>commented out</script> #}"""
    )
    assert [problem.split(":", 1)[0] for problem in found] == [
        "line 1",
        "line 3",
        "line 4",
        "line 5",
        "line 5",
        "line 6",
        "line 6",
        "line 7",
        "line 8",
        "line 8",
    ]
    assert markup_problems('<div class="x" hx-vals=\'{"resolve": "mine"}\' hx-trigger="autosave-text delay:1s">') == []
    assert markup_problems('<td style="width: 3mm">', pdf=True) == []


def test_there_is_at_least_one_template_and_script() -> None:
    assert TEMPLATES and SCRIPTS


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_our_scripts_do_not_eval(path: Path) -> None:
    """Our own scripts: no eval, no new Function, no string timers, no HTML injected with inline handlers.
    htmx.min.js is htmx's build; with allowEval false (base.html) it never reaches its own eval."""
    if path.name == "htmx.min.js":
        return
    text = path.read_text()
    for pattern in (r"\beval\s*\(", r"\bnew\s+Function\b", r"\bset(?:Timeout|Interval)\s*\(\s*['\"`]", r"\bon[a-z]+="):
        assert not re.search(pattern, text), f"{path.name} matches {pattern}"


CSP_SAFE_HTMX = {"allowEval": False, "allowScriptTags": False, "includeIndicatorStyles": False}
HTMX_META = re.compile(r"<meta name=\"htmx-config\" content='(?P<content>[^']*)'>")


def test_htmx_is_told_not_to_eval_nor_inject_styles() -> None:
    """htmx reads the first htmx-config tag only, so there is one per page: base.html's block, which the
    pages with settings of their own replace; each carries the three settings the policy needs."""
    from plans.views import HTMX_CONFIG as PLAN_CONFIG
    from reviews.views import HTMX_CONFIG as REVIEW_CONFIG

    base = (ROOT / "templates" / "base.html").read_text()
    [default] = HTMX_META.findall(base)
    assert json.loads(default) == CSP_SAFE_HTMX
    for path in TEMPLATES:
        for match in HTMX_META.finditer(path.read_text()):
            before = path.read_text()[: match.start()]
            assert before.rstrip().endswith("{% block htmx_config %}"), f"{path.name}: htmx-config outside its block"
    for config in (PLAN_CONFIG, REVIEW_CONFIG):
        assert json.loads(config).items() >= CSP_SAFE_HTMX.items()
    app_css = (ROOT / "static" / "css" / "app.css").read_text()
    assert ".htmx-indicator" in app_css, "htmx's indicator styles belong in app.css once htmx stops injecting them"


def test_the_policy_is_the_same_for_every_settings_module() -> None:
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_the_log_in_page_and_a_missing_page_carry_the_policy() -> None:
    client = Client()
    for path in ("/accounts/login/", "/no-such-page/", "/healthz"):
        response = client.get(path)
        assert policy_problems(response, path) == [], path
    docs = client.get("/api/v1/docs/")
    policy = parse_policy(docs["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert b"<script>" not in docs.content
