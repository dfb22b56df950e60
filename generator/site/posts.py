"""Markdown documents for `kegiatan/`: every published post, newest first, by month and category.

The list is paged (20 a page, numbered pages) with a 160 px thumbnail per post; each post links
its neighbours and offers plain share links (no SDK, no third-party script).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from urllib.parse import quote

from generator.site.images import PHOTO_DIR, Rendition, img_tag, thumbnail_tag
from generator.site.markup import Written, document, esc, link_list
from generator.site.pages import rel
from kelurahan.dates import long_date, month_year, short_date
from kelurahan.model import City, Kelurahan, Photo, Post
from kelurahan.slugs import slugify

# The resized copies of each photo of a post that could be read, with the photo itself.
Photos = Callable[[Post], list[tuple[list[Rendition], Photo]]]
PER_PAGE = 20


def post_pages(city: City, kel: Kelurahan, posts: list[Post], photos: Photos) -> dict[str, str]:
    """Paged index, one page per post, monthly archive and categories; `posts` newest first."""
    docs = _index_pages(kel, posts, photos)
    for i, post in enumerate(posts):
        newer = posts[i - 1] if i > 0 else None
        older = posts[i + 1] if i + 1 < len(posts) else None
        docs[f"kegiatan/{post.stem}.md"] = _post_page(city, kel, post, photos(post), (newer, older))
    docs.update(_archive(posts))
    docs.update(_categories(posts))
    return docs


def page_dir(number: int) -> str:
    """`kegiatan/` for the first page, `kegiatan/halaman/2/` for the next ones."""
    return "kegiatan/" if number == 1 else f"kegiatan/halaman/{number}/"


def _items(posts: list[Post], from_dir: str) -> list[tuple[str, str, str]]:
    return [(rel(from_dir, f"kegiatan/{p.stem}/"), p.title,
             f"{short_date(p.date)}" + (f" — {p.summary}" if p.summary else "")) for p in posts]


def _index_pages(kel: Kelurahan, posts: list[Post], photos: Photos) -> dict[str, str]:
    chunks = [posts[i:i + PER_PAGE] for i in range(0, len(posts), PER_PAGE)] or [[]]
    docs = {}
    for number, chunk in enumerate(chunks, start=1):
        here = page_dir(number)
        links = (f'<p><a href="{rel(here, "kegiatan/arsip/")}">Arsip per bulan</a> · '
                 f'<a href="{rel(here, "kegiatan/kategori/")}">Kategori</a> · '
                 f'<a href="{rel(here, "feed.xml")}">RSS</a></p>')
        rows = "\n".join(_list_row(post, here, photos(post)) for post in chunk)
        body = f'<ul class="daftar">\n{rows}\n</ul>' if rows else "<p>Belum ada kegiatan.</p>"
        title = "Kegiatan" if number == 1 else f"Kegiatan, halaman {number}"
        docs[f"{here}index.md"] = document(
            {"title": title, "description": f"Kegiatan terbaru Kelurahan {kel.name}"},
            [f"# {title}", links, body, _pager(number, len(chunks), here)])
    return docs


def _list_row(post: Post, here: str, photos: list[tuple[list[Rendition], Photo]]) -> str:
    thumb = thumbnail_tag(photos[0][0], rel(here, f"{PHOTO_DIR}/")) if photos else ""
    category = f" · {esc(', '.join(post.categories))}" if post.categories else ""
    return (f'<li class="pos">{thumb}<div><a href="{rel(here, f"kegiatan/{post.stem}/")}">'
            f"{esc(post.title)}</a><br><small><time datetime=\"{post.date.isoformat()}\">"
            f"{short_date(post.date)}</time>{category}</small></div></li>")


def _pager(number: int, count: int, here: str) -> str:
    """Numbered pages; the current one is not a link."""
    if count < 2:
        return ""
    cells = [f'<li><span aria-current="page">{n}</span></li>' if n == number else
             f'<li><a href="{rel(here, page_dir(n))}" aria-label="Halaman {n}">{n}</a></li>'
             for n in range(1, count + 1)]
    return '<nav aria-label="Halaman kegiatan"><ul class="halaman">' + "".join(cells) + "</ul></nav>"


def _post_page(city: City, kel: Kelurahan, post: Post, photos: list[tuple[list[Rendition], Photo]],
               neighbours: tuple[Post | None, Post | None]) -> str:
    here = f"kegiatan/{post.stem}/"
    prefix = rel(here, f"{PHOTO_DIR}/")
    figures = [_figure(r, prefix, photo.caption, post.title) for r, photo in photos]
    categories = " · ".join(
        f'<a href="{rel(here, "kegiatan/kategori/")}#{slugify(c, fallback="lainnya")}">{esc(c)}</a>'
        for c in post.categories)
    parts = [f"# {esc(post.title)}",
             f'<p class="kecil" data-pagefind-ignore><time datetime="{post.date.isoformat()}">'
             f"{long_date(post.date)}</time>" + (f" · {categories}" if categories else "") + "</p>",
             figures[0] if figures else "", Written(post.body), *figures[1:],
             _share(city.url(post.url_path), post.title), _neighbours(here, neighbours),
             f'<p><a href="{rel(here, "kegiatan/")}">Semua kegiatan</a></p>']
    summary = post.summary or f"{post.title} — Kelurahan {kel.name}"
    meta = {"title": post.title, "description": summary, "pagefind": True,
            "og_type": "article", "og_url": city.url(post.url_path),
            "og_image": city.url(post.card_path("facebook")),
            "lastmod": post.publish_at.date().isoformat()}  # the sitemap's, in the city's day
    return document(meta, parts)


def _figure(renditions: list[Rendition], prefix: str, caption: str | None, title: str) -> str:
    """A photo; its `alt` is the caption when staff wrote one, else the post's title."""
    image = img_tag(renditions, prefix, caption or title)
    shown = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f"<figure>{image}{shown}</figure>"


