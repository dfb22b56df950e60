"""What to audit: our own kelurahan sites, the city's `situs_luar`, and sites given by hand.

A sites list usually comes out of Excel: with Indonesian settings that is `;`-separated, maybe
with a `sep=;` first line, a BOM, `HTTP://` in capitals, or a stray trailing separator. All of that
is read; a row that is still wrong is named with its line and skipped, never the whole run.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kelurahan.errors import KelurahanError
from kelurahan.model import City
from publish.audit.model import Kind, Target

SITES_COLUMNS = ("nama", "url", "kecamatan")
_SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class SitesFile:
    """The targets of a sites file, and a note for every row that was skipped."""

    targets: list[Target]
    notes: list[str]


def city_targets(city: City) -> list[Target]:
    """Each kelurahan's public site under `alamat_situs`, then the outside sites."""
    ours = [Target(kel.name, city.url(kel.url_path), Kind.OURS, kel.district, kel.slug,
                   source=f"{kel.slug}/profil.md") for kel in city.kelurahan]
    outside = [Target(site.name, site.url, Kind.OUTSIDE, site.district, source="kota.yml")
               for site in city.outside_sites]
    return ours + outside


def url_targets(urls: Iterable[str]) -> list[Target]:
    """`--url` values; the address is the name."""
    targets = []
    for url in urls:
        url = _checked_url(url, "--url")
        targets.append(Target(url, url, Kind.EXTRA, source="--url"))
    return targets


def read_sites_csv(path: Path) -> SitesFile:
    """`--sites FILE.csv` with header `nama;url[;kecamatan]` (or commas)."""
    lines = _read_lines(path)
    separator = _separator(lines)
    had_sep_line = bool(lines) and lines[0].strip().lower().startswith("sep=")
    if had_sep_line:
        lines = lines[1:]
    rows = csv.DictReader(lines, delimiter=separator)
    header = [(name or "").strip().lower() for name in rows.fieldnames or []]
    missing = [column for column in SITES_COLUMNS[:2] if column not in header]
    if missing:
        raise KelurahanError(f"{path}: baris pertama harus berisi kolom nama;url[;kecamatan] "
                             f"(atau dipisah koma); tidak ada kolom {', '.join(missing)}")
    first = 3 if had_sep_line else 2  # file line numbers, as Excel and editors show them
    targets, notes = [], []
    for number, row in enumerate(rows, start=first):
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not any(cells.values()):
            continue
        try:
            url = _checked_url(cells.get("url", ""), f"{path.name}:{number}: url")
        except KelurahanError as exc:
            notes.append(f"{exc}; baris dilewati")
            continue
        targets.append(Target(cells.get("nama") or url, url, Kind.EXTRA,
                              cells.get("kecamatan") or None, source=f"{path.name}:{number}"))
    return SitesFile(targets, notes)


def _read_lines(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KelurahanError(f"{path}: tidak dapat dibaca ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    return text.splitlines()


def _separator(lines: list[str]) -> str:
    """`sep=;` when Excel wrote it; else whichever separator the header line uses most."""
    first = lines[0].strip() if lines else ""
    if first.lower().startswith("sep=") and len(first) >= 5:
        return first[4]
    return max(_SEPARATORS, key=first.count) if first else ","


def _checked_url(url: str, where: str) -> str:
    """`HTTP://Kel.Example/` is fine (scheme and host are case-insensitive); `www.kel.go.id`
    (no scheme, as people copy it) is `https://www.kel.go.id`; `ftp://`, a broken IPv6 bracket,
    a port out of range or a space in the host name are the list's errors, not dead sites."""
    url = url.strip()
    if "://" not in url and _BARE_HOST.match(url):
        url = "https://" + url
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest.strip("/"):
        raise KelurahanError(f"{where}: harus alamat http:// atau https://, bukan {url!r}")
    url = f"{scheme.lower()}://{rest}"
    problem = _url_problem(url)
    if problem:
        raise KelurahanError(f"{where}: alamat tidak sah ({problem}): {url!r}")
    return url


_BARE_HOST = re.compile(r"([a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}|\d{1,3}(\.\d{1,3}){3})"
                        r"(:\d+)?(/\S*)?$", re.I)


def _url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "tanda kurung [ ] alamat IPv6 tidak lengkap"
    if any(char.isspace() for char in parts.netloc):
        return "nama host berisi spasi"
    if any(char.isspace() for char in url):
        return "alamat berisi spasi atau tab"
    try:
        port = parts.port
    except ValueError:
        return "port harus angka 1–65535"
    if port == 0:
        return "port harus angka 1–65535"
    if not parts.hostname:
        return "tanpa nama host"
    labels = parts.hostname.rstrip(".").split(".")
    if len(parts.hostname) > 253 or any(not label or len(label) > 63 for label in labels):
        return "nama host tidak sah"
    return None
