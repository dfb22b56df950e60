"""The bot's memory: answered message ids, residents handed to staff, the outbox.

Meta re-delivers a webhook for days when it did not get a 200 in time, so every message id is
remembered; a resident who asked for `petugas` is left to staff for a while. Residents are
stored as a hash of (kelurahan number, WhatsApp id). The outbox must hold a reply's recipient
until it is sent; a sent or abandoned row is deleted (SQLite with `secure_delete`), so numbers
do not linger.

SQLite in the state folder for one server; PostgreSQL (`KELURAHAN_DATABASE_URL`) for several
replicas behind a load balancer: the first replica to record a message id answers it, and
every outbox row belongs to the replica that queued it, so two replicas never send one reply.
A row whose replica died (its process is gone, or its lease ran out) is adopted by another.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from kelurahan.database import Database, Migration, Tables, open_database, refuse_uncopied
from publish.bot.outbox import OutboxStore, Outgoing, Queued

KEEP_SECONDS = 14 * 24 * 3600  # Meta retries for up to 7 days; keep twice that
LEASE_SECONDS = 10 * 60  # a replica that has not touched its row for this long is presumed gone
DATABASE_NAME = "bot.sqlite3"
_LOCK = "bot-state"
TABLES = Tables("bot", "memori bot", _LOCK, DATABASE_NAME, ("seen", "handoff", "outbox"))

_OUTBOX = """
CREATE TABLE IF NOT EXISTS outbox (
    id {serial},
    phone_number_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    ref TEXT NOT NULL,
    created {real} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at {real} NOT NULL,
    last_error TEXT
)"""
_TABLES = """
CREATE TABLE IF NOT EXISTS seen (message_id TEXT PRIMARY KEY, at {real} NOT NULL);
CREATE TABLE IF NOT EXISTS handoff (resident TEXT PRIMARY KEY, until {real} NOT NULL);
CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
""" + _OUTBOX
_SQLITE = {"real": "REAL", "serial": "INTEGER PRIMARY KEY AUTOINCREMENT"}
_POSTGRESQL = {"real": "DOUBLE PRECISION", "serial": "BIGSERIAL PRIMARY KEY"}
MIGRATIONS = [
    Migration(_TABLES.format(**_SQLITE), _TABLES.format(**_POSTGRESQL)),
    Migration("ALTER TABLE outbox ADD COLUMN owner TEXT;"
              "ALTER TABLE outbox ADD COLUMN lease_until REAL",
              "ALTER TABLE outbox ADD COLUMN owner TEXT;"
              "ALTER TABLE outbox ADD COLUMN lease_until DOUBLE PRECISION"),
]
_INSERT_OUTBOX = ("INSERT INTO outbox (phone_number_id, recipient, payload, ref, created, next_at,"
                  " owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")


class BotState(OutboxStore, Protocol):
    """What the bot keeps, whatever holds it: `BotStore`, on SQLite or PostgreSQL."""

    def seen(self, message_id: str) -> bool: ...
    def answer(self, message_id: str, now: float, items: Sequence[Outgoing], *,
               handoff_until: float | None = None, resume: bool = False,
               resident: tuple[str, str] | None = None) -> list[Queued] | None: ...
    def is_handed_off(self, phone_number_id: str, sender: str, now: float) -> bool: ...
    def prune(self, now: float) -> int: ...
    def close(self) -> None: ...


class BotStore:
    """The bot's tables on either engine; the server's threads share it."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.replica = replica_id()
        db.migrate("bot", MIGRATIONS)

    @classmethod
    def open(cls, settings: Mapping[str, str] | Any, state_dir: Path) -> BotStore:
        """`state_dir/bot.sqlite3`, or PostgreSQL when `KELURAHAN_DATABASE_URL` is set."""
        return cls(open_bot_database(settings, state_dir, TABLES))

    # ---- incoming messages ----

    def seen(self, message_id: str) -> bool:
        return self._db.row("SELECT 1 AS one FROM seen WHERE message_id = ?",
                            (message_id,)) is not None

    def answer(self, message_id: str, now: float, items: Sequence[Outgoing], *,
               handoff_until: float | None = None, resume: bool = False,
               resident: tuple[str, str] | None = None) -> list[Queued] | None:
        """Remember the id, queue its replies and change the hand-off, all or nothing.

        None when the id was already answered (a re-delivery, maybe to another replica, won):
        nothing queued.
        """
        with self._db.write(_LOCK):
            if not self._db.execute("INSERT INTO seen (message_id, at) VALUES (?, ?) "
                                    "ON CONFLICT (message_id) DO NOTHING", (message_id, now)):
                return None
            queued = self._add(items, now)
            if resident is not None and handoff_until is not None:
                self._db.execute("INSERT INTO handoff (resident, until) VALUES (?, ?) "
                                 "ON CONFLICT (resident) DO UPDATE SET until = excluded.until",
                                 (_resident(*resident), handoff_until))
            elif resident is not None and resume:
                self._db.execute("DELETE FROM handoff WHERE resident = ?",
                                 (_resident(*resident),))
        return queued

    def is_handed_off(self, phone_number_id: str, sender: str, now: float) -> bool:
        row = self._db.row("SELECT until FROM handoff WHERE resident = ?",
                           (_resident(phone_number_id, sender),))
        return row is not None and row["until"] > now

    # ---- outbox (publish.bot.outbox.OutboxStore) ----

    def add(self, items: Sequence[Outgoing], now: float) -> list[Queued]:
        with self._db.write(_LOCK):
            return self._add(items, now)

    def pending(self) -> list[Queued]:
        """This replica's unsent rows, after adopting those of replicas that are gone."""
        now = time.time()
        with self._db.write(_LOCK):
            for row in self._db.rows("SELECT id, owner, lease_until FROM outbox "
                                     "WHERE owner IS NULL OR owner <> ?", (self.replica,)):
                if replica_gone(row["owner"], row["lease_until"], now):
                    self._db.execute("UPDATE outbox SET owner = ?, lease_until = ? WHERE id = ?",
                                     (self.replica, now + LEASE_SECONDS, row["id"]))
        rows = self._db.rows(
            "SELECT id, phone_number_id, recipient, payload, ref, created, attempts, next_at"
            " FROM outbox WHERE owner = ? ORDER BY id", (self.replica,))
        return [Queued(id=r["id"], item=Outgoing(r["phone_number_id"], r["recipient"],
                                                 json.loads(r["payload"]), r["ref"]),
                       created=r["created"], attempts=r["attempts"], next_at=r["next_at"])
                for r in rows]

    def done(self, row_id: int) -> None:
        """Sent, or given up after logging why: the row (and the number in it) goes."""
        self._db.execute("DELETE FROM outbox WHERE id = ?", (row_id,))

    def retry_later(self, row_id: int, attempts: int, next_at: float, reason: str) -> None:
        self._db.execute("UPDATE outbox SET attempts = ?, next_at = ?, last_error = ?, "
                         "lease_until = ? WHERE id = ?",
                         (attempts, next_at, reason, next_at + LEASE_SECONDS, row_id))

    # ---- upkeep ----

    def prune(self, now: float) -> int:
        """Forget ids older than Meta's retry window and hand-offs that ended."""
        with self._db.write(_LOCK):
            forgotten = self._db.execute("DELETE FROM seen WHERE at < ?", (now - KEEP_SECONDS,))
            self._db.execute("DELETE FROM handoff WHERE until <= ?", (now,))
        return forgotten

    def close(self) -> None:
        self._db.close()

    def _add(self, items: Sequence[Outgoing], now: float) -> list[Queued]:
        queued = []
        for item in items:
            row = self._db.row(_INSERT_OUTBOX, (
                item.phone_number_id, item.recipient,
                json.dumps(item.payload, ensure_ascii=False), item.ref, now, now,
                self.replica, now + LEASE_SECONDS))
            assert row is not None
            queued.append(Queued(id=int(row["id"]), item=item, created=now, attempts=0,
                                 next_at=now))
        return queued


def replica_id() -> str:
    """This bot process, as other replicas see it: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def open_bot_database(settings: Mapping[str, str] | Any, state_dir: Path,
                      tables: Tables | None = None) -> Database:
    """The database of the bot's memory and the WhatsApp drafts (each store opens its own);
    with `tables`, refused while PostgreSQL lacks them and `bot.sqlite3` still has rows."""
    db = open_database(settings, state_dir, DATABASE_NAME)
    if tables is not None:
        try:
            refuse_uncopied(db, state_dir, tables)
        except BaseException:
            db.close()
            raise
    if db.engine == "sqlite":
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL: a commit survives the process being killed; only a power cut may
        # lose the last few, and Meta re-delivers webhooks it got no 200 for.
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA secure_delete=ON")  # a resident's number or a photo is overwritten
    return db


def replica_gone(owner: str | None, lease_until: float | None, now: float) -> bool:
    """No owner (a row from before replicas), a dead process on this host, or a lapsed lease."""
    if not owner:
        return True
    host, _, pid = owner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
    return (lease_until or 0) < now


def _resident(phone_number_id: str, sender: str) -> str:
    return hashlib.sha256(f"{phone_number_id}:{sender}".encode()).hexdigest()
