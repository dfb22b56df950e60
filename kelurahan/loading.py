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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, TypeAdapter, ValidationError

from kelurahan.dates import DEFAULT_TIMEZONE, impossible_date
from kelurahan.messages import translate
from kelurahan.model import (
    POST_PLACEHOLDER,
    Announcement,
    Channel,
    City,
    Clock,
    Kelurahan,
    Post,
    Service,
)
from kelurahan.pii import find_identity_numbers
from kelurahan.problems import Level, Problem
from kelurahan.slugs import content_folders, is_slug, kelurahan_slugs, select, slugify
from kelurahan.validation import validate_services
from kelurahan.yamlfile import YamlError, parse_yaml, split_front_matter

log = logging.getLogger(__name__)

POST_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
LOGO_NAMES = ("logo.png", "logo.jpg", "logo.jpeg", "logo.webp")
# Fields we fill from the file system, never from what the author wrote.
_INTERNAL = {"slug", "folder", "body", "source", "stem", "kelurahan", "logo", "services",
             "posts", "announcements", "number", "content_dir"}
_Named = TypeVar("_Named", Service, Announcement)
_CHANNELS = TypeAdapter(tuple[Channel, ...])
_Read = tuple[Kelurahan | None, list[Problem]]
FolderMap = Callable[[Callable[[Path], _Read], Iterable[Path]], Iterable[_Read]]


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
    body_line: int = 1  # the file's line on which `body` starts


class _Collector:
    """Gathers problems while loading, each pinned to a file."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.misspelt: set[tuple[str, str]] = set()  # (file, key meant) of keys written wrong

    def add(self, path: Path, field_: str, message: str, *, line: int | None = None,
            level: Level = Level.ERROR) -> None:
        self.problems.append(Problem(str(path), field_, message, line, level))

    def invalid(self, path: Path, exc: ValidationError) -> None:
        """Each pydantic error as a problem, minus those that only repeat another one."""
        found = translate(exc)
        fields = {field_ for field_, _ in found}
        for field_, message in found:
            if not self._repeats(path, field_, message, fields):
                self.add(path, field_, message)

    def _repeats(self, path: Path, field_: str, message: str, fields: set[str]) -> bool:
        """A key "missing" because it was misspelt (already reported with the spelling meant),
        or `jadwal` (optional) missing only because a bad `tanggal` gave it no default."""
        if message != "wajib diisi":
            return False
        return (str(path), field_) in self.misspelt or (field_ == "jadwal" and "tanggal" in fields)


def load(content_dir: Path, *, only: Iterable[str] | None = None,
         map_folders: FolderMap | None = None) -> Loaded:
    """Read `content_dir` (kota.yml + one folder per kelurahan) into a City.

    With `only`, just those kelurahan folders are read (an incremental build of one changed
    kelurahan out of 59); an unknown slug is a KelurahanError naming the ones there are.
    `map_folders`: how to run the reading of each folder, e.g. a process pool's `map` (a
    city's first build reads 59 folders on both cores); results come back in folder order.
    """
    problems = _Collector()
    if not content_dir.is_dir():
        problems.add(content_dir, "folder", "folder konten tidak ditemukan; jalankan dari folder "
                     "yang berisi content/, atau tunjuk dengan --content /jalur/ke/content")
        return Loaded(None, (), problems.problems)
    if only is None:
        folders = _kelurahan_folders(content_dir, problems)
    else:
        only = sorted(set(only))
        select(kelurahan_slugs(content_dir), only)  # an unknown slug stops here, named
        folders = [content_dir / slug for slug in only]
    city_data = _read_city(content_dir / "kota.yml", problems)
    context = _city_context(city_data)
    kelurahan = []
    for kel, found in (map_folders or map)(functools.partial(_load_folder, context=context), folders):
        problems.problems.extend(found)
        if kel is not None:
            kelurahan.append(kel)
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


def _load_folder(folder: Path, context: dict[str, Any]) -> tuple[Kelurahan | None, list[Problem]]:
    """One kelurahan folder and the problems found in it, independent of every other folder."""
    problems = _Collector()
    return _load_kelurahan(folder, context, problems), problems.problems


def _load_kelurahan(folder: Path, context: dict[str, Any], problems: _Collector) -> Kelurahan | None:
    profile_path = folder / "profil.md"
    if not profile_path.is_file():
        problems.add(profile_path, "berkas", f"profil.md tidak ada; buat dengan 'kelurahan new {folder.name}'")
        return None
    profile = _read_markdown(profile_path, Kelurahan, problems)
    services = _load_services(folder, problems)
    post_context = {**context, "folder": folder, "channels": _profile_channels(profile)}
    posts = _load_posts(folder, post_context, problems)
    announcements = _load_announcements(folder, problems)
    if profile is not None:
        try:
            return Kelurahan.model_validate({
                **profile.data, "slug": folder.name, "folder": folder, "body": profile.body,
                "logo": _find_logo(folder), "services": services, "posts": posts,
                "announcements": announcements,
            })
        except ValidationError as exc:
            problems.invalid(profile_path, exc)
    # A bad profile must not hide what is wrong across its services: report it all at once.
    problems.problems.extend(validate_services(services))
    return None


def _profile_channels(profile: _Source | None) -> tuple[str, ...]:
    """The posts' default `terbit`; a wrong one is reported on the profile only, not per post."""
    try:
        return _CHANNELS.validate_python((profile.data if profile else {}).get("terbit") or ())
    except ValidationError:
        return ()


