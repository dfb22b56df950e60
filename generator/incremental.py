"""What the last successful build was made from, so an unchanged kelurahan costs nothing.

A kelurahan's fingerprint hashes its own files (text by content, photos by size and mtime), the
city file, the root `mkdocs.yml`, `themes/`, the generator's code and the installed versions of
the libraries that shape the output (mkdocs, its theme, Markdown, Jinja, Pillow, Pagefind). It
is computed without parsing anything. Scheduled posts change a site without changing a file,
so each record also keeps the time the site's visible posts change next.

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
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.staging import out_key
from kelurahan.files import write_text_atomic

if TYPE_CHECKING:  # the model (pydantic) is imported only when content is loaded: a build
    from kelurahan.loading import Loaded  # with nothing changed never needs it
    from kelurahan.model import Kelurahan
    from kelurahan.problems import Problem

log = logging.getLogger(__name__)

STATE_VERSION = 3  # 3: portal summaries with thumbnails and notices
TEXT_SUFFIXES = {".md", ".yml", ".yaml", ".json", ".html", ".css", ".js", ".txt", ".py"}
CODE_PACKAGES = ("generator", "kelurahan")
CODE_ROOT = Path(__file__).resolve().parents[1]  # the folder holding the packages above
OUTPUT_LIBRARIES = ("mkdocs", "material", "markdown", "jinja2", "PIL", "pagefind_bin")


def installed_versions(modules: tuple[str, ...]) -> str:
    """The distributions installed where `modules` are found, by the names of their metadata
    folders (`mkdocs-1.6.1.dist-info`), without importing anything (under 1 ms).

    An upgraded library changes the sites without changing a file of ours: it must make them
    stale, and give the site cache a new key, or `--force` would link the old output back.
    """
    from importlib.util import find_spec

    folders: set[Path] = set()
    for name in modules:
        spec = find_spec(name)
        if spec is not None and spec.origin:
            folders.add(Path(spec.origin).parent.parent)
    found: set[str] = set()
    for folder in folders:
        try:
            found.update(entry.name for entry in os.scandir(folder)
                         if entry.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return "\n".join(sorted(found))


class TreeMemo:
    """Content digests of folders, remembered by a digest of their files' metadata.

    Reading 9,000 posts to hash them costs more than the rest of a "nothing changed" build.
    A file's size, mtime, ctime and inode change whenever its bytes do (the kernel sets ctime,
    no tool can put it back), so a folder whose metadata is unchanged has unchanged content
    and its recorded digest is reused. A fresh clone or restored cache has new metadata: it is
    read once and gets the same content digest, so the site cache still matches.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, str] = {}
        self.used: dict[str, str] = {}
        if path is not None:
            try:
                self.known = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                self.known = {}

    def digest(self, root: Path, *, skip: tuple[str, ...] = ()) -> str:
        """The content digest of `root` (a file or a folder), read only if its metadata changed."""
        listing = _listing(root, skip)
        stamp = hashlib.sha256(repr([(name, info) for name, _, info in listing]).encode(
            "utf-8", "surrogateescape")).hexdigest()
        content = self.known.get(stamp) or _content_digest(listing)
        self.used[stamp] = content
        return content

    def save(self) -> None:
        """Keep only the folders seen in this build, so the memo does not grow."""
        if self.path is not None and self.used != self.known:
            write_text_atomic(self.path, json.dumps(self.used, indent=0))


_FileInfo = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def _listing(root: Path, skip: tuple[str, ...]) -> list[tuple[str, str, _FileInfo]]:
    """Every file under `root` in a stable order: its relative name, path and metadata."""
    if root.is_file():
        return [(root.name, str(root), _info(str(root)))]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and d != "__pycache__")
        prefix = os.path.relpath(dirpath, root) + "/"
        prefix = "" if prefix == "./" else prefix
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                found.append((prefix + name, path, _info(path)))
            except OSError:
                continue  # deleted while we looked: the next build sees it gone
    return found


