"""Kelurahan Digital: the content model, its loading and validation.

`load(content_dir)` reads files into a typed `City` and collects problems; `validate(kelurahan)` adds
the checks across files; `check` runs both; `load_valid` is what `build` and `publish` call.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kelurahan.errors import ContentError, KelurahanError
from kelurahan.loading import Loaded, load
from kelurahan.model import CHANNELS, City, Kelurahan, Photo, Post, Service
from kelurahan.problems import Level, Problem
from kelurahan.validation import validate

__all__ = [
    "CHANNELS", "City", "ContentError", "Kelurahan", "KelurahanError", "Level", "Loaded", "Photo",
    "Post", "Problem", "Service", "check", "load", "load_valid", "validate",
]


def check(content_dir: Path, *, only: Iterable[str] | None = None) -> Loaded:
    """Load and validate; the result holds the city and every problem, errors and warnings."""
    loaded = load(content_dir, only=only)
    loaded.problems.extend(validate(loaded.kelurahan))
    return loaded


def load_valid(content_dir: Path, *, strict: bool = False,
               only: Iterable[str] | None = None) -> City:
    """The city (only the kelurahan in `only`, if given), or ContentError with every problem."""
    loaded = check(content_dir, only=only)
    failing = [p for p in loaded.problems if p.is_error or strict]
    if failing or loaded.city is None:
        raise ContentError(failing)
    return loaded.city
