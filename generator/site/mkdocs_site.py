"""Run mkdocs for one kelurahan: a small config inheriting the root `mkdocs.yml`, then a clean build.

mkdocs keeps module-level state and is not thread-safe, so the pipeline calls this in separate
processes, one kelurahan at a time per process. Never `--dirty`: each build starts clean.
"""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from kelurahan.resources import resource

log = logging.getLogger(__name__)

THEME_DIR = "themes/site"


def write_docs(docs_dir: Path, docs: dict[str, str]) -> None:
    for relative, text in docs.items():
        path = docs_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def write_config(work_dir: Path, *, base_config: Path, site_name: str, site_url: str,
                 site_dir: Path, nav: list, extra: dict) -> Path:
    """`work_dir/mkdocs.yml`; everything not set here comes from the root `mkdocs.yml`."""
    config = {
        "INHERIT": str(base_config.resolve()),
        "site_name": site_name,
        "site_url": site_url,
        "docs_dir": str((work_dir / "docs").resolve()),
        "site_dir": str(site_dir.resolve()),
        "theme": {"name": "material", "custom_dir": str(resource(base_config.parent, THEME_DIR).resolve())},
        "nav": nav,
        "extra": extra,
        "hooks": [str(Path(__file__).with_name("mkdocs_hooks.py"))],
    }
    path = work_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def run_mkdocs(config_file: Path) -> None:
    """A clean `mkdocs build` through the Python API (same result as the CLI, no new process)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config, dirty=False)
    finally:
        config.plugins.on_shutdown()
