"""`alamat_situs` must be a public https address when Instagram or TikTok pull cards from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kelurahan import check
from kelurahan.cli import main
from tests.conftest import make_content

WHY = ("; instagram mengambil gambar kartu dari alamat ini, jadi harus alamat https:// yang bisa "
       "dibuka dari internet (mis. https://kelurahan.kotaanda.go.id/)")


def _city_at(tmp_path: Path, url: str, terbit: str = "[facebook, instagram]") -> Path:
    content = make_content(tmp_path)
    kota = content / "kota.yml"
    kota.write_text(kota.read_text("utf-8").replace("https://kelurahan.kotauji.example/", url),
                    "utf-8")
    profil = content / "sukamaju" / "profil.md"
    profil.write_text(profil.read_text("utf-8").replace("terbit: [facebook, instagram]",
                                                        f"terbit: {terbit}"), "utf-8")
    return content


@pytest.mark.parametrize(("url", "why"), [
    ("http://kelurahan.kotauji.example/",
     "http://kelurahan.kotauji.example/ memakai http://, bukan https://"),
    ("https://127.0.0.1:8000/", "https://127.0.0.1:8000/: 127.0.0.1 adalah alamat lokal/privat"),
    ("https://192.168.1.20/", "https://192.168.1.20/: 192.168.1.20 adalah alamat lokal/privat"),
    ("https://10.0.0.5/situs/", "https://10.0.0.5/situs/: 10.0.0.5 adalah alamat lokal/privat"),
    ("https://localhost/", "https://localhost/: localhost hanya dikenal di jaringan lokal"),
    ("https://server-kominfo/", "https://server-kominfo/: server-kominfo hanya dikenal di "
                                "jaringan lokal"),
])
def test_check_refuses_a_non_public_address_naming_kota_yml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
        url: str, why: str) -> None:
    monkeypatch.delenv("KELURAHAN_LOCAL_SITE")
    content = _city_at(tmp_path, url)
    assert main(["check", "--content", str(content)]) == 1
    out = capsys.readouterr().out
    assert f"{content / 'kota.yml'}:4: alamat_situs: {why}{WHY}" in out.splitlines()


def test_only_facebook_or_a_local_test_setup_is_fine(tmp_path: Path) -> None:
    content = _city_at(tmp_path / "a", "http://127.0.0.1:8000/", "[facebook]")
    assert [p for p in check(content, local_site=False).problems if p.is_error] == []
    content = _city_at(tmp_path / "b", "http://127.0.0.1:8000/")
    [problem] = [p for p in check(content, local_site=True).problems if p.field == "alamat_situs"]
    assert not problem.is_error
    content = _city_at(tmp_path / "c", "https://kelurahan.kotauji.go.id/")
    assert [p for p in check(content, local_site=False).problems if p.is_error] == []
