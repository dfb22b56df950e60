"""Photos already fitted to card boxes, kept by content for a while.

A photo several posts use (an office picture, one event posted by several kelurahan) is then
decoded and cropped once per process, not once per post: a build worker draws the cards of
many kelurahan in turn. Bounded by memory, oldest use dropped first.
"""

from __future__ import annotations

from collections import OrderedDict

from generator.cards.photo import FittedPhoto

KEPT_BYTES = 96 * 1024 * 1024  # a Facebook-only photo is ~1.2 MB, all three boxes ~6 MB

Key = tuple[str, tuple[int, int, int]]  # the photo's content digest, the background it is flattened on


class FittedPhotos:
    """A bounded memo of `FittedPhoto`s; a hit must cover every box asked for."""

    def __init__(self, limit_bytes: int = KEPT_BYTES) -> None:
        self._limit = limit_bytes
        self._kept: OrderedDict[Key, tuple[FittedPhoto, int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: Key, boxes: list[tuple[int, int]]) -> FittedPhoto | None:
        kept = self._kept.get(key)
        if kept is None or not all(box in kept[0].pictures for box in boxes):
            return None
        self._kept.move_to_end(key)
        return kept[0]

    def put(self, key: Key, fitted: FittedPhoto) -> None:
        size = sum(w * h * 3 for w, h in fitted.pictures)
        if key in self._kept:
            self._bytes -= self._kept.pop(key)[1]
        self._kept[key] = (fitted, size)
        self._bytes += size
        while self._bytes > self._limit and len(self._kept) > 1:
            self._bytes -= self._kept.popitem(last=False)[1][1]
