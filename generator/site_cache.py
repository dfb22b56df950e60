"""An unchanged site is linked from the live output, not rebuilt.

A site's output is a function of its fingerprint (its files, the city file, `mkdocs.yml`,
`themes/` and the code), of which posts are visible and which can still be published, of the
week (the card preview page) and of the day (sitemap dates). `site_key` hashes exactly that.
When a build needs a site for the key the live `<out>/<slug>/` was built for (`--force` with
warm caches), its files are hard-linked into staging instead of running mkdocs, Pagefind and
the cards again. The swap stays atomic: staging gets a complete site either way.

`<state>/cache/situs/<slug>/<key>.json` notes, for each key built, the site's warnings (shown
again when it is linked) and which `index.html` (inode and time) that build wrote, so a live
site is used only when it is exactly that build's output. The live site is its own cache:
copying each new site into a cache folder (~800 links and ~350 folders per site) cost more
than half a second of a one-post build. Files are never written in place (the build and
`kelurahan publish` replace files by rename), so linked copies cannot change under the build.
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

SITE_CACHE_VERSION = 2
_WARNINGS, _INDEX = "peringatan", "index"


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
    """`<root>/<slug>/<key>.json`: what each build of a site noted (see the module's doc)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def restore(self, slug: str, key: str, live: Path, target: Path) -> tuple[str, ...] | None:
        """Link `live` into `target` when it was built for `key`; its build warnings, else None."""
        try:
            notes = json.loads((self.root / slug / f"{key}.json").read_text("utf-8"))
            warnings, stamp = tuple(notes[_WARNINGS]), notes[_INDEX]
            if _stamp(live / "index.html") != stamp:
                return None
        except (OSError, ValueError, TypeError, KeyError):
            return None
        try:
            link_tree(live, target)
        except OSError:
            shutil.rmtree(target, ignore_errors=True)
            return None
        return warnings

    def note(self, slug: str, key: str, warnings: tuple[str, ...], built: Path) -> None:
        """The site just built into `built` (about to go live): its warnings (with real paths)
        and its `index.html`, which keeps its inode and time when the site is moved live."""
        folder = self.root / slug
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):  # one key is live per output; the others are gone
            if old.stem != key:
                old.unlink(missing_ok=True)
        write_text_atomic(folder / f"{key}.json", json.dumps(
            {_WARNINGS: list(warnings), _INDEX: _stamp(built / "index.html")}, ensure_ascii=False))

    def leftovers(self) -> list[Path]:
        """Site copies an older version kept here, and replaced ones still being deleted, moved
        to `.lama-<pid>/` for the caller to delete in the background."""
        if not self.root.is_dir():
            return []
        old = [copy for site in self.root.iterdir() if _kept(site)
               for copy in site.iterdir() if _kept(copy)]
        if old:
            trash = self.root / f".lama-{os.getpid()}"
            trash.mkdir(exist_ok=True)
            for path in old:
                path.rename(trash / f"{path.parent.name}-{path.name}")
        return sorted(self.root.glob(".lama-*"))


def _kept(path: Path) -> bool:
    """A folder of this cache, not a `.lama-*` one already being deleted."""
    return path.is_dir() and not path.name.startswith(".")


def _stamp(index: Path) -> list[int]:
    """Which file this is: a new build writes a new `index.html` (new inode, new time)."""
    info = index.stat()
    return [info.st_ino, info.st_mtime_ns]


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
