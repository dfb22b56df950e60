"""Drafts of posts sent from WhatsApp, kept in the bot's database until Terbitkan or Batal.

Nothing of a draft is in content/ and nothing is on the replica's disk: its text is a row and
its photos (JPEGs already without EXIF) are rows beside it, in the bot's SQLite file or in the
shared PostgreSQL database (`KELURAHAN_DATABASE_URL`). So behind a load balancer the photo can
reach one replica and Terbitkan another. Code that needs files (drawing the card, writing the
post into content/) gets them in a temporary folder for that moment only.

One open draft per staff member and kelurahan number, so a draft is only ever answered on the
number it came in on. A draft not touched for 24 hours is deleted with its photos. Every
change that two replicas could make at once is one write transaction: the draft is created
once, photo numbers never collide, and only one Terbitkan at a time may publish a draft. The
claim records the post's name before it is written, so a Terbitkan after a replica died half
way finishes that post rather than writing a second one; the draft is deleted only after the
answer with the link is queued, so a Terbitkan after a death during the build answers too.
Installs from before this kept photos in `<state>/draf/<id>/`: they are moved into the
database the first time the store opens.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kelurahan.database import Database, Migration, Tables
from publish.bot.media import MAX_BYTES
from publish.bot.store import DATABASE_NAME, open_bot_database, replica_gone, replica_id

log = logging.getLogger(__name__)

EXPIRE_SECONDS = 24 * 3600
MAX_PHOTOS = 10
PUBLISH_LEASE = 10 * 60  # a replica that died while publishing (on another host) frees it then
LEGACY_FOLDER = "draf"  # `<state>/draf/<id>/<n>.jpg` before the photos moved into the database
_LOCK = "bot-drafts"
TABLES = Tables("drafts", "draf WhatsApp", _LOCK, DATABASE_NAME,
                ("drafts", "draft_photos", "desk_seen"))

_DRAFTS = """
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
    updated {real} NOT NULL,
    UNIQUE (phone_number_id, sender)
);
CREATE INDEX IF NOT EXISTS drafts_updated ON drafts (updated)
"""
_PHOTOS = f"""
CREATE TABLE draft_photos (
    draft_id TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number BETWEEN 1 AND {MAX_PHOTOS}),
    jpeg {{blob}} NOT NULL CHECK (length(jpeg) <= {MAX_BYTES}),
    PRIMARY KEY (draft_id, number)
);
CREATE TABLE desk_seen (message_id TEXT PRIMARY KEY, at {{real}} NOT NULL);
ALTER TABLE drafts ADD COLUMN publishing {{real}}
"""
_SQLITE = {"real": "REAL", "blob": "BLOB"}
_POSTGRESQL = {"real": "DOUBLE PRECISION", "blob": "BYTEA"}
_TARGET = "ALTER TABLE drafts ADD COLUMN target TEXT; ALTER TABLE drafts ADD COLUMN publisher TEXT"
MIGRATIONS = [
    Migration(_DRAFTS.format(**_SQLITE), _DRAFTS.format(**_POSTGRESQL)),  # as SQLite had it
    Migration(_PHOTOS.format(**_SQLITE), _PHOTOS.format(**_POSTGRESQL)),
    Migration(_TARGET),  # the post a Terbitkan is writing, and which replica writes it
    # a caption that came with a photo while this titled draft was open, and the number of
    # that photo: the staff member is asked whether it starts a new post
    Migration("ALTER TABLE drafts ADD COLUMN pending TEXT; "
              "ALTER TABLE drafts ADD COLUMN pending_from INTEGER"),
]
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
    pending: str | None = None  # a newer photo's caption: new post, or added to this one?
    pending_from: int | None = None  # the first photo (number) that came with it
    target: str | None = None  # the post a Terbitkan chose (it may be written already)


class DraftStore:
    """Open drafts by (kelurahan number, staff number), their photos as rows beside them."""

    def __init__(self, db: Database, legacy_folder: Path | None = None) -> None:
        self._db = db
        db.migrate("drafts", MIGRATIONS)
        if legacy_folder is not None and legacy_folder.is_dir():
            self._import_folder(legacy_folder)

    @classmethod
    def open(cls, settings: Mapping[str, str] | Any, state_dir: Path) -> DraftStore:
        """Beside the bot's tables: `state_dir/bot.sqlite3`, or `KELURAHAN_DATABASE_URL`."""
        return cls(open_bot_database(settings, state_dir, TABLES), state_dir / LEGACY_FOLDER)

    def current(self, phone_number_id: str, sender: str, now: float) -> Draft | None:
        """The staff member's open draft on this number; an expired one is deleted instead."""
        draft = self._find(phone_number_id, sender)
        if draft is not None and now - draft.updated > EXPIRE_SECONDS:
            self.delete(draft)
            return None
        return draft

    def create(self, phone_number_id: str, sender: str, slug: str, now: float) -> Draft:
        """A new draft, or the one another replica created a moment ago for the same person."""
        with self._db.write(_LOCK):
            self._db.execute(f"INSERT INTO drafts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?) ON CONFLICT (phone_number_id, sender) DO NOTHING",
                             (uuid.uuid4().hex, phone_number_id, sender, slug, "", "", None, 0, 0,
                              now))
            draft = self._find(phone_number_id, sender)
        assert draft is not None
        return draft

    def save(self, draft: Draft, now: float) -> Draft:
        """Title, text, what is awaited and whether it was shown (photos change on their own)."""
        self._db.execute("UPDATE drafts SET title = ?, body = ?, awaiting = ?, shown = ?, "
                         "updated = ? WHERE id = ?",
                         (draft.title, draft.body, draft.awaiting, int(draft.shown), now, draft.id))
        return replace(draft, updated=now)

    def add_photo(self, draft: Draft, jpeg: bytes, now: float) -> Draft | None:
        """The draft, saved, with one more photo; None when it already has MAX_PHOTOS."""
        with self._db.write(_LOCK):
            row = self._db.row("SELECT photos FROM drafts WHERE id = ?", (draft.id,))
            if row is None:  # published or cancelled on another replica a moment ago
                raise LookupError(f"draf {draft.id} sudah tidak ada")
            count = int(row["photos"])
            if count >= MAX_PHOTOS or len(jpeg) > MAX_BYTES:
                return None
            self._db.execute("INSERT INTO draft_photos (draft_id, number, jpeg) VALUES (?, ?, ?)",
                             (draft.id, count + 1, jpeg))
            self._db.execute("UPDATE drafts SET photos = ? WHERE id = ?", (count + 1, draft.id))
            return self.save(replace(draft, photo_count=count + 1), now)

    def set_pending(self, draft: Draft, caption: str | None, first: int | None,
                    now: float) -> Draft:
        """Hold a newer caption (photos from `first` on came with it), or drop it (None)."""
        self._db.execute("UPDATE drafts SET pending = ?, pending_from = ?, updated = ? "
                         "WHERE id = ?", (caption, first, now, draft.id))
        return replace(draft, pending=caption, pending_from=first, updated=now)

    def split(self, draft: Draft, title: str, body: str, now: float) -> Draft | None:
        """The photos from `pending_from` on become a new draft (new id, so the old card's
        buttons no longer count) titled from the held caption; the older photos are deleted.
        None when the draft is gone or holds no caption."""
        new_id = uuid.uuid4().hex
        with self._db.write(_LOCK):
            row = self._db.row("SELECT photos, pending_from FROM drafts WHERE id = ?",
                               (draft.id,))
            if row is None or row["pending_from"] is None:
                return None
            first, count = int(row["pending_from"]), int(row["photos"])
            self._db.execute("DELETE FROM draft_photos WHERE draft_id = ? AND number < ?",
                             (draft.id, first))
            self._db.execute("UPDATE draft_photos SET draft_id = ?, number = number - ? "
                             "WHERE draft_id = ?", (new_id, first - 1, draft.id))
            self._db.execute(
                "UPDATE drafts SET id = ?, title = ?, body = ?, awaiting = NULL, photos = ?, "
                "shown = 0, updated = ?, pending = NULL, pending_from = NULL, publishing = NULL, "
                "publisher = NULL, target = NULL WHERE id = ?",
                (new_id, title, body, max(0, count - first + 1), now, draft.id))
            return self._find(draft.phone_number_id, draft.sender)

    def clear_photos(self, draft: Draft, now: float) -> Draft:
        with self._db.write(_LOCK):
            self._db.execute("DELETE FROM draft_photos WHERE draft_id = ?", (draft.id,))
            self._db.execute("UPDATE drafts SET photos = 0 WHERE id = ?", (draft.id,))
            return self.save(replace(draft, photo_count=0), now)

    def photos(self, draft: Draft, limit: int = MAX_PHOTOS) -> list[bytes]:
        rows = self._db.rows("SELECT jpeg FROM draft_photos WHERE draft_id = ? AND number <= ? "
                             "ORDER BY number", (draft.id, limit))
        return [bytes(r["jpeg"]) for r in rows]

    @contextmanager
    def photo_files(self, draft: Draft, limit: int = MAX_PHOTOS) -> Iterator[tuple[Path, ...]]:
        """The draft's first `limit` photos as `1.jpg`… in a temporary folder, gone afterwards."""
        with tempfile.TemporaryDirectory(prefix="kelurahan-draf-") as folder:
            paths = []
            for number, jpeg in enumerate(self.photos(draft, limit), start=1):
                path = Path(folder) / f"{number}.jpg"
                path.write_bytes(jpeg)
                paths.append(path)
            yield tuple(paths)

    def claim(self, draft: Draft, now: float, stem: str) -> str | None:
        """Only one Terbitkan at a time: None while another press (on any replica) publishes.

        Else the post's name, recorded before anything is written: `stem`, or the one an
        earlier press chose if its replica died (lease lapsed, or its process is gone from this
        host) after or while writing the post, so the post is finished, not written twice.
        """
        with self._db.write(_LOCK):
            row = self._db.row("SELECT publishing, publisher, target FROM drafts WHERE id = ?",
                               (draft.id,))
            if row is None or (row["publishing"] is not None and not replica_gone(
                    row["publisher"], row["publishing"], now)):
                return None
            target = row["target"] or stem
            self._db.execute("UPDATE drafts SET publishing = ?, publisher = ?, target = ? "
                             "WHERE id = ?", (now + PUBLISH_LEASE, replica_id(), target, draft.id))
        return str(target)

    def release(self, draft: Draft) -> None:
        """Publishing was refused (`check` failed), nothing written: it may be pressed again."""
        self._db.execute("UPDATE drafts SET publishing = NULL, publisher = NULL, target = NULL "
                         "WHERE id = ?", (draft.id,))

    def first_time(self, message_id: str, now: float) -> bool:
        """False when another replica already took this message (one webhook sent to two)."""
        return self._db.execute("INSERT INTO desk_seen (message_id, at) VALUES (?, ?) "
                                "ON CONFLICT (message_id) DO NOTHING", (message_id, now)) == 1

    def delete(self, draft: Draft) -> None:
        with self._db.write(_LOCK):
            self._db.execute("DELETE FROM draft_photos WHERE draft_id = ?", (draft.id,))
            self._db.execute("DELETE FROM drafts WHERE id = ?", (draft.id,))

    def expire(self, now: float) -> int:
        """Delete every draft untouched for 24 hours with its photos, and photos no draft owns."""
        with self._db.write(_LOCK):
            gone = self._db.execute("DELETE FROM drafts WHERE updated < ?",
                                    (now - EXPIRE_SECONDS,))
            self._db.execute("DELETE FROM draft_photos WHERE draft_id NOT IN "
                             "(SELECT id FROM drafts)")
            self._db.execute("DELETE FROM desk_seen WHERE at < ?", (now - EXPIRE_SECONDS,))
        return gone

    def close(self) -> None:
        self._db.close()

    def _find(self, phone_number_id: str, sender: str) -> Draft | None:
        row = self._db.row(f"SELECT {_COLUMNS}, pending, pending_from, target FROM drafts WHERE "
                           "phone_number_id = ? AND sender = ?", (phone_number_id, sender))
        if row is None:
            return None
        first = row["pending_from"]
        return Draft(id=row["id"], phone_number_id=row["phone_number_id"], sender=row["sender"],
                     slug=row["slug"], title=row["title"], body=row["body"],
                     awaiting=row["awaiting"], photo_count=int(row["photos"]),
                     shown=bool(row["shown"]), updated=float(row["updated"]),
                     pending=row["pending"], pending_from=None if first is None else int(first),
                     target=row["target"])

    def _import_folder(self, folder: Path) -> None:
        """Photos of drafts still open move into the database; the rest (expired) are deleted.

        A folder goes only after its rows are committed; after a crash in between the next
        start imports it again (the numbers already there are kept).
        """
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            with self._db.write(_LOCK):
                row = self._db.row("SELECT photos FROM drafts WHERE id = ?", (sub.name,))
                files = [sub / f"{n}.jpg" for n in range(1, int(row["photos"]) + 1)] if row else []
                found = [f for f in files[:MAX_PHOTOS]
                         if f.is_file() and f.stat().st_size <= MAX_BYTES]
                for number, path in enumerate(found, start=1):
                    self._db.execute("INSERT INTO draft_photos (draft_id, number, jpeg) VALUES "
                                     "(?, ?, ?) ON CONFLICT (draft_id, number) DO NOTHING",
                                     (sub.name, number, path.read_bytes()))
                if row:
                    self._db.execute("UPDATE drafts SET photos = ? WHERE id = ?",
                                     (len(found), sub.name))
            log.info("draf %s: %d foto dipindahkan dari %s ke basis data", sub.name, len(found),
                     folder)
            shutil.rmtree(sub, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
