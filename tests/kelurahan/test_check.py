"""`kelurahan check` on good and bad content: exact messages, every problem, nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from kelurahan.cli import main
from tests.conftest import make_photo, snapshot, write
from tests.conftest import replace_text as replace


def run_check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    before = snapshot(content)
    code = main(["check", "--content", str(content)])
    assert snapshot(content) == before, "check must never change the content"
    out = capsys.readouterr()
    return code, out.out + out.err


def test_sample_fixture_is_valid(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_check(content, capsys)
    assert code == 0, out
    assert "Konten Kota Uji baik: 1 kelurahan, 2 layanan, 1 kegiatan" in out


POST_FILE = "sukamaju/kegiatan/2026-11-16-kerja-bakti.md"
ONE_OF = "harus salah satu dari 'facebook', 'instagram', 'tiktok', bukan 'twitter'"

# Each case: (file under content/, old text, new text, every line `check` must print for it,
# with the path relative to content/). Exit 1 when any line is an error, 0 for warnings only.
BAD_INPUT = {
    "malformed yaml": ("sukamaju/profil.md", "nama: Sukamaju", "nama: [Sukamaju", (
        "sukamaju/profil.md:2: front matter: YAML tidak valid: '[' dibuka di baris ini tetapi "
        "tidak ditutup dengan ']'; tutup dengan ']' di baris yang sama, atau beri tanda kutip "
        "pada isian yang memuat titik dua",)),
    "colon in a value": (POST_FILE, "judul: Kerja Bakti Bersih Sungai",
                         "judul: Kerja Bakti: RT 03", (
        f"{POST_FILE}:2: front matter: YAML tidak valid: nilai memuat titik dua (:); beri tanda "
        'kutip pada nilai yang memuat titik dua: judul: "Kerja Bakti: RT 03"',)),
    "unclosed quote is reported where it opens": (
        POST_FILE, "judul: Kerja Bakti Bersih Sungai", 'judul: "Kerja Bakti Bersih Sungai', (
            f'{POST_FILE}:2: front matter: YAML tidak valid: tanda kutip " dibuka di baris ini '
            'tetapi tidak ditutup; tambahkan " di akhir nilai',)),
    "tab indentation": ("sukamaju/layanan/ktp-el.md", "  - Surat pengantar RT/RW",
                        "\t- Surat pengantar RT/RW", (
        "sukamaju/layanan/ktp-el.md:5: front matter: YAML tidak valid: karakter tab tidak boleh "
        "dipakai untuk indentasi; ganti dengan spasi",)),
    "key written twice": (POST_FILE, "kategori: [Kebersihan]",
                          "kategori: [Kebersihan]\njudul: Lagi", (
        f"{POST_FILE}:6: front matter: YAML tidak valid: kunci 'judul' ditulis dua kali "
        "(pertama di baris 2); hapus salah satu",)),
    "unclosed front matter": ("sukamaju/layanan/kk.md", "kata_kunci: [kk, kartu keluarga]\n---",
                              "kata_kunci: [kk, kartu keluarga]", (
        "sukamaju/layanan/kk.md:1: front matter: blok --- di baris 1 tidak ditutup; tambahkan "
        "baris --- setelah kunci terakhir",)),
    "missing required": ("sukamaju/profil.md", "kecamatan: Kota Baru\n", "", (
        "sukamaju/profil.md: kecamatan: wajib diisi",)),
    "list expected": ("sukamaju/layanan/ktp-el.md",
                      "syarat:\n  - Surat pengantar RT/RW\n  - Fotokopi Kartu Keluarga",
                      "syarat: KTP asli", (
        "sukamaju/layanan/ktp-el.md:4: syarat: harus berupa daftar, bukan 'KTP asli'",)),
    "integer expected": ("sukamaju/layanan/kk.md", "urutan: 2", "urutan: dua", (
        "sukamaju/layanan/kk.md:3: urutan: harus berupa bilangan bulat, bukan 'dua'",)),
    "unknown time zone": ("kota.yml", "Asia/Makassar", "Asia/Makasar", (
        "kota.yml:3: zona_waktu: zona waktu tidak dikenal: 'Asia/Makasar' (pakai Asia/Jakarta "
        "untuk WIB, Asia/Makassar untuk WITA, Asia/Jayapura untuk WIT)",)),
    "invalid whatsapp": ("sukamaju/profil.md", "whatsapp: 0812-0000-1001", "whatsapp: 0812", (
        "sukamaju/profil.md:5: whatsapp: nomor WhatsApp tidak valid: '0812'; tulis seperti "
        "0812-3456-7890 atau +6281234567890",)),
    "foreign whatsapp": ("sukamaju/profil.md", "whatsapp: 0812-0000-1001",
                         "whatsapp: '+1 555 0100'", (
        "sukamaju/profil.md:5: whatsapp: harus nomor Indonesia (+62…), bukan '+1 555 0100'",)),
    "duplicate urutan": ("sukamaju/layanan/kk.md", "urutan: 2", "urutan: 1", (
        "sukamaju/layanan/ktp-el.md:3: urutan: urutan 1 sudah dipakai oleh "
        "{content}/sukamaju/layanan/kk.md",)),
    "empty syarat": ("sukamaju/layanan/kk.md", "syarat: [Surat pengantar RT/RW, Buku nikah]",
                     "syarat: []", (
        "sukamaju/layanan/kk.md:4: syarat: tidak boleh kosong; tulis minimal satu isian",)),
    "missing photo": (POST_FILE, "media/2026-11-16-kerja-bakti-1.jpg", "media/tidak-ada.jpg", (
        f"{POST_FILE}:4: foto #1: berkas foto tidak ditemukan: 'media/tidak-ada.jpg'",)),
    "photo name in another case": (POST_FILE, "media/2026-11-16-kerja-bakti-1.jpg",
                                   "media/2026-11-16-Kerja-Bakti-1.JPG", (
        f"{POST_FILE}:4: foto #1: berkas foto tidak ditemukan: "
        "'media/2026-11-16-Kerja-Bakti-1.JPG'; maksud Anda media/2026-11-16-kerja-bakti-1.jpg?",)),
    "photo path written on windows": (POST_FILE, "media/2026-11-16-kerja-bakti-1.jpg",
                                      "media\\2026-11-16-kerja-bakti-1.jpg", (
        f"{POST_FILE}:4: foto #1: jalur foto memakai garis miring ke kiri: "
        "media\\2026-11-16-kerja-bakti-1.jpg; tulis dengan / seperti "
        "media/2026-11-16-kerja-bakti-1.jpg",)),
    "photo escapes folder": (POST_FILE, "media/2026-11-16-kerja-bakti-1.jpg", "../kota.yml", (
        f"{POST_FILE}:4: foto #1: jalur foto keluar dari folder kelurahan: '../kota.yml'",)),
    "date disagrees with file name": (POST_FILE, "tanggal: 2026-11-16", "tanggal: 2026-11-17", (
        f"{POST_FILE}:3: tanggal: 2026-11-17 tidak sama dengan tanggal di nama berkas "
        "(2026-11-16)",)),
    "date not a date": (POST_FILE, "tanggal: 2026-11-16", "tanggal: 16 November", (
        f"{POST_FILE}:3: tanggal: harus berupa tanggal seperti 2025-10-27, bukan '16 November'",)),
    "impossible date": (POST_FILE, "tanggal: 2026-11-16", "tanggal: 2026-02-30", (
        f"{POST_FILE}:3: tanggal: tanggal 2026-02-30 tidak ada: Februari 2026 hanya 28 hari",)),
    "impossible month": (POST_FILE, "tanggal: 2026-11-16", "tanggal: 2026-13-16", (
        f"{POST_FILE}:3: tanggal: tanggal 2026-13-16 tidak ada: bulan 13 (bulan hanya 1–12)",)),
    "day-first date, and no spurious jadwal": (
        POST_FILE, "tanggal: 2026-11-16", "tanggal: 16/11/2026", (
            f"{POST_FILE}:3: tanggal: harus ditulis tahun-bulan-tanggal: 2026-11-16, bukan "
            "'16/11/2026'",)),
    "bad schedule": (POST_FILE, "tanggal: 2026-11-16", "tanggal: 2026-11-16\njadwal: besok pagi", (
        f"{POST_FILE}:4: jadwal: harus berupa tanggal dan jam seperti 2025-10-27T09:00, bukan "
        "'besok pagi'",)),
    "impossible schedule": (POST_FILE, "tanggal: 2026-11-16",
                            "tanggal: 2026-11-16\njadwal: 2026-11-31 10:00", (
        f"{POST_FILE}:4: jadwal: tanggal 2026-11-31 tidak ada: November 2026 hanya 30 hari",)),
    "unknown channel (reported on the profile only)": (
        "sukamaju/profil.md", "terbit: [facebook, instagram]", "terbit: [facebook, twitter]", (
            f"sukamaju/profil.md:14: terbit #2: {ONE_OF}",)),
    "duplicate keyword": ("sukamaju/layanan/kk.md", "kata_kunci: [kk, kartu keluarga]",
                          "kata_kunci: [kk, KTP]", (
        "sukamaju/layanan/ktp-el.md:7: kata_kunci: kata kunci 'ktp' juga dipakai layanan kk; "
        "setiap kata kunci hanya boleh untuk satu layanan",
        "sukamaju/layanan/kk.md:5: kata_kunci: kata kunci 'ktp' juga dipakai layanan ktp-el; "
        "setiap kata kunci hanya boleh untuk satu layanan")),
    "no front matter": ("sukamaju/layanan/kk.md", "---\njudul", "judul", (
        "sukamaju/layanan/kk.md:1: front matter: tidak ada; berkas harus diawali blok --- berisi "
        "kunci: nilai dan ditutup dengan ---",)),
    "bad email": ("sukamaju/profil.md", "email: sukamaju@kotauji.example", "email: sukamaju", (
        "sukamaju/profil.md:7: email: alamat email tidak valid: 'sukamaju'",)),
    "nik in body": (POST_FILE, "Warga bergotong",
                    "Bantuan untuk NIK 6471010101900001.\nWarga bergotong", (
        f"{POST_FILE}:8: data pribadi: memuat 16 digit seperti NIK/KK (6471••••••••0001); "
        "hapus data pribadi warga (UU PDP No. 27/2022)",)),
    "grouped kk in front matter": ("sukamaju/profil.md", "lurah: Hj. Rina Marlina, S.Sos.",
                                   "lurah: Rina (KK 6471 0101 0190 0002)", (
        "sukamaju/profil.md:4: data pribadi: memuat 16 digit seperti NIK/KK (6471••••••••0002); "
        "hapus data pribadi warga (UU PDP No. 27/2022)",)),
    "misspelt key one edit away": ("sukamaju/layanan/kk.md", "urutan: 2",
                                   "urutan: 2\nsayrat: [KTP]", (
        "sukamaju/layanan/kk.md:4: sayrat: kunci tidak dikenal; maksud Anda 'syarat'? "
        "Perbaiki penulisannya, isinya belum dipakai",)),
    "misspelt required key (no second 'wajib diisi')": (
        "sukamaju/layanan/kk.md", "syarat: [", "sayrat: [", (
            "sukamaju/layanan/kk.md:4: sayrat: kunci tidak dikenal; maksud Anda 'syarat'? "
            "Perbaiki penulisannya, isinya belum dipakai",)),
    "english key": (POST_FILE, "foto: [media/", "photo: [media/", (
        f"{POST_FILE}:4: photo: kunci tidak dikenal; maksud Anda 'foto'? Perbaiki penulisannya, "
        "isinya belum dipakai",)),
    "capitalised key": ("sukamaju/profil.md", "lurah:", "Lurah:", (
        "sukamaju/profil.md:4: Lurah: kunci tidak dikenal; maksud Anda 'lurah'? Perbaiki "
        "penulisannya, isinya belum dipakai",)),
    "unknown key far from any": ("sukamaju/profil.md", "lurah:", "catatan_internal: x\nlurah:", (
        "sukamaju/profil.md:4: catatan_internal: peringatan: kunci tidak dikenal, diabaikan",)),
    "empty ringkasan": (POST_FILE, "ringkasan: Warga RT 03 membersihkan sungai.", "ringkasan:", (
        f"{POST_FILE}:6: ringkasan: peringatan: kosong; tulis satu kalimat ringkasan untuk kartu "
        "dan media sosial (atau hapus baris ini)",)),
    "scaffold placeholder left in": (
        POST_FILE, "Warga bergotong royong membersihkan sungai pada Minggu pagi.",
        "Tulis laporan kegiatan di sini: apa, kapan, di mana, siapa yang hadir, dan hasilnya.", (
            f'{POST_FILE}:8: isi: peringatan: masih berisi teks contoh "Tulis laporan kegiatan di '
            'sini…"; ganti dengan laporan kegiatan. Sampai itu, kegiatan ini tidak diterbitkan '
            "di situs maupun media sosial",)),
}


def problem_lines(out: str, content: Path) -> list[str]:
    """The `path:line: field: message` lines of the output, paths relative to content/."""
    prefix = f"{content}/"
    return [line.removeprefix(prefix) for line in out.splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize("case", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_names_file_line_and_field(content: Path, capsys: pytest.CaptureFixture[str],
                                             case: tuple[str, str, str, tuple[str, ...]]) -> None:
    relative, old, new, expected = case
    replace(content / relative, old, new)
    code, out = run_check(content, capsys)
    assert problem_lines(out, content) == [line.format(content=content) for line in expected]
    assert code == (0 if all(": peringatan: " in line for line in expected) else 1)


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


@pytest.mark.parametrize("name, reason", [
    ("2026-13-45-kerja-bakti.md", "tanggal 2026-13-45 tidak ada: bulan 13 (bulan hanya 1–12)"),
    ("2026-02-29-kerja-bakti.md", "tanggal 2026-02-29 tidak ada: Februari 2026 hanya 28 hari"),
])
def test_impossible_date_in_file_name(content: Path, capsys: pytest.CaptureFixture[str],
                                      name: str, reason: str) -> None:
    post = content / POST_FILE
    post.rename(post.with_name(name))
    code, out = run_check(content, capsys)
    assert code == 1
    assert problem_lines(out, content) == [
        f"sukamaju/kegiatan/{name}: nama berkas: {reason}; ganti nama berkas dengan tanggal "
        "kegiatan yang benar, misalnya 2025-10-27-kerja-bakti.md"]


def test_cross_file_problems_beside_a_bad_profile(content: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    replace(content / "sukamaju/profil.md", "kecamatan: Kota Baru\n", "")
    replace(content / "sukamaju/layanan/kk.md", "urutan: 2", "urutan: 1")
    code, out = run_check(content, capsys)
    assert code == 1
    assert problem_lines(out, content) == [
        "sukamaju/profil.md: kecamatan: wajib diisi",
        f"sukamaju/layanan/ktp-el.md:3: urutan: urutan 1 sudah dipakai oleh "
        f"{content}/sukamaju/layanan/kk.md"]


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
    assert ("sukamaju/profil.md:15: whatsapp_phone_id: nomor WhatsApp bot 100000000000001 sudah "
            "dipakai oleh") in out


def _second_kelurahan(content: Path, district: str) -> Path:
    """`tanjung`, after sukamaju in slug order, in the kecamatan `district` as written."""
    profile = write(content / "tanjung" / "profil.md", (content / "sukamaju/profil.md")
                    .read_text("utf-8").replace("nama: Sukamaju", "nama: Tanjung")
                    .replace("kecamatan: Kota Baru", f"kecamatan: {district}")
                    .replace("100000000000001", "100000000000002"))
    return profile


@pytest.mark.parametrize("district", ["Kota-Baru", "Kota baru", "KOTA BARU", "Kota  Baru",
                                      "Kota Baru."])
def test_one_kecamatan_written_two_ways(content: Path, capsys: pytest.CaptureFixture[str],
                                        district: str) -> None:
    """They would be two kecamatan on the portal, or when split, one page written twice."""
    _second_kelurahan(content, district)
    code, out = run_check(content, capsys)
    assert code == 1
    assert problem_lines(out, content) == [
        f"tanjung/profil.md:3: kecamatan: kecamatan '{district}' ditulis 'Kota Baru' di "
        f"{content}/sukamaju/profil.md; keduanya kecamatan yang sama, samakan penulisan nama "
        "kecamatan (huruf besar/kecil, spasi, tanda baca)"]


@pytest.mark.parametrize("district", ["Kota Baru", "  Kota Baru  ", "Kota Lama", "Kota Baru Ilir"])
def test_kecamatan_written_alike_or_different_pass(content: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   district: str) -> None:
    _second_kelurahan(content, f'"{district}"')
    code, out = run_check(content, capsys)
    assert code == 0, out


def test_unknown_keys_in_nested_mappings(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(content / "sukamaju/profil.md", "batas: {utara: Sungai Kecil,", "batas: {utra: Sungai Kecil,")
    replace(content / "sukamaju/profil.md", "jumlah_rw: 6", "jumlah_rw: 6\nwarna_favorit: x")
    code, out = run_check(content, capsys)
    assert code == 1
    assert problem_lines(out, content) == [
        "sukamaju/profil.md:12: warna_favorit: peringatan: kunci tidak dikenal, diabaikan",
        "sukamaju/profil.md:13: batas.utra: kunci tidak dikenal; maksud Anda 'batas.utara'? "
        "Perbaiki penulisannya, isinya belum dipakai"]


def test_warnings_alone_pass_unless_strict(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(content / "sukamaju/profil.md", "lurah:", "catatan_lurah: x\nlurah:")
    code, out = run_check(content, capsys)
    assert code == 0
    assert "1 peringatan" in out
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
    for fragment in ("kota.yml:3: zona_waktu:", "profil.md: kecamatan: wajib diisi",
                     "kk.md:3: urutan:", "ktp-el.md: judul: wajib diisi",
                     "kerja-bakti.md:3: tanggal:"):
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


WRONG_ENDING = ("berkas: berkas Markdown harus berakhiran .md (huruf kecil); ganti nama menjadi "
                "2026-11-16-kerja-bakti.md")
LOOSE_NAME = ("nama berkas: harus berbentuk YYYY-MM-DD-judul-singkat.md (huruf kecil, tanda - "
              "tanpa spasi); ganti nama menjadi 2026-11-16-kerja-bakti.md")


@pytest.mark.parametrize(("name", "message"), [
    # Notepad saves `.md.txt`: it was a warning and the build took the live post away.
    ("2026-11-16-kerja-bakti.md.txt", WRONG_ENDING), ("2026-11-16-kerja-bakti.MD", WRONG_ENDING),
    ("2026-11-16-kerja-bakti.markdown", WRONG_ENDING),
    # Capitals, spaces or underscores: told the name it needs, not a generic example.
    ("2026-11-16-Kerja Bakti.md", LOOSE_NAME), ("2026-11-16_kerja_bakti.md", LOOSE_NAME),
    ("2026-11-16-KERJA-BAKTI.md", LOOSE_NAME),
])
def test_a_misnamed_post_file_is_an_error_naming_the_right_name(
        content: Path, capsys: pytest.CaptureFixture[str], name: str, message: str) -> None:
    post = content / "sukamaju/kegiatan/2026-11-16-kerja-bakti.md"
    post.rename(post.with_name(name))
    code, out = run_check(content, capsys)
    assert code == 1
    assert f"sukamaju/kegiatan/{name}: {message}" in out


PHOTO = "sukamaju/media/2026-11-16-kerja-bakti-1.jpg"
BROKEN = ("rusak atau terpotong (berkas tidak utuh, mungkin belum selesai disalin atau diunduh); "
          "salin ulang foto aslinya")


def _not_an_image(path: Path) -> None:
    path.write_bytes(b"<html>bukan foto</html>")


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _heic(path: Path) -> None:
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated_png(path: Path) -> None:
    Image.new("RGB", (300, 200), "navy").save(path, "PNG")
    _truncated(path)


@pytest.mark.parametrize("damage, reason", [
    (_not_an_image, "bukan berkas gambar yang dikenali; pakai foto JPEG, PNG atau WebP"),
    (_truncated, BROKEN),
    (_truncated_png, BROKEN),
    (_empty, "kosong (0 byte); salin ulang foto aslinya"),
    (_heic, "berformat HEIC/HEIF (kamera iPhone) yang belum didukung; simpan ulang sebagai JPEG "
            "(di iPhone: Pengaturan › Kamera › Format › Paling Kompatibel)"),
], ids=["not an image", "truncated jpeg", "truncated png", "empty", "heic"])
def test_broken_photo_is_an_error_on_its_foto_line(
        content: Path, capsys: pytest.CaptureFixture[str], damage, reason: str) -> None:
    damage(content / PHOTO)
    code, out = run_check(content, capsys)
    assert code == 1
    assert problem_lines(out, content) == [
        f"{POST_FILE}:4: foto #1: media/2026-11-16-kerja-bakti-1.jpg: foto {reason}"]


def test_whole_photos_pass_and_a_motion_photo_too(content: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    photo = content / PHOTO
    photo.write_bytes(photo.read_bytes() + b"\x00\x00\x00\x18ftypmp42" + bytes(2048))
    for name, kind in (("b.png", "PNG"), ("c.webp", "WEBP")):
        Image.new("RGB", (300, 200), "navy").save(photo.with_name(name), kind)
    replace(content / POST_FILE, "foto: [media/2026-11-16-kerja-bakti-1.jpg]",
            "foto: [media/2026-11-16-kerja-bakti-1.jpg, b.png, c.webp]")
    code, out = run_check(content, capsys)
    assert (code, problem_lines(out, content)) == (0, [])


def test_photo_verdicts_are_remembered_until_the_file_changes(
        content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kelurahan.photos import CACHE_NAME
    from kelurahan.settings import Settings

    photo = content / PHOTO
    cache = Settings.from_environment().state_dir / "cache" / CACHE_NAME
    assert run_check(content, capsys)[0] == 0
    remembered = json.loads(cache.read_text("utf-8"))
    assert remembered == {str(photo): [photo.stat().st_size, photo.stat().st_mtime_ns,
                                                 None]}
    _truncated(photo)
    code, out = run_check(content, capsys)
    assert code == 1 and BROKEN in out
    assert json.loads(cache.read_text("utf-8"))[str(photo)][2] == BROKEN
    make_photo(photo)
    assert run_check(content, capsys)[0] == 0


def test_a_broken_photo_does_not_stop_the_rest_of_check(content: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _not_an_image(content / PHOTO)
    replace(content / "sukamaju/layanan/kk.md", "urutan: 2", "urutan: dua")
    code, out = run_check(content, capsys)
    assert code == 1
    assert problem_lines(out, content) == [
        "sukamaju/layanan/kk.md:3: urutan: harus berupa bilangan bulat, bukan 'dua'",
        f"{POST_FILE}:4: foto #1: media/2026-11-16-kerja-bakti-1.jpg: foto bukan berkas gambar "
        "yang dikenali; pakai foto JPEG, PNG atau WebP"]


def test_a_broken_logo_is_a_warning(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logo = content / "sukamaju/media/logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n terpotong")
    code, out = run_check(content, capsys)
    assert code == 0
    assert problem_lines(out, content) == [
        f"sukamaju/media/logo.png: logo: peringatan: logo {BROKEN}; kartu dibuat tanpa logo"]


def test_a_108_megapixel_photo_gives_no_english_warning(
        content: Path, capsys: pytest.CaptureFixture[str], recwarn: pytest.WarningsRecorder,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pillow warns (in English, on stderr) about photos over 89 MP, such as a phone's 108 MP
    mode; they are handled like any other, so staff see nothing but `check`'s own words."""
    from PIL import Image

    with Image.open(content / PHOTO) as photo:
        pixels = photo.width * photo.height
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", pixels - 1)  # this photo is "108 MP" now
    code, out = run_check(content, capsys)
    assert code == 0
    assert [str(w.message) for w in recwarn if "exceeds limit" in str(w.message)] == []
    assert "exceeds" not in out and "Warning" not in out


