"""How the app connects to PostgreSQL: no JIT compilation of its queries."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_OPTIONS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


def database_options(url: str) -> dict[str, object]:
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "DATABASE_URL": url}
    environment["DJANGO_SETTINGS_MODULE"] = "staffrole.settings.local"
    result = subprocess.run(
        [sys.executable, "-c", PRINT_OPTIONS], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_it_turns_jit_off_for_postgresql() -> None:
    # Compiling the calibration queries took a second or more each once the tables were analysed.
    options = database_options("postgres://staffrole@db.example.test:5432/staffrole")
    assert options["options"] == "-c jit=off"
    assert options["connect_timeout"] == 5


def test_it_passes_no_postgresql_option_to_sqlite() -> None:
    assert "options" not in database_options("sqlite:////tmp/staffrole-settings-check.sqlite3")
