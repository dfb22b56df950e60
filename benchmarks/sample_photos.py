"""Draw the sample city's photos and logos into content/<kelurahan>/media/.

    python benchmarks/sample_photos.py            # only missing files
    python benchmarks/sample_photos.py --force    # redraw everything

Every photo named in a post's `foto` list is drawn with benchmarks.photos
(scene guessed from the file name, banner text from BANNERS), saved as a
1600×1200 JPEG with phone-like EXIF including GPS, so the site builder's EXIF
stripping can be checked against real-looking originals.  Each kelurahan also
gets media/logo.png.  Output is deterministic.
"""

from __future__ import annotations

import argparse
import sys
import zlib
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml

if __package__:
    from .photos import draw_logo, draw_photo, save_photo
else:  # run as a script: `python benchmarks/sample_photos.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.photos import draw_logo, draw_photo, save_photo

# (keyword in the photo file name, scene) — first match wins.
SCENE_RULES = [
    ("kerja-bakti", "kerja_bakti"), ("mangrove", "kerja_bakti"), ("kompos", "kerja_bakti"),
    ("banjir", "kerja_bakti"), ("simulasi", "kerja_bakti"),
    ("posyandu", "posyandu"), ("imunisasi", "posyandu"), ("pelayanan-keliling", "posyandu"),
    ("fogging", "fogging"), ("ronda", "ronda"),
    ("bansos", "bansos"), ("bantuan", "bansos"),
    ("lomba", "lomba"), ("festival", "lomba"), ("upacara", "lomba"), ("jalan-sehat", "lomba"),
    ("pelatihan", "umkm"),
    ("sosialisasi", "rapat"), ("musrenbang", "rapat"), ("rapat", "rapat"), ("penyuluhan", "rapat"),
]

# Banner text per photo file (without extension); others get a random scene banner.
BANNERS = {
    "2026-08-24-lomba-17-1": "LOMBA HUT RI KE-81 RW 04",
    "2026-08-31-posyandu-1": "POSYANDU MAWAR RW 02",
    "2026-09-07-sosialisasi-pbb-1": "SOSIALISASI PBB-P2 2026",
    "2026-09-14-kerja-bakti-1": "KERJA BAKTI RT 03",
    "2026-09-14-kerja-bakti-2": "KERJA BAKTI RT 03",
    "2026-09-21-pelatihan-umkm-1": "PELATIHAN FOTO PRODUK UMKM",
    "2026-09-28-fogging-1": "PSN & FOGGING RT 07",
    "2026-10-05-festival-budaya-1": "FESTIVAL BUDAYA DAYAK",
    "2026-10-05-festival-budaya-2": "PAMERAN KERAJINAN WARGA",
    "2026-10-12-bansos-1": "PENYALURAN BANTUAN PANGAN",
    "2026-10-19-ronda-1": "POS KAMLING RT 05",
    "2026-10-26-posyandu-lansia-1": "POSYANDU LANSIA RW 06",
    "2026-11-02-pkk-kompos-1": "BANK SAMPAH PKK SUKAMAJU",
    "2026-11-09-musrenbang-1": "PRA-MUSRENBANG 2027",
    "2026-11-16-kerja-bakti-1": "KERJA BAKTI SERENTAK",
    "2026-11-16-kerja-bakti-2": "GERAKAN TANAM POHON",
    "2026-11-20-pendataan-banjir-1": "POSKO SIAGA BANJIR",
    "2026-11-23-pelayanan-keliling-1": "PELAYANAN KELILING ADMINDUK",
    # tanjung-harapan
    "2026-08-24-lomba-perahu-1": "LOMBA PERAHU HIAS HUT RI KE-81",
    "2026-08-24-lomba-perahu-2": "DIRGAHAYU RI KE-81",
    "2026-08-31-pelatihan-umkm-1": "PELATIHAN OLAHAN IKAN",
    "2026-09-07-posyandu-1": "POSYANDU MELATI RW 01",
    "2026-09-14-kerja-bakti-1@tanjung-harapan": "AKSI BERSIH TEPIAN SUNGAI",
    "2026-09-21-penyuluhan-1": "STOP NARKOBA",
    "2026-09-28-imunisasi-1": "BULAN IMUNISASI ANAK SEKOLAH",
    "2026-10-05-bansos-1": "BANTUAN SEMBAKO NELAYAN",
    "2026-10-12-pelatihan-barista-1": "PELATIHAN BARISTA",
    "2026-10-19-fogging-1": "PSN SERENTAK RW 04",
    "2026-10-26-ronda-1": "SISKAMLING PESISIR",
    "2026-11-02-rapat-1": "RAPAT SIAGA BANJIR ROB",
    "2026-11-09-simulasi-1": "SIMULASI EVAKUASI BANJIR ROB",
    "2026-11-09-simulasi-2": "DAPUR UMUM",
    "2026-11-16-tanam-mangrove-1": "TANAM 1.000 MANGROVE",
    # bukit-indah
    "2026-06-01-upacara-1": "HARI LAHIR PANCASILA",
    "2026-06-08-posyandu-1": "POSYANDU KENANGA RW 03",
    "2026-06-15-kerja-bakti-1": "GOTONG ROYONG RT 09",
    "2026-06-15-kerja-bakti-2": "PENGECORAN JALAN RT 09",
    "2026-06-22-pelatihan-hidroponik-1": "KWT BUKIT SUBUR",
    "2026-06-29-sosialisasi-stunting-1": "CEGAH STUNTING",
    "2026-07-06-bansos-1": "PENYALURAN BLT TRIWULAN III",
    "2026-07-13-bantuan-sekolah-1": "BANTUAN PERLENGKAPAN SEKOLAH",
    "2026-07-20-ronda-1": "SISKAMLING RW 05",
    "2026-07-27-fogging-1": "BERANTAS DBD",
    "2026-08-03-rapat-1": "RAPAT PANITIA HUT RI KE-81",
    "2026-08-10-kerja-bakti-1": "LOMBA KAMPUNG BERSIH",
    "2026-08-17-lomba-17-1": "DIRGAHAYU RI KE-81",
    "2026-08-17-lomba-17-2": "LOMBA 17 AGUSTUS",
    "2026-08-24-jalan-sehat-1": "JALAN SEHAT HUT RI KE-81",
}

