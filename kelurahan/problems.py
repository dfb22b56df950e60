"""A problem found in the content: where, which field, what is wrong (in Indonesian)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One line of `kelurahan check` output: `path: field: message`."""

    path: str
    field: str
    message: str
    line: int | None = None
    level: Level = Level.ERROR

    def __str__(self) -> str:
        """Always one line: a key or value typed with a line break or control character shows
        escaped, so it cannot split a report or hide in it."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "peringatan: " if self.level is Level.WARNING else ""
        return f"{where}: {_visible(self.field)}: {prefix}{_visible(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR



def _visible(text: str) -> str:
    return text if text.isprintable() else repr(text)[1:-1]
