"""The preview page's small card copies: made only for the cards it shows, linked from the card
cache (never encoded twice), never listed in `kartu.json`, gone when their card leaves the page."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from PIL import Image

from generator.cards import render_cards
from generator.cards.small import small_copies
from kelurahan import load_valid
from tests.generator.cards_support import NOW, SIZES, add_post, detailed_photo, media

THIS_WEEK = "2026-11-16-kerja-bakti"  # the fixture's post
OLD = "2026-10-01-rapat-lama"


def _build(content: Path, out: Path, cache: Path, now: dt.datetime = NOW):
    city = load_valid(content)
    return render_cards(city, city.get("sukamaju"), out, now=now, cache_dir=cache)


def _small(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*-kecil.webp"))


def test_only_the_cards_on_the_page_get_a_small_copy_linked_to_the_full_card(
        content: Path, tmp_path: Path) -> None:
    detailed_photo((1600, 1200)).save(media(content, "2026-11-16-kerja-bakti-1.jpg"), quality=90)
    add_post(content, OLD, "Rapat lama")
    _build(content, tmp_path / "site", tmp_path / "cache")
    cards = tmp_path / "site" / "sukamaju" / "kartu"
    assert _small(cards / OLD) == []
    assert _small(cards) == ["facebook-kecil.webp", "instagram-kecil.webp", "tiktok-kecil.webp"]
    page = (cards / "index.html").read_text("utf-8")
    for channel, (width, height) in SIZES.items():
        with Image.open(cards / THIS_WEEK / f"{channel}-kecil.webp") as small:
            assert (small.format, small.size) == ("WEBP", (width // 4, round(height / 4)))
            assert not small.getexif() and "icc_profile" not in small.info
        assert (f'<a href="{THIS_WEEK}/{channel}.jpg"><img class="nanti" ' in page
                and f'data-src="{THIS_WEEK}/{channel}-kecil.webp" width="{width // 4}"' in page)
    assert f'<a href="{OLD}/facebook.jpg">Facebook</a>' in page
    listed = json.loads((cards / THIS_WEEK / "kartu.json").read_text("utf-8"))["gambar"]
    assert [image["berkas"] for image in listed.values()] == [f"{c}.jpg" for c in SIZES]


def test_a_rebuild_links_the_copies_kept_in_the_card_cache(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(content, tmp_path / "a", cache)
    kept = sorted((cache / "sukamaju").glob("*/*/instagram-kecil.webp"))
    assert len(kept) == 1
    stamp = kept[0].stat()
    report = _build(content, tmp_path / "b", cache)
    assert report.reused == [THIS_WEEK]
    placed = tmp_path / "b" / "sukamaju" / "kartu" / THIS_WEEK / "instagram-kecil.webp"
    assert placed.samefile(kept[0]) and kept[0].stat().st_mtime_ns == stamp.st_mtime_ns


def test_copies_go_when_their_cards_leave_the_page(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    add_post(content, "2026-11-20-jumat", "Senam Jumat")
    _build(content, out, cache)
    cards = out / "sukamaju" / "kartu"
    assert len(_small(cards / THIS_WEEK)) == len(_small(cards / "2026-11-20-jumat")) == 3
    (content / "sukamaju" / "kegiatan" / "2026-11-20-jumat.md").unlink()
    _build(content, out, cache, now=NOW + dt.timedelta(days=7))  # THIS_WEEK is last week's now
    assert not (cards / "2026-11-20-jumat").exists()
    assert _small(cards) == ["facebook-kecil.webp", "instagram-kecil.webp", "tiktok-kecil.webp"]
    add_post(content, "2026-12-28-baru", "Kegiatan baru")  # now in the archive, Facebook only
    _build(content, out, cache, now=NOW + dt.timedelta(days=40))
    assert _small(cards / THIS_WEEK) == [] and (cards / THIS_WEEK / "facebook.jpg").is_file()
    assert len(_small(cards / "2026-12-28-baru")) == 3


def test_an_unreadable_card_gets_no_copy_and_the_page_shows_the_card(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "2026-11-16-rusak"
    folder.mkdir()
    (folder / "facebook.jpg").write_bytes(b"\xff\xd8\xff\xe0 bukan gambar" * 10)
    with caplog.at_level(logging.WARNING):
        assert small_copies(folder, {"facebook": None}) == {}
    assert caplog.messages == ["salinan kecil 2026-11-16-rusak/facebook.jpg tidak dibuat: "
                               "kartu tidak terbaca (Truncated File Read)"]
    assert [p.name for p in folder.iterdir()] == ["facebook.jpg"]
