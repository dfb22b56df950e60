"""Files → model. Reads the content tree, collects every problem, never stops at the first.

Raw front-matter dicts live and die in this module: what leaves it is a `City` built from the
files that were valid, plus the list of problems found on the way.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import frontmatter
from pydantic import BaseModel, TypeAdapter, ValidationError

from kelurahan.dates import DEFAULT_TIMEZONE
from kelurahan.messages import translate
from kelurahan.model import City, Clock, Kelurahan, Post, Service
from kelurahan.pii import find_identity_numbers
from kelurahan.problems import Level, Problem
from kelurahan.slugs import content_folders, is_slug, kelurahan_slugs, select, slugify
from kelurahan.yamlfile import YamlError, parse_yaml

log = logging.getLogger(__name__)

POST_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
LOGO_NAMES = ("logo.png", "logo.jpg", "logo.jpeg", "logo.webp")
# Fields we fill from the file system, never from what the author wrote.
_INTERNAL = {"slug", "folder", "body", "source", "stem", "kelurahan", "logo", "services",
             "posts", "number", "content_dir"}


@dataclass
class Loaded:
    """What loading found: the city (None when kota.yml itself is unusable) and every problem."""

    city: City | None
    kelurahan: tuple[Kelurahan, ...] = ()
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Source:
    """One content file read and split: its front matter, body and where it came from."""

    path: Path
    data: dict[str, Any]
    body: str


class _Collector:
    """Gathers problems while loading, each pinned to a file."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path, field_: str, message: str, *, line: int | None = None,
            level: Level = Level.ERROR) -> None:
        self.problems.append(Problem(str(path), field_, message, line, level))

    def invalid(self, path: Path, exc: ValidationError) -> None:
        for field_, message in translate(exc):
            self.add(path, field_, message)


def load(content_dir: Path, *, only: Iterable[str] | None = None) -> Loaded:
    """Read `content_dir` (kota.yml + one folder per kelurahan) into a City.

    With `only`, just those kelurahan folders are read (an incremental build of one changed
    kelurahan out of 59); an unknown slug is a KelurahanError naming the ones there are.
    """
    problems = _Collector()
    if not content_dir.is_dir():
        problems.add(content_dir, "folder", "folder konten tidak ditemukan")
        return Loaded(None, (), problems.problems)
    if only is None:
        folders = _kelurahan_folders(content_dir, problems)
    else:
        only = sorted(set(only))
        select(kelurahan_slugs(content_dir), only)  # an unknown slug stops here, named
        folders = [content_dir / slug for slug in only]
    city_data = _read_city(content_dir / "kota.yml", problems)
    context = _city_context(city_data)
    kelurahan = [
        kel
        for folder in folders
        if (kel := _load_kelurahan(folder, context, problems)) is not None
    ]
    city = None
    if city_data is not None:
        try:
            city = City.model_validate(
                {**city_data, "content_dir": content_dir, "kelurahan": tuple(kelurahan)}
            )
        except ValidationError as exc:
            problems.invalid(content_dir / "kota.yml", exc)
    return Loaded(city, tuple(kelurahan), problems.problems)


def _read_city(path: Path, problems: _Collector) -> dict[str, Any] | None:
    if not path.is_file():
        problems.add(path, "berkas", "kota.yml tidak ada; isi nama, zona_waktu, alamat_situs")
        return None
    text = _read_text(path, problems)
    if text is None:
        return None
    try:
        data = parse_yaml(text)
    except YamlError as exc:
        problems.add(path, "yaml", f"YAML tidak valid: {exc.reason}", line=exc.line)
        return None
    if not isinstance(data, dict):
        problems.add(path, "yaml", "harus berisi pasangan kunci: nilai (nama: Kota …)")
        return None
    return _known_only(path, data, City, problems)


def _city_context(city_data: dict[str, Any] | None) -> dict[str, Any]:
    """Time zone and hour that post defaults need (fallbacks when kota.yml is bad)."""
    data = city_data or {}
    try:
        tz = ZoneInfo(str(data.get("zona_waktu", DEFAULT_TIMEZONE)))
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo(DEFAULT_TIMEZONE)
    try:
        publish_time = TypeAdapter(Clock).validate_python(data.get("jam_terbit", "09:00"))
    except ValidationError:
        publish_time = dt.time(9, 0)
    return {"tz": tz, "publish_time": publish_time}


def _kelurahan_folders(content_dir: Path, problems: _Collector) -> list[Path]:
    folders = []
    for path in content_folders(content_dir):
        if not is_slug(path.name):
            problems.add(path, "folder", "nama folder hanya boleh huruf kecil, angka dan tanda "
                         f"hubung (contoh: {slugify(path.name, fallback='nama-kelurahan')})")
            continue
        folders.append(path)
    return folders


def _load_kelurahan(folder: Path, context: dict[str, Any], problems: _Collector) -> Kelurahan | None:
    profile_path = folder / "profil.md"
    if not profile_path.is_file():
        problems.add(profile_path, "berkas", f"profil.md tidak ada; buat dengan 'kelurahan new {folder.name}'")
        return None
    profile = _read_markdown(profile_path, Kelurahan, problems)
    services = _load_services(folder, problems)
    channels = profile.data.get("terbit") if profile else None
    post_context = {**context, "folder": folder, "channels": channels or ()}
    posts = _load_posts(folder, post_context, problems)
    if profile is None:
        return None
    try:
        return Kelurahan.model_validate({
            **profile.data, "slug": folder.name, "folder": folder, "body": profile.body,
            "logo": _find_logo(folder), "services": services, "posts": posts,
        })
    except ValidationError as exc:
        problems.invalid(profile_path, exc)
        return None


