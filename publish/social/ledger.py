"""The publishing ledger: one row per (kelurahan, post, channel), the single source of truth.

A row is claimed (state `inflight`, attempt counted) in a write transaction *before* any
platform call and finished after it, so a crash leaves an `inflight` row that the next run
reconciles with the platform instead of posting blindly. The table lives in SQLite in the
state folder, or in PostgreSQL when `KELURAHAN_DATABASE_URL` says so (`kelurahan.database`):
every write holds the ledger's lock there too, so publishers on several machines never both
claim a row. The state machine (`decide`) is shared and storage-free.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Protocol

from kelurahan.database import Database, Migration, Tables, open_database, refuse_uncopied
from kelurahan.errors import KelurahanError
from kelurahan.locks import StoresBusy
from publish.social.outcome import MAX_ATTEMPTS, Kind, Outcome, backoff

log = logging.getLogger(__name__)

LEDGER_NAME = "publish.sqlite3"
LEASE_SECONDS = 15 * 60


class State(enum.StrEnum):
    """A row's state; stored as these English values, shown in Indonesian by `report`."""

    INFLIGHT = "inflight"      # claimed by a run that is (or was, if it died) talking to a platform
    PUBLISHED = "published"
    SCHEDULED = "scheduled"    # Facebook holds it until `publish_at`
    RETRY = "retry"            # nothing landed; try again at `next_attempt_at`
    UNKNOWN = "unknown"        # may have landed: reconcile at `next_attempt_at` before re-sending
    FAILED = "failed"          # refused for good; a new `jadwal` tries again
    MANUAL = "manual"          # cannot be settled by us: a person must look (instructions given)
    CANCELLED = "cancelled"    # a held Facebook post withdrawn


DONE_STATES = (State.PUBLISHED, State.SCHEDULED)
SETTLED_STATES = (State.PUBLISHED, State.SCHEDULED, State.FAILED, State.MANUAL)


@dataclass(frozen=True)
class Key:
    kelurahan: str
    post: str
    channel: str

    def __str__(self) -> str:
        return f"{self.kelurahan}/{self.post}/{self.channel}"


@dataclass(frozen=True)
class Row:
    """What the ledger knows of one (post, channel); times are aware datetimes."""

    kelurahan: str
    post: str
    channel: str
    state: State
    attempts: int
    publish_at: dt.datetime
    platform_id: str | None = None
    url: str | None = None
    remote_ref: str | None = None
    error_kind: str | None = None
    last_error: str | None = None
    next_attempt_at: dt.datetime | None = None
    owner: str | None = None
    lease_until: float | None = None
    first_attempt_at: dt.datetime | None = None
    last_attempt_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    fingerprint: str | None = None     # of the card (caption + image) the platform holds

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", State(self.state))

    @property
    def key(self) -> Key:
        return Key(self.kelurahan, self.post, self.channel)


@dataclass(frozen=True)
class Claim:
    """Permission to act on one row now; with a `previous` row, reconcile before posting."""

    key: Key
    attempts: int
    previous: Row | None


