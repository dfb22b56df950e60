"""What the last successful build was made from, so an unchanged kelurahan costs nothing.

A kelurahan's fingerprint hashes its own files (text by content, photos by size and mtime), the
city file, the root `mkdocs.yml`, `themes/` and the generator's code. It is computed without
parsing anything. Scheduled posts change a site without changing a file, so each record also
keeps the time the site's visible posts change next.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kelurahan.model import SLUG_PATTERN, Kelurahan

log = logging.getLogger(__name__)

STATE_VERSION = 3  # 3: portal summaries with thumbnails and notices
TEXT_SUFFIXES = {".md", ".yml", ".yaml", ".json", ".html", ".css", ".js", ".txt", ".py"}
CODE_PACKAGES = ("generator", "kelurahan")
CODE_ROOT = Path(__file__).resolve().parents[1]  # the folder holding the packages above


def folders(content_dir: Path) -> list[str]:
    """Kelurahan folder names, as the loader sees them (hidden and `_` folders skipped)."""
    if not content_dir.is_dir():
        return []
    return sorted(p.name for p in content_dir.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_"))
                  and re.fullmatch(SLUG_PATTERN, p.name))


def _hash_tree(digest: hashlib._Hash, root: Path, *, skip: tuple[str, ...] = ()) -> None:
    if root.is_file():
        _hash_file(digest, root, root.name)
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and d != "__pycache__")
        for name in sorted(filenames):
            path = Path(dirpath, name)
            _hash_file(digest, path, str(path.relative_to(root)))


def _hash_file(digest: hashlib._Hash, path: Path, name: str) -> None:
    digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
    if path.suffix.lower() in TEXT_SUFFIXES:
        digest.update(path.read_bytes())
    else:
        info = path.stat()
        digest.update(f"{info.st_size}:{info.st_mtime_ns}".encode())
    digest.update(b"\0")


@dataclass(frozen=True)
class Fingerprints:
    global_print: str
    sites: dict[str, str]


def fingerprint(content_dir: Path, project_root: Path, slugs: list[str]) -> Fingerprints:
    """One hash for what every site depends on, then one per kelurahan folder on top of it."""
    common = hashlib.sha256(f"state {STATE_VERSION}".encode())
    _hash_tree(common, content_dir / "kota.yml")
    _hash_tree(common, content_dir / "instansi_lain.yml")  # the bot's other offices
    _hash_tree(common, project_root / "mkdocs.yml")
    _hash_tree(common, project_root / "themes")
    for package in CODE_PACKAGES:
        _hash_tree(common, CODE_ROOT / package, skip=("commands",))
    global_print = common.hexdigest()
    sites = {}
    for slug in slugs:
        digest = hashlib.sha256(global_print.encode())
        _hash_tree(digest, content_dir / slug)
        sites[slug] = digest.hexdigest()
    return Fingerprints(global_print, sites)


@dataclass
class SiteRecord:
    """One built site: its fingerprint and the window of time in which it stays correct."""

    fingerprint: str
    last_visible: str | None = None
    next_change: str | None = None
    name: str = ""
    phone_id: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    staff: tuple[str, ...] = ()

    @classmethod
    def of(cls, kel: Kelurahan, print_: str, now: dt.datetime,
           summary: dict[str, Any]) -> SiteRecord:
        visible = [p.publish_at for p in kel.posts if p.is_published(now)]
        pending = [p.publish_at for p in kel.posts if not p.draft and p.publish_at > now]
        # An announcement leaves the site at the first build after its last day.
        pending += [dt.datetime.combine(a.valid_until + dt.timedelta(days=1), dt.time(0),
                                        tzinfo=now.tzinfo)
                    for a in kel.announcements if a.is_current(now.date())]
        return cls(print_, max(visible).isoformat() if visible else None,
                   min(pending).isoformat() if pending else None, kel.name,
                   kel.whatsapp_phone_id, summary, tuple(s.whatsapp for s in kel.staff))


@dataclass
class BuildState:
    """The records of one output folder, kept in `<state_dir>/build/`."""

    path: Path
    timezone: str | None = None
    global_print: str | None = None
    sites: dict[str, SiteRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, state_dir: Path, out_dir: Path) -> BuildState:
        key = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
        path = state_dir / "build" / f"{key}.json"
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("version") != STATE_VERSION:
                raise ValueError("versi lain")
            sites = {slug: SiteRecord(**record) for slug, record in data["sites"].items()}
            return cls(path, data.get("timezone"), data.get("global_print"), sites)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.debug("tanpa catatan build sebelumnya (%s): semua dibangun", exc)
            return cls(path)

    def changed(self, slug: str, print_: str, out_dir: Path) -> bool:
        record = self.sites.get(slug)
        return (record is None or record.fingerprint != print_
                or not (out_dir / slug / "index.html").is_file())

    def visibility_changed(self, slug: str, now: dt.datetime) -> bool:
        """A scheduled post has come due, or `--now` went back before a visible post."""
        record = self.sites.get(slug)
        if record is None:
            return False
        if now.tzinfo is None:
            now = now.replace(tzinfo=_zone(self.timezone))
        due = record.next_change and dt.datetime.fromisoformat(record.next_change) <= now
        early = record.last_visible and dt.datetime.fromisoformat(record.last_visible) > now
        return bool(due or early)

    def save(self) -> None:
        """Written after the new sites are in place, by rename, so it never describes half a build."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": STATE_VERSION, "timezone": self.timezone,
                "global_print": self.global_print,
                "sites": {slug: asdict(r) for slug, r in sorted(self.sites.items())}}
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(data, indent=1), "utf-8")
        tmp.replace(self.path)


def _zone(name: str | None) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name) if name else dt.UTC