def _find_logo(folder: Path) -> Path | None:
    return next((folder / "media" / n for n in LOGO_NAMES if (folder / "media" / n).is_file()), None)


def _load_services(folder: Path, problems: _Collector) -> tuple[Service, ...]:
    services = []
    for path in _markdown_files(folder / "layanan", problems):
        slug = path.stem
        if not is_slug(slug):
            problems.add(path, "nama berkas", "hanya huruf kecil, angka dan tanda hubung, "
                         f"misalnya {slugify(slug, fallback='layanan')}.md")
            continue
        source = _read_markdown(path, Service, problems)
        if source is None:
            continue
        try:
            services.append(Service.model_validate({
                **source.data, "kelurahan": folder.name, "slug": slug, "source": path,
                "body": source.body,
            }))
        except ValidationError as exc:
            problems.invalid(path, exc)
    ordered = sorted(services, key=lambda s: (s.order, s.slug))
    return tuple(s.model_copy(update={"number": n}) for n, s in enumerate(ordered, start=1))


def _load_posts(folder: Path, context: dict[str, Any], problems: _Collector) -> tuple[Post, ...]:
    posts = []
    for path in _markdown_files(folder / "kegiatan", problems):
        name = POST_NAME.fullmatch(path.name)
        if name is None or not _is_date(name.group(1)):
            problems.add(path, "nama berkas",
                         "harus berbentuk YYYY-MM-DD-judul-singkat.md, misalnya 2025-10-27-kerja-bakti.md")
            continue
        source = _read_markdown(path, Post, problems)
        if source is None:
            continue
        try:
            posts.append(Post.model_validate(
                {**source.data, "kelurahan": folder.name, "stem": path.stem,
                 "slug": name.group(2), "source": path, "body": source.body},
                context=context,
            ))
        except ValidationError as exc:
            problems.invalid(path, exc)
    return tuple(sorted(posts, key=lambda p: p.stem))


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _markdown_files(folder: Path, problems: _Collector) -> list[Path]:
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix == ".md" and path.is_file():
            files.append(path)
        else:
            problems.add(path, "berkas", "bukan berkas .md; diabaikan", level=Level.WARNING)
    return files


def _read_text(path: Path, problems: _Collector) -> str | None:
    """UTF-8 text with NIK/KK numbers reported; None (and a problem) when unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(path, "berkas", f"tidak dapat dibaca: {exc.strerror or exc}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(path, "berkas", "bukan teks UTF-8; simpan ulang sebagai UTF-8 "
                     f"(byte tidak valid di posisi {exc.start})", line=line)
        return None
    for finding in find_identity_numbers(text):
        problems.add(path, "data pribadi", f"memuat 16 digit seperti NIK/KK ({finding.masked}); "
                     "hapus data pribadi warga (UU PDP No. 27/2022)", line=finding.line)
    return text


def _read_markdown(path: Path, model: type[BaseModel], problems: _Collector) -> _Source | None:
    """A Markdown file split into front matter (a dict) and body, or None with problems."""
    text = _read_text(path, problems)
    if text is None:
        return None
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        problems.add(path, "front matter", "tidak ada; berkas harus diawali blok --- berisi "
                     "kunci: nilai dan ditutup dengan ---", line=1)
        return None
    try:
        meta, body = handler.split(text)
    except ValueError:
        problems.add(path, "front matter", "blok --- tidak ditutup", line=1)
        return None
    try:
        data = parse_yaml(meta) or {}
    except YamlError as exc:
        offset = text[: text.find(meta)].count("\n") if meta else 1
        line = exc.line + offset if exc.line else None
        problems.add(path, "front matter", f"YAML tidak valid: {exc.reason}", line=line)
        return None
    if not isinstance(data, dict):
        problems.add(path, "front matter", "harus berisi pasangan kunci: nilai", line=2)
        return None
    return _Source(path, _known_only(path, data, model, problems), body)


@functools.cache
def _known_keys(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """The keys an author may write for `model`, each with its nested model if any."""
    keys = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in _INTERNAL:
            continue
        nested = info.annotation
        keys[key] = nested if isinstance(nested, type) and issubclass(nested, BaseModel) else None
    return keys


def _known_only(path: Path, data: dict[Any, Any], model: type[BaseModel], problems: _Collector,
                prefix: str = "") -> dict[str, Any]:
    """Drop unknown keys with a warning (a typo like `sayrat` is probably `syarat`)."""
    known = _known_keys(model)
    kept = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key in known:
            nested = known[key]
            kept[key] = (_known_only(path, value, nested, problems, prefix=f"{name}.")
                         if nested is not None and isinstance(value, dict) else value)
            continue
        guess = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
        hint = f"; maksud Anda '{prefix}{guess[0]}'?" if guess else ""
        problems.add(path, name, f"kunci tidak dikenal, diabaikan{hint}", level=Level.WARNING)
    return kept
