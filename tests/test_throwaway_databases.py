"""The throwaway databases of the benchmarks and the load test (bench/throwaway.py): only a database whose
name says it is throwaway is ever dropped, and a seeded one is reused only while what it was made from
is unchanged. No server is needed: nothing here connects."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def throwaway() -> Iterator[object]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import throwaway

        yield throwaway
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_it_refuses_a_database_whose_name_lacks_the_marker(throwaway, monkeypatch, capsys) -> None:
    monkeypatch.setenv("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/staffrole")
    with pytest.raises(SystemExit) as exit_:
        throwaway.ThrowawayDatabase.from_env(script="load", variable="LOAD_DATABASE_URL", default="", marker="load")
    assert exit_.value.code == 2
    assert "must name a throwaway *load* database" in capsys.readouterr().err


def test_it_accepts_the_marker_and_names_siblings_on_the_same_server(throwaway, monkeypatch) -> None:
    monkeypatch.delenv("LOAD_DATABASE_URL", raising=False)
    database = throwaway.ThrowawayDatabase.from_env(
        script="load", variable="LOAD_DATABASE_URL", default="postgres://u@h:5433/staffrole_load", marker="load"
    )
    seed = database.sibling("_seed")
    assert (database.name, seed.name) == ("staffrole_load", "staffrole_load_seed")
    assert seed.url == "postgres://u@h:5433/staffrole_load_seed"
    assert seed.maintenance_url == database.maintenance_url == "postgres://u@h:5433/postgres"


def test_the_seed_fingerprint_changes_with_a_migration_the_settings_or_the_size(throwaway, tmp_path) -> None:
    (tmp_path / "reviews" / "migrations").mkdir(parents=True)
    migration = tmp_path / "reviews" / "migrations" / "0001_initial.py"
    migration.write_text("operations = []\n")
    (tmp_path / "reviews" / "demo.py").write_text("SEED = 1\n")
    (tmp_path / "staffrole" / "settings").mkdir(parents=True)
    settings = tmp_path / "staffrole" / "settings" / "base.py"
    settings.write_text('PASSWORD_HASHERS = ["argon2"]\n')
    first = throwaway.seed_fingerprint(tmp_path, engineers=2000)
    assert throwaway.seed_fingerprint(tmp_path, engineers=2000) == first
    assert throwaway.seed_fingerprint(tmp_path, engineers=10) != first
    # The demo accounts' passwords are stored with the settings' hasher.
    settings.write_text('PASSWORD_HASHERS = ["pbkdf2"]\n')
    assert throwaway.seed_fingerprint(tmp_path, engineers=2000) != first
    settings.write_text('PASSWORD_HASHERS = ["argon2"]\n')
    migration.write_text("operations = ['changed']\n")
    assert throwaway.seed_fingerprint(tmp_path, engineers=2000) != first
