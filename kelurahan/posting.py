"""Posting without a terminal: a post written into content/ from outside (the WhatsApp desk).

`publish_post` writes `kegiatan/<date>-<slug>.md` and its photos together or not at all, after
the same validation as `kelurahan check`; `withdraw_post` turns a post back into a draft. When
`content/` is a git repository, each is one commit with the staff member as author.

The generator is reached only through the `CardRenderer` and `SiteBuilder` contracts, which
`kelurahan.cli` wires, so `publish` never imports `generator`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kelurahan.files import write_text_atomic
from kelurahan.model import City, Kelurahan, Post
from kelurahan.pii import find_identity_numbers
from kelurahan.problems import Problem
from kelurahan.scaffold import yaml_quoted
from kelurahan.slugs import slugify

log = logging.getLogger(__name__)

BOT_IDENTITY = ("Bot WhatsApp Kelurahan", "bot@kelurahan.invalid")
STALE_GIT_LOCK = 600  # seconds
GIT_SECONDS = 60.0  # one git command (a slow pre-commit hook included); then it is stopped
_DRAFT_LINE = re.compile(r"^draf\s*:.*$", re.MULTILINE)
_DATED = re.compile(r"^(tanggal|jadwal): .*\n", re.MULTILINE)  # they depend on when it is written


@dataclass(frozen=True)
class NewPost:
    """What a staff member sent: title, text and photos (JPEGs already without EXIF)."""

    title: str
    body: str = ""
    photos: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Author:
    name: str
    whatsapp: str


@dataclass(frozen=True)
class Written:
    """How a write into content/ ended: the post's stem, or the problems that stopped it."""

    stem: str | None = None
    problems: tuple[Problem, ...] = ()
    committed: bool = False

    @property
    def ok(self) -> bool:
        return self.stem is not None


@dataclass(frozen=True)
class Built:
    ok: bool
    reason: str = ""


class CardRenderer(Protocol):
    """The Instagram card (JPEG bytes) a post would get, drawn before it exists."""

    def __call__(self, city: City, kel: Kelurahan, draft: NewPost, day: dt.date) -> bytes: ...


class SiteBuilder(Protocol):
    """Build one kelurahan (and the portal), waiting for any other build to finish first."""

    def __call__(self, slug: str) -> Built: ...


@dataclass
class _Plan:
    stem: str
    text: str
    photos: dict[str, Path] = field(default_factory=dict)  # media name → source file


def identity_numbers(*texts: str) -> list[str]:
    """Masked NIK/KK numbers in what someone typed (never the numbers themselves)."""
    return [f.masked for text in texts for f in find_identity_numbers(text)]


def load_profiles(content_dir: Path) -> City | None:
    """The city with every valid profile (no services or posts): who may post, for which number."""
    from kelurahan import check

    with _view(content_dir) as view:
        for folder in sorted(p for p in content_dir.iterdir() if (p / "profil.md").is_file()):
            _link(view / folder.name / "profil.md", folder / "profil.md")
            if (folder / "media").is_dir():
                _link(view / folder.name / "media", folder / "media")
        city = check(view).city
    return None if city is None else _rebased(city, view, content_dir)


def recent_posts(content_dir: Path, slug: str, now: dt.datetime, days: int = 7) -> list[Post]:
    """Public posts of the last `days` days, newest first (what `tarik` may withdraw)."""
    from kelurahan import load

    with _view(content_dir) as view:
        _link(view / slug, content_dir / slug)
        city = load(view).city
        if city is None or not city.kelurahan:
            return []
        since = now - dt.timedelta(days=days)
        posts = [p for p in city.kelurahan[0].published_posts(now) if p.publish_at >= since]
        real = str(content_dir / slug)
        return [p.model_copy(update={"source": Path(str(p.source).replace(str(view / slug), real))})
                for p in posts]


