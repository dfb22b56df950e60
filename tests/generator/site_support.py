"""Helpers for the website and build tests: build a content tree, read what came out."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from PIL import Image
from PIL.ExifTags import GPS, IFD

from generator.build import BuildOptions, BuildReport, build

REPO = Path(__file__).resolve().parents[2]
CITY_NOW = "2026-11-23T10:00:00+08:00"


def run_build(content: Path, out: Path, *, now: str | None = CITY_NOW, jobs: int = 1,
              force: bool = False, only: tuple[str, ...] = ()) -> BuildReport:
    import datetime as dt

    moment = dt.datetime.fromisoformat(now) if now else None
    return build(BuildOptions(content_dir=content, out_dir=out, state_dir=out.parent / "state",
                              project_root=REPO, now=moment, jobs=jobs, force=force, only=only))


def add_kelurahan(content: Path, slug: str, name: str) -> Path:
    """A second kelurahan: a copy of sukamaju with its own name and bot number."""
    folder = content / slug
    shutil.copytree(content / "sukamaju", folder)
    profile = folder / "profil.md"
    text = profile.read_text("utf-8").replace("nama: Sukamaju", f"nama: {name}")
    text = re.sub(r'whatsapp_phone_id: "\d+"', 'whatsapp_phone_id: "100000000000999"', text)
    profile.write_text(text, "utf-8")
    return folder


def gps_photo(path: Path) -> Path:
    """A camera-like JPEG with a GPS position in its EXIF (what a phone writes)."""
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "S"
    gps[GPS.GPSLatitude] = (1.0, 14.0, 24.0)
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (116.0, 51.0, 0.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1600, 1200), "orange").save(path, "JPEG", exif=exif, quality=90)
    return path


def html_files(site: Path) -> list[Path]:
    """The website's pages (the lurah's card preview under `kartu/` is not one of them)."""
    return sorted(p for p in site.rglob("*.html") if not {"pagefind", "kartu"} & set(p.parts))
