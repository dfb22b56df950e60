"""A content-addressed store of rendered cards, so an unchanged post is never drawn twice.

The key covers everything a card shows (text, photo bytes, logo bytes), the theme data and
fonts, and `CODE_VERSION`: bump it whenever drawing code changes what cards look like.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from generator.cards.render import CardText

CODE_VERSION = "kartu-2"
CHANNELS = ("facebook", "instagram", "tiktok")
_META = "meta.json"


def file_digest(path: Path | None) -> str | None:
    """sha256 of a file's bytes; None for no file."""
    if path is None:
        return None
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def card_key(theme_fingerprint: str, text: CardText, photo: str | None, logo: str | None) -> str:
    stamp = {"code": CODE_VERSION, "theme": theme_fingerprint, "text": asdict(text),
             "photo": photo, "logo": logo}
    return hashlib.sha256(json.dumps(stamp, sort_keys=True).encode()).hexdigest()


class CardCache:
    """`<root>/<key[:2]>/<key>/{facebook,instagram,tiktok}.jpg` plus `meta.json` (warnings).

    One cache per kelurahan, so after a run everything its posts no longer use can go.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def entry(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry's notes when all its files are present, else None."""
        folder = self.entry(key)
        try:
            meta = json.loads((folder / _META).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not all((folder / f"{c}.jpg").is_file() for c in CHANNELS):
            return None
        return meta

    def put(self, key: str, images: dict[str, bytes], meta: dict[str, Any]) -> Path:
        """Write a complete entry next to its place, then rename it in: never half an entry."""
        final = self.entry(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key[:8]}-", dir=final.parent))
        for channel, data in images.items():
            (staging / f"{channel}.jpg").write_bytes(data)
        (staging / _META).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        if final.exists() and self.get(key) is None:
            shutil.rmtree(final)  # an incomplete entry left by a killed run
        try:
            os.replace(staging, final)
        except OSError:  # another process put the same entry first: same key, same cards
            shutil.rmtree(staging)
        return final

    def prune(self, keep: set[str]) -> int:
        """Remove entries not in `keep` (cards of edited or deleted posts); returns how many."""
        removed = 0
        for entry in self.root.glob("*/*"):
            if entry.is_dir() and entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return removed


def place(entry: Path, target: Path) -> None:
    """Hard-link (or copy, across devices) the cached cards into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for channel in CHANNELS:
        source, dest = entry / f"{channel}.jpg", target / f"{channel}.jpg"
        with contextlib.suppress(FileNotFoundError):
            if dest.samefile(source):
                continue
        temporary = target / f".{channel}.jpg.tmp"
        temporary.unlink(missing_ok=True)
        try:
            os.link(source, temporary)
        except OSError:
            shutil.copyfile(source, temporary)
        os.replace(temporary, dest)
