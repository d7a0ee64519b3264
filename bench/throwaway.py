"""What the PostgreSQL benchmarks and the load test run on: a database the script drops and creates (its
name must contain "bench", or the marker the script gives, such as "load", so that no real database is
ever dropped), and a broker of their own (Redis when it answers, otherwise the embedded filesystem broker
in a temporary folder)."""

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql


def fail(script: str, message: str, code: int = 2) -> NoReturn:
    print(f"{script}: {message}", file=sys.stderr)
    raise SystemExit(code)


@dataclass(frozen=True)
class ThrowawayDatabase:
    script: str
    variable: str
    url: str
    name: str
    maintenance_url: str

    @classmethod
    def from_env(cls, *, script: str, variable: str, default: str, marker: str = "bench") -> "ThrowawayDatabase":
        """The database named by the environment variable (or the default), checked: its name must
        contain `marker`."""
        url = os.environ.get(variable) or default
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            fail(script, f"{variable} must be a PostgreSQL URL (postgres://...), not {url!r}.")
        name = unquote(parts.path.lstrip("/"))
        if marker not in name:
            fail(
                script, f"The database {name!r} would be dropped: {variable} must name a throwaway *{marker}* database."
            )
        return cls(script, variable, url, name, urlunsplit(parts._replace(path="/postgres")))

    def sibling(self, suffix: str) -> "ThrowawayDatabase":
        """Another throwaway database on the same server, named after this one plus `suffix`."""
        name = f"{self.name}{suffix}"
        url = urlunsplit(urlsplit(self.url)._replace(path=f"/{name}"))
        return ThrowawayDatabase(self.script, self.variable, url, name, self.maintenance_url)

    def _run(self, *statements: sql.Composed) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = []
        try:
            with psycopg.connect(self.maintenance_url, autocommit=True, connect_timeout=5) as conn:
                for statement in statements:
                    cursor = conn.execute(statement)
                    if cursor.description is not None:
                        rows += cursor.fetchall()
        except psycopg.OperationalError as exc:
            where = urlsplit(self.maintenance_url)
            fail(
                self.script,
                f"PostgreSQL is not reachable at {where.hostname}:{where.port or 5432} ({str(exc).strip()}). "
                f"Start it, or point {self.variable} at a server this user may create databases on.",
            )
        return rows

    def recreate(self) -> None:
        name = sql.Identifier(self.name)
        self._run(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name), sql.SQL("CREATE DATABASE {}").format(name)
        )

    def drop(self) -> None:
        self._run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))

    def label(self) -> str | None:
        """The comment stored on the database (what it holds), or None when the database does not exist."""
        rows = self._run(
            sql.SQL(
                "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = {}"
            ).format(sql.Literal(self.name))
        )
        return str(rows[0][0]) if rows else None

    def set_label(self, text: str) -> None:
        self._run(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(self.name), sql.Literal(text)))

    def copy_from(self, template: "ThrowawayDatabase") -> None:
        """Drop this database and create it as a copy of `template` (which nobody may be connected to)."""
        self._run(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)),
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(self.name), sql.Identifier(template.name)),
        )


def seed_fingerprint(root: Path, *, engineers: int) -> str:
    """What a seeded database depends on: the migrations, the demo seed's code, the bundled blueprint and
    the settings (the password hasher the demo accounts are stored with). Stored as the database's
    comment, it tells a later run whether the seed can be reused."""
    digest = hashlib.sha256(f"engineers={engineers}".encode())
    files = sorted(root.glob("*/migrations/*.py")) + sorted(root.glob("*/demo*.py"))
    files += [*sorted(root.glob("scorecards/blueprint_documents/*.txt")), root / "staffrole" / "settings" / "base.py"]
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return f"staffrole demo seed, {engineers} engineers, {digest.hexdigest()[:16]}"


def redis_broker(*, variable: str, default: str) -> tuple[str, str | None]:
    """(what the broker is, for the report; the Redis URL, or None for the embedded broker)."""
    url = os.environ.get(variable) or default
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return "embedded filesystem broker (Redis not reachable)", None
    finally:
        client.close()
    return f"Redis {url}", url


def forget_queue(redis_url: str | None, queue: str) -> None:
    """Remove a bench queue's list and binding keys, which kombu keeps after its workers stop."""
    if redis_url:
        client = redis.Redis.from_url(redis_url)
        try:
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        finally:
            client.close()