def post_stem(content_dir: Path, slug: str, title: str, now: dt.datetime) -> str:
    """The name a post of this title written now gets: `<date>-<slug>`, or `…-2` when taken."""
    base = f"{now.date().isoformat()}-{slugify(title)}"
    stem, n = base, 1
    folder = content_dir / slug
    while ((folder / "kegiatan" / f"{stem}.md").exists()
           or (folder / "media" / f"{stem}-1.jpg").exists()):
        n += 1
        stem = f"{base}-{n}"
    return stem


def publish_post(content_dir: Path, slug: str, post: NewPost, *, now: dt.datetime,
                 publish_time: dt.time, author: Author, stem: str | None = None) -> Written:
    """Write the post and its photos into `content/<slug>/`, all or nothing, after `check`.

    `stem` is the name an earlier try of this same post chose (recorded before it wrote): if
    that post is there with this title, text and photos, the earlier try got as far as writing
    it and only its commit may be missing, so nothing is written twice.
    """
    masked = identity_numbers(post.title, post.body)
    if masked:  # refused before a byte is written, even to the staging folder
        return Written(problems=(Problem(f"{slug}/kegiatan", "data pribadi",
                                         f"memuat 16 digit seperti NIK/KK ({masked[0]}); hapus "
                                         "data pribadi warga (UU PDP No. 27/2022)"),))
    folder = content_dir / slug
    if stem is not None and _written_before(folder, stem, post):
        log.info("kegiatan %s/%s sudah tertulis oleh percobaan sebelumnya", slug, stem)
        paths = [folder / "kegiatan" / f"{stem}.md",
                 *(folder / "media" / name for name in _photo_names(stem, post))]
        return Written(stem, committed=_commit(content_dir, paths,
                                               f"Terbitkan kegiatan: {post.title}", author))
    for stale in folder.glob(".terbit-*"):  # left by a process killed mid-write
        shutil.rmtree(stale, ignore_errors=True)
    plan = _plan(folder, post, now, publish_time, stem)
    staging = folder / f".terbit-{uuid.uuid4().hex[:12]}"
    try:
        _stage(staging, plan)
        problems = _validate(content_dir, slug, staging, plan)
        if problems:
            return Written(problems=tuple(problems))
        paths = _move_in(folder, staging, plan)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    committed = _commit(content_dir, paths, f"Terbitkan kegiatan: {post.title}", author)
    return Written(plan.stem, committed=committed)


def withdraw_post(content_dir: Path, post: Post, author: Author) -> Written:
    """`draf: ya` in the post's front matter (nothing else changes); one commit if git."""
    text = post.source.read_text("utf-8")
    head, sep, rest = text.partition("\n---")
    if _DRAFT_LINE.search(head):
        head = _DRAFT_LINE.sub("draf: ya", head, count=1)
    else:
        head = head.rstrip("\n") + "\ndraf: ya"
    write_text_atomic(post.source, head + sep + rest)
    committed = _commit(content_dir, [post.source], f"Tarik kegiatan: {post.title}", author)
    return Written(post.stem, committed=committed)


def post_text(post: NewPost, day: dt.date, photos: list[str],
              schedule: dt.datetime | None) -> str:
    """The Markdown file a staff member would have written by hand."""
    lines = ["---", f"judul: {yaml_quoted(' '.join(post.title.split()))}", f"tanggal: {day.isoformat()}"]
    lines.append(f"foto: [{', '.join(photos)}]")
    if schedule is not None:
        lines.append(f"jadwal: {schedule:%Y-%m-%dT%H:%M}")
    lines += ["draf: tidak", "---", ""]
    return "\n".join(lines) + (post.body.strip() + "\n" if post.body.strip() else "")


