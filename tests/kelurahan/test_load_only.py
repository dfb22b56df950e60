"""`kelurahan.load(content, only=…)`: just those kelurahan, read from where they really are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kelurahan import check, load
from kelurahan.errors import KelurahanError
from tests.conftest import write


def test_only_reads_the_named_kelurahan_with_their_real_paths(content: Path) -> None:
    shutil.copytree(content / "sukamaju", content / "mekarsari")
    broken = write(content / "mekarsari" / "layanan" / "rusak.md", "---\njudul: [\n---\n")
    loaded = load(content, only=["sukamaju"])
    assert [k.slug for k in loaded.kelurahan] == ["sukamaju"]
    assert loaded.city is not None and loaded.city.content_dir == content
    assert loaded.kelurahan[0].folder == content / "sukamaju"
    assert loaded.kelurahan[0].posts[0].source == content / "sukamaju/kegiatan/2026-11-16-kerja-bakti.md"
    assert loaded.problems == []  # mekarsari's broken file was not read
    assert [p.path for p in check(content, only=["mekarsari"]).problems
            if p.is_error] == [str(broken)]


def test_only_with_an_unknown_slug_names_the_ones_there_are(content: Path) -> None:
    with pytest.raises(KelurahanError) as caught:
        load(content, only=["sukamju"])
    assert str(caught.value) == (
        "kelurahan tidak dikenal: sukamju; maksud Anda sukamaju? (yang ada: sukamaju)")


def test_only_nothing_reads_only_the_city(content: Path) -> None:
    loaded = load(content, only=[])
    assert loaded.kelurahan == () and loaded.city is not None