def _share(url: str, title: str) -> str:
    """Share links as plain URLs: no Facebook SDK, nothing loads until the resident taps."""
    whatsapp = "https://wa.me/?text=" + quote(f"{title} {url}")
    facebook = "https://www.facebook.com/sharer/sharer.php?u=" + quote(url, safe="")
    return (f'<p class="bagikan" data-pagefind-ignore>Bagikan: <a href="{esc(whatsapp)}">WhatsApp</a>'
            f' <a href="{esc(facebook)}">Facebook</a></p>')


def _neighbours(here: str, neighbours: tuple[Post | None, Post | None]) -> str:
    newer, older = neighbours
    cells = []
    if older:
        cells.append(f'<li><a href="{rel(here, f"kegiatan/{older.stem}/")}" rel="prev">'
                     f"← Sebelumnya: {esc(older.title)}</a></li>")
    if newer:
        cells.append(f'<li><a href="{rel(here, f"kegiatan/{newer.stem}/")}" rel="next">'
                     f"Berikutnya: {esc(newer.title)} →</a></li>")
    if not cells:
        return ""
    return ('<nav aria-label="Kegiatan lain" data-pagefind-ignore><ul class="berikut">'
            + "".join(cells) + "</ul></nav>")


def _archive(posts: list[Post]) -> dict[str, str]:
    """One page, a section per month (fewer pages: each one costs build time on 59 sites)."""
    here = "kegiatan/arsip/"
    months: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        months[post.date.strftime("%Y-%m")].append(post)
    index = [(f"#{key}", month_year(items[0].date), f"{len(items)} kegiatan")
             for key, items in months.items()]
    sections = [f'<h2 id="{key}">{month_year(items[0].date)}</h2>\n' + link_list(_items(items, here))
                for key, items in months.items()]
    return {"kegiatan/arsip/index.md": document(
        {"title": "Arsip kegiatan"},
        ["# Arsip kegiatan", link_list(index) or "<p>Belum ada kegiatan.</p>", *sections])}


def _categories(posts: list[Post]) -> dict[str, str]:
    """One page, a section per category."""
    here = "kegiatan/kategori/"
    groups: dict[str, list[Post]] = defaultdict(list)
    names: dict[str, str] = {}
    for post in posts:
        for category in post.categories:
            groups[slugify(category, fallback="lainnya")].append(post)
            names.setdefault(slugify(category, fallback="lainnya"), category)
    index = [(f"#{key}", names[key], f"{len(groups[key])} kegiatan") for key in sorted(groups)]
    sections = [f'<h2 id="{key}">{esc(names[key])}</h2>\n' + link_list(_items(groups[key], here))
                for key in sorted(groups)]
    return {"kegiatan/kategori/index.md": document(
        {"title": "Kategori kegiatan"},
        ["# Kategori kegiatan", link_list(index) or "<p>Belum ada kategori.</p>", *sections])}