def _find_logo(folder: Path) -> Path | None:
    return next((folder / "media" / n for n in LOGO_NAMES if (folder / "media" / n).is_file()), None)


def _load_services(folder: Path, problems: _Collector) -> tuple[Service, ...]:
    services = _load_named(folder, "layanan", Service, problems)
    ordered = sorted(services, key=lambda s: (s.order, s.slug))
    return tuple(s.model_copy(update={"number": n}) for n, s in enumerate(ordered, start=1))


def _load_announcements(folder: Path, problems: _Collector) -> tuple[Announcement, ...]:
    return tuple(_load_named(folder, "pengumuman", Announcement, problems))


def _load_named(folder: Path, kind: str, model: type[_Named], problems: _Collector) -> list[_Named]:
    """Every `<folder>/<kind>/<slug>.md` as `model`, the file name being its slug."""
    items = []
    for path in _markdown_files(folder / kind, problems):
        slug = path.stem
        if not is_slug(slug):
            problems.add(path, "nama berkas", "hanya huruf kecil, angka dan tanda hubung, "
                         f"misalnya {slugify(slug, fallback=kind)}.md")
            continue
        source = _read_markdown(path, model, problems)
        if source is None:
            continue
        try:
            items.append(model.model_validate({
                **source.data, "kelurahan": folder.name, "slug": slug, "source": path,
                "body": source.body,
            }, context={"folder": folder}))
        except ValidationError as exc:
            problems.invalid(path, exc)
    return items


def _post_name_hint(name: str) -> str:
    """The name to give a post file named `2026-11-30-Kerja Bakti.md`, else an example."""
    loose = re.fullmatch(r"(\d{4}-\d\d-\d\d)[-_ ]+(.+)\.md", name, flags=re.IGNORECASE)
    if loose and not impossible_date(loose.group(1)) and (title := slugify(loose.group(2), fallback="")):
        return f"ganti nama menjadi {loose.group(1)}-{title}.md"
    return "misalnya 2025-10-27-kerja-bakti.md"


def _load_posts(folder: Path, context: dict[str, Any], problems: _Collector) -> tuple[Post, ...]:
    posts = []
    for path in _markdown_files(folder / "kegiatan", problems):
        name = POST_NAME.fullmatch(path.name)
        if name is None:
            problems.add(path, "nama berkas", "harus berbentuk YYYY-MM-DD-judul-singkat.md "
                         f"(huruf kecil, tanda - tanpa spasi); {_post_name_hint(path.name)}")
            continue
        if reason := impossible_date(name.group(1)):
            problems.add(path, "nama berkas", f"{reason}; ganti nama berkas dengan tanggal kegiatan "
                         f"yang benar, misalnya 2025-10-27-{name.group(2)}.md")
            continue
        source = _read_markdown(path, Post, problems)
        if source is None:
            continue
        try:
            post = Post.model_validate(
                {**source.data, "kelurahan": folder.name, "stem": path.stem,
                 "slug": name.group(2), "source": path, "body": source.body},
                context=context,
            )
            posts.append(post)
            _warn_unfinished(source, post, problems)
        except ValidationError as exc:
            problems.invalid(path, exc)
    return tuple(sorted(posts, key=lambda p: p.stem))


