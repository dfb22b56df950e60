"""A content-addressed store of rendered cards, so an unchanged post is never drawn twice.

The key covers everything a card shows (text, photo bytes, logo bytes), the theme data and
fonts, and `CODE_VERSION`: bump it whenever drawing code changes what cards look like. An
entry holds the channels drawn so far: old posts get only their Facebook card (the page's
`og:image`); Instagram and TikTok are added to the same entry if they are ever needed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generator.cards.render import CardText
from kelurahan.files import link_or_copy, replace_with_link, write_text_atomic

CODE_VERSION = "kartu-3"
CHANNELS = ("facebook", "instagram", "tiktok")
_META = "meta.json"


def card_key(theme_fingerprint: str, text: CardText, photo: str | None, logo: str | None) -> str:
    stamp = {"code": CODE_VERSION, "theme": theme_fingerprint, "text": asdict(text),
             "photo": photo, "logo": logo}
    return hashlib.sha256(json.dumps(stamp, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """A cache entry: its folder, the channels drawn in it, and its notes (failure, warnings)."""

    folder: Path
    channels: tuple[str, ...]
    notes: dict[str, Any]


class CardCache:
    """`<root>/<key[:2]>/<key>/<channel>.jpg` for the channels drawn, plus `meta.json` when
    there are notes (most cards have none: one file fewer to create for each of a city's posts).

    One cache per kelurahan, so after a run everything its posts no longer use can go.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def entry(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> Entry | None:
        """The entry with the channels whose files are present, else None."""
        folder = self.entry(key)
        drawn = tuple(c for c in CHANNELS if (folder / f"{c}.jpg").is_file())
        if not drawn:
            return None
        try:
            notes = json.loads((folder / _META).read_text("utf-8"))
        except FileNotFoundError:
            notes = {}
        except (OSError, ValueError):
            return None
        return Entry(folder, drawn, notes)

    def put(self, key: str, images: dict[str, bytes], notes: dict[str, Any], *,
            add: bool = False) -> Entry:
        """A new entry (renamed in whole), or with `add` more channels for an existing one.

        Each file appears by rename, so a reader never sees half a JPEG; `meta.json` is
        rewritten after the JPEGs it describes.
        """
        current = self.get(key) if add else None
        if current is None:
            return self._create(key, images, notes)
        for channel, data in images.items():
            _write_bytes_atomic(current.folder / f"{channel}.jpg", data)
        if _worth_keeping(notes):
            write_text_atomic(current.folder / _META, json.dumps(notes, ensure_ascii=False))
        else:
            (current.folder / _META).unlink(missing_ok=True)
        return self.get(key) or current

    def _create(self, key: str, images: dict[str, bytes], notes: dict[str, Any]) -> Entry:
        final = self.entry(key)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{key[:8]}-", dir=final.parent))
        except FileNotFoundError:  # the first entry under this prefix: its folder is made once
            final.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{key[:8]}-", dir=final.parent))
        for channel, data in images.items():
            (staging / f"{channel}.jpg").write_bytes(data)
        if _worth_keeping(notes):
            (staging / _META).write_text(json.dumps(notes, ensure_ascii=False), "utf-8")
        if final.exists():
            shutil.rmtree(final)  # redrawn (--force) or left incomplete by a killed run
        try:
            os.replace(staging, final)
        except OSError:  # another process put the same entry first: same key, same cards
            shutil.rmtree(staging)
            return self.get(key) or Entry(final, tuple(images), notes)
        return Entry(final, tuple(c for c in CHANNELS if c in images), notes)

    def prune(self, keep: set[str]) -> int:
        """Remove entries not in `keep` (cards of edited or deleted posts); returns how many."""
        removed = 0
        for entry in self.root.glob("*/*"):
            if entry.is_dir() and entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return removed


def _worth_keeping(notes: dict[str, Any]) -> bool:
    """Notes with something in them (a failure, a warning, a shortened title)."""
    return any(notes.values())


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def place(entry: Entry, target: Path) -> bool:
    """Hard-link (or copy, across devices) the entry's cards into `target`; no other card stays.
    True when `target` is new (a build's staging): then nothing was there to replace."""
    try:
        target.mkdir(parents=True)
    except FileExistsError:
        pass
    else:
        for channel in entry.channels:
            link_or_copy(entry.folder / f"{channel}.jpg", target / f"{channel}.jpg")
        return True
    for channel in set(CHANNELS) - set(entry.channels):
        (target / f"{channel}.jpg").unlink(missing_ok=True)
    for channel in entry.channels:
        replace_with_link(entry.folder / f"{channel}.jpg", target / f"{channel}.jpg")
    return False