class Ledger(Protocol):
    def claim(self, key: Key, publish_at: dt.datetime, now: dt.datetime, *,
              withdraw: bool = False) -> Claim | None: ...
    def note_ref(self, key: Key, remote_ref: str) -> None: ...
    def finish(self, claim: Claim, outcome: Outcome, now: dt.datetime, *,
               fingerprint: str | None = None) -> Row: ...
    def resolve(self, key: Key, state: State, now: dt.datetime) -> Row | None: ...
    def get(self, key: Key) -> Row | None: ...
    def rows(self) -> list[Row]: ...
    def close(self) -> None: ...


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_alive(owner: str | None) -> bool:
    """Whether the run holding a lease still exists (only knowable on this host)."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def decide(row: Row | None, publish_at: dt.datetime, now: dt.datetime, wall_clock: float,
           *, withdraw: bool = False) -> bool:
    """Whether to act on a row now, given the post's current `jadwal`.

    Any row that exists was attempted before, so acting on it always starts by reconciling
    with the platform: a crash, a timeout or a 5xx may have posted it after all. `withdraw`
    asks for a post the platform holds for later (Facebook) that is no longer wanted then.
    """
    if row is None:
        return not withdraw
    if withdraw:
        return row.state is State.SCHEDULED and row.publish_at > now
    moved = row.publish_at != publish_at
    match row.state:
        case State.PUBLISHED:
            return False
        case State.SCHEDULED:
            return moved and row.publish_at > now
        case State.INFLIGHT:
            return (row.lease_until or 0) < wall_clock or not _owner_alive(row.owner)
        case State.FAILED | State.MANUAL:
            return moved
        case State.CANCELLED:
            return True
    return moved or row.next_attempt_at is None or row.next_attempt_at <= now


_COLUMNS = [f.name for f in fields(Row)]
_TIMES = {"publish_at", "next_attempt_at", "first_attempt_at", "last_attempt_at", "published_at"}
_TABLE = """
CREATE TABLE IF NOT EXISTS attempts (
    kelurahan TEXT NOT NULL, post TEXT NOT NULL, channel TEXT NOT NULL,
    state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, publish_at TEXT NOT NULL,
    platform_id TEXT, url TEXT, remote_ref TEXT, error_kind TEXT, last_error TEXT,
    next_attempt_at TEXT, owner TEXT, lease_until {real},
    first_attempt_at TEXT, last_attempt_at TEXT, published_at TEXT, fingerprint TEXT,
    PRIMARY KEY (kelurahan, post, channel)
)
"""
MIGRATIONS = [
    # 1: the table as it stands (an SQLite ledger from before versioning already has it).
    Migration(_TABLE.format(real="REAL"), _TABLE.format(real="DOUBLE PRECISION")),
]
_LOCK = "publish-ledger"
TABLES = Tables("publish-ledger", "buku catatan publikasi", _LOCK, LEDGER_NAME, ("attempts",))


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def _row(record: dict[str, Any]) -> Row:
    values: dict[str, Any] = {name: record.get(name) for name in _COLUMNS}
    for name in _TIMES:
        if values[name] is not None:
            values[name] = dt.datetime.fromisoformat(values[name])
    return Row(**values)


def _add_fingerprint(db: Database) -> None:
    """An SQLite ledger from the first release lacks `fingerprint` (before versioning)."""
    if db.engine != "sqlite":
        return
    have = {r["name"] for r in db.rows("PRAGMA table_info(attempts)")}
    if have and "fingerprint" not in have:
        with db.write(_LOCK):
            if "fingerprint" not in {r["name"] for r in db.rows("PRAGMA table_info(attempts)")}:
                db.execute("ALTER TABLE attempts ADD COLUMN fingerprint TEXT")


class SQLLedger:
    """The ledger on either engine: claims under the ledger's write lock, real-clock leases
    with the owner's host and pid."""

    def __init__(self, db: Database, *, lease_seconds: int = LEASE_SECONDS) -> None:
        self.db = db
        self.lease_seconds = lease_seconds
        self.owner = owner_id()
        try:
            if db.engine == "sqlite":
                # Rollback journal, not WAL: a read-only reader (dry run, status, audit) then
                # creates no -wal/-shm files, and runs are short.
                db.execute("PRAGMA synchronous=FULL")
            _add_fingerprint(db)
            db.migrate("publish-ledger", MIGRATIONS)
        except Exception as exc:
            if isinstance(exc, KelurahanError):
                raise
            raise _unusable(db.where, exc) from None

    @contextmanager
    def _write(self) -> Iterator[Database]:
        with self.db.write(_LOCK):
            yield self.db

    def get(self, key: Key) -> Row | None:
        record = self.db.row(
            "SELECT * FROM attempts WHERE kelurahan=? AND post=? AND channel=?",
            (key.kelurahan, key.post, key.channel))
        return None if record is None else _row(record)

    def rows(self) -> list[Row]:
        records = self.db.rows("SELECT * FROM attempts ORDER BY publish_at, kelurahan, post")
        return [_row(r) for r in records]

    def claim(self, key: Key, publish_at: dt.datetime, now: dt.datetime, *,
              withdraw: bool = False) -> Claim | None:
        with self._write():
            row = self.get(key)
            if not decide(row, publish_at, now, time.time(), withdraw=withdraw):
                return None
            attempts = (row.attempts if row else 0) + 1
            self._upsert_inflight(key, publish_at, now, attempts, row)
        log.debug("claimed %s (attempt %d)", key, attempts)
        return Claim(key, attempts, row)

    def _upsert_inflight(self, key: Key, publish_at: dt.datetime, now: dt.datetime,
                         attempts: int, row: Row | None) -> None:
        lease = time.time() + self.lease_seconds
        if row is None:
            self.db.execute(
                "INSERT INTO attempts (kelurahan, post, channel, state, attempts, publish_at,"
                " owner, lease_until, first_attempt_at, last_attempt_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key.kelurahan, key.post, key.channel, State.INFLIGHT.value, attempts, _iso(publish_at),
                 self.owner, lease, _iso(now), _iso(now)))
            return
        self.db.execute(
            "UPDATE attempts SET state=?, attempts=?, publish_at=?, owner=?,"
            " lease_until=?, last_attempt_at=? WHERE kelurahan=? AND post=? AND channel=?",
            (State.INFLIGHT.value, attempts, _iso(publish_at), self.owner, lease, _iso(now),
             key.kelurahan, key.post, key.channel))

    def note_ref(self, key: Key, remote_ref: str) -> None:
        """Remember a container / publish id mid-flight, so a crash can be reconciled."""
        with self._write():
            self.db.execute(
                "UPDATE attempts SET remote_ref=? WHERE kelurahan=? AND post=? AND channel=?",
                (remote_ref, key.kelurahan, key.post, key.channel))

    def finish(self, claim: Claim, outcome: Outcome, now: dt.datetime, *,
               fingerprint: str | None = None) -> Row:
        """Record what happened; the lease is released in the same write.

        A run that could not even try (token, permission, throttling, card not online) gives
        its attempt back, so the retry budget is spent only on real tries.
        """
        attempts = claim.attempts if outcome.tried else max(claim.attempts - 1, 0)
        state, next_at, reason = _state_for(outcome, attempts, now)
        published_at = outcome.scheduled_for or now if outcome.done else None
        key = claim.key
        with self._write():
            self.db.execute(
                "UPDATE attempts SET state=?, attempts=?, error_kind=?, last_error=?,"
                " next_attempt_at=?, platform_id=COALESCE(?, platform_id), url=COALESCE(?, url),"
                " remote_ref=NULLIF(COALESCE(?, remote_ref), ''),"
                " published_at=COALESCE(?, published_at), fingerprint=COALESCE(?, fingerprint),"
                " owner=NULL, lease_until=NULL"
                " WHERE kelurahan=? AND post=? AND channel=?",
                (state.value, attempts, None if outcome.done else outcome.kind.value,
                 reason or None, _iso(next_at), outcome.platform_id, outcome.url,
                 outcome.remote_ref, _iso(published_at),
                 fingerprint if outcome.done else None, key.kelurahan, key.post, key.channel))
            row = self.get(key)
        assert row is not None
        return row

    def resolve(self, key: Key, state: State, now: dt.datetime) -> Row | None:
        """A person settled a `manual` row: seen on the platform (published) or not (retry,
        with a fresh retry budget and no remote reference). None if the row is not manual."""
        published = state is State.PUBLISHED
        with self._write():
            row = self.get(key)
            if row is None or row.state is not State.MANUAL:
                return None
            self.db.execute(
                "UPDATE attempts SET state=?, attempts=?, error_kind=NULL, last_error=?,"
                " next_attempt_at=NULL, remote_ref=?, published_at=?"
                " WHERE kelurahan=? AND post=? AND channel=?",
                (state.value, row.attempts if published else 0,
                 "ditandai terbit oleh petugas" if published else None,
                 row.remote_ref if published else None,
                 _iso(row.last_attempt_at or now) if published else None,
                 key.kelurahan, key.post, key.channel))
            return self.get(key)

    def close(self) -> None:
        self.db.close()


