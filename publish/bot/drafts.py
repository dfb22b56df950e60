"""Drafts of posts sent from WhatsApp, kept in the state directory until Terbitkan or Batal.

Nothing of a draft is in content/: its text is a row in the bot database (same SQLite file
as `BotStore`), its photos are JPEGs (already without EXIF) in `<state>/draf/<id>/`. A draft
not touched for 24 hours is deleted with its photos. One open draft per staff member and
kelurahan number, so a staff member's draft can only ever be answered on the number it came
in on. The SQL is plain (no SQLite-only syntax beyond `?` placeholders), so a PostgreSQL
store can implement the same methods later.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

EXPIRE_SECONDS = 24 * 3600
MAX_PHOTOS = 10

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    phone_number_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    awaiting TEXT,
    photos INTEGER NOT NULL,
    shown INTEGER NOT NULL,
    updated REAL NOT NULL,
    UNIQUE (phone_number_id, sender)
);
CREATE INDEX IF NOT EXISTS drafts_updated ON drafts (updated);
"""
_COLUMNS = "id, phone_number_id, sender, slug, title, body, awaiting, photos, shown, updated"


@dataclass(frozen=True)
class Draft:
    id: str
    phone_number_id: str
    sender: str
    slug: str
    title: str = ""
    body: str = ""
    awaiting: str | None = None  # "judul", "isi" or "foto": the next message is that value
    photo_count: int = 0
    shown: bool = False  # its card was sent at least once ("dibuat", then "diperbarui")
    updated: float = 0.0
    folder: Path = field(default=Path(), compare=False)

    @property
    def photos(self) -> tuple[Path, ...]:
        return tuple(self.folder / f"{n}.jpg" for n in range(1, self.photo_count + 1))


class DraftStore:
    """Open drafts by (kelurahan number, staff number); photos as files beside the database."""

    def __init__(self, db_path: Path, photo_dir: Path) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self.photo_dir = photo_dir
        self._db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def open(self, phone_number_id: str, sender: str, now: float) -> Draft | None:
        """The staff member's open draft on this number; an expired one is deleted instead."""
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM drafts WHERE phone_number_id = ? "
                                   "AND sender = ?", (phone_number_id, sender)).fetchone()
        if row is None:
            return None
        draft = self._draft(row)
        if now - draft.updated > EXPIRE_SECONDS:
            self.delete(draft)
            return None
        return draft

    def create(self, phone_number_id: str, sender: str, slug: str, now: float) -> Draft:
        draft = self._with_folder(Draft(uuid.uuid4().hex, phone_number_id, sender, slug,
                                        updated=now))
        with self._lock:
            self._db.execute(f"INSERT INTO drafts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (draft.id, phone_number_id, sender, slug, "", "", None, 0, 0, now))
        return draft

    def save(self, draft: Draft, now: float) -> Draft:
        """Title, text, what is awaited and the photo count (the photos are already written)."""
        with self._lock:
            self._db.execute("UPDATE drafts SET title = ?, body = ?, awaiting = ?, photos = ?, "
                             "shown = ?, updated = ? WHERE id = ?",
                             (draft.title, draft.body, draft.awaiting, draft.photo_count,
                              int(draft.shown), now, draft.id))
        return replace(draft, updated=now)

    def add_photo(self, draft: Draft, jpeg: bytes, now: float) -> Draft | None:
        """The draft with one more photo; None when it already has MAX_PHOTOS."""
        if draft.photo_count >= MAX_PHOTOS:
            return None
        draft.folder.mkdir(parents=True, exist_ok=True)
        count = draft.photo_count + 1
        temp = draft.folder / f".{count}.jpg.tmp"
        temp.write_bytes(jpeg)
        temp.replace(draft.folder / f"{count}.jpg")
        return self.save(replace(draft, photo_count=count), now)

    def clear_photos(self, draft: Draft, now: float) -> Draft:
        shutil.rmtree(draft.folder, ignore_errors=True)
        return self.save(replace(draft, photo_count=0), now)

    def delete(self, draft: Draft) -> None:
        with self._lock:
            self._db.execute("DELETE FROM drafts WHERE id = ?", (draft.id,))
        shutil.rmtree(draft.folder, ignore_errors=True)

    def expire(self, now: float) -> int:
        """Delete every draft untouched for 24 hours, and photo folders no draft owns."""
        with self._lock:
            rows = self._db.execute("SELECT id FROM drafts WHERE updated < ?",
                                    (now - EXPIRE_SECONDS,)).fetchall()
            self._db.execute("DELETE FROM drafts WHERE updated < ?", (now - EXPIRE_SECONDS,))
            alive = {r[0] for r in self._db.execute("SELECT id FROM drafts").fetchall()}
        if self.photo_dir.is_dir():
            for folder in self.photo_dir.iterdir():
                if folder.name not in alive:
                    shutil.rmtree(folder, ignore_errors=True)
        return len(rows)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _draft(self, row: tuple) -> Draft:
        draft = Draft(id=row[0], phone_number_id=row[1], sender=row[2], slug=row[3],
                      title=row[4], body=row[5], awaiting=row[6], photo_count=row[7],
                      shown=bool(row[8]), updated=row[9])
        return self._with_folder(draft)

    def _with_folder(self, draft: Draft) -> Draft:
        return replace(draft, folder=self.photo_dir / draft.id)
