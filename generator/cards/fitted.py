"""Photos already fitted to card boxes, kept by content for a while.

A photo several posts use (an office picture, one event posted by several kelurahan) is then
decoded and cropped once per process, not once per post: a build worker draws the cards of
many kelurahan in turn. Bounded by memory, oldest use dropped first.
"""

from __future__ import annotations

from generator.cards.memo import BoundedMemo
from generator.cards.photo import FittedPhoto

KEPT_BYTES = 96 * 1024 * 1024  # a Facebook-only photo is ~1.2 MB, all three boxes ~6 MB

Key = tuple[str, tuple[int, int, int]]  # the photo's content digest, the background it is flattened on


class FittedPhotos:
    """A bounded memo of `FittedPhoto`s; a hit must cover every box asked for."""

    def __init__(self, limit_bytes: int = KEPT_BYTES) -> None:
        self._memo: BoundedMemo[Key, FittedPhoto] = BoundedMemo(limit_bytes)

    def get(self, key: Key, boxes: list[tuple[int, int]]) -> FittedPhoto | None:
        return self._memo.get(key, lambda kept: all(box in kept.pictures for box in boxes))

    def put(self, key: Key, fitted: FittedPhoto) -> None:
        self._memo.put(key, fitted, sum(w * h * 3 for w, h in fitted.pictures))
