"""Fixtures shared by all tests: a small valid content tree and a way to see nothing changed."""

from __future__ import annotations

import hashlib
import os
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

KOTA = """\
nama: Kota Uji
provinsi: Kalimantan Contoh
zona_waktu: Asia/Makassar
alamat_situs: https://kelurahan.kotauji.example/
jam_terbit: "09:00"
"""

PROFIL = """\
---
nama: Sukamaju
kecamatan: Kota Baru
lurah: Hj. Rina Marlina, S.Sos.
whatsapp: 0812-0000-1001
telepon: (0541) 700-1001
email: sukamaju@kotauji.example
jam_layanan: Senin–Jumat 08.00–15.00 WITA
penduduk: 12450
jumlah_rt: 24
jumlah_rw: 6
batas: {utara: Sungai Kecil, timur: Bukit Indah, selatan: Tanjung, barat: Pesisir}
sosial: {facebook: https://facebook.com/kel.sukamaju, instagram: https://instagram.com/kel.sukamaju}
terbit: [facebook, instagram]
whatsapp_phone_id: "100000000000001"
---
## Sejarah

Kelurahan Sukamaju dibentuk pada tahun 1985. Hubungi kami di 0812 3456 7890 atau +62 812-3456-7890.
"""

KTP = """\
---
judul: Surat Pengantar KTP-el
urutan: 1
syarat:
  - Surat pengantar RT/RW
  - Fotokopi Kartu Keluarga
kata_kunci: [ktp, ktp-el]
waktu: 1 hari kerja
---
## Prosedur

1. Datang ke kantor kelurahan.
"""

KK = """\
---
judul: Kartu Keluarga
urutan: 2
syarat: [Surat pengantar RT/RW, Buku nikah]
kata_kunci: [kk, kartu keluarga]
---
Isi.
"""

POST = """\
---
judul: Kerja Bakti Bersih Sungai
tanggal: 2026-11-16
foto: [media/2026-11-16-kerja-bakti-1.jpg]
kategori: [Kebersihan]
ringkasan: Warga RT 03 membersihkan sungai.
---
Warga bergotong royong membersihkan sungai pada Minggu pagi.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def replace_text(path: Path, old: str, new: str) -> None:
    """Edit a fixture file the way a user would; fails loudly if the fixture changed."""
    text = path.read_text("utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    path.write_text(text.replace(old, new), "utf-8")


def make_photo(path: Path, size: tuple[int, int] = (800, 600), colour: str = "seagreen") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, "JPEG", quality=85)
    return path


def make_content(root: Path) -> Path:
    """A valid one-kelurahan city: two services, one post with a photo."""
    content = root / "content"
    write(content / "kota.yml", KOTA)
    kel = content / "sukamaju"
    write(kel / "profil.md", PROFIL)
    write(kel / "layanan" / "ktp-el.md", KTP)
    write(kel / "layanan" / "kk.md", KK)
    write(kel / "kegiatan" / "2026-11-16-kerja-bakti.md", POST)
    make_photo(kel / "media" / "2026-11-16-kerja-bakti-1.jpg")
    return content


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root with its hash: compare before/after to prove nothing changed."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return make_content(tmp_path)


@pytest.fixture(autouse=True)
def _state_outside_the_repository(tmp_path_factory: pytest.TempPathFactory,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """`kelurahan check` remembers photo verdicts in the state folder: never the repo's own."""
    if "KELURAHAN_STATE_DIR" not in os.environ:
        monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(autouse=True, scope="session")
def _local_site() -> Iterator[None]:
    """Tests serve sites on 127.0.0.1: allow a loopback `alamat_situs` (a warning, not an
    error) unless a test removes KELURAHAN_LOCAL_SITE to see the production rule."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KELURAHAN_LOCAL_SITE", "1")
        yield


SAMPLE_NOW = "2026-11-23T10:00:00+08:00"  # the sample city's "today": results never depend on the date


@dataclass(frozen=True)
class SampleCity:
    """The repository's sample city as built once for the whole test session (read only)."""

    content: Path
    site: Path


@pytest.fixture(scope="session")
def sample_city() -> Iterator[SampleCity]:
    """The sample city plus one post that says only "kepindahan", built once per session at a
    pinned `--now` for the browser, audit and web-server tests. Tests must not change it.

    It lives outside pytest's private temp folders (0700) so nginx's workers may read it.
    """
    import datetime as dt
    import shutil
    import tempfile

    from generator.build import BuildOptions, build
    from tests.browser.site_support import KEPINDAHAN, REPO

    root = Path(tempfile.mkdtemp(prefix="kd-contoh-"))
    root.chmod(0o755)
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    (content / "sukamaju" / "kegiatan" / "2026-11-09-pelayanan-sabtu.md").write_text(
        KEPINDAHAN, "utf-8")
    build(BuildOptions(content_dir=content, out_dir=root / "site", state_dir=root / "state",
                       project_root=REPO, jobs=2, now=dt.datetime.fromisoformat(SAMPLE_NOW)))
    yield SampleCity(content, root / "site")
    shutil.rmtree(root, ignore_errors=True)
@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One throwaway PostgreSQL server for the whole session (see tests/postgres_support.py)."""
    from tests.postgres_support import binaries, postgres_server

    if binaries() is None:
        pytest.skip("PostgreSQL tidak terpasang: jalankan 'make postgresql' (CI memasangnya)")
    with postgres_server() as url:
        yield url


@pytest.fixture
def fresh_postgres(postgres_url: str) -> Iterator[str]:
    """A new empty database on the session's server, dropped afterwards."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
