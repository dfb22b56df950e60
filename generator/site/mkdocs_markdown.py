"""How mkdocs turns each page's Markdown into HTML during one site build, made cheaper twice.

1. One Python-Markdown instance per site instead of one per page. mkdocs 1.6 makes a new
   `markdown.Markdown` for each page, loading every extension and building every processor
   again: 3% of a city's first build. A site's pages share their extensions, so one instance
   is reset between pages (`Markdown.reset`, as Python-Markdown documents for reuse); mkdocs
   then registers its per-page processors on it, replacing the last page's by name.
2. A page's HTML kept from the last build of the site (`PageMemo`), by the exact Markdown, page
   path and Markdown settings it was converted from. Adding one post changed nothing in the
   other pages' Markdown, yet converting them all again was a fifth of the build. Every page is
   still rendered through the theme and written from scratch (never `--dirty`): only the pure
   conversion is skipped. The one part of a conversion that depends on other pages, where
   each relative link points, is checked again against this build's files, so a page whose
   link target appeared or moved is converted again; mkdocs' link warnings are given again.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import markdown
import mkdocs
from mkdocs.structure import pages
from mkdocs.structure.toc import get_toc

from kelurahan.files import write_text_atomic

MEMO_VERSION = 1


class _ReusingModule:
    """Stands in for the `markdown` module inside `mkdocs.structure.pages` during one build."""

    def __init__(self) -> None:
        self._kept: tuple[object, markdown.Markdown] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(markdown, name)

    def Markdown(self, *, extensions: list, extension_configs: dict) -> markdown.Markdown:
        if self._kept is not None and self._kept[0] is extensions:
            return self._kept[1].reset()
        md = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
        self._kept = (extensions, md)
        return md

    def last(self) -> markdown.Markdown | None:
        """The instance that converted the last page (its `toc_tokens` are that page's)."""
        return self._kept[1] if self._kept else None


class PageMemo:
    """`path` (JSON): page key → what `Page.render` made. Only this build's pages are kept."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[str, dict] = {}
        self.used: dict[str, dict] = {}
        self.hits = 0
        self.converted = 0
        self._settings: str | None = None  # of the one site (one mkdocs config) it serves
        if path is not None:
            try:
                data = json.loads(path.read_text("utf-8"))
                if data.get("version") == MEMO_VERSION and isinstance(data["pages"], dict):
                    self._old = data["pages"]
            except (OSError, ValueError, TypeError, KeyError, AttributeError):
                pass  # none yet, or unreadable: every page is converted

    def save(self) -> None:
        """Best effort: without it the next build only converts every page again."""
        if self.path is None or (not self.converted and self.used.keys() == self._old.keys()):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path, json.dumps({"version": MEMO_VERSION, "pages": self.used},
                                                    ensure_ascii=False, separators=(",", ":")))
        except OSError as exc:
            logging.getLogger(__name__).warning("memo halaman tidak disimpan (%s)", exc)

    def render(self, page: pages.Page, config: Any, files: Any, convert: Callable[[], None],
               module: _ReusingModule) -> None:
        """`page`'s fields as `Page.render` sets them: from the memo, or by `convert()`."""
        if self._settings is None:
            self._settings = _settings(config)
        key = _key(page, self._settings)
        entry = self._old.get(key)
        if entry is not None and _replay(entry, page, config, files):
            self.hits += 1
        else:
            entry = _converted(page, convert, module)
            self.converted += 1
        self.used[key] = entry


def _settings(config: Any) -> str:
    """What every page's conversion in a site depends on: computed once per site build."""
    return repr((MEMO_VERSION, markdown.__version__, mkdocs.__version__,
                 [_extension(e) for e in config["markdown_extensions"]], config["mdx_configs"],
                 config["use_directory_urls"]))


def _key(page: pages.Page, settings: str) -> str:
    """Everything a page's conversion depends on except where its links point."""
    file = page.file
    where = repr((file.src_uri, file.dest_uri, file.url))
    return hashlib.sha256(f"{settings}\0{where}\0{page.markdown}".encode()).hexdigest()


def _extension(extension: object) -> str:
    """A Markdown extension by name, or by its class, settings and its module's code (ours)."""
    if isinstance(extension, str):
        return extension
    kind = type(extension)
    settings = sorted(getattr(extension, "getConfigs", dict)().items())
    return f"{kind.__module__}.{kind.__qualname__} {settings!r} {_code(inspect.getfile(kind))}"


@cache
def _code(module_file: str) -> str:
    """The hash of an extension's module: read once per process, not once per build."""
    return hashlib.sha256(Path(module_file).read_bytes()).hexdigest()


def _converted(page: pages.Page, convert: Callable[[], None], module: _ReusingModule) -> dict:
    """Convert for real, noting what each relative link became."""
    links: list[tuple[str, str]] = []
    original = pages._RelativePathTreeprocessor.path_to_url

    def noted(processor: pages._RelativePathTreeprocessor, url: str) -> str:
        result = original(processor, url)
        links.append((url, result))
        return result

    pages._RelativePathTreeprocessor.path_to_url = noted  # type: ignore[method-assign,assignment]
    try:
        convert()
    finally:
        pages._RelativePathTreeprocessor.path_to_url = original  # type: ignore[method-assign]
    md = module.last()
    return {"html": page.content, "toc": getattr(md, "toc_tokens", []) if md else [],
            "title": page._title_from_render, "anchors": sorted(page.present_anchor_ids or ()),
            "links": links}


def _replay(entry: dict, page: pages.Page, config: Any, files: Any) -> bool:
    """Set the page from `entry` if each link still points where it did; mkdocs' warnings about
    them are logged again. False (nothing set, nothing logged) when one changed."""
    try:
        links = [(str(url), str(result)) for url, result in entry["links"]]
        html, toc, title = str(entry["html"]), list(entry["toc"]), entry["title"]
        anchors = {str(anchor) for anchor in entry["anchors"]}
        table = get_toc(toc)
    except (KeyError, TypeError, ValueError):  # written by hand or by another version
        return False
    processor = pages._RelativePathTreeprocessor(page.file, files, config)
    held: list[logging.LogRecord] = []

    def hold(record: logging.LogRecord) -> bool:
        held.append(record)
        return False

    pages.log.addFilter(hold)  # mkdocs' logger for link warnings
    try:
        same = all(processor.path_to_url(url) == result for url, result in links)
    finally:
        pages.log.removeFilter(hold)
    if not same:
        return False
    for record in held:
        pages.log.handle(record)
    page.content, page.toc, page._title_from_render = html, table, title
    page.present_anchor_ids = anchors
    if pages.log.getEffectiveLevel() > logging.DEBUG:  # as `Page.render` does
        page.links_to_anchors = processor.links_to_anchors
    return True


@contextmanager
def page_rendering(memo: PageMemo | None = None) -> Iterator[None]:
    """Within the block mkdocs converts every page with one Markdown instance (per config), and
    takes a page's HTML from `memo` when its Markdown did not change."""
    module = _ReusingModule()
    original_module, original_render = pages.markdown, pages.Page.render

    def render(page: pages.Page, config: Any, files: Any) -> None:
        def convert() -> None:
            original_render(page, config, files)

        if memo is None:
            convert()
        else:
            memo.render(page, config, files, convert, module)

    pages.markdown = module
    pages.Page.render = render  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        pages.markdown = original_module
        pages.Page.render = original_render  # type: ignore[method-assign]
