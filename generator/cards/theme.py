"""Card layouts as data: `themes/cards/kota.yml` for the city, `<slug>.yml` to override per kelurahan.

Boxes are `[x, y, width, height]` in final pixels. Every text box must lie inside the
channel's safe zone; a theme that breaks this is refused with the file and key named, so a
designer cannot push the title under TikTok's buttons by accident.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kelurahan.errors import KelurahanError
from kelurahan.outputs import CHANNELS, Channel
from kelurahan.resources import bundled_root

Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]
TEXT_BOXES = ("kepala", "judul", "tanggal", "kaki")
DRAWN_BOXES = ("foto", "panel", "aksen", *TEXT_BOXES)
FONT_ROLES = ("judul", "kepala", "biasa")
CITY_THEME = "kota.yml"


class ThemeError(KelurahanError):
    """A theme file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class ChannelLayout:
    """Geometry of one platform's card; `safe` is the box all text must stay inside."""

    channel: Channel
    size: tuple[int, int]
    safe: Box
    photo: Box
    panel: Box
    accent: Box
    header: Box
    title: Box
    date: Box
    footer: Box
    title_sizes: tuple[int, int]
    header_size: int
    date_size: int
    footer_size: int


@dataclass(frozen=True)
class Theme:
    """Colours, fonts and per-channel layouts; `fingerprint` keys the card cache."""

    primary: RGB
    accent: RGB
    text: RGB
    fonts: dict[str, Path]
    logo_side: str
    quality: int
    channels: dict[str, ChannelLayout]
    fingerprint: str


def load_theme(slug: str, themes_dir: Path | None = None) -> Theme:
    """The city theme with the kelurahan's override merged in (override wins key by key)."""
    folder = themes_dir if themes_dir and (themes_dir / "cards" / CITY_THEME).is_file() else (
        bundled_root() / "themes")
    data = _read(folder / "cards" / CITY_THEME)
    override = folder / "cards" / f"{slug}.yml"
    if override.is_file():
        data = _merge(data, _read(override))
    return parse_theme(data, folder, where=str(override if override.is_file() else
                                               folder / "cards" / CITY_THEME))


def parse_theme(data: dict[str, Any], themes_dir: Path, *, where: str) -> Theme:
    """The theme, or ThemeError listing every problem at once (file and key on each line), as
    `kelurahan check` does for content: a designer fixes them all in one go."""
    problems: list[str] = []
    colours = _section(data, "warna", where, problems)
    primary = _colour(colours.get("utama"), f"{where}: warna.utama", problems)
    text = colours.get("teks")
    fonts = {role: _font(themes_dir, _section(data, "huruf", where, problems).get(role),
                         f"{where}: huruf.{role}", problems) for role in FONT_ROLES}
    side = _section(data, "logo", where, problems).get("posisi", "kiri")
    if side not in ("kiri", "kanan"):
        problems.append(f"{where}: logo.posisi: harus 'kiri' atau 'kanan', bukan {side!r}")
    quality = _section(data, "jpeg", where, problems).get("mutu", 85)
    if not isinstance(quality, int) or not 40 <= quality <= 95:
        problems.append(f"{where}: jpeg.mutu: harus bilangan 40–95, bukan {quality!r}")
    channels = _section(data, "kanal", where, problems)
    layouts: dict[str, ChannelLayout] = {
        name: _layout(name, _section(channels, name, f"{where}: kanal", problems),
                      f"{where}: kanal.{name}", problems) for name in CHANNELS}
    accent = _colour(colours.get("aksen"), f"{where}: warna.aksen", problems)
    text_colour = _colour(text, f"{where}: warna.teks", problems) if text else _readable_on(primary)
    if problems:
        raise ThemeError("\n".join(dict.fromkeys(problems)))
    return Theme(primary=primary, accent=accent, text=text_colour, fonts=fonts, logo_side=side,
                 quality=quality, channels=layouts, fingerprint=_fingerprint(data, fonts))


def _layout(name: Channel, data: dict[str, Any], where: str, problems: list[str]) -> ChannelLayout:
    before = len(problems)
    size = _pair(data.get("ukuran"), f"{where}.ukuran", problems)
    boxes = {key: _box(data.get(key), f"{where}.{key}", problems) for key in DRAWN_BOXES}
    safe = _safe_box(size, _section(data, "zona_aman", where, problems), where, problems)
    if len(problems) == before:  # geometry is judged only on boxes that could be read
        _check_geometry(boxes, safe, size, where, problems)
    sizes = _section(data, "ukuran_huruf", where, problems)
    title_sizes = _pair(sizes.get("judul"), f"{where}.ukuran_huruf.judul", problems)
    if title_sizes != (0, 0) and not 8 <= title_sizes[1] <= title_sizes[0]:
        problems.append(f"{where}.ukuran_huruf.judul: harus [terbesar, terkecil], bukan "
                        f"{list(title_sizes)}")
    return ChannelLayout(
        channel=name, size=size, safe=safe, photo=boxes["foto"], panel=boxes["panel"],
        accent=boxes["aksen"], header=boxes["kepala"], title=boxes["judul"],
        date=boxes["tanggal"], footer=boxes["kaki"], title_sizes=title_sizes,
        **{f"{role}_size": _ints([sizes.get(key)], 1, f"{where}.ukuran_huruf.{key}", problems)[0]
           for role, key in (("header", "kepala"), ("date", "tanggal"), ("footer", "kaki"))},
    )


