"""One Python-Markdown instance for every page of a site build, instead of one per page.

mkdocs 1.6 makes a new `markdown.Markdown` for each page, loading every extension and building
every processor again: 3% of a city's first build. A site's pages share their extensions, so
one instance is reset between pages (`Markdown.reset`, as Python-Markdown documents for reuse);
mkdocs then registers its per-page processors on it, replacing the last page's by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import markdown
from mkdocs.structure import pages


class _ReusingModule:
    """Stands in for the `markdown` module inside `mkdocs.structure.pages` during one build."""

    def __init__(self) -> None:
        self._kept: tuple[object, markdown.Markdown] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(markdown, name)

    def Markdown(self, *, extensions: list, extension_configs: dict) -> markdown.Markdown:  # noqa: N802
        if self._kept is not None and self._kept[0] is extensions:
            return self._kept[1].reset()
        md = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
        self._kept = (extensions, md)
        return md


@contextmanager
def reused_markdown() -> Iterator[None]:
    """Within the block mkdocs renders every page with one Markdown instance (per config)."""
    original = pages.markdown
    pages.markdown = _ReusingModule()
    try:
        yield
    finally:
        pages.markdown = original