def _plan(folder: Path, post: NewPost, now: dt.datetime, publish_time: dt.time,
          chosen: str | None = None) -> _Plan:
    """A free stem for today (the `chosen` one when it is still free and fits the title and
    day: photos an interrupted try left under it are replaced), photo names, and the text.

    Before today's `jam_terbit` the post is scheduled for now, so the page is public at once
    (and its cards go out with the next publishing run); after it, the default applies.
    """
    base = f"{now.date().isoformat()}-{slugify(post.title)}"
    fits = chosen is not None and re.fullmatch(re.escape(base) + r"(-\d+)?", chosen)
    if chosen is not None and fits and not (folder / "kegiatan" / f"{chosen}.md").exists():
        stem = chosen
    else:
        stem = post_stem(folder.parent, folder.name, post.title, now)
    photos = dict(zip(_photo_names(stem, post), post.photos, strict=True))
    early = now.timetz().replace(tzinfo=None) < publish_time
    text = post_text(post, now.date(), [f"media/{name}" for name in photos],
                     now if early else None)
    return _Plan(stem, text, photos)


def _photo_names(stem: str, post: NewPost) -> list[str]:
    return [f"{stem}-{i}{p.suffix.lower() or '.jpg'}" for i, p in enumerate(post.photos, start=1)]


def _written_before(folder: Path, stem: str, post: NewPost) -> bool:
    """The post `stem` exists with this title, text and photos (its date lines aside)."""
    path = folder / "kegiatan" / f"{stem}.md"
    if not path.is_file():
        return False
    names = _photo_names(stem, post)
    expected = post_text(post, dt.date.min, [f"media/{n}" for n in names], None)
    if _DATED.sub("", path.read_text("utf-8")) != _DATED.sub("", expected):
        return False
    return all((folder / "media" / name).is_file()
               and (folder / "media" / name).read_bytes() == source.read_bytes()
               for name, source in zip(names, post.photos, strict=True))


def _stage(staging: Path, plan: _Plan) -> None:
    (staging / "media").mkdir(parents=True)
    (staging / "kegiatan").mkdir()
    for name, source in plan.photos.items():
        shutil.copyfile(source, staging / "media" / name)
    (staging / "kegiatan" / f"{plan.stem}.md").write_text(plan.text, "utf-8")


def _validate(content_dir: Path, slug: str, staging: Path, plan: _Plan) -> list[Problem]:
    """`kelurahan check` on this kelurahan as it would be with the new files in place."""
    from kelurahan import check

    folder = content_dir / slug
    with _view(content_dir) as view:
        target = view / slug
        for name in ("profil.md", "layanan"):
            if (folder / name).exists():
                _link(target / name, folder / name)
        for sub in ("kegiatan", "media"):
            (target / sub).mkdir(parents=True)
            sources = {p.name: p for p in [*_listing(folder / sub), *_listing(staging / sub)]}
            for name, source in sources.items():  # a staged photo replaces one left over
                _link(target / sub / name, source)
        problems = [p for p in check(view).problems if p.is_error]
        return [_real(p, view, content_dir, staging) for p in problems]


def _move_in(folder: Path, staging: Path, plan: _Plan) -> list[Path]:
    """Photos first, the post file last (its rename is the moment the post exists)."""
    moved: list[Path] = []
    try:
        (folder / "media").mkdir(exist_ok=True)
        (folder / "kegiatan").mkdir(exist_ok=True)
        for name in plan.photos:
            os.replace(staging / "media" / name, folder / "media" / name)
            moved.append(folder / "media" / name)
        post_path = folder / "kegiatan" / f"{plan.stem}.md"
        os.replace(staging / "kegiatan" / post_path.name, post_path)
    except OSError:
        for path in moved:
            path.unlink(missing_ok=True)
        raise
    return [*moved, post_path]


def _commit(content_dir: Path, paths: list[Path], message: str, author: Author) -> bool:
    """One commit of exactly `paths` when content/ is in a git work tree (its own, or the
    city folder's, as the Diskominfo guide sets it up); False otherwise.

    Never raises: the files are in content/ already, so a git that fails, hangs past
    `GIT_SECONDS` (a slow hook) or cannot start is logged and the post stays published; the
    next commit of content/ takes the files along. An `index.lock` the stopped git left is
    removed only when it appeared while our git ran."""
    try:
        found = _git(["rev-parse", "--is-inside-work-tree", "--absolute-git-dir"], content_dir)
    except (subprocess.SubprocessError, OSError) as exc:
        log.warning("git tidak bisa dijalankan: %s", type(exc).__name__)
        return False
    answer = found.stdout.splitlines()
    if found.returncode != 0 or answer[:1] != ["true"] or len(answer) != 2:
        return False
    git_dir = Path(answer[1])
    _wait_for_git(git_dir)
    lock = git_dir / "index.lock"
    ours = not lock.exists()
    try:
        return _commit_paths(content_dir, paths, message, author)
    except (subprocess.SubprocessError, OSError) as exc:
        log.warning("commit %s gagal (%s); kegiatan tetap tersimpan di content/", message,
                    type(exc).__name__)
        if ours and lock.exists():
            lock.unlink(missing_ok=True)
            log.warning("%s dari git yang dihentikan dihapus", lock)
        return False