def _info(path: str) -> _FileInfo:
    info = os.stat(path)
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _content_digest(listing: list[tuple[str, str, _FileInfo]]) -> str:
    """Text files by their bytes, photos by size and mtime (re-reading megabytes of JPEG to
    notice a change that always changes the mtime is not worth it)."""
    digest = hashlib.sha256()
    for name, path, (size, mtime, _, _) in listing:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        if os.path.splitext(path)[1].lower() in TEXT_SUFFIXES:
            try:
                digest.update(Path(path).read_bytes())
            except OSError:
                digest.update(b"-")
        else:
            digest.update(f"{size}:{mtime}".encode())
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Fingerprints:
    global_print: str
    sites: dict[str, str]


def fingerprint(content_dir: Path, project_root: Path, slugs: list[str],
                memo: TreeMemo | None = None) -> Fingerprints:
    """One hash for what every site depends on, then one per kelurahan folder on top of it."""
    memo = memo or TreeMemo(None)
    common = hashlib.sha256(f"state {STATE_VERSION}".encode())
    parts = [content_dir / "kota.yml", content_dir / "instansi_lain.yml",  # the bot's offices
             project_root / "mkdocs.yml", project_root / "themes"]
    for part in parts:
        common.update(memo.digest(part).encode())
    for package in CODE_PACKAGES:
        common.update(memo.digest(CODE_ROOT / package, skip=("commands",)).encode())
    common.update(installed_versions(OUTPUT_LIBRARIES).encode())
    global_print = common.hexdigest()
    sites = {slug: hashlib.sha256(f"{global_print}{memo.digest(content_dir / slug)}".encode())
             .hexdigest() for slug in slugs}
    memo.save()
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
    next_post: str | None = None  # the next scheduled post alone (next_change has expiries too)

    @classmethod
    def of(cls, kel: Kelurahan, print_: str, now: dt.datetime,
           summary: dict[str, Any]) -> SiteRecord:
        visible = [p.publish_at for p in kel.posts if p.is_published(now)]
        posts = [p.publish_at for p in kel.posts if p.publishable and p.publish_at > now]
        # An announcement leaves the site at the first build after its last day.
        pending = posts + [dt.datetime.combine(a.valid_until + dt.timedelta(days=1), dt.time(0),
                                               tzinfo=now.tzinfo)
                           for a in kel.announcements if a.is_current(now.date())]
        return cls(print_, max(visible).isoformat() if visible else None,
                   min(pending).isoformat() if pending else None, kel.name,
                   kel.whatsapp_phone_id, summary, tuple(s.whatsapp for s in kel.staff),
                   min(posts).isoformat() if posts else None)


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
        """Written after the new sites are in place, by rename, so it never describes half a build.

        On one line, by json's C encoder, from the records as they are (their summaries are
        JSON already): `indent` and `asdict`'s deep copy took ~40 ms of every build for 59 sites.
        """
        data = {"version": STATE_VERSION, "timezone": self.timezone,
                "global_print": self.global_print,
                "sites": {slug: {f.name: getattr(record, f.name) for f in fields(record)}
                          for slug, record in sorted(self.sites.items())}}
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False))


def _zone(name: str | None) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name) if name else dt.UTC


def load_changed(content_dir: Path, slugs: list[str], others: dict[str, SiteRecord]) -> Loaded:
    """Only `slugs`, validated against the unchanged ones, with every problem found (the
    caller decides what an error stops)."""
    from kelurahan import check
    from kelurahan.yamlfile import locate

    loaded = check(content_dir, only=slugs)
    loaded.problems.extend(locate(clashes(loaded.kelurahan, others, content_dir)))
    return loaded


def clashes(loaded: tuple[Kelurahan, ...], others: dict[str, SiteRecord],
            content_dir: Path) -> list[Problem]:
    """What `kelurahan.validate` checks across kelurahan, against the unchanged ones."""
    from kelurahan.validation import Identity, identity_clashes

    known = [Identity(content_dir / slug / "profil.md", record.name, record.phone_id,
                      tuple(record.staff), record.summary.get("district", ""))
             for slug, record in others.items()]
    # Each changed one last, so a clash is reported on it (the unchanged ones were valid).
    return [problem for kel in loaded for problem in identity_clashes(
        [*known, Identity.of(kel, content_dir / kel.slug / "profil.md")])]
