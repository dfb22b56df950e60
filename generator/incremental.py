"""What the last successful build was made from, so an unchanged kelurahan costs nothing.

A kelurahan's fingerprint hashes its own files (text by content, photos by size and mtime), the
city file, the root `mkdocs.yml`, `themes/` and the generator's code. It is computed without
parsing anything. Scheduled posts change a site without changing a file, so each record also
keeps the time the site's visible posts change next.

When only some kelurahan changed, only those are loaded and validated (`load_changed`); the
checks across kelurahan (unique name, unique bot number) compare them against the stored
records of the unchanged ones, which were valid when they were built and have not changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generator.staging import out_key
from kelurahan.files import write_text_atomic
from kelurahan.loading import Loaded
from kelurahan.model import Kelurahan
from kelurahan.problems import Problem
from kelurahan.validation import Identity, identity_clashes

log = logging.getLogger(__name__)

STATE_VERSION = 3  # 3: portal summaries with thumbnails and notices
TEXT_SUFFIXES = {".md", ".yml", ".yaml", ".json", ".html", ".css", ".js", ".txt", ".py"}
CODE_PACKAGES = ("generator", "kelurahan")
CODE_ROOT = Path(__file__).resolve().parents[1]  # the folder holding the packages above


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
        path = state_dir / "build" / f"{out_key(out_dir)}.json"
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("version") != STATE_VERSION:
                raise ValueError("versi lain")
            sites = {slug: SiteRecord(**record) for slug, record in data["sites"].items()}
            return cls(path, data.get("timezone"), data.get("global_print"), sites)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.debug("tanpa catatan build sebelumnya (%s): semua dibangun", exc)
            return cls(path)

    def stale(self, slugs: list[str], prints: Fingerprints, out_dir: Path, now: dt.datetime,
              *, force: bool = False) -> list[str]:
        """Kelurahan whose inputs, code, output or visible posts changed since the last build."""
        return [slug for slug in slugs
                if force or self.changed(slug, prints.sites[slug], out_dir)
                or self.visibility_changed(slug, now)]

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

    def remember(self, timezone: str, global_print: str) -> None:
        """Saved only after the swap, so the records never describe half a build."""
        self.timezone, self.global_print = timezone, global_print
        self.save()

    def save(self) -> None:
        """Written after the new sites are in place, by rename, so it never describes half a build."""
        data = {"version": STATE_VERSION, "timezone": self.timezone,
                "global_print": self.global_print,
                "sites": {slug: asdict(r) for slug, r in sorted(self.sites.items())}}
        write_text_atomic(self.path, json.dumps(data, indent=1))


def _zone(name: str | None) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name) if name else dt.UTC


def load_changed(content_dir: Path, slugs: list[str], others: dict[str, SiteRecord]) -> Loaded:
    """Only `slugs`, validated, with their warnings; ContentError (every problem) like
    `load_checked`."""
    from kelurahan import check, passed

    loaded = check(content_dir, only=slugs)
    loaded.problems.extend(clashes(loaded.kelurahan, others, content_dir))
    return passed(loaded)


def clashes(loaded: tuple[Kelurahan, ...], others: dict[str, SiteRecord],
            content_dir: Path) -> list[Problem]:
    """What `kelurahan.validate` checks across kelurahan, against the unchanged ones."""
    known = [Identity(content_dir / slug / "profil.md", record.name, record.phone_id)
             for slug, record in others.items()]
    # Each changed one last, so a clash is reported on it (the unchanged ones were valid).
    return [problem for kel in loaded for problem in identity_clashes(
        [*known, Identity.of(kel, content_dir / kel.slug / "profil.md")])]
