"""Small helpers to put staff-written text safely into generated Markdown and HTML."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping

from generator.site.raw_html import fence


def esc(text: object) -> str:
    """Text for HTML (and for Markdown, where raw HTML passes through)."""
    return html.escape(str(text), quote=True)


def front_matter(meta: Mapping[str, object], body: str) -> str:
    """A Markdown document with front matter mkdocs puts into `page.meta`.

    Each value is written as JSON, which is valid YAML and much faster to produce than a dump.
    """
    head = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    return f"---\n{head}---\n\n{body.rstrip()}\n"


class Written(str):
    """Text staff wrote in Markdown (a post, a service, the profile): always left to Markdown."""


def document(meta: Mapping[str, object], parts: Iterable[str]) -> str:
    """A page from its parts in order: generated HTML (a part starting with `<`) is fenced so
    Markdown copies it unparsed; headings and `Written` text are Markdown. Empty parts vanish."""
    blocks = [fence(part) if part.startswith("<") and not isinstance(part, Written) else part
              for part in parts if part]
    return front_matter(meta, "\n\n".join(blocks))


def link_list(items: Iterable[tuple[str, str, str]]) -> str:
    """`<ul>` of (href, title, note) as HTML, so titles with Markdown characters stay literal."""
    rows = [
        f'<li><a href="{esc(href)}">{esc(title)}</a>' + (f"<br><small>{esc(note)}</small>" if note else "")
        + "</li>"
        for href, title, note in items
    ]
    return '<ul class="daftar">\n' + "\n".join(rows) + "\n</ul>" if rows else ""
