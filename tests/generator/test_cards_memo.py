"""What a build worker keeps between kelurahan: photos fitted to card boxes, reused by content."""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image, ImageDraw

from generator.cards import draw_cards, place_cards
from generator.cards.fitted import FittedPhotos
from generator.cards.kept import Kept
from generator.cards.photo import FittedPhoto
from kelurahan import load_valid
from tests.conftest import write
from tests.generator.cards_support import NOW, add_post, decode, media

STEM = "2026-11-17-logo-baru"


def _fitted(*sizes: tuple[int, int]) -> FittedPhoto:
    return FittedPhoto({size: Image.new("RGB", size) for size in sizes})


def test_a_kept_photo_must_cover_every_box_asked_for():
    memo = FittedPhotos()
    memo.put(("a" * 64, (0, 0, 0)), _fitted((640, 630)))
    assert memo.get(("a" * 64, (0, 0, 0)), [(640, 630)]) is not None
    assert memo.get(("a" * 64, (0, 0, 0)), [(640, 630), (1080, 800)]) is None
    assert memo.get(("a" * 64, (1, 1, 1)), [(640, 630)]) is None


def test_the_oldest_used_photo_goes_first_when_memory_runs_out():
    one = 640 * 630 * 3
    memo = FittedPhotos(limit_bytes=2 * one)
    for name in "abc":
        memo.put((name, (0, 0, 0)), _fitted((640, 630)))
        if name == "b":
            memo.get(("a", (0, 0, 0)), [(640, 630)])  # a used again: b is now the oldest
    assert memo.get(("b", (0, 0, 0)), [(640, 630)]) is None
    assert memo.get(("a", (0, 0, 0)), [(640, 630)]) is not None
    assert memo.get(("c", (0, 0, 0)), [(640, 630)]) is not None


def test_a_transparent_photo_is_flattened_on_each_themes_own_colour(content: Path, tmp_path: Path):
    """The same photo bytes under two themes: the kept copy of one must not serve the other."""
    themes = tmp_path / "themes"
    shutil.copytree(Path(__file__).resolve().parents[2] / "themes", themes)
    logo = Image.new("RGBA", (1600, 1200), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((600, 400, 1000, 800), fill=(200, 30, 30, 255))
    logo.save(media(content, "logo.png"))
    add_post(content, STEM, "Logo baru kelurahan", photo="logo.png")
    memo = FittedPhotos()
    colours = []
    for override in (None, 'warna: {utama: "#f7f1e3", aksen: "#c0392b"}\n'):
        if override:
            write(themes / "cards" / "sukamaju.yml", override)
        city = load_valid(content)
        run = draw_cards(city, city.get("sukamaju"), now=NOW, cache_dir=tmp_path / "kartu",
                         themes_dir=themes, kept=Kept(memo))
        place_cards(run, tmp_path / "situs", NOW)
        card = decode(tmp_path / "situs" / "sukamaju" / "kartu" / STEM / "facebook.jpg")
        colours.append(card.getpixel((575, 15)))  # inside the photo box, outside the red disc
    near = [(0x0F, 0x5C, 0x4A), (0xF7, 0xF1, 0xE3)]
    for got, want in zip(colours, near, strict=True):
        assert all(abs(a - b) <= 4 for a, b in zip(got, want, strict=True)), (got, want)


def test_a_worker_keeps_one_font_book_per_set_of_fonts(tmp_path: Path):
    """Rasterised words are shared by every kelurahan whose theme uses the same font files."""
    fonts = Path(__file__).resolve().parents[2] / "themes" / "fonts"
    regular = sorted(fonts.glob("*.ttf"))[:2]
    kept = Kept()
    one = kept.book({"judul": regular[0], "biasa": regular[0]})
    assert kept.book({"biasa": regular[0], "judul": regular[0]}) is one
    assert kept.book({"judul": regular[-1], "biasa": regular[0]}) is not one
