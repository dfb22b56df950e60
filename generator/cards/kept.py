"""What a process keeps between the kelurahan whose cards it draws in turn (a build worker
draws many): photos fitted to card boxes, and each set of fonts with the words it rasterised.

Titles of every kelurahan share most of their words, and every card repeats its month and
"Kecamatan", so rasterising them once per kelurahan instead of once per process was a tenth
of a city's first build.
"""

from __future__ import annotations

from pathlib import Path

from generator.cards.fitted import FittedPhotos
from generator.cards.memo import BoundedMemo
from generator.cards.text import STAMPS_KEPT_BYTES, FontBook

BOOKS_KEPT = 4  # themes with their own fonts; each book holds up to STAMPS_KEPT_BYTES of words


class Kept:
    """Fitted photos by content, font books by font files; both bounded by memory."""

    def __init__(self, photos: FittedPhotos | None = None) -> None:
        self.photos = photos or FittedPhotos()
        self._books: BoundedMemo[tuple[tuple[str, str], ...], FontBook] = BoundedMemo(
            BOOKS_KEPT * STAMPS_KEPT_BYTES)

    def book(self, fonts: dict[str, Path]) -> FontBook:
        """The book of these font files, loaded now or kept from an earlier kelurahan."""
        key = tuple(sorted((role, str(path)) for role, path in fonts.items()))
        book = self._books.get(key)
        if book is None:
            book = FontBook(fonts)
            self._books.put(key, book, STAMPS_KEPT_BYTES)
        return book
