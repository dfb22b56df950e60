"""Where shared run-time state lives: SQLite in the state folder, or one PostgreSQL database.

One city on one server keeps its publish ledger, bot memory and WhatsApp drafts in SQLite files
under `KELURAHAN_STATE_DIR`. A province runs publishers and bot replicas on several machines;
`KELURAHAN_DATABASE_URL=postgresql://…` puts the same tables in one PostgreSQL database, so
"exactly once" and "one reply per message" hold across machines.

Stores write portable SQL with `?` placeholders; this module runs it on either engine, gives
each store a serialised write transaction (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's
transaction advisory lock on the store's name), and applies each store's versioned migrations
once, under that same lock, recording them in `schema_versions`.

Switching an install from SQLite to PostgreSQL copies each store's tables (`copy_tables`, run
by `kelurahan database copy`, which then renames the SQLite file `*.disalin`); until then a
store refuses to open PostgreSQL while its SQLite file in the state folder still holds rows
(`refuse_uncopied`), since a ledger without them would post again what was already posted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from kelurahan.errors import KelurahanError
from kelurahan.locks import use_stores

Engine = Literal["sqlite", "postgresql"]
URL_NAME = "KELURAHAN_DATABASE_URL"
COPY_COMMAND = "kelurahan database copy --from"
_COPIES = ("CREATE TABLE IF NOT EXISTS database_copies (store TEXT PRIMARY KEY, "
           "source TEXT NOT NULL, rows INTEGER NOT NULL, at TEXT NOT NULL)")


@dataclass(frozen=True)
class Migration:
    """One schema step; `postgresql` when that engine needs other text than `sqlite`."""

    sqlite: str
    postgresql: str | None = None

    def text(self, engine: Engine) -> str:
        return self.postgresql if engine == "postgresql" and self.postgresql else self.sqlite


class Database:
    """A connection to either engine, shared by a store's threads behind one lock."""

    def __init__(self, engine: Engine, connection: Any, where: str,
                 held: IO[str] | None = None) -> None:
        self.engine, self.where = engine, where
        self._db = connection
        self._lock = threading.RLock()
        self._held = held  # the state folder's store lock, shared (`kelurahan.locks`)

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

    def execute_many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        """One statement for many rows (psycopg pipelines them: one round trip, not one each)."""
        with self._lock:
            self._db.cursor().executemany(self._sql(sql), [tuple(p) for p in params])

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
            if self._held is not None:
                self._held.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.engine == "postgresql" else sql


@dataclass(frozen=True)
class Tables:
    """What a store keeps, as the copy and the start-up check see it (tables parents first)."""

    store: str  # its name in `schema_versions` and `database_copies`
    label: str  # what people call it, in messages
    lock: str  # the store's write lock: a copy waits for (and holds off) its writers
    sqlite_name: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Copied:
    """How many rows of each table went across; `earlier` when a past run had copied them."""

    tables: Tables
    counts: dict[str, int]
    earlier: str | None = None  # "<source> pada <time>" of that run

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def count_rows(db: Database, tables: Tables) -> dict[str, int]:
    """Rows per table; a table this database does not have yet counts 0."""
    return {name: _count(db, name) if _has_table(db, name) else 0 for name in tables.names}


def earlier_copy(db: Database, tables: Tables) -> dict[str, Any] | None:
    """The record a finished copy of this store left, if any."""
    if not _has_table(db, "database_copies"):
        return None
    return db.row("SELECT source, rows, at FROM database_copies WHERE store = ?", (tables.store,))


