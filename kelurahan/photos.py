"""Is a post's photo usable? Found out cheaply, so `check` can open every photo every time.

Pillow's `Image.open` reads only the header (format, size); whether the file is whole is seen
from its end (a JPEG's end-of-image marker after its first scan, a PNG's IEND chunk, the RIFF
size of a WebP) without decoding a pixel. Verdicts are remembered by path, size and mtime in
the state folder, so an unchanged photo costs a `stat` on the next check.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from kelurahan.files import write_text_atomic
from kelurahan.model import Kelurahan
from kelurahan.problems import Level, Problem

log = logging.getLogger(__name__)

_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1", b"avif")
_TAIL = 4096
CACHE_NAME = "foto-periksa.json"


def photo_problem(path: Path) -> str | None:
    """Why the photo at `path` cannot be used (Indonesian, with what to do), or None."""
    from PIL import Image, UnidentifiedImageError

    if path.stat().st_size == 0:
        return "kosong (0 byte); salin ulang foto aslinya"
    try:
        with Image.open(path) as image:
            kind = image.format
            if kind == "PNG" and not _png_complete(path):
                image.verify()  # data after IEND, or cut short: the chunk CRCs decide
    except Image.DecompressionBombError:
        return ("terlalu besar untuk diproses (lebih dari "
                f"{(Image.MAX_IMAGE_PIXELS or 0) * 2 // 1_000_000} megapiksel); perkecil dulu fotonya")
    except UnidentifiedImageError:
        return _unknown_format(path)
    except Exception:  # any file may be fed in, and Pillow's plugins raise many kinds
        return _BROKEN
    whole = {"JPEG": _jpeg_complete, "MPO": _jpeg_complete, "WEBP": _webp_complete}.get(
        kind or "", lambda _: True)
    try:
        return None if whole(path) else _BROKEN
    except OSError:
        return _BROKEN


_BROKEN = ("rusak atau terpotong (berkas tidak utuh, mungkin belum selesai disalin atau "
           "diunduh); salin ulang foto aslinya")


def _unknown_format(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(16)
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return ("berformat HEIC/HEIF (kamera iPhone) yang belum didukung; simpan ulang sebagai "
                "JPEG (di iPhone: Pengaturan › Kamera › Format › Paling Kompatibel)")
    return "bukan berkas gambar yang dikenali; pakai foto JPEG, PNG atau WebP"


def _jpeg_complete(path: Path) -> bool:
    """An end-of-image marker after the first scan (a motion photo carries a video after it)."""
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - _TAIL))
        if handle.read().rstrip(b"\x00\r\n ").endswith(b"\xff\xd9"):
            return True
        scan = _first_scan(handle)
        if scan is None:
            return False
        handle.seek(scan)
        previous = b""
        while chunk := handle.read(1 << 20):
            if b"\xff\xd9" in previous[-1:] + chunk:
                return True
            previous = chunk
    return False


def _first_scan(handle: BinaryIO) -> int | None:
    """File offset just after the first start-of-scan segment header, walking the markers."""
    handle.seek(2)
    for _ in range(1000):
        head = handle.read(4)
        if len(head) < 4 or head[0] != 0xFF:
            return None
        marker, length = head[1], int.from_bytes(head[2:4], "big")
        if marker == 0xDA:
            return handle.tell() + length - 2
        handle.seek(length - 2, os.SEEK_CUR)
    return None


def _png_complete(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 12))
        return handle.read() == b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _webp_complete(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(12)
    return len(head) == 12 and path.stat().st_size >= int.from_bytes(head[4:8], "little") + 8


class PhotoChecks:
    """`photo_problem` with its verdicts remembered in `<cache_dir>/foto-periksa.json`."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.path = cache_dir / CACHE_NAME if cache_dir else None
        self.known: dict[str, list] = self._read()
        self.seen: dict[str, list] = {}  # what this run checked: deleted photos are forgotten

    def _read(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text("utf-8")) if self.path else {}
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def problem(self, path: Path) -> str | None:
        info = path.stat()  # photo paths are absolute and normalised already: no resolve()
        key, stamp = os.path.abspath(path), [info.st_size, info.st_mtime_ns]
        entry = self.known.get(key)
        if not (isinstance(entry, list) and len(entry) == 3 and entry[:2] == stamp):
            entry = [*stamp, photo_problem(path)]
        self.seen[key] = entry
        return entry[2]

    def save(self) -> None:
        """Best effort: a check in a read-only place still checks, it only forgets."""
        if self.path is None or self.seen == self.known:
            return
        try:
            write_text_atomic(self.path, json.dumps(self.seen))
        except OSError as exc:
            log.debug("hasil pemeriksaan foto tidak disimpan: %s", exc)


def photo_problems(kelurahan: Iterable[Kelurahan], checks: PhotoChecks) -> list[Problem]:
    """An error on the `foto` entry of every post whose photo cannot be used; a warning for a
    logo that cannot (the cards are drawn without it)."""
    problems = []
    for kel in kelurahan:
        if kel.logo is not None and (reason := _reason(checks, kel.logo)):
            problems.append(Problem(str(kel.logo), "logo", f"logo {reason}; kartu dibuat tanpa "
                                    "logo", level=Level.WARNING))
        for post in kel.posts:
            for number, photo in enumerate(post.photos, start=1):
                if reason := _reason(checks, photo.path):
                    problems.append(Problem(str(post.source), f"foto #{number}",
                                            f"{photo.src}: foto {reason}"))
    checks.save()
    return problems


def _reason(checks: PhotoChecks, path: Path) -> str | None:
    try:
        return checks.problem(path)
    except OSError as exc:
        return f"tidak dapat dibaca ({exc.strerror or exc})"
