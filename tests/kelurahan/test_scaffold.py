"""`kelurahan new` and `kelurahan post` write files that pass `check`, and refuse to overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from kelurahan import load_valid
from kelurahan.cli import main
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
    assert "rusak atau bukan gambar" in capsys.readouterr().err
    assert snapshot(content) == before


def test_post_for_unknown_kelurahan(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(content)
    assert main(["post", "tidak-ada", "Rapat", "--content", str(content)]) == 1
    assert "kelurahan 'tidak-ada' tidak ditemukan" in capsys.readouterr().err
    assert snapshot(content) == before


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
