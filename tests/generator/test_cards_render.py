"""Drawing one card: text stays in the safe zone, wraps and shrinks, emoji never become boxes,
photos are cropped around their detail and never stretched."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from generator.cards import load_theme
from generator.cards.captions import hashtag, hashtags, lead, shorten
from generator.cards.photo import SourcePhoto, fill_box, smart_crop_box
from generator.cards.render import Artwork, CardText, draw_card
from generator.cards.text import FontBook, fit_block, measure
from generator.cards.theme import inside
from tests.generator.cards_support import SIZES, detailed_photo

LONG = "Gotong royong membersihkan saluran air di sepanjang Jalan Merdeka " * 5  # 330 chars
TITLES = {
    "pendek": "Kerja Bakti",
    "diakritik": "Pelatihan Kafé & Crème Brûlée — Sósialisasi Ñ",
    "emoji": "Lomba 17-an 🎉🇮🇩 meriah 👍🏽 di RW 04",
    "panjang": LONG.strip(),
}


@pytest.fixture(scope="module")
def theme():
    return load_theme("sukamaju")


@pytest.fixture(scope="module")
def book(theme):
    return FontBook(theme.fonts)


def card_text(title: str) -> CardText:
    return CardText(title=title, date="Senin, 27 Oktober 2025", name="Kelurahan Tanjung Harapan",
                    subline="Kecamatan Kota Baru · Kota Contoh",
                    footer="kelurahan.kotacontoh.example/tanjung-harapan")


@pytest.mark.parametrize("channel", list(SIZES))
@pytest.mark.parametrize("kind", list(TITLES))
def test_text_stays_inside_the_safe_zone(theme, book, channel: str, kind: str):
    layout = theme.channels[channel]
    title = book.printable("judul", TITLES[kind])
    photo = SourcePhoto.of(detailed_photo((1600, 1200)))
    card = draw_card(layout, theme, book, card_text(title), photo, Artwork(None))
    assert card.image.size == SIZES[channel]
    for name, box in card.text_boxes.items():
        assert inside(box, layout.safe), (name, box, layout.safe)
    assert inside(card.text_boxes["judul"], layout.title)
    # The ink itself, found by difference with the same card without a title:
    blank = draw_card(layout, theme, book, card_text(""), photo, Artwork(None))
    left, top, right, bottom = ImageChops.difference(card.image, blank.image).getbbox()
    assert inside((left, top, right - left, bottom - top), layout.safe)


def test_tiktok_keeps_the_top_and_bottom_bands_clear(theme):
    layout = theme.channels["tiktok"]
    _, y, _, h = layout.safe
    assert y >= round(0.14 * 1920) and y + h <= 1920 - round(0.20 * 1920)
    for box in (layout.header, layout.title, layout.date, layout.footer):
        assert inside(box, layout.safe)


def test_titles_shrink_before_they_are_cut(theme, book):
    layout = theme.channels["instagram"]
    box = layout.title[2:]
    short = fit_block(book, "judul", "Kerja Bakti", box, layout.title_sizes)
    assert short.font.size == layout.title_sizes[0] and short.lines == ("Kerja Bakti",)
    medium_title = "Sosialisasi pencegahan stunting bagi ibu hamil dan balita di Posyandu Mawar RW 03"
    medium = fit_block(book, "judul", medium_title, box, layout.title_sizes)
    assert layout.title_sizes[1] <= medium.font.size < layout.title_sizes[0]
    assert " ".join(medium.lines) == medium_title and not medium.shortened
    cut = fit_block(book, "judul", LONG, box, layout.title_sizes)
    assert cut.font.size == layout.title_sizes[1] and cut.shortened
    assert cut.lines[-1].endswith("…") and cut.height <= box[1]
    assert all(measure(book.get("judul", cut.font.size), line) <= box[0] for line in cut.lines)


def test_a_word_longer_than_the_box_is_broken_not_overflowing(theme, book):
    layout = theme.channels["facebook"]
    block = fit_block(book, "judul", "Pemberdayaan" * 8, layout.title[2:], layout.title_sizes)
    assert len(block.lines) > 1
    assert all(measure(block.font, line) <= layout.title[2] for line in block.lines)


def test_emoji_are_removed_cleanly_and_diacritics_kept(book):
    assert book.printable("judul", "Lomba 17-an 🎉🇮🇩 meriah 👍🏽 di RW 04") == "Lomba 17-an meriah di RW 04"
    assert book.printable("judul", "Kafé Crème Brûlée Sósial Ñ – “Gotong-royong”") == (
        "Kafé Crème Brûlée Sósial Ñ – “Gotong-royong”")
    assert book.printable("judul", "Cafe\u0301") == "Café"  # decomposed accents are composed
    assert book.printable("judul", "🎉🇮🇩🧹") == ""


def test_no_tofu_boxes_for_emoji(theme, book):
    """A title with emoji draws exactly the same pixels as the title without them."""
    layout = theme.channels["facebook"]
    with_emoji = draw_card(layout, theme, book, card_text(book.printable("judul", "Kerja 🧹 Bakti")),
                           None, Artwork(None))
    without = draw_card(layout, theme, book, card_text("Kerja Bakti"), None, Artwork(None))
    assert ImageChops.difference(with_emoji.image, without.image).getbbox() is None


def _photo_with_detail_on_the_right(size=(1600, 800)) -> Image.Image:
    image = Image.new("RGB", size, (120, 160, 200))
    draw = ImageDraw.Draw(image)
    for x in range(1150, 1550, 20):
        for y in range(100, 700, 20):
            if (x + y) // 20 % 2:
                draw.rectangle((x, y, x + 19, y + 19), fill="black")
    return image


def test_smart_crop_follows_the_detail_and_never_stretches():
    photo = SourcePhoto.of(_photo_with_detail_on_the_right())
    left, top, right, bottom = smart_crop_box(photo, 1.0)
    assert (right - left, bottom - top) == (800, 800)
    assert left >= 700, "the crop should move right, to the detail"
    assert smart_crop_box(photo, 0.5)[2] - smart_crop_box(photo, 0.5)[0] == 400
    tall = SourcePhoto.of(photo.image.rotate(90, expand=True))  # 800×1600, detail at the top
    left, top, right, bottom = smart_crop_box(tall, 1.0)
    assert (right - left, bottom - top) == (800, 800) and top <= 100
    filled = fill_box(photo, (1080, 1000))
    assert filled.size == (1080, 1000)


def test_logo_is_drawn_on_the_side_the_theme_says(theme, book, tmp_path: Path):
    from dataclasses import replace

    logo = Image.new("RGBA", (200, 200), (255, 0, 0, 255))
    layout = theme.channels["instagram"]
    x, y, w, h = layout.header
    for side, probe in (("kiri", x + h // 2), ("kanan", x + w - h // 2)):
        card = draw_card(layout, replace(theme, logo_side=side), book, card_text("Judul"), None,
                         Artwork(logo))
        assert card.image.getpixel((probe, y + h // 2))[0] > 200
        assert inside(card.text_boxes["kepala"], layout.header)


def test_hashtags_are_camel_case_unique_and_limited():
    assert hashtag("Kelurahan", "Tanjung Harapan") == "#KelurahanTanjungHarapan"
    assert hashtag("Kelurahan", "Kelurahan Bukit Indah") == "#KelurahanBukitIndah"
    assert hashtag("Kota", "Kota Contoh") == "#KotaContoh"
    assert hashtag("Kota", "Palangka Raya") == "#KotaPalangkaRaya"
    assert hashtag("", "kesehatan ibu-anak") == "#KesehatanIbuAnak"


def test_caption_limits(content: Path):
    from generator.cards.captions import captions
    from kelurahan import load_valid
    from tests.generator.cards_support import add_post

    categories = ", ".join(f"Kategori {i}" for i in range(40))
    add_post(content, "2026-11-10-panjang", "Judul " * 50 + "🎉",
             extra=f"kategori: [{categories}]\nringkasan: {'Ringkasan panjang sekali. ' * 300}")
    city = load_valid(content)
    kel = city.get("sukamaju")
    post = next(p for p in kel.posts if p.stem == "2026-11-10-panjang")
    result = captions(city, kel, post)
    assert len(result.instagram) <= 2200
    assert result.instagram.count("#") == 30
    assert result.instagram.endswith(" ".join(hashtags(city, kel, post)))
    assert city.url(post.url_path) in result.instagram
    assert len(result.tiktok.title) <= 90 and result.tiktok.title.endswith("…")
    assert len(result.tiktok.description) <= 4000
    assert "Ringkasan panjang sekali." in result.facebook


def test_lead_falls_back_to_the_first_paragraph_as_plain_text():
    from types import SimpleNamespace

    post = SimpleNamespace(summary=None, body="## Kegiatan\n\n![foto](a.jpg)\n\nWarga **RT 03** "
                           "membersihkan [sungai](https://x.example) bersama.\n\nParagraf kedua.")
    assert lead(post) == "Warga RT 03 membersihkan sungai bersama."
    assert shorten("satu dua tiga empat", 12) == "satu dua…"


def test_a_dash_never_starts_a_line(theme, book):
    from generator.cards.text import wrap

    font = book.get("judul", 60)
    width = round(font.getlength("Kerja Bakti")) + 4  # "— Warga" would start line two
    lines = wrap(font, "Kerja Bakti — Warga", width)
    assert not any(line.startswith(("—", "–")) for line in lines)
    assert " ".join(lines) == "Kerja Bakti — Warga"


@pytest.mark.parametrize("line", ["Kerja Bakti Jelang Musim Hujan — RW 05",
                                  "Senin, 16 November 2026", "Pelayanan KTP-el Keliling “Jemput Bola”"])
def test_words_drawn_from_rasterised_words_match_the_whole_line(book, line):
    """Cards draw each word once per size and paste it (most of a card's time was rasterising);
    the result must be what drawing the whole line gives, pixel for pixel."""
    font = book.get("judul", 56)
    whole, stamped = (Image.new("RGB", (1200, 120), (15, 92, 74)) for _ in range(2))
    ImageDraw.Draw(whole).text((48, 20), line, font=font, fill=(255, 255, 255), anchor="la")
    book.stamp(stamped, (48, 20), line, font, (255, 255, 255))
    assert ImageChops.difference(whole, stamped).getbbox() is None
    assert abs(measure(font, line) - font.getlength(line)) < 1