def _warn_unfinished(source: _Source, post: Post, problems: _Collector) -> None:
    """The scaffold of `kelurahan post` left as it was: its text must not reach the captions."""
    if post.unfinished:
        at = source.body.find(POST_PLACEHOLDER)
        problems.add(source.path, "isi", f"masih berisi teks contoh \"{POST_PLACEHOLDER}…\"; "
                     "ganti dengan laporan kegiatan. Sampai itu, kegiatan ini tidak diterbitkan "
                     "di situs maupun media sosial", line=source.body_line + source.body[:at].count("\n"),
                     level=Level.WARNING)
    if "ringkasan" in source.data and post.summary is None:
        problems.add(source.path, "ringkasan", "kosong; tulis satu kalimat ringkasan untuk kartu "
                     "dan media sosial (atau hapus baris ini)", level=Level.WARNING)


def _markdown_files(folder: Path, problems: _Collector) -> list[Path]:
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix == ".md" and path.is_file():
            files.append(path)
        elif (meant := _meant_markdown(path)) is not None:
            problems.add(path, "berkas", f"berkas Markdown harus berakhiran .md (huruf kecil); "
                                         f"ganti nama menjadi {meant}")
        else:
            problems.add(path, "berkas", "bukan berkas .md; diabaikan", level=Level.WARNING)
    return files


def _meant_markdown(path: Path) -> str | None:
    """The name a post or page saved as `.md.txt` (Notepad), `.MD` or `.markdown` was meant to
    have. An error, not a warning: ignored, a published post vanished from the site (a plain
    `.txt` may be a note, and stays a warning)."""
    if not path.is_file():
        return None
    name = path.name
    for ending in (".md.txt", ".markdown", ".md"):
        if name.casefold().endswith(ending):
            return name[: -len(ending)] + ".md"
    return None


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
    split = split_front_matter(text)
    if split is None:
        problems.add(path, "front matter", "tidak ada; berkas harus diawali blok --- berisi "
                     "kunci: nilai dan ditutup dengan ---", line=1)
        return None
    meta, body, offset = split
    if meta is None:
        problems.add(path, "front matter", "blok --- di baris 1 tidak ditutup; tambahkan baris "
                     "--- setelah kunci terakhir", line=1)
        return None
    try:
        data = parse_yaml(meta) or {}
    except YamlError as exc:
        line = exc.line + offset if exc.line else None
        problems.add(path, "front matter", f"YAML tidak valid: {exc.reason}", line=line)
        return None
    if not isinstance(data, dict):
        problems.add(path, "front matter", "harus berisi pasangan kunci: nilai", line=2)
        return None
    return _Source(path, _known_only(path, data, model, problems), body,
                   offset + meta.count("\n") + 1)


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
    """Drop unknown keys: a likely typo (`sayrat`, `Judul`, `photo`) is an error, since its value
    would silently go missing; any other unknown key is a warning."""
    known = _known_keys(model)
    kept = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key in known:
            nested = known[key]
            kept[key] = (_known_only(path, value, nested, problems, prefix=f"{name}.")
                         if nested is not None and isinstance(value, dict) else value)
            continue
        meant = _meant(str(key), list(known))
        if meant is not None:
            problems.misspelt.add((str(path), f"{prefix}{meant}"))
            problems.add(path, name, f"kunci tidak dikenal; maksud Anda '{prefix}{meant}'? "
                         f"Perbaiki penulisannya, isinya belum dipakai")
            continue
        guess = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
        hint = f"; maksud Anda '{prefix}{guess[0]}'?" if guess else ""
        problems.add(path, name, f"kunci tidak dikenal, diabaikan{hint}", level=Level.WARNING)
    return kept


# English keys people write for ours (e.g. from a template found online).
_ENGLISH = {
    "photo": "foto", "photos": "foto", "image": "foto", "images": "foto", "title": "judul",
    "date": "tanggal", "summary": "ringkasan", "category": "kategori", "categories": "kategori",
    "tags": "kategori", "draft": "draf", "schedule": "jadwal", "requirements": "syarat",
    "keywords": "kata_kunci", "cost": "biaya", "order": "urutan", "name": "nama",
    "address": "alamat", "phone": "telepon", "publish": "terbit",
}


def _meant(key: str, known: list[str]) -> str | None:
    """The known key `key` is one typing slip from (an edit, a swap, a case), or its Indonesian."""
    english = _ENGLISH.get(key.strip().casefold())
    if english in known:
        return english
    close = [k for k in known if _one_edit(key.casefold(), k)]
    return close[0] if len(close) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by one insertion, deletion, substitution or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i in range(len(short)) if short[i] != long[i]), len(short))
    return short[i:] == long[i + 1:]