def copy_tables(source: Database, target: Database, tables: Tables) -> Copied:
    """Every row of the store's tables from `source` into `target`, in one transaction.

    Both already have the store's current schema (the store opened them). Refused, with
    nothing written, when `target` holds any row of the store: rows are never merged. The
    copy is recorded in `database_copies`, so a second run reports it instead of failing.
    """
    counts: dict[str, int] = {}
    try:
        with target.write(tables.lock):
            found = earlier_copy(target, tables)
            if found is not None:
                return Copied(tables, {}, f"{found['source']} pada {found['at']}")
            refuse_filled(target, tables)
            for name in tables.names:
                counts[name] = _copy_table(source, target, name)
            target.execute(_COPIES)
            target.execute("INSERT INTO database_copies (store, source, rows, at) VALUES "
                           "(?, ?, ?, ?)", (tables.store, source.where, sum(counts.values()),
                                            dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    except KelurahanError:
        raise
    except Exception as exc:  # a row the target refuses, a lost connection: all rolled back
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KelurahanError(
            f"{tables.label} tidak dapat disalin dari {source.where} ({reason}); tidak ada "
            f"baris {tables.label} yang tertulis. Perbaiki lalu jalankan lagi: bagian yang "
            "sudah selesai dilewati.") from None
    return Copied(tables, counts)


def refuse_filled(target: Database, tables: Tables) -> None:
    """A copy goes only into a store that holds nothing yet."""
    held = {name: n for name, n in count_rows(target, tables).items() if n}
    if held:
        listed = ", ".join(f"{n} baris di {name}" for name, n in held.items())
        raise KelurahanError(
            f"{target.where} sudah berisi {tables.label} ({listed}); tidak ada yang "
            "disalin. Penyalinan hanya ke database yang belum berisi data itu, agar tidak ada "
            "yang tercampur atau tertimpa.")


def refuse_uncopied(target: Database, state_dir: Path, tables: Tables) -> None:
    """Stop a store from running on PostgreSQL while the state folder's SQLite file still holds
    rows of it: they were never copied (a copied file is renamed `*.disalin`), so the ledger
    would post again what this machine already posted. Whatever PostgreSQL holds, e.g. another
    machine's copy, does not make this machine's rows any less missing."""
    path = state_dir / tables.sqlite_name
    if target.engine != "postgresql" or not path.is_file():
        return
    try:
        old = _sqlite(path, read_only=True)
    except KelurahanError:
        return  # not a database we can read: nothing of it could be copied either
    try:
        waiting = sum(count_rows(old, tables).values())
    except sqlite3.Error:
        waiting = 0
    finally:
        old.close()
    if waiting:
        raise KelurahanError(
            f"{URL_NAME} menunjuk PostgreSQL, tetapi {path} masih berisi {waiting} baris "
            f"{tables.label} yang belum disalin ke sana. Salin dulu isinya: {COPY_COMMAND} "
            f"{state_dir} (tanpa itu posting yang sudah terkirim bisa terkirim lagi dan draf "
            "WhatsApp hilang).")


def open_database(settings: Mapping[str, str] | Any, state_dir: Path, sqlite_name: str, *,
                  read_only: bool = False, shared: bool = True) -> Database:
    """PostgreSQL when `KELURAHAN_DATABASE_URL` names one, else `state_dir/sqlite_name`.

    A SQLite store opened for writing holds the folder's store lock shared until closed
    (`kelurahan.locks.use_stores`), so `kelurahan database copy` cannot move the file from
    under it; `shared=False` only for that copy, which holds the lock exclusively itself.
    A reader takes no lock: it loses nothing when the file is moved.
    """
    url = _setting(settings, URL_NAME)
    if url:
        return _postgresql(url)
    return _sqlite(state_dir / sqlite_name, read_only=read_only, shared=shared)


def _postgresql(url: str) -> Database:
    if not url.startswith(("postgresql://", "postgres://")):
        raise KelurahanError(f"{URL_NAME} harus diawali postgresql:// (SQLite dipakai bila kosong)")
    try:
        import psycopg
    except ImportError:
        raise KelurahanError(f"{URL_NAME} menunjuk PostgreSQL, tetapi paket psycopg belum "
                             "terpasang: pasang program dengan tambahan [postgresql] (pip install "
                             "'kelurahan_digital-<versi>-py3-none-any.whl[postgresql]'), atau "
                             "pip install 'psycopg[binary]'") from None
    try:
        connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise KelurahanError(f"tidak dapat terhubung ke PostgreSQL ({_without_password(url)}): "
                             f"{str(exc).strip().splitlines()[0]}") from None
    return Database("postgresql", connection, _without_password(url))


def _sqlite(path: Path, *, read_only: bool, shared: bool = False) -> Database:
    held = None
    try:
        if read_only:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                         timeout=30, check_same_thread=False,
                                         isolation_level=None)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            held = use_stores(path.parent) if shared else None
            connection = sqlite3.connect(path, timeout=30, check_same_thread=False,
                                         isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        if held is not None:
            held.close()
        raise KelurahanError(f"{path}: basis data tidak dapat dibuka ({exc})") from None
    return Database("sqlite", connection, str(path), held)


def _setting(settings: Mapping[str, str] | Any, name: str) -> str | None:
    getter = getattr(settings, "get", None)
    value = getter(name) if callable(getter) else None
    return value or None


def _has_table(db: Database, name: str) -> bool:
    if db.engine == "postgresql":
        return db.row("SELECT to_regclass(?) AS t", (name,)) not in (None, {"t": None})
    return db.row("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = ?",
                  (name,)) is not None


def _count(db: Database, name: str) -> int:
    found = db.row(f"SELECT COUNT(*) AS n FROM {name}")
    return int(found["n"]) if found else 0


def _copy_table(source: Database, target: Database, name: str) -> int:
    rows = source.rows(f"SELECT * FROM {name}")
    if not rows:
        return 0
    columns = list(rows[0])
    target.execute_many(f"INSERT INTO {name} ({', '.join(columns)}) VALUES "
                        f"({', '.join('?' for _ in columns)})",
                        [[row[c] for c in columns] for row in rows])
    if target.engine == "postgresql":  # ids copied as they were: serials continue after them
        for column in columns:
            found = target.row("SELECT pg_get_serial_sequence(?, ?) AS seq", (name, column))
            if found and found["seq"]:
                target.execute(f"SELECT setval(?, (SELECT MAX({column}) FROM {name}))",
                               (found["seq"],))
    return len(rows)


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