def _state_for(outcome: Outcome, attempts: int, now: dt.datetime
               ) -> tuple[State, dt.datetime | None, str]:
    """Ledger state, next attempt time and reason for an outcome."""
    kind = outcome.kind
    if outcome.done:
        return State(kind.value), None, ""
    if kind is Kind.CANCELLED:
        return State.CANCELLED, None, outcome.reason
    if kind is Kind.REJECTED:
        return State.FAILED, None, outcome.reason
    if kind is Kind.MANUAL:
        return State.MANUAL, None, outcome.reason
    if outcome.tried and attempts >= MAX_ATTEMPTS:
        return State.MANUAL, None, (f"menyerah setelah {attempts} percobaan; terakhir: "
                                    f"{outcome.reason}")
    state = State.UNKNOWN if kind in (Kind.UNKNOWN, Kind.PENDING) else State.RETRY
    wait = outcome.retry_after or backoff(kind, attempts)
    return state, outcome.retry_at or now + wait, outcome.reason


def open_ledger(state_dir: Path, database_url: str | None = None) -> SQLLedger:
    """`state_dir/publish.sqlite3`, or the PostgreSQL database at `database_url` (refused
    while it is empty and the SQLite ledger in `state_dir` still has rows to copy)."""
    db = _database(state_dir, database_url)
    try:
        refuse_uncopied(db, state_dir, TABLES)
    except BaseException:
        db.close()
        raise
    return SQLLedger(db)


