"""Built sites kept by what they were made from, so an unchanged site is linked, not rebuilt.

A site's output is a function of its fingerprint (its files, the city file, `mkdocs.yml`,
`themes/` and the code), of which posts are visible and which can still be published, of the
week (the card preview page) and of the day (sitemap dates). `site_key` hashes exactly that.
After a site is built its files are hard-linked into `<state>/cache/situs/<slug>/<key>/`; a
later build needing the same key (`--force` with warm caches, or an edit undone) links them
into staging instead of running mkdocs, Pagefind and the cards again. The swap stays atomic:
staging gets a complete site either way. Files are never written in place (the build and
`kelurahan publish` replace files by rename), so linked copies cannot change under the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

from generator.cards.cache import CHANNELS
from generator.cards.pipeline import wanted_channels
from kelurahan.files import write_text_atomic
from kelurahan.model import Kelurahan

SITE_CACHE_VERSION = 1
_WARNINGS = "peringatan.json"


def site_key(fingerprint: str, kel: Kelurahan, now: dt.datetime) -> str:
    """What the built site of `kel` depends on at `now`, beyond its fingerprint."""
    local = now.date()
    stamp = {
        "version": SITE_CACHE_VERSION, "fingerprint": fingerprint, "day": local.isoformat(),
        "visible": sorted(p.stem for p in kel.posts if p.is_published(now)),
        "publishable": sorted(p.stem for p in kel.posts
                              if not p.draft and wanted_channels(p, now) == CHANNELS),
    }
    return hashlib.sha256(json.dumps(stamp, sort_keys=True).encode()).hexdigest()[:32]


class SiteCache:
    """`<root>/<slug>/<key>/` (the site, hard links) and `<root>/<slug>/<key>.json` (warnings)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def restore(self, slug: str, key: str, target: Path) -> tuple[str, ...] | None:
        """Link the cached site into `target`; its build warnings, or None when not cached."""
        entry = self.root / slug / key
        try:
            warnings = tuple(json.loads((entry.parent / f"{key}.json").read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        if not (entry / "index.html").is_file():
            return None
        try:
            link_tree(entry, target)
        except OSError:
            shutil.rmtree(target, ignore_errors=True)
            return None
        return warnings

    def store(self, slug: str, key: str, built: Path) -> None:
        """Keep `built` under `key` (restorable once `note` has run); the slug's older entries
        move to `.lama-<pid>/` for `trash()` to delete in the background."""
        folder = self.root / slug
        tmp = folder / f".{key}.tmp{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        link_tree(built, tmp)
        old = [p for p in folder.iterdir() if p != tmp]
        if old:
            trash = self.root / f".lama-{os.getpid()}"
            trash.mkdir(parents=True, exist_ok=True)
            for path in old:
                path.rename(trash / f"{slug}-{path.name}")
        tmp.rename(folder / key)

    def note(self, slug: str, key: str, warnings: tuple[str, ...]) -> None:
        """The site's build warnings (with real paths), shown again when it is restored."""
        notes = self.root / slug / f"{key}.json"
        if notes.parent.is_dir():
            write_text_atomic(notes, json.dumps(list(warnings), ensure_ascii=False))

    def trash(self) -> list[Path]:
        """Replaced entries waiting to be deleted."""
        return sorted(self.root.glob(".lama-*")) if self.root.is_dir() else []


def link_tree(source: Path, target: Path) -> None:
    """`target` as a copy of `source` made of hard links (copies across file systems)."""
    for dirpath, dirnames, filenames in os.walk(source):
        here = target / os.path.relpath(dirpath, source)
        here.mkdir(parents=True, exist_ok=True)
        dirnames.sort()
        for name in filenames:
            src, dst = os.path.join(dirpath, name), here / name
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
