"""`kelurahan check` on good and bad content: exact messages, every problem, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kelurahan.cli import main
from tests.conftest import snapshot, write


def run_check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    before = snapshot(content)
    code = main(["check", "--content", str(content)])
    assert snapshot(content) == before, "check must never change the content"
    out = capsys.readouterr()
    return code, out.out + out.err


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    path.write_text(text.replace(old, new), "utf-8")


def test_sample_fixture_is_valid(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_check(content, capsys)
    assert code == 0, out
    assert "Konten Kota Uji baik: 1 kelurahan, 2 layanan, 1 kegiatan" in out


# Each case: (file under content/, old text, new text, expected line fragment).
BAD_INPUT = {
    "malformed yaml": ("sukamaju/profil.md", "nama: Sukamaju", "nama: [Sukamaju",
                       "sukamaju/profil.md:3: front matter: YAML tidak valid"),
    "missing required": ("sukamaju/profil.md", "kecamatan: Kota Baru\n", "",
                         "sukamaju/profil.md: kecamatan: wajib diisi"),
    "list expected": ("sukamaju/layanan/ktp-el.md",
                      "syarat:\n  - Surat pengantar RT/RW\n  - Fotokopi Kartu Keluarga",
                      "syarat: KTP asli",
                      "sukamaju/layanan/ktp-el.md: syarat: harus berupa daftar, bukan 'KTP asli'"),
    "integer expected": ("sukamaju/layanan/kk.md", "urutan: 2", "urutan: dua",
                         "sukamaju/layanan/kk.md: urutan: harus berupa bilangan bulat, bukan 'dua'"),
    "unknown time zone": ("kota.yml", "Asia/Makassar", "Asia/Makasar",
                          "kota.yml: zona_waktu: zona waktu tidak dikenal: 'Asia/Makasar'"),
    "invalid whatsapp": ("sukamaju/profil.md", "whatsapp: 0812-0000-1001", "whatsapp: 0812",
                         "sukamaju/profil.md: whatsapp: nomor WhatsApp tidak valid: '0812'"),
    "foreign whatsapp": ("sukamaju/profil.md", "whatsapp: 0812-0000-1001",
                         "whatsapp: '+1 555 0100'",
                         "sukamaju/profil.md: whatsapp: harus nomor Indonesia (+62…)"),
    "duplicate urutan": ("sukamaju/layanan/kk.md", "urutan: 2", "urutan: 1",
                         "sukamaju/layanan/ktp-el.md: urutan: urutan 1 sudah dipakai oleh"),
    "empty syarat": ("sukamaju/layanan/kk.md", "syarat: [Surat pengantar RT/RW, Buku nikah]",
                     "syarat: []", "sukamaju/layanan/kk.md: syarat: tidak boleh kosong"),
    "missing photo": ("sukamaju/kegiatan/2026-11-16-kerja-bakti.md",
                      "media/2026-11-16-kerja-bakti-1.jpg", "media/tidak-ada.jpg",
                      "kerja-bakti.md: foto #1: berkas foto tidak ditemukan: 'media/tidak-ada.jpg'"),
    "photo escapes folder": ("sukamaju/kegiatan/2026-11-16-kerja-bakti.md",
                             "media/2026-11-16-kerja-bakti-1.jpg", "../kota.yml",
                             "foto #1: jalur foto keluar dari folder kelurahan: '../kota.yml'"),
    "date disagrees with file name": ("sukamaju/kegiatan/2026-11-16-kerja-bakti.md",
                                      "tanggal: 2026-11-16", "tanggal: 2026-11-17",
                                      "kerja-bakti.md: tanggal: 2026-11-17 tidak sama dengan "
                                      "tanggal di nama berkas (2026-11-16)"),
    "date not a date": ("sukamaju/kegiatan/2026-11-16-kerja-bakti.md", "tanggal: 2026-11-16",
                        "tanggal: 16 November", "kerja-bakti.md: tanggal: harus berupa tanggal"),
    "bad schedule": ("sukamaju/kegiatan/2026-11-16-kerja-bakti.md", "tanggal: 2026-11-16",
                     "tanggal: 2026-11-16\njadwal: besok pagi",
                     "kerja-bakti.md: jadwal: harus berupa tanggal dan jam seperti 2025-10-27T09:00"),
    "unknown channel": ("sukamaju/profil.md", "terbit: [facebook, instagram]",
                        "terbit: [facebook, twitter]",
                        "sukamaju/profil.md: terbit #2: harus salah satu dari 'facebook', "
                        "'instagram', 'tiktok', bukan 'twitter'"),
    "duplicate keyword": ("sukamaju/layanan/kk.md", "kata_kunci: [kk, kartu keluarga]",
                          "kata_kunci: [kk, KTP]",
                          "sukamaju/layanan/kk.md: kata_kunci: kata kunci 'ktp' juga dipakai "
                          "layanan ktp-el"),
    "no front matter": ("sukamaju/layanan/kk.md", "---\njudul", "judul",
                        "sukamaju/layanan/kk.md:1: front matter: tidak ada"),
    "bad email": ("sukamaju/profil.md", "email: sukamaju@kotauji.example", "email: sukamaju",
                  "sukamaju/profil.md: email: alamat email tidak valid: 'sukamaju'"),
    "nik in body": ("sukamaju/kegiatan/2026-11-16-kerja-bakti.md", "Warga bergotong",
                    "Bantuan untuk NIK 6471010101900001.\nWarga bergotong",
                    "kerja-bakti.md:8: data pribadi: memuat 16 digit seperti NIK/KK (6471••••••••0001)"),
    "grouped kk in front matter": ("sukamaju/profil.md", "lurah: Hj. Rina Marlina, S.Sos.",
                                   "lurah: Rina (KK 6471 0101 0190 0002)",
                                   "sukamaju/profil.md:4: data pribadi: memuat 16 digit"),
}


@pytest.mark.parametrize("case", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_names_file_and_field(content: Path, capsys: pytest.CaptureFixture[str],
                                        case: tuple[str, str, str, str]) -> None:
    relative, old, new, expected = case
    replace(content / relative, old, new)
    code, out = run_check(content, capsys)
    assert code == 1
    assert expected in out, out
    assert str(content) in out, "paths are shown as the user passed them"


def test_nik_is_never_printed_in_full(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(content / "sukamaju/profil.md", "## Sejarah", "## Sejarah\n\nNIK 6471010101900001")
    _, out = run_check(content, capsys)
    assert "6471010101900001" not in out


def test_not_utf8(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = content / "sukamaju/layanan/kk.md"
    path.write_bytes(path.read_bytes().replace(b"Isi.", b"Isi \xe9 Latin-1."))
    code, out = run_check(content, capsys)
    assert code == 1
    assert "sukamaju/layanan/kk.md:7: berkas: bukan teks UTF-8; simpan ulang sebagai UTF-8" in out


def test_post_file_name_must_be_dated(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = content / "sukamaju/kegiatan/2026-11-16-kerja-bakti.md"
    post.rename(post.with_name("kerja-bakti.md"))
    code, out = run_check(content, capsys)
    assert code == 1
    assert ("sukamaju/kegiatan/kerja-bakti.md: nama berkas: harus berbentuk "
            "YYYY-MM-DD-judul-singkat.md") in out


def test_impossible_date_in_file_name(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = content / "sukamaju/kegiatan/2026-11-16-kerja-bakti.md"
    post.rename(post.with_name("2026-13-45-kerja-bakti.md"))
    code, out = run_check(content, capsys)
    assert code == 1
    assert "2026-13-45-kerja-bakti.md: nama berkas: harus berbentuk" in out


def test_invalid_folder_name(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content / "sukamaju").rename(content / "Suka Maju")
    code, out = run_check(content, capsys)
    assert code == 1
    assert "Suka Maju: folder: nama folder hanya boleh huruf kecil" in out
    assert "contoh: suka-maju" in out


def test_missing_profile(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content / "sukamaju/profil.md").unlink()
    code, out = run_check(content, capsys)
    assert code == 1
    assert "sukamaju/profil.md: berkas: profil.md tidak ada; buat dengan 'kelurahan new sukamaju'" in out


def test_missing_city_file(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content / "kota.yml").unlink()
    code, out = run_check(content, capsys)
    assert code == 1
    assert "kota.yml: berkas: kota.yml tidak ada" in out


def test_duplicate_bot_number_across_kelurahan(content: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    other = content / "bukit-indah"
    write(other / "profil.md", (content / "sukamaju/profil.md").read_text("utf-8")
          .replace("nama: Sukamaju", "nama: Bukit Indah"))
    code, out = run_check(content, capsys)
    assert code == 1
    assert ("sukamaju/profil.md: whatsapp_phone_id: nomor WhatsApp bot 100000000000001 sudah "
            "dipakai oleh") in out


def test_unknown_key_is_a_warning_with_a_suggestion(content: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    replace(content / "sukamaju/profil.md", "lurah:", "lurrah:")
    replace(content / "sukamaju/layanan/kk.md", "urutan: 2", "urutan: 2\nsayrat: [KTP]")
    code, out = run_check(content, capsys)
    assert code == 0
    assert "sukamaju/profil.md: lurrah: peringatan: kunci tidak dikenal, diabaikan; maksud Anda 'lurah'?" in out
    assert "kk.md: sayrat: peringatan: kunci tidak dikenal, diabaikan; maksud Anda 'syarat'?" in out
    assert main(["check", "--strict", "--content", str(content)]) == 1


def test_every_problem_is_reported_at_once(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(content / "kota.yml", "Asia/Makassar", "Mars/Olympus")
    replace(content / "sukamaju/profil.md", "kecamatan: Kota Baru\n", "")
    replace(content / "sukamaju/layanan/kk.md", "urutan: 2", "urutan: dua")
    replace(content / "sukamaju/layanan/ktp-el.md", "judul: Surat Pengantar KTP-el\n", "")
    replace(content / "sukamaju/kegiatan/2026-11-16-kerja-bakti.md", "tanggal: 2026-11-16",
            "tanggal: 2026-11-17")
    code, out = run_check(content, capsys)
    assert code == 1
    for fragment in ("kota.yml: zona_waktu:", "profil.md: kecamatan: wajib diisi",
                     "kk.md: urutan:", "ktp-el.md: judul: wajib diisi",
                     "kerja-bakti.md: tanggal:"):
        assert fragment in out
    assert "5 kesalahan" in out


def test_missing_content_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(tmp_path / "tidak-ada")]) == 1
    assert "folder konten tidak ditemukan" in capsys.readouterr().out


def test_stray_entries_are_warnings(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content / "sukamaju/layanan/sktm.md").mkdir()  # a folder named like a Markdown file
    write(content / "sukamaju/layanan/catatan.txt", "bukan layanan")
    code, out = run_check(content, capsys)
    assert code == 0
    assert "sukamaju/layanan/sktm.md: berkas: peringatan: bukan berkas .md; diabaikan" in out
    assert "sukamaju/layanan/catatan.txt: berkas: peringatan: bukan berkas .md; diabaikan" in out
