"""Where shared run-time state lives: SQLite in the state folder, or one PostgreSQL database.

One city on one server keeps its publish ledger, bot memory and WhatsApp drafts in SQLite files
under `KELURAHAN_STATE_DIR`. A province runs publishers and bot replicas on several machines;
`KELURAHAN_DATABASE_URL=postgresql://…` puts the same tables in one PostgreSQL database, so
"exactly once" and "one reply per message" hold across machines.

Stores write portable SQL with `?` placeholders; this module runs it on either engine, gives
each store a serialised write transaction (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's
transaction advisory lock on the store's name), and applies each store's versioned migrations
once, under that same lock, recording them in `schema_versions`.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kelurahan.errors import KelurahanError

Engine = Literal["sqlite", "postgresql"]
URL_NAME = "KELURAHAN_DATABASE_URL"


@dataclass(frozen=True)
class Migration:
    """One schema step; `postgresql` when that engine needs other text than `sqlite`."""

    sqlite: str
    postgresql: str | None = None

    def text(self, engine: Engine) -> str:
        return self.postgresql if engine == "postgresql" and self.postgresql else self.sqlite


class Database:
    """A connection to either engine, shared by a store's threads behind one lock."""

    def __init__(self, engine: Engine, connection: Any, where: str) -> None:
        self.engine, self.where = engine, where
        self._db = connection
        self._lock = threading.RLock()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        with self._lock:
            cursor = self._db.execute(self._sql(sql), tuple(params))
            return cursor.rowcount

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._db.execute(self._sql(sql), tuple(params))
            names = [column[0] for column in cursor.description or ()]
            return [dict(zip(names, record, strict=True)) for record in cursor.fetchall()]

    def row(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    @contextmanager
    def write(self, name: str) -> Iterator[Database]:
        """All-or-nothing, and one writer at a time per `name` across processes and machines."""
        with self._lock:
            if self.engine == "sqlite":
                self._db.execute("BEGIN IMMEDIATE")
            else:
                self._db.execute("BEGIN")
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(name),))
            try:
                yield self
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def migrate(self, store: str, steps: Sequence[Migration]) -> int:
        """Apply the steps this database has not had yet; the version now in force."""
        with self.write(f"migrate:{store}"):
            self._db.execute("CREATE TABLE IF NOT EXISTS schema_versions ("
                             "store TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            found = self.row("SELECT version FROM schema_versions WHERE store = ?", (store,))
            version = int(found["version"]) if found else 0
            for step in steps[version:]:
                for statement in _statements(step.text(self.engine)):
                    self._db.execute(statement)
            if len(steps) > version:
                self.execute("INSERT INTO schema_versions (store, version) VALUES (?, ?) "
                             "ON CONFLICT (store) DO UPDATE SET version = excluded.version",
                             (store, len(steps)))
            return max(version, len(steps))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.engine == "postgresql" else sql


def open_database(settings: Mapping[str, str] | Any, state_dir: Path, sqlite_name: str, *,
                  read_only: bool = False) -> Database:
    """PostgreSQL when `KELURAHAN_DATABASE_URL` names one, else `state_dir/sqlite_name`."""
    url = _setting(settings, URL_NAME)
    if url:
        return _postgresql(url)
    return _sqlite(state_dir / sqlite_name, read_only=read_only)


def _postgresql(url: str) -> Database:
    if not url.startswith(("postgresql://", "postgres://")):
        raise KelurahanError(f"{URL_NAME} harus diawali postgresql:// (SQLite dipakai bila kosong)")
    try:
        import psycopg
    except ImportError:
        raise KelurahanError(f"{URL_NAME} menunjuk PostgreSQL, tetapi paket psycopg belum "
                             "terpasang: pip install 'kelurahan-digital[postgresql]'") from None
    try:
        connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise KelurahanError(f"tidak dapat terhubung ke PostgreSQL ({_without_password(url)}): "
                             f"{str(exc).strip().splitlines()[0]}") from None
    return Database("postgresql", connection, _without_password(url))


def _sqlite(path: Path, *, read_only: bool) -> Database:
    try:
        if read_only:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                         timeout=30, check_same_thread=False,
                                         isolation_level=None)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30, check_same_thread=False,
                                         isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise KelurahanError(f"{path}: basis data tidak dapat dibuka ({exc})") from None
    return Database("sqlite", connection, str(path))


def _setting(settings: Mapping[str, str] | Any, name: str) -> str | None:
    getter = getattr(settings, "get", None)
    value = getter(name) if callable(getter) else None
    return value or None


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for `pg_advisory_xact_lock`."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        rest = f"{credentials.split(':', 1)[0]}:***@{host}"
    return f"{scheme}{sep}{rest}"
