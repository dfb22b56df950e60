"""The bot's memory in SQLite: message ids already answered, and residents handed to staff.

Meta re-delivers a webhook for days when it did not get a 200 in time, so every message id is
remembered; a resident who asked for `petugas` is left to staff for a while. Residents are
stored as a hash of (kelurahan number, WhatsApp id), never as their phone number.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

KEEP_SECONDS = 14 * 24 * 3600  # Meta retries for up to 7 days; keep twice that

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (message_id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS handoff (resident TEXT PRIMARY KEY, until REAL NOT NULL);
CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
"""


class BotStore:
    """One connection shared by the server's threads behind a lock (SQLite writes serialise)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def first_time(self, message_id: str, now: float) -> bool:
        """True once per message id: the caller answers it; False for a re-delivery."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO seen (message_id, at) VALUES (?, ?)", (message_id, now))
            return cursor.rowcount == 1

    def is_handed_off(self, phone_number_id: str, sender: str, now: float) -> bool:
        with self._lock:
            row = self._db.execute("SELECT until FROM handoff WHERE resident = ?",
                                   (_resident(phone_number_id, sender),)).fetchone()
        return row is not None and row[0] > now

    def hand_off(self, phone_number_id: str, sender: str, until: float) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO handoff (resident, until) VALUES (?, ?)",
                             (_resident(phone_number_id, sender), until))

    def resume(self, phone_number_id: str, sender: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM handoff WHERE resident = ?",
                             (_resident(phone_number_id, sender),))

    def prune(self, now: float) -> int:
        """Forget ids older than Meta's retry window and hand-offs that ended."""
        with self._lock:
            seen = self._db.execute("DELETE FROM seen WHERE at < ?", (now - KEEP_SECONDS,))
            self._db.execute("DELETE FROM handoff WHERE until <= ?", (now,))
            return seen.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _resident(phone_number_id: str, sender: str) -> str:
    return hashlib.sha256(f"{phone_number_id}:{sender}".encode()).hexdigest()
