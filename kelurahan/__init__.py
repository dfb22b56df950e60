"""Kelurahan Digital: the content model, its loading and validation.

`load(content_dir)` reads files into a typed `City` and collects problems; `validate(kelurahan)` adds
the checks across files; `check` runs both; `load_valid` is what `build` and `publish` call.
"""

from __future__ import annotations

from pathlib import Path

from kelurahan.errors import ContentError, KelurahanError
from kelurahan.loading import Loaded, load
from kelurahan.model import CHANNELS, City, Kelurahan, Photo, Post, Service
from kelurahan.problems import Level, Problem
from kelurahan.validation import site_url_problems, validate

__all__ = [
    "CHANNELS", "City", "ContentError", "Kelurahan", "KelurahanError", "Level", "Loaded", "Photo",
    "Post", "Problem", "Service", "check", "load", "load_valid", "validate",
]


def check(content_dir: Path, *, local_site: bool | None = None) -> Loaded:
    """Load and validate; the result holds the city and every problem, errors and warnings.

    `local_site` allows an http/loopback/private `alamat_situs` (warning, not error); None
    reads KELURAHAN_LOCAL_SITE from the environment.
    """
    loaded = load(content_dir)
    loaded.problems.extend(validate(loaded.kelurahan))
    if loaded.city is not None:
        if local_site is None:
            from kelurahan.settings import Settings

            local_site = Settings.from_environment().local_site
        loaded.problems.extend(site_url_problems(loaded.city, local_ok=local_site))
    return loaded


def load_valid(content_dir: Path, *, strict: bool = False) -> City:
    """The city, or ContentError with every problem when anything is wrong."""
    loaded = check(content_dir)
    failing = [p for p in loaded.problems if p.is_error or strict]
    if failing or loaded.city is None:
        raise ContentError(failing)
    return loaded.city
