"""`petugas` in profil.md: numbers normalised, bad ones refused, one number for one kelurahan,
never on the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from kelurahan import check
from kelurahan.cli import main
from tests.conftest import write

STAFF = 'petugas:\n  - {nama: Siti Rahma, whatsapp: "0812-5555-0101"}\n'


def add_staff(content: Path, slug: str, block: str = STAFF) -> None:
    profile = content / slug / "profil.md"
    profile.write_text(profile.read_text("utf-8").replace("---\n", "---\n" + block, 1), "utf-8")


def test_staff_numbers_are_normalised(content: Path) -> None:
    add_staff(content, "sukamaju")
    loaded = check(content)
    assert [p for p in loaded.problems if p.is_error] == []
    kel = loaded.city.get("sukamaju")
    assert [(s.name, s.whatsapp) for s in kel.staff] == [("Siti Rahma", "+6281255550101")]
    assert kel.staff_member("6281255550101").name == "Siti Rahma"
    assert kel.staff_member("6281299990000") is None


@pytest.mark.parametrize(("block", "expected"), [
    ('petugas:\n  - {nama: Siti, whatsapp: "0812"}\n',
     "profil.md:3: petugas #1.whatsapp: nomor WhatsApp tidak valid: '0812'; tulis seperti "
     "0812-3456-7890 atau +6281234567890"),
    ('petugas:\n  - {whatsapp: "0812-5555-0101"}\n', "profil.md:3: petugas #1.nama: wajib diisi"),
    ("petugas: Siti Rahma\n", "profil.md:2: petugas: harus berupa daftar, bukan 'Siti Rahma'"),
])
def test_bad_staff_entries(content: Path, capsys: pytest.CaptureFixture[str], block: str,
                           expected: str) -> None:
    add_staff(content, "sukamaju", block)
    assert main(["check", "--content", str(content)]) == 1
    assert expected in capsys.readouterr().out


def test_one_number_for_two_kelurahan_names_both_files(content: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    write(content / "tanjung" / "profil.md", "---\nnama: Tanjung\nkecamatan: Kota Lama\n"
          'petugas:\n  - {nama: Siti R., whatsapp: "+62 812-5555-0101"}\n---\n')
    add_staff(content, "sukamaju")
    assert main(["check", "--content", str(content)]) == 1
    out = capsys.readouterr().out
    assert (f"{content}/tanjung/profil.md:4: petugas: nomor +6281255550101 juga tercantum sebagai "
            f"petugas di {content}/sukamaju/profil.md; satu nomor hanya boleh untuk satu "
            "kelurahan") in out


def test_staff_never_shown_on_the_site(content: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    add_staff(content, "sukamaju")
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "state"))
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--out", str(site), "--jobs", "1"]) == 0
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".txt", ".csv", ".xml"}:
            text = path.read_text("utf-8", errors="replace")
            assert "Siti Rahma" not in text and "55550101" not in text, path
