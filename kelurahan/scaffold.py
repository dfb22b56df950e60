"""Start a new kelurahan folder or this week's post with files that already pass `check`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from kelurahan.errors import KelurahanError
from kelurahan.model import POST_PLACEHOLDER
from kelurahan.slugs import is_slug, slugify, unknown_kelurahan

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}

_PROFILE = """\
---
nama: {nama_yaml}
kecamatan: {kecamatan_yaml}
lurah:
alamat:
telepon:
whatsapp:
email:
jam_layanan: Senin–Kamis 08.00–15.00, Jumat 08.00–11.00
sosial: {{}}      # mis. {{facebook: …, instagram: …}}
terbit: []       # setelah akun sosial diisi, mis. [facebook, instagram]
---
## Sejarah

Tulis sejarah singkat Kelurahan {nama} di sini.

## Visi dan Misi

**Visi:** …

**Misi:**

1. …

## Struktur Organisasi

| Jabatan | Nama |
| --- | --- |
| Lurah | … |
| Sekretaris Kelurahan | … |
"""

_SERVICE = """\
---
judul: Surat Pengantar KTP-el
urutan: 1
syarat:
  - Surat pengantar RT/RW
  - Fotokopi Kartu Keluarga
biaya: Gratis
waktu: 1 hari kerja
kata_kunci: [ktp, ktp-el, e-ktp]
ringkasan: Pengantar dari kelurahan untuk perekaman atau pencetakan KTP-el di Disdukcapil.
---
## Prosedur

1. Bawa persyaratan ke kantor kelurahan pada jam layanan.
2. Petugas memeriksa berkas dan menerbitkan surat pengantar.
"""

_POST = """\
---
judul: {judul}
tanggal: {tanggal}
foto: [{foto}]
kategori: []
ringkasan:
---
""" + POST_PLACEHOLDER + """: apa, kapan, di mana, siapa yang hadir, dan hasilnya.
"""


def new_kelurahan(content_dir: Path, slug: str, *, name: str, district: str) -> Path:
    """Create `content/<slug>/` with a profile, one example service and empty folders."""
    if not is_slug(slug):
        raise KelurahanError(f"slug {slug!r} tidak valid: pakai huruf kecil, angka dan tanda "
                             f"hubung, misalnya {slugify(slug)}")
    _require_content(content_dir)
    folder = content_dir / slug
    if folder.exists():
        raise KelurahanError(f"{folder} sudah ada; tidak ada yang diubah")
    staging = content_dir / f".{slug}.baru"
    shutil.rmtree(staging, ignore_errors=True)
    for sub in ("layanan", "kegiatan", "media"):
        (staging / sub).mkdir(parents=True)
    profile = _PROFILE.format(nama=name, nama_yaml=yaml_quoted(name),
                              kecamatan_yaml=yaml_quoted(district))
    (staging / "profil.md").write_text(profile, "utf-8")
    (staging / "layanan" / "ktp-el.md").write_text(_SERVICE, "utf-8")
    staging.rename(folder)
    return folder


def new_post(content_dir: Path, slug: str, title: str, *, today: dt.date,
             photo: Path | None = None) -> Path:
    """Create this week's post `kegiatan/<today>-<judul>.md`, copying the photo into media/."""
    folder = _kelurahan_folder(content_dir, slug)
    if not title.strip():
        raise KelurahanError("judul tidak boleh kosong")
    stem = f"{today.isoformat()}-{slugify(title)}"
    post_path = folder / "kegiatan" / f"{stem}.md"
    if post_path.exists():
        raise KelurahanError(f"{post_path} sudah ada; tidak ada yang diubah")
    media_name = _check_photo(photo, stem) if photo else None
    if photo and media_name:
        (folder / "media").mkdir(exist_ok=True)
        shutil.copyfile(photo, folder / "media" / media_name)
    post_path.parent.mkdir(exist_ok=True)
    text = _POST.format(judul=yaml_quoted(title), tanggal=today.isoformat(),
                        foto=f"media/{media_name}" if media_name else "")
    post_path.write_text(text, "utf-8")
    return post_path


def _require_content(content_dir: Path) -> None:
    """Run outside the city's folder, `content/` is not there: say so and how to point at it."""
    if not content_dir.is_dir():
        where = content_dir if content_dir.is_absolute() else f"{content_dir}/ di {Path.cwd()}"
        raise KelurahanError(f"folder konten {where} tidak ditemukan; jalankan perintah dari "
                             "folder yang berisi content/, atau tunjuk foldernya dengan "
                             "--content /jalur/ke/content")


def _kelurahan_folder(content_dir: Path, slug: str) -> Path:
    """The folder of an existing kelurahan; a slip in the slug gets the nearest one suggested."""
    _require_content(content_dir)
    folder = content_dir / slug
    if (folder / "profil.md").is_file():
        return folder
    existing = sorted(p.parent.name for p in content_dir.glob("*/profil.md"))
    new_hint = f"; kelurahan baru dibuat dengan 'kelurahan new {slug}'" if is_slug(slug) else ""
    raise KelurahanError(f"{unknown_kelurahan([slug], existing)}{new_hint}")


