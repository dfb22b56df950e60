"""Helpers for the card tests: posts with awkward photos, and decoding what was written."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

from tests.conftest import write

NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=ZoneInfo("Asia/Makassar"))  # Wednesday
SIZES = {"facebook": (1200, 630), "instagram": (1080, 1350), "tiktok": (1080, 1920)}


def add_post(content: Path, stem: str, title: str, *, photo: str | None = None,
             extra: str = "", body: str = "Warga bergotong royong.") -> Path:
    """Write `sukamaju/kegiatan/<stem>.md`; the date comes from the stem."""
    lines = [f"judul: {title!r}" if "'" not in title else f'judul: "{title}"',
             f"tanggal: {stem[:10]}"]
    if photo:
        lines.append(f"foto: [media/{photo}]")
    if extra:
        lines.append(extra)
    return write(content / "sukamaju" / "kegiatan" / f"{stem}.md",
                 "---\n" + "\n".join(lines) + "\n---\n" + body + "\n")


def media(content: Path, name: str) -> Path:
    path = content / "sukamaju" / "media" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def detailed_photo(size: tuple[int, int], *, seed: int = 1) -> Image.Image:
    """A photo-like picture: a gradient with random noise, which JPEG cannot squeeze much."""
    noise = Image.frombytes("L", (size[0] // 4, size[1] // 4),
                            _random_bytes(size[0] // 4 * (size[1] // 4), seed))
    base = Image.merge("RGB", [noise, noise.rotate(180), Image.linear_gradient("L").resize(noise.size)])
    return base.resize(size, Image.Resampling.NEAREST)


def _random_bytes(count: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(count) if count else os.urandom(0)


def decode(path: Path) -> Image.Image:
    """The JPEG as a browser would see it: format checked, fully decoded."""
    data = path.read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG", path
    image.load()
    return image
