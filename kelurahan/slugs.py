"""Slugs: the folder and file names that become URLs, so lower-case ASCII and hyphens only."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from kelurahan.errors import KelurahanError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def is_slug(text: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, text) is not None


def slugify(text: str, max_length: int = 60, fallback: str = "kegiatan") -> str:
    """`Kerja Bakti RT 03 – Sungai Bersih!` → `kerja-bakti-rt-03-sungai-bersih`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or fallback


def district_slug(name: str) -> str:
    """The folder of a kecamatan's page on a split portal: `Kota Baru` → `kota-baru`."""
    return slugify(name)


def content_folders(content_dir: Path) -> list[Path]:
    """Folders of `content_dir` that are meant as kelurahan (hidden and `_` folders skipped)."""
    if not content_dir.is_dir():
        return []
    return sorted(p for p in content_dir.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")))


def kelurahan_slugs(content_dir: Path) -> list[str]:
    """The kelurahan of a content folder, as the loader sees them, without reading any file."""
    return [p.name for p in content_folders(content_dir) if is_slug(p.name)]


def select(available: Sequence[str], only: Iterable[str]) -> list[str]:
    """`available` narrowed to `only` (all when empty); an unknown slug is a KelurahanError."""
    only = list(only)
    unknown = sorted(set(only) - set(available))
    if unknown:
        raise KelurahanError(unknown_kelurahan(unknown, available))
    return [slug for slug in available if not only or slug in only]


def unknown_kelurahan(unknown: Sequence[str], available: Sequence[str]) -> str:
    """`kelurahan tidak dikenal: sukamju; maksud Anda sukamaju? (yang ada: …)`: one wording for
    every command that takes a kelurahan slug."""
    guesses = [g for slug in unknown for g in difflib.get_close_matches(slug, available, n=1)]
    hint = f"; maksud Anda {', '.join(guesses)}?" if guesses else ""
    return (f"kelurahan tidak dikenal: {', '.join(unknown)}{hint} "
            f"(yang ada: {', '.join(available) or '-'})")
