"""Generated Markdown handed to mkdocs in memory instead of through a docs folder on disk.

Imported only when mkdocs runs (a build with nothing changed never loads mkdocs).
"""

from __future__ import annotations

import json
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page


class InMemoryDocs(BasePlugin):
    """A plugin adding the generated Markdown as mkdocs' own in-memory files (`File.generated`).

    Their front matter is ours (`generator.site.markup.front_matter`: a JSON value per line), so
    it is read here as JSON: mkdocs would parse each page's with pure-Python YAML.
    """

    def __init__(self, docs: dict[str, str]) -> None:
        self._docs = docs
        self._meta: dict[str, dict[str, Any]] = {}

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        for uri in sorted(self._docs, key=_walk_order):
            files.append(File.generated(config, uri, content=self._docs[uri]))
        return files

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        text = self._docs.get(page.file.src_uri)
        split = _front_matter(text) if text is not None else None
        if split is None:
            return None  # mkdocs reads the file and its front matter itself
        self._meta[page.file.src_uri], body = split
        return "\n" + body  # a blank first line: mkdocs looks for no other kind of metadata

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        meta = self._meta.pop(page.file.src_uri, None)
        if meta is not None:
            page.meta = meta
        return markdown


def _front_matter(text: str) -> tuple[dict[str, Any], str] | None:
    """(meta, body) of a document whose front matter is `key: <JSON>` lines; None otherwise."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    meta = {}
    for line in text[4:end + 1].splitlines():
        key, colon, value = line.partition(": ")
        if not colon or not key.isidentifier():
            return None
        try:
            meta[key] = json.loads(value)
        except ValueError:
            return None
    return meta, text[end + 5:].lstrip("\n")


def _walk_order(uri: str) -> tuple[tuple[int, bool, str], ...]:
    """Where mkdocs' walk of a docs folder would meet `uri` (a folder's files, index first, then
    its subfolders by name), so pages come in the same order (the sitemap lists them so)."""
    *folders, name = uri.split("/")
    stem = name.rsplit(".", 1)[0]
    return (*((1, False, folder) for folder in folders), (0, stem not in ("index", "README"), name))
