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

from PIL import ImageFont

ELLIPSIS = "…"
_PROBE_SIZE = 40
_NOT_A_CHARACTER = "\U0010fffd"  # private use: every font draws its "missing glyph" box here
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"}


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


class FontBook:
    """The theme's fonts by role, each file read once and each size loaded once per run."""

    def __init__(self, fonts: dict[str, Path]) -> None:
        self._data = {role: path.read_bytes() for role, path in fonts.items()}
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}
        self._covered: dict[tuple[str, str], bool] = {}
        self._missing = {role: self._glyph(role, _NOT_A_CHARACTER) for role in self._data}

    def get(self, role: str, size: int) -> ImageFont.FreeTypeFont:
        key = (role, size)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(
                io.BytesIO(self._data[role]), size, layout_engine=ImageFont.Layout.BASIC)
        return self._fonts[key]

    def printable(self, role: str, text: str) -> str:
        """`text` with every character this font cannot draw removed, spaces tidied."""
        text = unicodedata.normalize("NFC", text)
        kept = "".join(ch for ch in text if self._has(role, ch))
        return re.sub(r"\s+", " ", kept).strip()

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


def fit_block(book: FontBook, role: str, text: str, box_size: tuple[int, int],
              sizes: tuple[int, int], *, spacing: float = 1.12, step: int = 2) -> TextBlock:
    """Largest size from `sizes` (max, min) at which the wrapped text fits; "…" only at the minimum."""
    width, height = box_size
    largest, smallest = sizes
    for size in range(largest, smallest - 1, -step):
        block = _block(book.get(role, size), wrap(book.get(role, size), text, width), spacing)
        if block.height <= height:
            return block
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
    for candidate in range(size, smallest - 1, -1):
        font = book.get(role, candidate)
        if font.getlength(text) <= width:
            return _block(font, [text], 1.0)
    font = book.get(role, smallest)
    return TextBlock((ellipsize(font, text, width),), font, smallest, shortened=True)


def wrap(font: ImageFont.FreeTypeFont, text: str, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the box is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while font.getlength(current) > width and len(current) > 1:
            cut = _longest_prefix(font, current, width)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def ellipsize(font: ImageFont.FreeTypeFont, text: str, width: int) -> str:
    """`text` cut at a word boundary where possible so that `text…` fits `width`."""
    if font.getlength(text) <= width:
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
        if font.getlength(text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _block(font: ImageFont.FreeTypeFont, lines: list[str], spacing: float) -> TextBlock:
    return TextBlock(tuple(lines), font, round(font.size * spacing), shortened=False)
