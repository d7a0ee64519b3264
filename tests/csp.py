"""What every answer's Content-Security-Policy must say (docs/adr/0023-content-security-policy.md)."""

from typing import Any

# The one page allowed inline styles: Swagger UI's React components set style attributes.
INLINE_STYLE_PATHS = ("/api/v1/docs/",)

REQUIRED = {
    "script-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def parse_policy(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def policy_problems(response: Any, path: str) -> list[str]:
    """Why the answer's policy is not the project's strict one; empty when it is."""
    header = response.get("Content-Security-Policy")
    if not header:
        return ["no Content-Security-Policy header"]
    policy = parse_policy(header)
    problems = [
        f"{name} is {' '.join(policy.get(name, [])) or 'missing'}, not {' '.join(value)}"
        for name, value in REQUIRED.items()
        if policy.get(name) != value
    ]
    scripts = policy.get("script-src", policy.get("default-src", []))
    problems += [f"script-src allows {word}" for word in scripts if word in ("'unsafe-inline'", "'unsafe-eval'")]
    if "'unsafe-inline'" in policy.get("style-src", []) and not path.startswith(INLINE_STYLE_PATHS):
        problems.append("style-src allows 'unsafe-inline'")
    return problems
