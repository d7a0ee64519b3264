"""`make audit` (scripts/audit_dependencies.py) never reports a clean audit that did not happen.

pip-audit, when PyPI's per-release JSON answers 404, marks every package skipped and exits 0 with "No known
vulnerabilities found"; these tests feed the script such reports (no network) and check its verdict."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / "scripts" / "audit_dependencies.py")
assert spec and spec.loader
audit_dependencies = importlib.util.module_from_spec(spec)
sys.modules["audit_dependencies"] = audit_dependencies
spec.loader.exec_module(audit_dependencies)

LOCK = """django==5.2.19 \\
    --hash=sha256:00
    # via staffrole
requests==2.34.2 \\
    --hash=sha256:11
"""


@pytest.fixture
def lock(tmp_path: Path) -> Path:
    path = tmp_path / "lock.txt"
    path.write_text(LOCK)
    return path


def skipped(name: str, version: str) -> dict:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} ({version})"}


def test_an_unreachable_service_is_reported_as_such_not_as_clean(lock: Path, capsys) -> None:
    def pip_audit(path: Path, service: str) -> dict | None:
        return (
            None if service == "osv" else {"dependencies": [skipped("django", "5.2.19"), skipped("requests", "2.34.2")]}
        )

    outcome = audit_dependencies.audit(lock, pip_audit=pip_audit, project=lambda name: None)
    assert audit_dependencies.report(outcome) == 0
    out = capsys.readouterr().out
    assert "pip-audit: vulnerability service unreachable, 2 of 2 packages not audited" in out
    assert "NOT a clean audit" in out
    assert "no known vulnerability\n" not in out
    assert audit_dependencies.report(outcome, require_service=True) == 2


def test_a_known_vulnerability_fails(lock: Path, capsys) -> None:
    def pip_audit(path: Path, service: str) -> dict | None:
        return {
            "dependencies": [
                {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.20"]}]},
                {"name": "requests", "version": "2.34.2", "vulns": []},
            ]
        }

    outcome = audit_dependencies.audit(lock, pip_audit=pip_audit, project=lambda name: None)
    assert audit_dependencies.report(outcome) == 1
    out = capsys.readouterr().out
    assert "django 5.2.19: PYSEC-0000-1 (fixed in: 5.2.20" in out


def test_the_project_json_audits_only_a_locked_latest_release(lock: Path, capsys) -> None:
    def pip_audit(path: Path, service: str) -> dict | None:
        return {"dependencies": [skipped("django", "5.2.19"), skipped("requests", "2.34.2")]}

    projects = {
        "django": {"info": {"version": "6.1.3"}, "vulnerabilities": []},  # newer than the lock: says nothing
        "requests": {"info": {"version": "2.34.2"}, "vulnerabilities": [{"id": "GHSA-x", "fixed_in": []}]},
    }
    outcome = audit_dependencies.audit(lock, pip_audit=pip_audit, project=projects.get)
    assert outcome.not_audited == ["django"]
    assert audit_dependencies.report(outcome) == 1
    assert "requests 2.34.2: GHSA-x" in capsys.readouterr().out


def test_everything_audited_and_nothing_found_is_clean(lock: Path, capsys) -> None:
    def pip_audit(path: Path, service: str) -> dict | None:
        return {"dependencies": [{"name": n, "version": "1", "vulns": []} for n in ("django", "requests")]}

    outcome = audit_dependencies.audit(lock, pip_audit=pip_audit, project=lambda name: None)
    assert audit_dependencies.report(outcome) == 0
    assert "all 2 locked packages audited (2 by pip-audit (osv)): no known vulnerability" in capsys.readouterr().out
