"""The themes, fonts and base `mkdocs.yml` the product ships, and a city's own copies that win.

They ship inside the package (`kelurahan/data/`, which in the repository points at the top-level
`mkdocs.yml` and `themes/`), found with `importlib.resources`, so `pipx install` works from any
folder. A city that wants its own look keeps `mkdocs.yml` and/or `themes/` in the folder it runs
`kelurahan` from; whatever it does not have comes from the shipped copy, piece by piece.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def bundled_root() -> Path:
    """The shipped folder holding `mkdocs.yml` and `themes/`."""
    return Path(str(importlib.resources.files("kelurahan") / "data"))


def project_root(folder: Path | None = None) -> Path:
    """`folder` (default: the current one) if it has its own `mkdocs.yml` or `themes/`, else the shipped one."""
    here = folder or Path.cwd()
    if (here / "mkdocs.yml").is_file() or (here / "themes").is_dir():
        return here
    return bundled_root()


def resource(root: Path, relative: str) -> Path:
    """`root/relative` when the project has it, else the shipped one."""
    local = root / relative
    return local if local.exists() else bundled_root() / relative