def _git(arguments: list[str], cwd: Path, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    """One git command in its own process group: past `GIT_SECONDS` the group is killed, hooks
    included (a hook still holding the pipes would keep `subprocess.run` waiting)."""
    with subprocess.Popen(["git", *arguments], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=GIT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _commit_paths(content_dir: Path, paths: list[Path], message: str, author: Author) -> bool:
    relative = [str(p.relative_to(content_dir)) for p in paths]
    status = _git(["status", "--porcelain", "--", *relative], content_dir)
    if status.returncode == 0 and not status.stdout.strip():
        return True  # committed already (by an earlier try of the same post)
    env = {**os.environ, "GIT_COMMITTER_NAME": BOT_IDENTITY[0],
           "GIT_COMMITTER_EMAIL": BOT_IDENTITY[1]}
    email = f"{author.whatsapp.lstrip('+')}@whatsapp.invalid"
    commands = (["add", "--", *relative],
                ["commit", "-q", "-m", message, f"--author={author.name} <{email}>",
                 "--", *relative])
    for command in commands:
        result = _git(command, content_dir, env)
        if result.returncode != 0:
            log.warning("git %s gagal (kode %d): %s", command[0], result.returncode,
                        result.stderr.strip()[:200])
            return False
    return True


def _wait_for_git(git_dir: Path, seconds: float = 15.0) -> None:
    """Let a git still running finish first (one a killed bot left behind, or a `git pull`).

    A lock older than `STALE_GIT_LOCK` belongs to a git that was killed (no commit holds the
    index that long): it is removed, as git's own message advises, so commits do not stop for
    good after a crash."""
    lock = git_dir / "index.lock"
    try:
        if time.time() - lock.stat().st_mtime > STALE_GIT_LOCK:
            lock.unlink()
            log.warning("%s tertinggal dari git yang terhenti; dihapus", lock)
    except FileNotFoundError:
        return
    deadline = time.monotonic() + seconds
    while lock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


@contextmanager
def _view(content_dir: Path) -> Iterator[Path]:
    """A temporary content folder of symbolic links: kota.yml plus what the caller links."""
    root = Path(tempfile.mkdtemp(prefix="kelurahan-lihat-"))
    try:
        view = root / "konten"
        view.mkdir()
        if (content_dir / "kota.yml").is_file():
            _link(view / "kota.yml", content_dir / "kota.yml")
        yield view
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _link(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target.resolve(), target_is_directory=target.is_dir())


def _listing(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def _real(problem: Problem, view: Path, content_dir: Path, staging: Path) -> Problem:
    """Name the file the staff member's post will be, not the temporary view."""
    path = problem.path
    for form in {str(view.resolve()), str(view)}:
        path = path.replace(form, str(content_dir))
    return dataclasses.replace(problem, path=path.replace(str(staging), str(staging.parent)))


def _rebased(city: City, view: Path, content_dir: Path) -> City:
    """Profiles whose folder (and logo) point into content/, not the vanished view."""
    kelurahan = tuple(
        kel.model_copy(update={
            "folder": content_dir / kel.slug,
            "logo": content_dir / kel.slug / "media" / kel.logo.name if kel.logo else None})
        for kel in city.kelurahan)
    return city.model_copy(update={"content_dir": content_dir, "kelurahan": kelurahan})


