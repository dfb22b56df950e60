"""Generated Markdown handed to mkdocs in memory instead of through a docs folder on disk.

Imported only when mkdocs runs (a build with nothing changed never loads mkdocs).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files


class InMemoryDocs(BasePlugin):
    """A plugin adding the generated Markdown as mkdocs' own in-memory files (`File.generated`)."""

    def __init__(self, docs: dict[str, str]) -> None:
        self._docs = docs

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        for uri in sorted(self._docs, key=_walk_order):
            files.append(File.generated(config, uri, content=self._docs[uri]))
        return files


def _walk_order(uri: str) -> tuple[tuple[int, bool, str], ...]:
    """Where mkdocs' walk of a docs folder would meet `uri` (a folder's files, index first, then
    its subfolders by name), so pages come in the same order (the sitemap lists them so)."""
    *folders, name = uri.split("/")
    stem = name.rsplit(".", 1)[0]
    return (*((1, False, folder) for folder in folders), (0, stem not in ("index", "README"), name))
