"""The contracts between build and publish/bot: a file from another version or a broken one
is refused with the file, the key and what to run, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kelurahan.outputs import (
    CardManifest,
    OutputError,
    WhatsAppMenu,
    display_name,
    read_output,
)


def test_display_name_does_not_double_the_word() -> None:
    assert display_name("Sukamaju") == "Kelurahan Sukamaju"
    assert display_name("Kelurahan Bukit Indah") == "Kelurahan Bukit Indah"


@pytest.mark.parametrize(("text", "reason"), [
    ("", "bukan JSON yang valid: EOF while parsing a value at line 1 column 0"),
    ('{"versi": 2, "kelurahan": "x"}', "versi 2 tidak dikenal, harus 1"),
    ('{"kelurahan": "x"}', "tanpa versi, harus 1"),
    ("[1]", "harus berupa pasangan kunci: nilai, bukan daftar [1]"),
    ('{"versi": 1, "slug": 5}', "kelurahan: wajib diisi; dan 12 masalah lain"),
])
def test_another_version_or_a_broken_menu_is_refused(tmp_path: Path, text: str,
                                                    reason: str) -> None:
    path = tmp_path / "menu.json"
    path.write_text(text, "utf-8")
    with pytest.raises(OutputError) as caught:
        read_output(path, WhatsAppMenu, remedy="kelurahan menu")
    assert str(caught.value) == f"{path} rusak ({reason}): jalankan 'kelurahan menu' lagi"


def test_missing_file_says_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        read_output(tmp_path / "kartu.json", CardManifest)
    assert str(caught.value) == f"{tmp_path / 'kartu.json'} tidak ada: jalankan 'kelurahan build' dulu"


def test_card_manifest_round_trips_with_indonesian_keys(tmp_path: Path) -> None:
    data = {"versi": 1, "kelurahan": "sukamaju", "post": "2026-11-16-kerja-bakti",
            "judul": "Kerja Bakti", "url": "https://x.example/sukamaju/kegiatan/k/",
            "jadwal": "2026-11-16T09:00:00+08:00", "terbit": ["facebook"],
            "gambar": {"facebook": {"berkas": "facebook.jpg", "lebar": 1200, "tinggi": 630,
                                    "url": "https://x.example/f.jpg"}},
            "keterangan": {"facebook": "f", "instagram": "i",
                           "tiktok": {"judul": "t", "deskripsi": "d"}}}
    path = tmp_path / "kartu.json"
    path.write_text(json.dumps(data), "utf-8")
    manifest = read_output(path, CardManifest)
    assert (manifest.title, manifest.captions.tiktok.description) == ("Kerja Bakti", "d")
    assert json.loads(manifest.to_json()) == data
