"""`kelurahan init`: a new city's folder that passes `check`; bad input leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from kelurahan import check
from kelurahan.cli import main


def test_init_makes_a_city_that_passes_check(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "kota-baru"
    code = main(["init", str(folder), "--kota", "Kota Baru", "--zona-waktu", "WITA",
                 "--provinsi", "Kalimantan Timur", "--kelurahan", "Suka Damai",
                 "--kecamatan", "Kota Timur"])
    assert code == 0
    assert f"Dibuat {folder}/" in capsys.readouterr().out
    loaded = check(folder / "content")
    assert [p for p in loaded.problems if p.is_error] == []
    city = loaded.city
    assert (city.name, city.province, city.timezone) == ("Kota Baru", "Kalimantan Timur",
                                                         "Asia/Makassar")
    assert city.site_url == "https://kota-baru.example/"
    assert [(k.slug, k.name, k.district) for k in city.kelurahan] == [
        ("suka-damai", "Suka Damai", "Kota Timur")]
    assert (folder / ".gitignore").read_text().splitlines()[1:] == [
        "/site/", "/.kelurahan/", "/audit/", "/.secrets.env"]
    readme = (folder / "README.md").read_text()
    assert readme.startswith("# Situs kelurahan Kota Baru")
    assert 'kelurahan post suka-damai "Judul kegiatan"' in readme
    assert not list(tmp_path.glob(".*")), "no staging folder left behind"


def test_init_into_an_empty_existing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "kosong"
    folder.mkdir()
    assert main(["init", str(folder), "--kota", "Kota A", "--zona-waktu", "Asia/Jayapura"]) == 0
    assert check(folder / "content").city.timezone == "Asia/Jayapura"
    assert (folder / "content" / "contoh" / "profil.md").is_file()


def test_init_refuses_unknown_zone_and_writes_nothing(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "kota"
    code = main(["init", str(folder), "--kota", "Kota X", "--zona-waktu", "Asia/Makasar"])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "Gagal: zona_waktu: zona waktu tidak dikenal: 'Asia/Makasar' (pakai Asia/Jakarta untuk "
        "WIB, Asia/Makassar untuk WITA, Asia/Jayapura untuk WIT)")
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_bad_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["init", str(tmp_path / "k"), "--kota", "Kota X", "--zona-waktu", "WIB",
                 "--alamat-situs", "kota.go.id"])
    assert code == 1
    assert capsys.readouterr().err.startswith("Gagal: alamat_situs: ")
    assert list(tmp_path.iterdir()) == []


def test_init_into_a_home_folder_keeps_its_files(tmp_path: Path) -> None:
    (tmp_path / ".bashrc").write_text("# milik pengguna")
    assert main(["init", str(tmp_path), "--kota", "Kota X", "--zona-waktu", "WIB"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".bashrc", ".gitignore", "README.md", "content"]
    assert (tmp_path / ".bashrc").read_text() == "# milik pengguna"


def test_init_refuses_a_folder_that_has_a_city(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "README.md").write_text("jangan ditimpa")
    code = main(["init", str(tmp_path), "--kota", "Kota X", "--zona-waktu", "WIB"])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        f"Gagal: {tmp_path} sudah berisi README.md, content; tidak ada yang diubah")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "content"]
    assert (tmp_path / "README.md").read_text() == "jangan ditimpa"
