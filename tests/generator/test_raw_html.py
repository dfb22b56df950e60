"""Generated HTML is copied into pages unparsed; staff-written Markdown is still Markdown."""

from __future__ import annotations

import markdown

from generator.site.markup import Written, document
from generator.site.raw_html import CLOSE, OPEN, RawHtmlExtension

PARTS = ["# Judul", '<ul class="daftar">\n<li><a href="a/">A &amp; B</a></li>\n</ul>',
         Written("<b>Penting</b>: bawa **KTP asli** dan\n\n- KK\n- foto"),
         '<nav aria-label="Halaman"><ul><li><span aria-current="page">1</span></li></ul></nav>']


def _html(text: str, *extensions: object) -> str:
    body = text.split("---\n", 2)[2]
    return markdown.Markdown(extensions=["tables", *extensions]).convert(body)


def _lines(html: str) -> list[str]:
    """Without blank lines, and without the fences a plain Markdown keeps as comments."""
    return [line for line in html.splitlines() if line.strip() and line not in (OPEN, CLOSE)]


def test_fenced_html_is_the_same_page_as_plain_markdown_makes() -> None:
    page = document({"title": "Judul"}, PARTS)
    fast, plain = _html(page, RawHtmlExtension()), _html(page)
    assert _lines(fast) == _lines(plain)
    assert '<li><a href="a/">A &amp; B</a></li>' in fast
    assert "<strong>KTP asli</strong>" in fast and "<li>KK</li>" in fast  # staff text: Markdown


def test_staff_text_that_starts_with_a_tag_is_never_fenced() -> None:
    page = document({"title": "x"}, [Written("<b>Penting</b> **tebal**")])
    assert "kd:html" not in page
    assert "<strong>tebal</strong>" in _html(page, RawHtmlExtension())


def test_empty_parts_vanish_and_markdown_parts_stay_markdown() -> None:
    page = document({"title": "x"}, ["## Layanan", "", "Teks biasa"])
    assert page.endswith("## Layanan\n\nTeks biasa\n")
