"""`kelurahan new` and `kelurahan post` write files that pass `check`, and refuse to overwrite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

from kelurahan import load_valid
from kelurahan.cli import main
from kelurahan.scaffold import POST_PLACEHOLDER
from kelurahan.slugs import slugify
from tests.conftest import make_photo, snapshot


def test_new_kelurahan_passes_check(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["new", "bukit-indah", "--content", str(content), "--kecamatan", "Bukit Raya"])
    assert code == 0
    assert "Dibuat" in capsys.readouterr().out
    kel = load_valid(content).get("bukit-indah")
    assert (kel.name, kel.district) == ("Bukit Indah", "Bukit Raya")
    assert [s.slug for s in kel.services] == ["ktp-el"]
    assert not list(content.glob(".*.baru")), "no staging folder left behind"


def test_new_refuses_existing_folder(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(content)
    assert main(["new", "sukamaju", "--content", str(content), "--kecamatan", "X"]) == 1
    assert "sukamaju sudah ada; tidak ada yang diubah" in capsys.readouterr().err
    assert snapshot(content) == before


def test_new_refuses_bad_slug(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(content)
    assert main(["new", "Bukit Indah", "--content", str(content), "--kecamatan", "X"]) == 1
    assert "slug 'Bukit Indah' tidak valid" in capsys.readouterr().err
    assert snapshot(content) == before


def test_post_with_photo_is_dated_today_in_city_zone(content: Path, tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "DSC_0001.JPG")
    # 23:30 UTC on the 22nd is already the 23rd in Makassar (UTC+8).
    code = main(["post", "sukamaju", "Posyandu Balita: Mawar #2", "--foto", str(photo),
                 "--content", str(content), "--now", "2026-11-22T23:30+00:00"])
    assert code == 0
    kel = load_valid(content).get("sukamaju")
    post = next(p for p in kel.posts if p.stem == "2026-11-23-posyandu-balita-mawar-2")
    assert post.title == "Posyandu Balita: Mawar #2"
    assert post.photos[0].src == "media/2026-11-23-posyandu-balita-mawar-2-1.jpg"
    assert post.photos[0].path.read_bytes() == photo.read_bytes()


def test_post_with_corrupt_photo_writes_nothing(content: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "rusak.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 bukan jpeg")
    before = snapshot(content)
    code = main(["post", "sukamaju", "Rapat", "--foto", str(broken), "--content", str(content)])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        f"Gagal: foto {broken} rusak atau terpotong (berkas tidak utuh, mungkin belum selesai "
        "disalin atau diunduh); salin ulang foto aslinya; tidak ada yang diubah")
    assert snapshot(content) == before


def test_post_with_truncated_photo_writes_nothing(content: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    whole = make_photo(tmp_path / "utuh.jpg").read_bytes()
    cut = tmp_path / "terpotong.jpg"
    cut.write_bytes(whole[: len(whole) // 2])
    before = snapshot(content)
    assert main(["post", "sukamaju", "Rapat", "--foto", str(cut), "--content", str(content)]) == 1
    assert "rusak atau terpotong (berkas tidak utuh" in capsys.readouterr().err
    assert snapshot(content) == before


def test_post_for_unknown_kelurahan(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(content)
    assert main(["post", "tidak-ada", "Rapat", "--content", str(content)]) == 1
    assert capsys.readouterr().err.strip() == (
        "Gagal: kelurahan tidak dikenal: tidak-ada (yang ada: sukamaju); kelurahan baru dibuat "
        "dengan 'kelurahan new tidak-ada'")
    assert snapshot(content) == before


def test_post_slug_typo_suggests_the_nearest(content: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(content)
    assert main(["post", "sukamju", "Rapat", "--content", str(content)]) == 1
    assert capsys.readouterr().err.strip() == (
        "Gagal: kelurahan tidak dikenal: sukamju; maksud Anda sukamaju? (yang ada: sukamaju); "
        "kelurahan baru dibuat dengan 'kelurahan new sukamju'")
    assert snapshot(content) == before


@pytest.mark.parametrize("command", [["post", "sukamaju", "Rapat"],
                                     ["new", "sukamaju", "--kecamatan", "X"]])
def test_outside_a_content_folder_says_how_to_point_at_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(command) == 1
    assert capsys.readouterr().err.strip() == (
        f"Gagal: folder konten content/ di {tmp_path} tidak ditemukan; jalankan perintah dari "
        "folder yang berisi content/, atau tunjuk foldernya dengan --content /jalur/ke/content")
    assert list(tmp_path.iterdir()) == []


def test_an_unedited_post_is_warned_and_never_published(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.build import BuildOptions, build
    from kelurahan.settings import Settings
    from publish.social.schedule import plan

    now = "2026-11-23T10:00"
    assert main(["post", "sukamaju", "Rapat RT 03", "--content", str(content), "--now", now]) == 0
    capsys.readouterr()
    post = content / "sukamaju/kegiatan/2026-11-23-rapat-rt-03.md"
    assert main(["check", "--content", str(content)]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if str(post) in line] == [
        f'{post}:8: isi: peringatan: masih berisi teks contoh "Tulis laporan kegiatan di sini…"; '
        "ganti dengan laporan kegiatan. Sampai itu, kegiatan ini tidak diterbitkan di situs "
        "maupun media sosial",
        f"{post}:6: ringkasan: peringatan: kosong; tulis satu kalimat ringkasan untuk kartu dan "
        "media sosial (atau hapus baris ini)"]
    moment = dt.datetime.fromisoformat("2026-11-23T12:00+08:00")
    assert "2026-11-23-rapat-rt-03" not in {job.post.stem for job in plan(load_valid(content), moment)}
    out = tmp_path / "site"
    report = build(BuildOptions(content_dir=content, out_dir=out,
                                state_dir=Settings.from_environment().state_dir,
                                project_root=Path(__file__).resolve().parents[2], now=moment))
    assert str(report.content_warnings[0]).startswith(f"{post}:8: isi: peringatan:")
    assert not (out / "sukamaju/kegiatan/2026-11-23-rapat-rt-03").exists()
    assert not (out / "sukamaju/kartu/2026-11-23-rapat-rt-03").exists()
    assert (out / "sukamaju/kegiatan/2026-11-16-kerja-bakti/index.html").is_file()
    post.write_text(post.read_text("utf-8").replace(POST_PLACEHOLDER, "Rapat warga"), "utf-8")
    assert "2026-11-23-rapat-rt-03" in {job.post.stem for job in plan(load_valid(content), moment)}


def test_post_twice_the_same_day_refuses(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["post", "sukamaju", "Rapat RT", "--content", str(content), "--now", "2026-11-23T10:00"]
    assert main(args) == 0
    before = snapshot(content)
    assert main(args) == 1
    assert "sudah ada; tidak ada yang diubah" in capsys.readouterr().err
    assert snapshot(content) == before


def test_png_photo_keeps_its_suffix(content: Path, tmp_path: Path) -> None:
    photo = tmp_path / "foto.png"
    Image.new("RGBA", (40, 30), "red").save(photo)
    assert main(["post", "sukamaju", "Lomba", "--foto", str(photo), "--content", str(content),
                 "--now", "2026-11-23T10:00"]) == 0
    assert (content / "sukamaju/media/2026-11-23-lomba-1.png").is_file()


@pytest.mark.parametrize("title, slug", [("Kerja Bakti RT 03 – Sungai Bersih!", "kerja-bakti-rt-03-sungai-bersih"),
                                         ("Festival Budaya Dayak 🎉", "festival-budaya-dayak"),
                                         ("🎉🎉", "kegiatan"), ("Pelayanan Kependudukan ke Rumah Warga Lanjut Usia dan Penyandang Disabilitas", "pelayanan-kependudukan-ke-rumah-warga-lanjut-usia-dan")])
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_new_quotes_names_with_colon_hash_and_quotes(content: Path) -> None:
    name, district = "Baru: Timur # Utara", 'Kota "Lama"'
    code = main(["new", "baru", "--content", str(content), "--nama", name,
                 "--kecamatan", district])
    assert code == 0
    assert main(["check", "--content", str(content)]) == 0
    kel = load_valid(content).get("baru")
    assert (kel.name, kel.district) == (name, district)
