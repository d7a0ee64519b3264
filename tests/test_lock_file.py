"""requirements/lock.txt pins every dependency that pyproject.toml declares (runtime and dev), with hashes.

`make install` installs the lock with --require-hashes and then the project with --no-deps, so a dependency
added to pyproject.toml but not locked would be missing from every fresh install: `make lock` fixes that.
No network here: the files are compared as text."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
RUNTIME = ROOT / "requirements" / "runtime.txt"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def locked(path: Path = LOCK) -> dict[str, tuple[Version, list[str]]]:
    """name → (version, hashes) for every pin of the lock file."""
    pins: dict[str, tuple[Version, list[str]]] = {}
    current = None
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match["name"])
            pins[current] = (Version(match["version"]), [])
        elif current and line.strip().startswith("--hash="):
            pins[current][1].append(line.strip().removeprefix("--hash=").rstrip(" \\"))
        elif not line.startswith((" ", "\t")):
            current = None
    return pins


def declared(*, dev: bool = True) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    texts = [*project["dependencies"], *(project.get("optional-dependencies", {}).get("dev", []) if dev else [])]
    return [Requirement(text) for text in texts]


def test_every_declared_dependency_is_locked_at_a_version_it_allows() -> None:
    pins = locked()
    problems = []
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} is not in requirements/lock.txt")
        elif not requirement.specifier.contains(pins[name][0], prereleases=True):
            problems.append(f"{requirement} does not allow the locked {pins[name][0]}")
    assert not problems, "Run `make lock`: " + "; ".join(problems)


def test_every_pin_has_a_hash() -> None:
    pins = locked()
    assert len(pins) > 20
    unhashed = sorted(name for name, (_version, hashes) in pins.items() if not hashes)
    assert not unhashed, f"pins without --hash (pip install --require-hashes refuses them): {unhashed}"
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", digest) for _v, hashes in pins.values() for digest in hashes)


def test_install_takes_the_locked_set_and_the_project_without_its_dependencies() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"\$\(STAMP\): pyproject\.toml \$\(LOCK\)", makefile), "reinstall when the lock changes"
    assert "install --progress-bar off --quiet --require-hashes -r $(LOCK)" in makefile
    assert "--no-deps" in makefile
    assert "Python 3.11" in LOCK.read_text().splitlines()[1]


def test_the_runtime_lock_pins_the_runtime_dependencies_as_the_full_lock_does() -> None:
    """requirements/runtime.txt (what the Docker image installs) is the full lock without the dev tools:
    every runtime dependency, at the version and with the hashes CI installed and tested."""
    full, runtime = locked(), locked(RUNTIME)
    missing = [str(r) for r in declared(dev=False) if canonicalize_name(r.name) not in runtime]
    assert not missing, f"Run `make lock`: not in requirements/runtime.txt: {missing}"
    differing = sorted(name for name, pin in runtime.items() if full.get(name) != pin)
    assert not differing, f"Run `make lock`: pinned otherwise than in requirements/lock.txt: {differing}"
    tools = {
        "pytest",
        "pytest-django",
        "ruff",
        "mypy",
        "locust",
        "schemathesis",
        "playwright",
        "hypothesis",
        "pip-audit",
    }
    assert not tools & runtime.keys(), "dev tools in the runtime lock"


def test_the_image_installs_the_runtime_lock_with_hashes() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY requirements/runtime.txt" in dockerfile
    assert re.search(r"pip install --require-hashes -r \S*runtime\.txt", dockerfile)
    assert "pip install --no-deps ." in dockerfile
    assert "tomllib" not in dockerfile, "the image installs pins, not the ranges of pyproject.toml"
    makefile = (ROOT / "Makefile").read_text()
    assert "--output-file $(RUNTIME_LOCK)" in makefile and "--constraint $(LOCK)" in makefile
