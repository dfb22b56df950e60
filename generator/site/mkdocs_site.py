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


def run_mkdocs(config_file: Path, docs: dict[str, str] | None = None,
               memo: Path | None = None) -> None:
    """A clean `mkdocs build` through the Python API (same result as the CLI, no new process).

    `docs` (path in the docs folder → Markdown) are handed to mkdocs in memory, as if they were
    files of its `docs_dir`: a city's first build would otherwise write and delete ~10,000
    Markdown files only for mkdocs to read them once. `memo`: where this site's pages' HTML is
    kept for the next build (`generator/site/mkdocs_markdown.py`).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.site.mkdocs_markdown import PageMemo, page_rendering
    from generator.site.mkdocs_memory import InMemoryDocs

    config = load_config(config_file=str(config_file))
    if docs:
        config.plugins["kelurahan-dokumen"] = InMemoryDocs(docs)
    pages = PageMemo(memo) if memo is not None else None
    config.plugins.on_startup(command="build", dirty=False)
    try:
        with page_rendering(pages):
            build(config, dirty=False)
    finally:
        config.plugins.on_shutdown()
    if pages is not None:
        log.debug("%d dari %d halaman dari memo", pages.hits, len(pages.used))
        pages.save()
