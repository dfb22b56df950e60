"""Kelurahan Digital: the content model, its loading and validation.

`load(content_dir, only=…)` reads files into a typed `City` and collects problems;
`validate(kelurahan)` adds the checks across files; `check` runs both; `load_valid` is what
`build` and `publish` call. Names are imported on first use, so `kelurahan --help` (which
imports this package) does not pay for pydantic.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kelurahan.errors import ContentError, KelurahanError
    from kelurahan.loading import Loaded, load
    from kelurahan.model import CHANNELS, City, Kelurahan, Photo, Post, Service
    from kelurahan.problems import Level, Problem
    from kelurahan.validation import validate

_LAZY = {
    "ContentError": "kelurahan.errors", "KelurahanError": "kelurahan.errors",
    "Loaded": "kelurahan.loading", "load": "kelurahan.loading",
    "CHANNELS": "kelurahan.model", "City": "kelurahan.model", "Kelurahan": "kelurahan.model",
    "Photo": "kelurahan.model", "Post": "kelurahan.model", "Service": "kelurahan.model",
    "Level": "kelurahan.problems", "Problem": "kelurahan.problems",
    "validate": "kelurahan.validation",
}

__all__ = [
    "CHANNELS", "City", "ContentError", "Kelurahan", "KelurahanError", "Level", "Loaded", "Photo",
    "Post", "Problem", "Service", "check", "load", "load_valid", "validate",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'kelurahan' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def check(content_dir: Path, *, only: Iterable[str] | None = None) -> Loaded:
    """Load and validate; the result holds the city and every problem, errors and warnings."""
    from kelurahan.loading import load
    from kelurahan.validation import validate

    loaded = load(content_dir, only=only)
    loaded.problems.extend(validate(loaded.kelurahan))
    return loaded


def load_valid(content_dir: Path, *, strict: bool = False,
               only: Iterable[str] | None = None) -> City:
    """The city (only the kelurahan in `only`, if given), or ContentError with every problem."""
    from kelurahan.errors import ContentError

    loaded = check(content_dir, only=only)
    failing = [p for p in loaded.problems if p.is_error or strict]
    if failing or loaded.city is None:
        raise ContentError(failing)
    return loaded.city
