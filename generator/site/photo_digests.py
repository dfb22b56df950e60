"""Content hashes of photos, remembered on disk by (path, size, mtime): a rebuild reads none of
the unchanged ones.

The card cache is keyed by a photo's hash and the site's WebP copies are named by it, so every
rebuild of a site needs the hash of each of its ~150 photos (a few MB each from a phone). One
memo file per photo folder (a kelurahan's `media/`), read once and written once per build of
that site, instead of a small file per photo: a city's first build created 8,850 of those.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kelurahan.files import file_sha256, write_text_atomic

MEMO_DIR = "sidik"


class PhotoDigests:
    """sha256 of photo files; `save()` writes what was learnt."""

    def __init__(self, cache_dir: Path) -> None:
        self._dir = cache_dir / MEMO_DIR
        self._memos: dict[Path, dict[str, list]] = {}  # by photo folder: name → size, mtime, hash
        self._changed: set[Path] = set()

    def of(self, path: Path) -> str:
        """The photo's sha256 (hex); OSError if it cannot be read."""
        info = path.stat()
        stamp = [info.st_size, info.st_mtime_ns]
        memo = self._memo(path.parent)
        known = memo.get(path.name)
        if not (isinstance(known, list) and known[:2] == stamp and len(known) == 3):
            known = memo[path.name] = [*stamp, file_sha256(path)]
            self._changed.add(path.parent)
        return str(known[2])

    def save(self) -> None:
        """Best effort: a memo that cannot be written only costs reading the photos again."""
        for folder in self._changed:
            memo = {name: entry for name, entry in self._memo(folder).items()
                    if (folder / name).exists()}  # deleted photos are forgotten
            try:
                write_text_atomic(self._file(folder), json.dumps(memo, sort_keys=True))
            except OSError:
                continue
        self._changed.clear()

    def _memo(self, folder: Path) -> dict[str, list]:
        if folder not in self._memos:
            try:
                memo = json.loads(self._file(folder).read_text("utf-8"))
            except (OSError, ValueError):
                memo = {}
            self._memos[folder] = memo if isinstance(memo, dict) else {}
        return self._memos[folder]

    def _file(self, folder: Path) -> Path:
        return self._dir / f"{hashlib.sha1(str(folder).encode()).hexdigest()[:20]}.json"