def _check_geometry(boxes: dict[str, Box], safe: Box, size: tuple[int, int], where: str,
                    problems: list[str]) -> None:
    for key, box in boxes.items():
        limit = safe if key in TEXT_BOXES else (0, 0, size[0], size[1])
        if not _inside(box, limit):
            zone = "zona aman" if key in TEXT_BOXES else "kartu"
            problems.append(f"{where}.{key}: kotak {list(box)} keluar dari {zone} {list(limit)}")
    for key in ("panel", "aksen", *TEXT_BOXES):
        if _overlap(boxes["foto"], boxes[key]):
            problems.append(f"{where}.foto: kotak foto {list(boxes['foto'])} menimpa {key} "
                            f"{list(boxes[key])}; panel dan teks harus di luar foto")


def _safe_box(size: tuple[int, int], margins: dict[str, Any], where: str,
              problems: list[str]) -> Box:
    top, bottom, left, right = (
        _ints([margins.get(k, 0)], 1, f"{where}.zona_aman.{k}", problems)[0]
        for k in ("atas", "bawah", "kiri", "kanan"))
    return (left, top, size[0] - left - right, size[1] - top - bottom)


def inside(inner: Box, outer: Box) -> bool:
    """Whether box `inner` lies entirely within `outer` (both `[x, y, w, h]`)."""
    return _inside(inner, outer)


def _inside(inner: Box, outer: Box) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


# `yaml.safe_load` in C when libyaml is there: read again for every kelurahan a worker builds.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError:
        raise ThemeError(f"{path}: berkas tema kartu tidak ditemukan") from None
    except yaml.YAMLError as exc:
        raise ThemeError(f"{path}: bukan YAML yang sah ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise ThemeError(f"{path}: isi tema harus berupa pemetaan kunci: nilai")
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _section(data: dict[str, Any], key: str, where: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"{where}: {key}: harus berupa pemetaan, bukan {value!r}")
        return {}
    return value


def _ints(value: Any, count: int, where: str, problems: list[str]) -> tuple[int, ...]:
    if (not isinstance(value, list | tuple) or len(value) != count
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
        problems.append(f"{where}: harus {count} bilangan bulat ≥ 0, bukan {value!r}")
        return (0,) * count
    return tuple(value)


def _pair(value: Any, where: str, problems: list[str]) -> tuple[int, int]:
    first, second = _ints(value, 2, where, problems)
    return first, second


def _box(value: Any, where: str, problems: list[str]) -> Box:
    x, y, w, h = _ints(value, 4, where, problems)
    return x, y, w, h


def _colour(value: Any, where: str, problems: list[str]) -> RGB:
    if not isinstance(value, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", value.strip()):
        problems.append(f"{where}: harus warna seperti \"#0f5c4a\", bukan {value!r}")
        return (0, 0, 0)
    hex_digits = value.strip()[1:]
    return (int(hex_digits[0:2], 16), int(hex_digits[2:4], 16), int(hex_digits[4:6], 16))


def _readable_on(colour: RGB) -> RGB:
    """White text on dark colours, near-black on light ones (relative luminance, WCAG)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    luminance = 0.2126 * channel(colour[0]) + 0.7152 * channel(colour[1]) + 0.0722 * channel(colour[2])
    return (255, 255, 255) if luminance < 0.179 else (22, 22, 22)


def _font(themes_dir: Path, name: Any, where: str, problems: list[str]) -> Path:
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: harus nama berkas huruf di themes/fonts/, bukan {name!r}")
        return Path()
    path = themes_dir / "fonts" / name.strip()
    if not path.is_file():  # a city's own layout may use the shipped fonts
        path = bundled_root() / "themes" / "fonts" / name.strip()
    if not path.is_file():
        problems.append(f"{where}: berkas huruf tidak ditemukan: {path}")
    return path


def _fingerprint(data: dict[str, Any], fonts: dict[str, Path]) -> str:
    stamp = {"data": data, "fonts": {k: [p.name, p.stat().st_size] for k, p in fonts.items()}}
    return hashlib.sha256(json.dumps(stamp, sort_keys=True, default=str).encode()).hexdigest()
