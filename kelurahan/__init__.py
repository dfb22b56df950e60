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
    from kelurahan.loading import FolderMap, Loaded, load
    from kelurahan.model import CHANNELS, City, Kelurahan, Photo, Post, Service
    from kelurahan.photos import PhotoChecks
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
    "Post", "Problem", "Service", "check", "load", "load_valid", "passed",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'kelurahan' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def check(content_dir: Path, *, photos: PhotoChecks | None = None,
          local_site: bool | None = None, only: Iterable[str] | None = None,
          map_folders: FolderMap | None = None) -> Loaded:
    """Load and validate; the result holds the city and every problem, errors and warnings.

    With `photos`, every photo is opened too (`kelurahan check`); `build` copes with a broken
    photo itself (the post goes out without it), so it does not pay for that here.
    `local_site` allows an http/loopback/private `alamat_situs` (warning, not error); None
    reads KELURAHAN_LOCAL_SITE from the environment. With `only`, just those kelurahan.
    `map_folders`: how the kelurahan folders are read (`kelurahan.loading.load`).
    """
    from kelurahan.loading import load
    from kelurahan.validation import site_url_problems, validate
    from kelurahan.yamlfile import locate

    loaded = load(content_dir, only=only, map_folders=map_folders)
    loaded.problems.extend(validate(loaded.kelurahan))
    if loaded.city is not None:
        if local_site is None:
            from kelurahan.settings import Settings

            local_site = Settings.from_environment().local_site
        loaded.problems.extend(site_url_problems(loaded.city, local_ok=local_site))
    if photos is not None:
        from kelurahan.photos import photo_problems

        loaded.problems.extend(photo_problems(loaded.kelurahan, photos))
    loaded.problems[:] = locate(loaded.problems)
    return loaded


def load_valid(content_dir: Path, *, strict: bool = False,
               only: Iterable[str] | None = None) -> City:
    """The city (only the kelurahan in `only`, if given), or ContentError with every problem."""
    city = passed(check(content_dir, only=only), strict=strict).city
    assert city is not None  # passed() refuses a city that did not load
    return city


def passed(loaded: Loaded, *, strict: bool = False) -> Loaded:
    """`loaded` when it has no errors (and no warnings if strict); ContentError otherwise."""
    from kelurahan.errors import ContentError

    failing = [p for p in loaded.problems if p.is_error or strict]
    if failing or loaded.city is None:
        raise ContentError(failing)
    return loaded