LOGO_COLOURS = {"sukamaju": "#1f6f43", "tanjung-harapan": "#1d4e89", "bukit-indah": "#8c2f39"}


def front_matter(path: Path) -> dict:
    """The YAML front matter of a Markdown file (between the first two `---` lines)."""
    text = path.read_text(encoding="utf-8")
    _, head, _ = text.split("---", 2)
    return yaml.safe_load(head) or {}


def scene_for(name: str) -> str | None:
    """Scene for a photo file name by SCENE_RULES, or None (random scene)."""
    return next((scene for key, scene in SCENE_RULES if key in name), None)


def draw_post_photos(folder: Path, force: bool) -> int:
    """Draw every photo referenced by the posts in `folder`; returns how many were written."""
    written = 0
    for post in sorted((folder / "kegiatan").glob("*.md")):
        meta = front_matter(post)
        day = meta["tanggal"] if isinstance(meta["tanggal"], date) else date.fromisoformat(str(meta["tanggal"]))
        for rel in meta.get("foto", []):
            target = folder / rel
            if target.exists() and not force:
                continue
            stem = Path(rel).stem
            banner = BANNERS.get(f"{stem}@{folder.name}") or BANNERS.get(stem)
            seed = zlib.crc32(f"{folder.name}/{rel}".encode())
            taken = datetime.combine(day - timedelta(days=1), time(8, 30)) + timedelta(minutes=seed % 240)
            save_photo(draw_photo(seed, scene=scene_for(stem), banner=banner), target, gps=True, taken=taken)
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    """Draw missing (or, with --force, all) sample photos and logos."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent / "content")
    parser.add_argument("--force", action="store_true", help="redraw files that already exist")
    args = parser.parse_args(argv)
    for folder in sorted(p for p in args.content.iterdir() if (p / "profil.md").is_file()):
        logo = folder / "media" / "logo.png"
        if args.force or not logo.exists():
            logo.parent.mkdir(parents=True, exist_ok=True)
            nama = front_matter(folder / "profil.md")["nama"]
            draw_logo(nama, LOGO_COLOURS.get(folder.name, "#374151")).save(logo, optimize=True)
        print(f"{folder.name}: {draw_post_photos(folder, args.force)} photo(s) drawn")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
