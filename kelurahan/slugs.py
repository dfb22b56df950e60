"""Slugs: the folder and file names that become URLs, so lower-case ASCII and hyphens only."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

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


def unknown_kelurahan(unknown: Sequence[str], available: Sequence[str]) -> str:
    """`kelurahan tidak dikenal: sukamju; maksud Anda sukamaju? (yang ada: …)`: one wording for
    every command that takes a kelurahan slug."""
    guesses = [g for slug in unknown for g in difflib.get_close_matches(slug, available, n=1)]
    hint = f"; maksud Anda {', '.join(guesses)}?" if guesses else ""
    return (f"kelurahan tidak dikenal: {', '.join(unknown)}{hint} "
            f"(yang ada: {', '.join(available) or '-'})")
