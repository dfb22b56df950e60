"""Links and pictures written inside a Markdown body that would be dead on the site.

Staff link to another page (`[Surat Domisili](../layanan/domisili.md)`) or put a picture or a
form in the text (`![Warga](media/x.jpg)`, `[Formulir](../media/f1.pdf)`). On the site the pages
are where the generator puts them and `media/` is not published as such (photos go through
`foto:`, forms through a service's `unduhan:`), so such a link was dead while `check` said
nothing and `build` printed mkdocs' English warning. Warnings, not errors: a dead link is
not wrong information.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from kelurahan.model import Kelurahan
from kelurahan.problems import Level, Problem

# `[text](target)` and `![alt](target "title")`; reference-style links are rare in staff text.
_LINK = re.compile(r'(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"\n]*")?\s*\)')
_OUTSIDE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#)")  # https:, mailto:, tel:, /, #


def body_link_problems(kel: Kelurahan) -> list[Problem]:
    """A warning for each link or picture in the profile, service and post bodies that would
    lead nowhere on the site, on the line it is written."""
    pages = {"index.md", "cari.md", "layanan/index.md", "kegiatan/index.md"}
    pages |= {f"layanan/{service.slug}.md" for service in kel.services}
    pages |= {f"kegiatan/{post.stem}.md" for post in kel.posts if post.publishable}
    documents = [(kel.folder / "profil.md", "index.md", kel.body)]
    documents += [(service.source, f"layanan/{service.slug}.md", service.body)
                  for service in kel.services]
    documents += [(post.source, f"kegiatan/{post.stem}.md", post.body) for post in kel.posts]
    problems = []
    for source, page, body in documents:
        for match in _LINK.finditer(body):
            reason = _dead(match.group(1) == "!", match.group(2), page, pages)
            if reason:
                problems.append(Problem(str(source), "isi", reason, _line(source, match.group(0)),
                                        level=Level.WARNING))
    return problems


def _dead(picture: bool, target: str, page: str, pages: set[str]) -> str | None:
    if _OUTSIDE.match(target):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    if picture:
        return (f"gambar {target} di dalam tulisan tidak tampil di situs; pasang foto lewat "
                "foto: di bagian atas berkas")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if resolved.endswith(".md"):
        if resolved in pages:
            return None
        return (f"tautan {target} tidak menuju halaman mana pun di situs (halamannya tidak ada "
                "atau masih draf); perbaiki atau hapus tautannya")
    if posixpath.splitext(path)[1]:
        return (f"berkas {target} tidak ikut ke situs; formulir dipasang lewat unduhan: di "
                "layanan, foto lewat foto:")
    return None  # a folder-style address (`../layanan/`): left to the site's own links


def _line(source: Path, written: str) -> int | None:
    """The line of the file where `written` first appears."""
    try:
        text = source.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    at = text.find(written)
    return text.count("\n", 0, at) + 1 if at >= 0 else None
