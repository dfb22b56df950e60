"""The bot's memory in SQLite: answered message ids, residents handed to staff, the outbox.

Meta re-delivers a webhook for days when it did not get a 200 in time, so every message id is
remembered; a resident who asked for `petugas` is left to staff for a while. Residents are
stored as a hash of (kelurahan number, WhatsApp id). The outbox must hold a reply's recipient
until it is sent; a sent or abandoned row is deleted with `secure_delete`, so numbers do not
linger in the file.

Plain SQL through one small class behind the `BotState` protocol: a PostgreSQL store offers
the same methods with the same statements (`?` becomes `%s`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from publish.bot.outbox import OutboxStore, Outgoing, Queued

KEEP_SECONDS = 14 * 24 * 3600  # Meta retries for up to 7 days; keep twice that

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (message_id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS handoff (resident TEXT PRIMARY KEY, until REAL NOT NULL);
CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone_number_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    ref TEXT NOT NULL,
    created REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL,
    last_error TEXT
);
"""
_INSERT_OUTBOX = ("INSERT INTO outbox (phone_number_id, recipient, payload, ref, created, next_at)"
                  " VALUES (?, ?, ?, ?, ?, ?)")


class BotState(OutboxStore, Protocol):
    """What the bot keeps, whatever holds it: `BotStore` (SQLite) today; a PostgreSQL class
    with the same methods and statements for several replicas (issue 18)."""

    def seen(self, message_id: str) -> bool: ...
    def answer(self, message_id: str, now: float, items: Sequence[Outgoing], *,
               handoff_until: float | None = None, resume: bool = False,
               resident: tuple[str, str] | None = None) -> list[Queued] | None: ...
    def is_handed_off(self, phone_number_id: str, sender: str, now: float) -> bool: ...
    def prune(self, now: float) -> int: ...
    def close(self) -> None: ...


class BotStore:
    """One connection shared by the server's threads behind a lock (SQLite writes serialise)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL: a commit survives the process being killed; only a power cut may lose
        # the last few, and Meta re-delivers webhooks it got no 200 for.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA secure_delete=ON")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    # ---- incoming messages ----

    def seen(self, message_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM seen WHERE message_id = ?",
                                   (message_id,)).fetchone()
        return row is not None

    def answer(self, message_id: str, now: float, items: Sequence[Outgoing], *,
               handoff_until: float | None = None, resume: bool = False,
               resident: tuple[str, str] | None = None) -> list[Queued] | None:
        """Remember the id, queue its replies and change the hand-off, all or nothing.

        None when the id was already answered (a concurrent re-delivery won): nothing queued.
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO seen (message_id, at) VALUES (?, ?)", (message_id, now))
                if cursor.rowcount != 1:
                    self._db.execute("ROLLBACK")
                    return None
                queued = self._add(items, now)
                if resident is not None and handoff_until is not None:
                    self._db.execute("INSERT OR REPLACE INTO handoff (resident, until) "
                                     "VALUES (?, ?)", (_resident(*resident), handoff_until))
                elif resident is not None and resume:
                    self._db.execute("DELETE FROM handoff WHERE resident = ?",
                                     (_resident(*resident),))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return queued

    def is_handed_off(self, phone_number_id: str, sender: str, now: float) -> bool:
        with self._lock:
            row = self._db.execute("SELECT until FROM handoff WHERE resident = ?",
                                   (_resident(phone_number_id, sender),)).fetchone()
        return row is not None and row[0] > now

    # ---- outbox (publish.bot.outbox.OutboxStore) ----

    def add(self, items: Sequence[Outgoing], now: float) -> list[Queued]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                queued = self._add(items, now)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return queued

    def pending(self) -> list[Queued]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, phone_number_id, recipient, payload, ref, created, attempts, next_at"
                " FROM outbox ORDER BY id").fetchall()
        return [Queued(id=r[0], item=Outgoing(r[1], r[2], json.loads(r[3]), r[4]), created=r[5],
                       attempts=r[6], next_at=r[7]) for r in rows]

    def done(self, row_id: int) -> None:
        """Sent, or given up after logging why: the row (and the number in it) goes."""
        with self._lock:
            self._db.execute("DELETE FROM outbox WHERE id = ?", (row_id,))

    def retry_later(self, row_id: int, attempts: int, next_at: float, reason: str) -> None:
        with self._lock:
            self._db.execute("UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? "
                             "WHERE id = ?", (attempts, next_at, reason, row_id))

    # ---- upkeep ----

    def prune(self, now: float) -> int:
        """Forget ids older than Meta's retry window and hand-offs that ended."""
        with self._lock:
            seen = self._db.execute("DELETE FROM seen WHERE at < ?", (now - KEEP_SECONDS,))
            self._db.execute("DELETE FROM handoff WHERE until <= ?", (now,))
            return seen.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _add(self, items: Sequence[Outgoing], now: float) -> list[Queued]:
        queued = []
        for item in items:
            cursor = self._db.execute(_INSERT_OUTBOX, (
                item.phone_number_id, item.recipient,
                json.dumps(item.payload, ensure_ascii=False), item.ref, now, now))
            queued.append(Queued(id=int(cursor.lastrowid or 0), item=item, created=now,
                                 attempts=0, next_at=now))
        return queued


def _resident(phone_number_id: str, sender: str) -> str:
    return hashlib.sha256(f"{phone_number_id}:{sender}".encode()).hexdigest()
