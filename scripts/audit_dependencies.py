"""`make audit`: pip-audit of the locked dependencies, honest about what it could not check.

pip-audit asks a vulnerability service about every pinned package of requirements/lock.txt. When the service
cannot be reached, pip-audit either stops with a connection error (OSV) or, for PyPI's per-release JSON
API answering 404, marks every package "skipped" and still prints "No known vulnerabilities found" with exit
status 0: a false green. This script runs pip-audit with JSON output and decides itself:

- any known vulnerability (from pip-audit, or from PyPI's project JSON below): exit 1, CI fails;
- packages no service could check: says so ("vulnerability service unreachable, N packages not audited"),
  never "clean", and exits 0 unless AUDIT_REQUIRE_SERVICE=1 (then 2);
- every package checked and nothing found: says so, exit 0.

For packages pip-audit could not check, PyPI's project JSON (/pypi/NAME/json) is asked: its "vulnerabilities"
describe the latest release only, so it audits a package only when the locked version is that release.
See docs/adr/0023-content-security-policy.md (section "Dependency audit").
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)", re.MULTILINE)
SERVICES = ("osv", "pypi")
TIMEOUT = 15


@dataclass
class Finding:
    name: str
    version: str
    id: str
    fixed_in: list[str]
    source: str


@dataclass
class Outcome:
    locked: dict[str, str]
    audited: dict[str, str] = field(default_factory=dict)  # name → who audited it
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def not_audited(self) -> list[str]:
        return sorted(set(self.locked) - set(self.audited))


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path) -> dict[str, str]:
    return {normalise(match["name"]): match["version"] for match in PIN.finditer(path.read_text())}


def run_pip_audit(lock: Path, service: str) -> dict | None:
    """pip-audit's JSON report, or None when it produced none (the service could not be reached)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [sys.executable, "-m", "pip_audit", "--requirement", str(lock), "--disable-pip"]
        command += ["--vulnerability-service", service, "--progress-spinner", "off", "--timeout", str(TIMEOUT)]
        command += ["--format", "json", "--output", str(report)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
        if not report.exists():
            last = (result.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"pip-audit ({service}): no report, exit status {result.returncode}: {last[:300]}")
            return None
        return json.loads(report.read_text())


def pypi_project(name: str) -> dict | None:
    url = f"https://pypi.org/pypi/{name}/json"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:
            return json.load(answer)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError):
        return None


def audit(
    lock: Path,
    pip_audit: Callable[[Path, str], dict | None] = run_pip_audit,
    project: Callable[[str], dict | None] = pypi_project,
) -> Outcome:
    outcome = Outcome(locked=read_lock(lock))
    for service in SERVICES:
        report = pip_audit(lock, service)
        if report is None:
            continue
        for dependency in report.get("dependencies", []):
            name = normalise(dependency["name"])
            if "skip_reason" in dependency or name in outcome.audited:
                continue
            outcome.audited[name] = f"pip-audit ({service})"
            outcome.findings += [
                Finding(name, dependency.get("version", "?"), vuln["id"], vuln.get("fix_versions", []), service)
                for vuln in dependency.get("vulns", [])
            ]
        if not outcome.not_audited:
            break
    remaining = outcome.not_audited
    if remaining:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = dict(zip(remaining, pool.map(project, remaining), strict=True))
        for name, answer in answers.items():
            if answer is None or answer.get("info", {}).get("version") != outcome.locked[name]:
                continue
            outcome.audited[name] = "PyPI project JSON (latest release)"
            outcome.findings += [
                Finding(name, outcome.locked[name], vuln.get("id", "?"), vuln.get("fixed_in", []), "pypi-project")
                for vuln in answer.get("vulnerabilities", [])
                if not vuln.get("withdrawn")
            ]
    return outcome


def report(outcome: Outcome, *, require_service: bool = False) -> int:
    """Print the verdict; the exit status for CI."""
    total = len(outcome.locked)
    missing = outcome.not_audited
    for finding in outcome.findings:
        fixed = ", ".join(finding.fixed_in) or "no fixed release"
        print(f"  {finding.name} {finding.version}: {finding.id} (fixed in: {fixed}; from {finding.source})")
    by_source: dict[str, int] = {}
    for source in outcome.audited.values():
        by_source[source] = by_source.get(source, 0) + 1
    checked = ", ".join(f"{count} by {source}" for source, count in sorted(by_source.items())) or "none"
    if outcome.findings:
        print(
            f"pip-audit: {len(outcome.findings)} known vulnerabilities in the locked dependencies (checked: {checked})"
        )
        return 1
    if missing:
        print(f"pip-audit: vulnerability service unreachable, {len(missing)} of {total} packages not audited")
        print(f"pip-audit: not audited: {' '.join(missing)}")
        print(f"pip-audit: checked: {checked}; no known vulnerability among those. This is NOT a clean audit.")
        return 2 if require_service else 0
    print(f"pip-audit: all {total} locked packages audited ({checked}): no known vulnerability")
    return 0


def main() -> int:
    lock = Path(sys.argv[1] if len(sys.argv) > 1 else "requirements/lock.txt")
    require_service = os.environ.get("AUDIT_REQUIRE_SERVICE", "") in ("1", "true", "yes")
    return report(audit(lock), require_service=require_service)


if __name__ == "__main__":
    sys.exit(main())
