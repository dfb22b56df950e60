"""A memo bounded by memory: values by key, the least recently used dropped first once the sizes
given with them add up to more than the limit (the newest is always kept)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """What a card run keeps between posts (fitted photos, rasterised words)."""

    def __init__(self, limit_bytes: int) -> None:
        self._limit = limit_bytes
        self._kept: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: K, usable: Callable[[V], bool] | None = None) -> V | None:
        """The value kept for `key` (and counted as used), unless `usable` turns it down."""
        kept = self._kept.get(key)
        if kept is None or (usable is not None and not usable(kept[0])):
            return None
        self._kept.move_to_end(key)
        return kept[0]

    def put(self, key: K, value: V, size: int) -> None:
        if key in self._kept:
            self._bytes -= self._kept.pop(key)[1]
        self._kept[key] = (value, size)
        self._bytes += size
        while self._bytes > self._limit and len(self._kept) > 1:
            self._bytes -= self._kept.popitem(last=False)[1][1]
