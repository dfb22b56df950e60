"""Other offices' services (`themes/bot/instansi_lain.yml`, a city's `content/instansi_lain.yml`
on top): the bot names the right office instead of guessing a kelurahan service.

The build puts them into each `menu.json`, so the bot never reads content/ or themes/.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from kelurahan.errors import KelurahanError
from kelurahan.problems import Problem
from kelurahan.resources import bundled_root

DEFAULT_FILE = bundled_root() / "themes" / "bot" / "instansi_lain.yml"
CITY_FILE = "instansi_lain.yml"
_REQUIRED = ("id", "nama", "urusan", "kata_kunci")


class OtherOfficeError(KelurahanError):
    """A broken `instansi_lain.yml`: file, key and what to fix, like content errors."""

    def __init__(self, path: Path, field: str, message: str) -> None:
        super().__init__(f"{path}: {field}: {message}")
        self.path, self.field, self.message = path, field, message


def other_offices(content_dir: Path, default: Path = DEFAULT_FILE) -> list[dict[str, Any]]:
    """The defaults with the city's entries applied (same `id` replaces, `hapus: ya` removes)."""
    entries = {e["id"]: e for e in _read(default)}
    city = content_dir / CITY_FILE
    for entry in _read(city) if city.is_file() else []:
        if entry.get("hapus") in (True, "ya"):
            entries.pop(entry["id"], None)
        else:
            entries[entry["id"]] = entry
    return list(entries.values())


def other_office_problems(content_dir: Path) -> list[Problem]:
    """For `kelurahan check` and the build: a broken city file, as one content problem."""
    try:
        other_offices(content_dir)
    except OtherOfficeError as exc:
        return [Problem(str(exc.path), exc.field, exc.message)]
    return []


def _read(path: Path) -> list[dict[str, Any]]:
    stat = path.stat()
    return _read_cached(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_cached(path: Path, _mtime: int, _size: int) -> list[dict[str, Any]]:
    """Parsed once per build (59 menus read the same file)."""
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise OtherOfficeError(path, "instansi_lain", f"tidak bisa dibaca: {exc}") from None
    if not isinstance(data, list):
        raise OtherOfficeError(path, "instansi_lain",
                               "harus berupa daftar instansi (baris diawali '- id:')")
    return [_entry(path, n, item) for n, item in enumerate(data, start=1)]


def _entry(path: Path, n: int, item: Any) -> dict[str, Any]:
    where = f"entri ke-{n}"
    if not isinstance(item, dict):
        raise OtherOfficeError(path, where, "harus berisi id, nama, urusan, kata_kunci")
    if item.get("hapus") in (True, "ya") and item.get("id"):
        return {"id": str(item["id"]), "hapus": True}
    missing = [key for key in _REQUIRED if not item.get(key)]
    if missing:
        raise OtherOfficeError(path, f"{where}.{missing[0]}", "wajib diisi")
    keywords = item["kata_kunci"]
    if not isinstance(keywords, list) or not all(isinstance(k, str | int) for k in keywords):
        raise OtherOfficeError(path, f"{where}.kata_kunci",
                               f"harus berupa daftar kata, bukan {keywords!r}")
    return {"id": str(item["id"]), "nama": str(item["nama"]), "urusan": str(item["urusan"]),
            "kata_kunci": [str(k) for k in keywords],
            "keterangan": str(item["keterangan"]) if item.get("keterangan") else None}