def test_dead_links_and_pictures_in_the_text_are_warned_about(
        content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """They were published dead while `check` said nothing (and `build` said it in English)."""
    post = content / "sukamaju/kegiatan/2026-11-16-kerja-bakti.md"
    post.write_text(post.read_text("utf-8") + (
        "\nSyarat ada di [Kartu Keluarga](../layanan/kk.md) dan [Domisili](../layanan/domisili.md).\n"
        "![Warga](media/warga.jpg)\n[Formulir](../media/f1.pdf) · [Peta](https://osm.org/) · "
        "[atas](#judul) · [Layanan](../layanan/)\n"), "utf-8")
    lines = post.read_text("utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, 1) if "Domisili" in line)
    code, out = run_check(content, capsys)
    assert code == 0
    where = f"sukamaju/kegiatan/2026-11-16-kerja-bakti.md:{first}: isi: peringatan:"
    assert (f"{where} tautan ../layanan/domisili.md tidak menuju halaman mana pun di situs "
            "(halamannya tidak ada atau masih draf); perbaiki atau hapus tautannya") in out
    where = f"sukamaju/kegiatan/2026-11-16-kerja-bakti.md:{first + 1}: isi: peringatan:"
    assert (f"{where} gambar media/warga.jpg di dalam tulisan tidak tampil di situs; pasang "
            "foto lewat foto: di bagian atas berkas") in out
    where = f"sukamaju/kegiatan/2026-11-16-kerja-bakti.md:{first + 2}: isi: peringatan:"
    assert (f"{where} berkas ../media/f1.pdf tidak ikut ke situs; formulir dipasang lewat "
            "unduhan: di layanan, foto lewat foto:") in out
    assert "kk.md tidak" not in out and "osm.org" not in out and "#judul" not in out
    assert out.count(": isi: peringatan:") == 3


@pytest.mark.parametrize(("line", "shown"), [
    ("draf:", "harus ya atau tidak (true/false), bukan kosong"),
    ("draf: [ya]", "harus ya atau tidak (true/false), bukan daftar [ya]"),
])
def test_values_are_named_as_staff_write_them_not_as_python_prints_them(
        content: Path, capsys: pytest.CaptureFixture[str], line: str, shown: str) -> None:
    post = content / POST_FILE
    post.write_text(post.read_text("utf-8").replace("kategori:", f"{line}\nkategori:"), "utf-8")
    code, out = run_check(content, capsys)
    assert code == 1 and f": draf: {shown}" in out, out


def test_a_number_with_a_thousands_dot_says_how_to_write_it(
        content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`penduduk: 18.734` is how Indonesians write 18734; YAML reads 18.734."""
    profile = content / "sukamaju/profil.md"
    profile.write_text(profile.read_text("utf-8").replace("penduduk: 12450", "penduduk: 18.734"),
                       "utf-8")
    code, out = run_check(content, capsys)
    assert code == 1
    assert ("penduduk: harus berupa bilangan bulat, bukan 18.734; tulis tanpa titik ribuan: "
            "18734") in out
