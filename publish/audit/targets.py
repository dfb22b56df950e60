"""What to audit: our own kelurahan sites, the city's `situs_luar`, and sites given by hand."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from kelurahan.errors import KelurahanError
from kelurahan.model import City
from publish.audit.model import Kind, Target

SITES_COLUMNS = ("nama", "url", "kecamatan")


def city_targets(city: City) -> list[Target]:
    """Each kelurahan's public site under `alamat_situs`, then the outside sites."""
    ours = [Target(kel.name, city.url(kel.url_path), Kind.OURS, kel.district, kel.slug)
            for kel in city.kelurahan]
    outside = [Target(site.name, site.url, Kind.OUTSIDE, site.district)
               for site in city.outside_sites]
    return ours + outside


def url_targets(urls: Iterable[str]) -> list[Target]:
    """`--url` values; the address is the name."""
    targets = []
    for url in urls:
        _check_url(url, "--url")
        targets.append(Target(url, url, Kind.EXTRA))
    return targets


def read_sites_csv(path: Path) -> list[Target]:
    """`--sites FILE.csv` with header `nama,url[,kecamatan]`; every bad row named at once."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KelurahanError(f"{path}: tidak dapat dibaca ({exc})") from None
    rows = csv.DictReader(text.splitlines())
    missing = [c for c in SITES_COLUMNS[:2] if c not in [f.strip().lower() for f in rows.fieldnames or []]]
    if missing:
        raise KelurahanError(f"{path}: baris pertama harus berisi kolom nama,url[,kecamatan]; "
                             f"tidak ada kolom {', '.join(missing)}")
    targets, problems = [], []
    for number, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        try:
            _check_url(row["url"], f"{path}:{number}: url")
        except KelurahanError as exc:
            problems.append(str(exc))
            continue
        targets.append(Target(row["nama"] or row["url"], row["url"], Kind.EXTRA,
                              row.get("kecamatan") or None))
    if problems:
        raise KelurahanError("\n".join(problems))
    return targets


def _check_url(url: str, where: str) -> None:
    if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0:
        raise KelurahanError(f"{where}: harus alamat http:// atau https://, bukan {url!r}")
