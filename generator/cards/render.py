"""Drawing one card at its final size from a layout, a photo (or the designed fallback) and text.

The result carries the boxes where text was actually drawn, so tests (and anyone curious) can
check the title never leaves the platform's safe zone.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field

from PIL import Image, ImageCms, ImageDraw

from generator.cards.photo import FittedPhoto, SourcePhoto, fill_box
from generator.cards.text import FontBook, TextBlock, fit_block, fit_line, measure
from generator.cards.theme import RGB, Box, ChannelLayout, Theme

MAX_BYTES = 1_000_000


def _stable_srgb() -> bytes:
    """The sRGB profile with a fixed creation date (ICC header bytes 24–35): lcms stamps the
    current time, so each process would write different bytes for the same card."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)
    return bytes(profile)


_SRGB_ICC = _stable_srgb()


@dataclass(frozen=True)
class CardText:
    """What a card says; the same for all three platforms."""

    title: str
    date: str
    name: str
    subline: str
    footer: str


@dataclass
class DrawnCard:
    """A rendered card and where its texts ended up (`[x, y, w, h]` of the ink)."""

    image: Image.Image
    text_boxes: dict[str, Box] = field(default_factory=dict)
    shortened: bool = False


@dataclass
class Artwork:
    """Images reused across cards of one kelurahan: logo, fallback backgrounds by size."""

    logo: Image.Image | None
    fallbacks: dict[tuple[int, int], Image.Image] = field(default_factory=dict)
    marks: dict[int, Image.Image] = field(default_factory=dict)
    templates: dict[tuple, tuple[Image.Image, dict[str, Box]]] = field(default_factory=dict)

    def mark(self, side: int) -> Image.Image | None:
        """The logo scaled to fit a `side`×`side` square, scaled once per size."""
        if self.logo is None:
            return None
        if side not in self.marks:
            mark = self.logo.copy()
            mark.thumbnail((side, side), Image.Resampling.LANCZOS)
            self.marks[side] = mark
        return self.marks[side]


def draw_card(layout: ChannelLayout, theme: Theme, book: FontBook, text: CardText,
              photo: SourcePhoto | FittedPhoto | None, art: Artwork) -> DrawnCard:
    """The card for one platform: the kelurahan's template, the photo, the title and date."""
    template, fixed_boxes = _template(layout, theme, book, text, art)
    canvas = template.copy()
    x, y, w, h = layout.photo
    picture = fill_box(photo, (w, h)) if photo is not None else _fallback(theme, book, art, (w, h), text)
    canvas.paste(picture, (x, y))
    card = DrawnCard(canvas, dict(fixed_boxes))
    title = fit_block(book, "judul", text.title, layout.title[2:], layout.title_sizes)
    card.text_boxes["judul"] = _draw_block(canvas, book, title, layout.title, theme.text)
    date = fit_line(book, "kepala", text.date, layout.date[2], layout.date_size)
    card.text_boxes["tanggal"] = _draw_block(canvas, book, date, layout.date, theme.text)
    card.shortened = title.shortened
    return card


def _template(layout: ChannelLayout, theme: Theme, book: FontBook, text: CardText,
              art: Artwork) -> tuple[Image.Image, dict[str, Box]]:
    """Background, panel, accent, header and footer: the same on every card of a kelurahan.

    The theme guarantees the photo box overlaps none of these, so pasting the photo later
    cannot hide them.
    """
    key = (layout.channel, layout.size, text.name, text.subline, text.footer)
    if key not in art.templates:
        canvas = Image.new("RGB", layout.size, theme.primary)
        draw = ImageDraw.Draw(canvas)
        draw.rectangle(_corners(layout.panel), fill=theme.primary)
        draw.rectangle(_corners(layout.accent), fill=theme.accent)
        card = DrawnCard(canvas)
        _draw_header(canvas, layout, theme, book, text, art.mark(layout.header[3]), card)
        footer = fit_line(book, "biasa", text.footer, layout.footer[2], layout.footer_size)
        card.text_boxes["kaki"] = _draw_block(canvas, book, footer, layout.footer, theme.text)
        art.templates[key] = (canvas, card.text_boxes)
    return art.templates[key]


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """Baseline sRGB JPEG without EXIF, stepping quality down until it is under 1 MB."""
    while True:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=False, icc_profile=_SRGB_ICC)
        if buffer.tell() < MAX_BYTES or quality <= 40:
            return buffer.getvalue()
        quality -= 10


