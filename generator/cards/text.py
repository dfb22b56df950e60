"""Text on cards: fonts loaded once, characters the font lacks dropped, titles wrapped and shrunk.

Emoji and other glyphs missing from the bundled font are removed rather than drawn as
boxes (tofu); captions keep them, since the platforms draw emoji themselves.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from generator.cards.memo import BoundedMemo

ELLIPSIS = "…"
_PROBE_SIZE = 40
_NOT_A_CHARACTER = "\U0010fffd"  # private use: every font draws its "missing glyph" box here
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"}
STAMPS_KEPT_BYTES = 16 * 1024 * 1024  # a title word is ~20 KB of mask


@dataclass(frozen=True)
class TextBlock:
    """Lines fitted to a box at one font size; `shortened` when "…" had to be used."""

    lines: tuple[str, ...]
    font: ImageFont.FreeTypeFont
    line_height: int
    shortened: bool

    @property
    def height(self) -> int:
        ascent, descent = self.font.getmetrics()
        return (len(self.lines) - 1) * self.line_height + ascent + descent if self.lines else 0


class _Font(ImageFont.FreeTypeFont):
    """A font that remembers the width of what it measured: titles are fitted by trying sizes
    and wrapping, which measures the same words and lines over and over."""

    def __init__(self, data: bytes, size: int) -> None:
        super().__init__(io.BytesIO(data), size, layout_engine=ImageFont.Layout.BASIC)
        self._lengths: dict[str, float] = {}

    def getlength(self, text: Any, *args: Any, **kwargs: Any) -> float:
        if args or kwargs or not isinstance(text, str):
            return super().getlength(text, *args, **kwargs)
        length = self._lengths.get(text)
        if length is None:
            length = self._lengths[text] = super().getlength(text)
        return length


@dataclass(frozen=True)
class _Stamp:
    """One word rasterised once: its coverage mask and where the mask sits from the pen."""

    mask: Image.Image
    offset: tuple[int, int]


class FontBook:
    """The theme's fonts by role, each file read once and each size loaded once per run; words
    rasterised once (`stamp`)."""

    def __init__(self, fonts: dict[str, Path]) -> None:
        self._data = {role: path.read_bytes() for role, path in fonts.items()}
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}
        self._covered: dict[tuple[str, str], bool] = {}
        self._printable: dict[tuple[str, str], str] = {}
        self._missing = {role: self._glyph(role, _NOT_A_CHARACTER) for role in self._data}
        self._stamps: BoundedMemo[tuple[int, str], _Stamp] = BoundedMemo(STAMPS_KEPT_BYTES)

    def get(self, role: str, size: int) -> ImageFont.FreeTypeFont:
        key = (role, size)
        if key not in self._fonts:
            self._fonts[key] = _Font(self._data[role], size)
        return self._fonts[key]

    def stamp(self, canvas: Image.Image, pen: tuple[int, int], line: str,
              font: ImageFont.FreeTypeFont, colour: tuple[int, int, int]) -> None:
        """Draw `line` with its top-left at `pen`, word by word from rasterised words.

        Rasterising is most of a card's drawing time and titles of one kelurahan share most of
        their words (and every date its month), so each word is rasterised once per size. Words
        sit at the advances `measure` adds up.
        """
        x, y = float(pen[0]), pen[1]
        space = font.getlength(" ")
        for word in line.split(" "):
            if word:
                stamp = self._stamp(font, word)
                canvas.paste(colour, (round(x) + stamp.offset[0], y + stamp.offset[1]), stamp.mask)
            x += font.getlength(word) + space

    def _stamp(self, font: ImageFont.FreeTypeFont, word: str) -> _Stamp:
        key = (id(font), word)  # fonts live as long as this book (`get`)
        stamp = self._stamps.get(key)
        if stamp is None:
            left, top, right, bottom = (int(edge) for edge in font.getbbox(word, anchor="la"))
            mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
            ImageDraw.Draw(mask).text((-left, -top), word, fill=255, font=font, anchor="la")
            stamp = _Stamp(mask, (left, top))
            self._stamps.put(key, stamp, mask.width * mask.height)
        return stamp

    def printable(self, role: str, text: str) -> str:
        """`text` with every character this font cannot draw removed, spaces tidied (remembered:
        every card of a kelurahan repeats its name, district and address)."""
        key = (role, text)
        if key not in self._printable:
            normal = unicodedata.normalize("NFC", text)
            kept = "".join(ch for ch in normal if self._has(role, ch))
            self._printable[key] = re.sub(r"\s+", " ", kept).strip()
        return self._printable[key]

    def _has(self, role: str, ch: str) -> bool:
        if ch.isspace():
            return True
        if unicodedata.category(ch) in _DROPPED_CATEGORIES:
            return False
        key = (role, ch)
        if key not in self._covered:
            self._covered[key] = self._glyph(role, ch) != self._missing[role]
        return self._covered[key]

    def _glyph(self, role: str, ch: str) -> tuple[tuple[int, int], bytes]:
        mask = self.get(role, _PROBE_SIZE).getmask(ch)
        return mask.size, bytes(mask)


def measure(font: ImageFont.FreeTypeFont, line: str) -> float:
    """The width `FontBook.stamp` draws `line` at: its words' advances and the spaces between.

    Words are measured once each per size (a whole line would load and hint every glyph
    again); kerning across a space is left out, in measuring as in drawing.
    """
    words = line.split(" ")
    return sum(font.getlength(word) for word in words) + font.getlength(" ") * (len(words) - 1)


def fit_block(book: FontBook, role: str, text: str, box_size: tuple[int, int],
              sizes: tuple[int, int], *, spacing: float = 1.12, step: int = 2) -> TextBlock:
    """Largest size from `sizes` (max, min) at which the wrapped text fits; "…" only at the minimum."""
    width, height = box_size
    largest, smallest = sizes
    candidates = list(range(smallest, largest + 1, step))
    if candidates[-1] != largest:
        candidates.append(largest)
    best = None
    low, high = 0, len(candidates) - 1
    while low <= high:  # bigger text needs more room, so the sizes that fit form a prefix
        middle = (low + high) // 2
        font = book.get(role, candidates[middle])
        block = _block(font, wrap(font, text, width), spacing)
        if block.height <= height:
            best, low = block, middle + 1
        else:
            high = middle - 1
    if best is not None:
        return best
    font = book.get(role, smallest)
    line_height = round(smallest * spacing)
    ascent, descent = font.getmetrics()
    room = max(1, 1 + (height - ascent - descent) // line_height)
    lines = wrap(font, text, width)
    if len(lines) <= room:
        return _block(font, lines, spacing)
    kept = [*lines[: room - 1], ellipsize(font, " ".join(lines[room - 1:]), width)]
    return TextBlock(tuple(kept), font, line_height, shortened=True)


def fit_line(book: FontBook, role: str, text: str, width: int, size: int,
             smallest: int | None = None) -> TextBlock:
    """One line: shrink to `smallest` (default 70% of size), then cut with "…"."""
    smallest = smallest or max(8, round(size * 0.7))
    measured = measure(book.get(role, size), text)
    candidate = size if measured <= width else int(size * width / measured)  # width ∝ size
    while candidate >= smallest:
        font = book.get(role, candidate)
        if candidate == size or measure(font, text) <= width:
            return _block(font, [text], 1.0)
        candidate -= 1
    font = book.get(role, smallest)
    return TextBlock((ellipsize(font, text, width),), font, smallest, shortened=True)


def wrap(font: ImageFont.FreeTypeFont, text: str, width: int) -> list[str]:
    """Greedy word wrap by `measure`; a word wider than the box is broken between characters."""
    words = _glue_dashes(text.split())
    space = font.getlength(" ")
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in words:
        size = measure(font, word)  # a glued "Bakti —" holds a space
        if current and used + space + size <= width:
            current.append(word)
            used += space + size
            continue
        if current:
            lines.append(" ".join(current))
        if size > width:
            pieces = _break_word(font, word, width)
            lines.extend(pieces[:-1])
            word, size = pieces[-1], measure(font, pieces[-1])
        current, used = [word], size
    if current:
        lines.append(" ".join(current))
    return lines


def _glue_dashes(words: list[str]) -> list[str]:
    """A lone dash stays at the end of its line (`Brûlée —`), never starts the next one."""
    glued: list[str] = []
    for word in words:
        if glued and word in ("—", "–", "-"):
            glued[-1] = f"{glued[-1]} {word}"
        else:
            glued.append(word)
    return glued


def _break_word(font: ImageFont.FreeTypeFont, word: str, width: int) -> list[str]:
    pieces = []
    while measure(font, word) > width and len(word) > 1:
        cut = _longest_prefix(font, word, width)
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


def ellipsize(font: ImageFont.FreeTypeFont, text: str, width: int) -> str:
    """`text` cut at a word boundary where possible so that `text…` fits `width`."""
    if measure(font, text) <= width:
        return text
    cut = _longest_prefix(font, text, width - font.getlength(ELLIPSIS))
    head = text[:cut]
    if " " in head.strip() and cut < len(text) and text[cut] != " ":
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,.;:-–") + ELLIPSIS


def _longest_prefix(font: ImageFont.FreeTypeFont, text: str, width: float) -> int:
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(font, text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _block(font: ImageFont.FreeTypeFont, lines: list[str], spacing: float) -> TextBlock:
    return TextBlock(tuple(lines), font, round(font.size * spacing), shortened=False)
