"""Generated HTML goes into the page as it is, without Python-Markdown parsing it.

List pages, figures, tables and links are written by the generator as HTML already; Markdown
would only pass them through, after running two HTML parsers over each block (mkdocs' and its
own): most of a site's mkdocs time. Fenced with `fence`, a block is stashed the way Markdown
stashes raw HTML, unparsed. Staff-written Markdown is never fenced. Without this extension
(a plain `mkdocs build` of the same documents) the fences are comments and the page the same.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

OPEN, CLOSE = "<!--kd:html-->", "<!--/kd:html-->"
_FENCED = re.compile(re.escape(OPEN) + r"\n(.*?)\n" + re.escape(CLOSE), re.DOTALL)


def fence(html: str) -> str:
    """Mark generated HTML so Markdown copies it instead of parsing it."""
    return f"{OPEN}\n{html}\n{CLOSE}"


class RawHtmlExtension(Extension):
    """Registered by the site's mkdocs hook (`on_config`)."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30), before mkdocs' (21) and Markdown's (20) HTML parsers.
        md.preprocessors.register(_Stash(md), "kd_raw_html", 25)


class _Stash(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if OPEN not in text:
            return lines
        stash = self.md.htmlStash
        return _FENCED.sub(lambda m: f"\n\n{stash.store(m.group(1))}\n\n", text).split("\n")