def _draw_header(canvas: Image.Image, layout: ChannelLayout,
                 theme: Theme, book: FontBook, text: CardText, mark: Image.Image | None,
                 card: DrawnCard) -> None:
    """Logo (left or right, as the theme says) beside the kelurahan name and its district."""
    x, y, w, h = layout.header
    text_x, text_w = x, w
    if mark is not None:
        left = x if theme.logo_side == "kiri" else x + w - mark.width
        canvas.paste(mark, (left, y + (h - mark.height) // 2), mark)
        text_w = w - h - 20
        text_x = x + h + 20 if theme.logo_side == "kiri" else x
    name = fit_line(book, "kepala", text.name, text_w, layout.header_size)
    sub_size = max(10, round(layout.header_size * 0.72))
    sub = fit_line(book, "biasa", text.subline, text_w, sub_size)
    name_box = _draw_block(canvas, book, name, (text_x, y, text_w, h), theme.text)
    sub_top = y + name.height + 4
    if sub_top + sub.height <= y + h:
        sub_box = _draw_block(canvas, book, sub, (text_x, sub_top, text_w, h), theme.text)
        name_box = _union(name_box, sub_box)
    card.text_boxes["kepala"] = name_box


def _draw_block(canvas: Image.Image, book: FontBook, block: TextBlock, box: Box, colour: RGB) -> Box:
    """Draw the lines top-left in `box`; return the box they occupy (advance × ascent+descent)."""
    x, y = box[0], box[1]
    widest = 0.0
    for index, line in enumerate(block.lines):
        book.stamp(canvas, (x, y + index * block.line_height), line, block.font, colour)
        widest = max(widest, measure(block.font, line))
    return (x, y, round(widest), block.height) if block.lines else (x, y, 0, 0)


def _fallback(theme: Theme, book: FontBook, art: Artwork, size: tuple[int, int],
              text: CardText) -> Image.Image:
    """The designed picture for posts without a usable photo: gradient, rings, logo or initial."""
    if size not in art.fallbacks:
        art.fallbacks[size] = _draw_fallback(theme, book, art, size, text.name)
    return art.fallbacks[size]


def _draw_fallback(theme: Theme, book: FontBook, art: Artwork, size: tuple[int, int],
                   name: str) -> Image.Image:
    width, height = size
    dark = tuple(round(c * 0.55) for c in theme.primary)
    shade = Image.linear_gradient("L").resize(size)
    picture = Image.composite(Image.new("RGB", size, dark), Image.new("RGB", size, theme.primary), shade)
    draw = ImageDraw.Draw(picture)
    ring = max(6, min(size) // 60)
    for step in range(1, 6):
        radius = step * min(size) // 5
        draw.ellipse((width - radius, height - radius, width + radius, height + radius),
                     outline=theme.accent, width=ring)
    emblem = min(size) // 2
    centre = (width // 2 - emblem // 2, height // 2 - emblem // 2)
    draw.ellipse((*centre, centre[0] + emblem, centre[1] + emblem), fill=(255, 255, 255))
    mark = art.mark(emblem * 3 // 4)
    if mark is not None:
        picture.paste(mark, (width // 2 - mark.width // 2, height // 2 - mark.height // 2), mark)
    else:
        initial = (name.removeprefix("Kelurahan ").strip()[:1] or "K").upper()
        draw.text((width // 2, height // 2), initial, font=book.get("judul", emblem * 3 // 5),
                  fill=theme.primary, anchor="mm")
    return picture


def _corners(box: Box) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return (x, y, x + w - 1, y + h - 1)


def _union(a: Box, b: Box) -> Box:
    left, top = min(a[0], b[0]), min(a[1], b[1])
    right, bottom = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (left, top, right - left, bottom - top)
