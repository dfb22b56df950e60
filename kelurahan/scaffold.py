"""Start a new kelurahan folder or this week's post with files that already pass `check`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from kelurahan.errors import KelurahanError
from kelurahan.slugs import is_slug, slugify

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
terbit: [facebook, instagram]
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
Tulis laporan kegiatan di sini: apa, kapan, di mana, siapa yang hadir, dan hasilnya.
"""


def new_kelurahan(content_dir: Path, slug: str, *, name: str, district: str) -> Path:
    """Create `content/<slug>/` with a profile, one example service and empty folders."""
    if not is_slug(slug):
        raise KelurahanError(f"slug {slug!r} tidak valid: pakai huruf kecil, angka dan tanda "
                             f"hubung, misalnya {slugify(slug)}")
    if not content_dir.is_dir():
        raise KelurahanError(f"folder konten {content_dir} tidak ditemukan")
    folder = content_dir / slug
    if folder.exists():
        raise KelurahanError(f"{folder} sudah ada; tidak ada yang diubah")
    staging = content_dir / f".{slug}.baru"
    shutil.rmtree(staging, ignore_errors=True)
    for sub in ("layanan", "kegiatan", "media"):
        (staging / sub).mkdir(parents=True)
    profile = _PROFILE.format(nama=name, nama_yaml=_yaml_text(name),
                              kecamatan_yaml=_yaml_text(district))
    (staging / "profil.md").write_text(profile, "utf-8")
    (staging / "layanan" / "ktp-el.md").write_text(_SERVICE, "utf-8")
    staging.rename(folder)
    return folder


def new_post(content_dir: Path, slug: str, title: str, *, today: dt.date,
             photo: Path | None = None) -> Path:
    """Create this week's post `kegiatan/<today>-<judul>.md`, copying the photo into media/."""
    folder = content_dir / slug
    if not (folder / "profil.md").is_file():
        raise KelurahanError(f"kelurahan {slug!r} tidak ditemukan di {content_dir}; "
                             f"buat dulu dengan 'kelurahan new {slug}'")
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
    text = _POST.format(judul=_yaml_text(title), tanggal=today.isoformat(),
                        foto=f"media/{media_name}" if media_name else "")
    post_path.write_text(text, "utf-8")
    return post_path


def _check_photo(photo: Path, stem: str) -> str:
    """The file name the photo gets in media/; KelurahanError if it is not a usable photo."""
    if not photo.is_file():
        raise KelurahanError(f"foto {photo} tidak ditemukan")
    if photo.suffix.lower() not in PHOTO_SUFFIXES:
        raise KelurahanError(f"foto {photo} harus JPG, PNG atau WebP")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(photo) as image:
            image.verify()
    except (UnidentifiedImageError, OSError) as exc:
        raise KelurahanError(f"foto {photo} rusak atau bukan gambar: {exc}") from None
    return f"{stem}-1{photo.suffix.lower()}"


def _yaml_text(text: str) -> str:
    """Quote a value so `:` or `#` in it cannot break the front matter or cut it short."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