def _check_photo(photo: Path, stem: str) -> str:
    """The file name the photo gets in media/; KelurahanError if it is not a usable photo."""
    if not photo.is_file():
        raise KelurahanError(f"foto {photo} tidak ditemukan")
    if photo.suffix.lower() not in PHOTO_SUFFIXES:
        raise KelurahanError(f"foto {photo} harus JPG, PNG atau WebP")
    from kelurahan.photos import photo_problem

    if reason := photo_problem(photo):
        raise KelurahanError(f"foto {photo} {reason}; tidak ada yang diubah")
    return f"{stem}-1{photo.suffix.lower()}"


def yaml_quoted(text: str) -> str:
    """Quote a value so `:` or `#` in it cannot break the front matter or cut it short."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


ZONE_SHORT_NAMES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

_CITY = """\
# Data kota. Isi yang lengkap; lihat README.md di folder ini.
nama: {nama}
{provinsi}zona_waktu: {zona}
alamat_situs: {alamat}
jam_terbit: "09:00"
audit:
  aktif_hari: 7
  kurang_aktif_hari: 30
situs_luar: []
"""

_GITIGNORE = """\
# Hasil build, status dan rahasia: jangan pernah masuk git.
/site/
/.kelurahan/
/audit/
/.secrets.env
"""

_README = """\
# Situs kelurahan {nama}

Folder ini berisi konten semua kelurahan di {nama}. Staf kelurahan menulis di `content/`;
perintah `kelurahan` mengubahnya menjadi situs web, kartu media sosial dan menu WhatsApp.

## Isi folder

- `content/kota.yml`: nama kota, zona waktu ({zona}), alamat situs ({alamat}) dan jam terbit.
- `content/{slug}/`: satu folder untuk setiap kelurahan: `profil.md`, `layanan/`, `kegiatan/`,
  `media/` (foto dan `logo.png`).
- `site/`, `.kelurahan/`, `audit/`: hasil dan catatan yang dibuat program (tidak masuk git).
- `.secrets.env`: token Facebook, Instagram, TikTok dan WhatsApp (tidak masuk git, izin 600).

## Perintah sehari-hari (jalankan di folder ini)

    kelurahan check                              # periksa semua berkas, tampilkan setiap masalah
    kelurahan build                              # buat situs, portal kota, kartu dan menu WhatsApp
    kelurahan serve                              # lihat hasilnya di http://127.0.0.1:8000/
    kelurahan new nama-kelurahan --kecamatan "Nama Kecamatan"   # tambah kelurahan
    kelurahan post {slug} "Judul kegiatan" --foto foto.jpg      # mulai kegiatan minggu ini

Langkah pertama: ubah `alamat_situs` di `content/kota.yml` menjadi alamat situs kota yang
sebenarnya, lalu lengkapi `content/{slug}/profil.md`.
"""


CITY_FILES = (".gitignore", "README.md", "content")  # moved in this order, content last


def new_city(folder: Path, *, name: str, zone: str, province: str | None, site_url: str | None,
             kelurahan: str, district: str) -> Path:
    """A new city's project folder: `content/kota.yml`, one kelurahan, `.gitignore`, README.

    Written into a hidden sibling first and moved into place, so a refused run leaves nothing
    behind. An existing folder is fine (a service user's home) unless it has one of these.
    """
    if folder.exists() and not folder.is_dir():
        raise KelurahanError(f"{folder} sudah ada dan bukan folder; tidak ada yang diubah")
    taken = [n for n in CITY_FILES if (folder / n).exists() or (folder / n).is_symlink()]
    if taken:
        raise KelurahanError(f"{folder} sudah berisi {', '.join(taken)}; tidak ada yang diubah")
    zone = ZONE_SHORT_NAMES.get(zone.strip().upper(), zone.strip())
    address = site_url or f"https://{slugify(name, fallback='kota')}.example/"
    slug = slugify(kelurahan, fallback="kelurahan")
    staging = folder.parent / f".{folder.name}.baru"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        (staging / "content").mkdir(parents=True)
        (staging / "content" / "kota.yml").write_text(_CITY.format(
            nama=yaml_quoted(name), zona=zone, alamat=address,
            provinsi=f"provinsi: {yaml_quoted(province)}\n" if province else ""), "utf-8")
        new_kelurahan(staging / "content", slug, name=kelurahan, district=district)
        (staging / ".gitignore").write_text(_GITIGNORE, "utf-8")
        (staging / "README.md").write_text(
            _README.format(nama=name, zona=zone, alamat=address, slug=slug), "utf-8")
        _refuse_problems(staging / "content")
        folder.mkdir(parents=True, exist_ok=True)
        for entry in CITY_FILES:
            (staging / entry).rename(folder / entry)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _refuse_problems(content_dir: Path) -> None:
    """What the user typed (a time zone, an address) must give a folder that passes `check`."""
    from kelurahan import check

    errors = [p for p in check(content_dir).problems if p.is_error]
    if errors:
        raise KelurahanError("; ".join(f"{p.field}: {p.message}" for p in errors))
