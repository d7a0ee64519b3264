import pytest

from staffrole import health

pytestmark = pytest.mark.django_db

CHECKS = {"database", "cache", "broker", "migrations"}


def test_it_answers_200_when_everything_is_up(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200, body
    assert set(body["checks"]) == CHECKS
    assert all(check["ok"] for check in body["checks"].values())
    assert all(isinstance(check["detail"], str) for check in body["checks"].values())


def test_it_answers_503_when_a_check_fails(client, monkeypatch):
    monkeypatch.setattr(health, "check_broker", lambda: {"ok": False, "detail": "unavailable (OperationalError)"})

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False, "detail": "unavailable (OperationalError)"}
    assert response.json()["checks"]["database"]["ok"] is True


def test_it_reports_a_check_that_raises_instead_of_crashing(client, monkeypatch):
    from django.core.cache import caches

    def broken(*args, **kwargs):
        raise ConnectionError("cache host 10.0.0.7 unreachable")

    monkeypatch.setattr(caches["default"], "set", broken)

    response = client.get("/healthz")

    cache_check = response.json()["checks"]["cache"]
    assert response.status_code == 503
    assert cache_check["ok"] is False
    assert "10.0.0.7" not in cache_check["detail"]


def test_it_reports_unapplied_migrations(monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("migration", False)])

    assert health.check_migrations() == {"ok": False, "detail": "1 unapplied migration(s)"}


def test_it_reports_a_missing_broker_folder(tmp_path):
    options = {"data_folder_in": str(tmp_path / "gone"), "data_folder_out": str(tmp_path / "gone")}

    assert health._check_broker_folder(options)["ok"] is False


def test_it_accepts_a_writable_broker_folder(tmp_path):
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}

    assert health._check_broker_folder(options) == {"ok": True, "detail": "filesystem"}
    assert list(tmp_path.iterdir()) == []
