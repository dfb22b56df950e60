"""Load and validate only the kelurahan that changed, for a fast incremental build.

The loader reads a whole content folder; for one new post in one of 59 kelurahan that is
most of the build. So it is given a view: a folder holding `kota.yml` and the changed
kelurahan folders as symbolic links. Problems are reported with the real paths. The checks
across kelurahan (unique name, unique bot number) compare against the stored records of the
unchanged ones, which were valid when they were built and have not changed since.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from kelurahan.errors import ContentError
from kelurahan.model import City, Kelurahan
from kelurahan.problems import Problem
from kelurahan.validation import Identity, identity_clashes

from generator.incremental import SiteRecord


def load_changed(content_dir: Path, slugs: list[str], others: dict[str, SiteRecord],
                 work_dir: Path) -> tuple[City, list[Problem]]:
    """A validated City with only `slugs`, and its warnings; ContentError (every problem) like
    `load_valid`.

    The model's paths point into the view, so the caller removes `work_dir` after the build.
    """
    from kelurahan import check

    view = work_dir / "konten"
    shutil.rmtree(view, ignore_errors=True)
    view.mkdir(parents=True)
    (view / "kota.yml").symlink_to((content_dir / "kota.yml").resolve())
    for slug in slugs:
        (view / slug).symlink_to((content_dir / slug).resolve(), target_is_directory=True)
    loaded = check(view)
    problems = [_real_path(p, view, content_dir) for p in loaded.problems]
    problems += clashes(loaded.kelurahan, others, content_dir)
    failing = [p for p in problems if p.is_error]
    if failing or loaded.city is None:
        raise ContentError(failing)
    return loaded.city, problems


def _real_path(problem: Problem, view: Path, content_dir: Path) -> Problem:
    return dataclasses.replace(problem, path=real_paths(problem.path, view.parent, content_dir))


def real_paths(text: str, work_dir: Path, content_dir: Path) -> str:
    """A message about a file in the view, naming the file the user edits instead."""
    view = work_dir / "konten"
    for form in {str(view.resolve()), str(view)}:
        text = text.replace(form, str(content_dir))
    return text


def clashes(loaded: tuple[Kelurahan, ...], others: dict[str, SiteRecord],
            content_dir: Path) -> list[Problem]:
    """What `kelurahan.validate` checks across kelurahan, against the unchanged ones."""
    known = [Identity(content_dir / slug / "profil.md", record.name, record.phone_id,
                      tuple(record.staff))
             for slug, record in others.items()]
    # Each changed one last, so a clash is reported on it (the unchanged ones were valid).
    return [problem for kel in loaded for problem in identity_clashes(
        [*known, Identity.of(kel, content_dir / kel.slug / "profil.md")])]