def ledger_at(path: Path, *, lease_seconds: int = LEASE_SECONDS) -> SQLLedger:
    """A ledger in the SQLite file `path` (tests and benchmarks name the file)."""
    return SQLLedger(_database(path.parent, None, path.name), lease_seconds=lease_seconds)


def read_rows(state_dir: Path, database_url: str | None = None) -> list[Row]:
    """Every row, read-only; [] when there is no ledger yet (touches nothing)."""
    if not database_url and not (state_dir / LEDGER_NAME).is_file():
        return []
    db = _database(state_dir, database_url, read_only=True)
    try:
        if db.engine == "postgresql" and (db.row("SELECT to_regclass('attempts') AS t")
                                          or {}).get("t") is None:
            return []
        return [_row(r) for r in db.rows("SELECT * FROM attempts")]
    except KelurahanError:
        raise
    except Exception as exc:
        raise _unusable(db.where, exc) from None
    finally:
        db.close()


def _database(state_dir: Path, database_url: str | None, name: str = LEDGER_NAME, *,
              read_only: bool = False) -> Database:
    settings = {"KELURAHAN_DATABASE_URL": database_url} if database_url else {}
    try:
        return open_database(settings, state_dir, name, read_only=read_only)
    except StoresBusy:
        raise  # a copy is moving it: nothing is wrong with the ledger
    except KelurahanError as exc:
        if database_url:
            raise
        raise _unusable(str(state_dir / name), exc) from None


def _unusable(path: str | Path, exc: Exception) -> KelurahanError:
    """Never recreate a broken ledger: without it every post could go out twice."""
    return KelurahanError(
        f"buku catatan publikasi {path} tidak bisa dipakai ({exc}); jangan dihapus — tanpa "
        "buku ini posting bisa terkirim dua kali. Pulihkan dari cadangan atau periksa izin "
        "folder KELURAHAN_STATE_DIR, lalu jalankan lagi.")


def last_published(state_dir: Path, now: dt.datetime | None = None,
                   database_url: str | None = None) -> dict[tuple[str, str], dt.datetime]:
    """(kelurahan slug, channel) → time of the last confirmed post at or before `now`."""
    moment = now or dt.datetime.now(dt.UTC)
    latest: dict[tuple[str, str], dt.datetime] = {}
    for row in read_rows(state_dir, database_url):
        if row.state in DONE_STATES and row.published_at and row.published_at <= moment:
            account = (row.kelurahan, row.channel)
            latest[account] = max(latest.get(account, row.published_at), row.published_at)
    return latest
