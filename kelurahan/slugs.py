"""Slugs: the folder and file names that become URLs, so lower-case ASCII and hyphens only."""

from __future__ import annotations

import re
import unicodedata

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
