"""Announcements (`pengumuman/`), downloadable forms (`unduhan`) and photo captions: loaded,
checked with exact messages, and never half-accepted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kelurahan import load_valid
from tests.conftest import write
from tests.kelurahan.test_check import replace, run_check

NOTICE = """\
---
judul: Kantor tutup saat cuti bersama
berlaku_sampai: 2026-12-31
penting: ya
---
Pelayanan dibuka kembali 2 Januari.
"""


def test_notices_forms_and_captions_reach_the_model(content: Path) -> None:
    write(content / "sukamaju/pengumuman/cuti-bersama.md", NOTICE)
    write(content / "sukamaju/pengumuman/posyandu.md",
          "---\njudul: Posyandu pindah ke balai RW\nberlaku_sampai: 2026-11-30\n---\n")
    write(content / "sukamaju/pengumuman/lama.md",
          "---\njudul: Vaksinasi\nberlaku_sampai: 2026-08-31\n---\n")
    (content / "sukamaju/media/formulir-f1.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 2000)
    replace(content / "sukamaju/layanan/kk.md", "kata_kunci:", "unduhan: [media/formulir-f1.pdf]\nkata_kunci:")
    replace(content / "sukamaju/kegiatan/2026-11-16-kerja-bakti.md",
            "foto: [media/2026-11-16-kerja-bakti-1.jpg]",
            "foto:\n  - {berkas: media/2026-11-16-kerja-bakti-1.jpg, keterangan: ' Warga RT 03 '}")
    kel = load_valid(content).get("sukamaju")
    current = kel.current_announcements(dt.date(2026, 11, 30))
    assert [(a.slug, a.important) for a in current] == [("cuti-bersama", True), ("posyandu", False)]
    assert [a.slug for a in kel.current_announcements(dt.date(2026, 12, 1))] == ["cuti-bersama"]
    assert kel.current_announcements(dt.date(2027, 1, 1)) == []
    form = next(s for s in kel.services if s.slug == "kk").downloads[0]
    assert (form.src, form.path.name, form.size) == ("media/formulir-f1.pdf", "formulir-f1.pdf", 2009)
    photo = kel.posts[0].photos[0]
    assert (photo.src, photo.caption) == ("media/2026-11-16-kerja-bakti-1.jpg", "Warga RT 03")


BAD = {
    "missing form": ("sukamaju/layanan/kk.md", "kata_kunci:", "unduhan: [media/f1.pdf]\nkata_kunci:",
                     "sukamaju/layanan/kk.md:5: unduhan #1: berkas unduhan tidak ditemukan: 'media/f1.pdf'"),
    "form outside folder": ("sukamaju/layanan/kk.md", "kata_kunci:",
                            "unduhan: [../kota.yml]\nkata_kunci:",
                            "sukamaju/layanan/kk.md:5: unduhan #1: jalur unduhan keluar dari folder "
                            "kelurahan: '../kota.yml'"),
    "caption without file": ("sukamaju/kegiatan/2026-11-16-kerja-bakti.md",
                             "foto: [media/2026-11-16-kerja-bakti-1.jpg]",
                             "foto: [{keterangan: Warga}]",
                             "kerja-bakti.md:4: foto #1: foto dengan keterangan harus punya berkas"),
    "unknown photo key": ("sukamaju/kegiatan/2026-11-16-kerja-bakti.md",
                          "foto: [media/2026-11-16-kerja-bakti-1.jpg]",
                          "foto: [{berkas: media/2026-11-16-kerja-bakti-1.jpg, ket: Warga}]",
                          "kerja-bakti.md:4: foto #1: kunci foto tidak dikenal: ket (yang boleh: "
                          "berkas, keterangan)"),
    "caption not text": ("sukamaju/kegiatan/2026-11-16-kerja-bakti.md",
                         "foto: [media/2026-11-16-kerja-bakti-1.jpg]",
                         "foto: [{berkas: media/2026-11-16-kerja-bakti-1.jpg, keterangan: [a]}]",
                         "kerja-bakti.md:4: foto #1: keterangan foto harus berupa teks, bukan ['a']"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_bad_forms_and_captions_name_file_and_field(
        content: Path, capsys: pytest.CaptureFixture[str], case: tuple[str, str, str, str]) -> None:
    relative, old, new, expected = case
    replace(content / relative, old, new)
    code, out = run_check(content, capsys)
    assert code == 1
    assert expected in out, out


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("libur.md", "---\nberlaku_sampai: 2026-12-31\n---\n", "pengumuman/libur.md: judul: wajib diisi"),
    ("libur.md", "---\njudul: Libur\n---\n", "pengumuman/libur.md: berlaku_sampai: wajib diisi"),
    ("libur.md", "---\njudul: Libur\nberlaku_sampai: akhir tahun\n---\n",
     "pengumuman/libur.md:3: berlaku_sampai: harus berupa tanggal seperti 2025-10-27, "
     "bukan 'akhir tahun'"),
    ("libur.md", "---\njudul: Libur\nberlaku_sampai: 2026-12-31\npenting: mungkin\n---\n",
     "pengumuman/libur.md:4: penting: harus ya atau tidak (true/false), bukan 'mungkin'"),
    ("Libur Natal.md", "---\njudul: Libur\nberlaku_sampai: 2026-12-31\n---\n",
     "pengumuman/Libur Natal.md: nama berkas: hanya huruf kecil, angka dan tanda hubung, "
     "misalnya libur-natal.md"),
])
def test_bad_announcement_names_file_and_field(content: Path, capsys: pytest.CaptureFixture[str],
                                               name: str, text: str, expected: str) -> None:
    write(content / "sukamaju/pengumuman" / name, text)
    code, out = run_check(content, capsys)
    assert code == 1
    assert expected in out, out
