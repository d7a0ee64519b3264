"""What the PostgreSQL benchmarks run on: a database the script drops and creates (its name must
contain "bench", so that no real database is ever dropped), and a broker of their own (Redis when it
answers, otherwise the embedded filesystem broker in a temporary folder)."""

import os
import sys
from dataclasses import dataclass
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
    def from_env(cls, *, script: str, variable: str, default: str) -> "ThrowawayDatabase":
        """The database named by the environment variable (or the default), checked."""
        url = os.environ.get(variable) or default
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            fail(script, f"{variable} must be a PostgreSQL URL (postgres://...), not {url!r}.")
        name = unquote(parts.path.lstrip("/"))
        if "bench" not in name:
            fail(script, f"The database {name!r} would be dropped: {variable} must name a throwaway *bench* database.")
        return cls(script, variable, url, name, urlunsplit(parts._replace(path="/postgres")))

    def _run(self, *statements: sql.Composed) -> None:
        try:
            with psycopg.connect(self.maintenance_url, autocommit=True, connect_timeout=5) as conn:
                for statement in statements:
                    conn.execute(statement)
        except psycopg.OperationalError as exc:
            where = urlsplit(self.maintenance_url)
            fail(
                self.script,
                f"PostgreSQL is not reachable at {where.hostname}:{where.port or 5432} ({str(exc).strip()}). "
                f"Start it, or point {self.variable} at a server this user may create databases on.",
            )

    def recreate(self) -> None:
        name = sql.Identifier(self.name)
        self._run(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name), sql.SQL("CREATE DATABASE {}").format(name)
        )

    def drop(self) -> None:
        self._run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))


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
