"""Markdown documents for `kegiatan/`: every published post, newest first, by month and category."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from generator.site.images import PHOTO_DIR, Rendition, img_tag
from generator.site.markup import esc, front_matter, link_list
from generator.site.pages import rel
from kelurahan.dates import long_date, month_year, short_date
from kelurahan.model import City, Kelurahan, Post
from kelurahan.slugs import slugify

Photos = Callable[[Post], list[list[Rendition]]]


def post_pages(city: City, kel: Kelurahan, posts: list[Post], photos: Photos) -> dict[str, str]:
    """Index, one page per post, monthly archive and categories; `posts` newest first."""
    docs = {"kegiatan/index.md": _index(kel, posts)}
    for post in posts:
        docs[f"kegiatan/{post.stem}.md"] = _post_page(city, kel, post, photos(post))
    docs.update(_archive(posts))
    docs.update(_categories(posts))
    return docs


def _items(posts: list[Post], from_dir: str) -> list[tuple[str, str, str]]:
    return [(rel(from_dir, f"kegiatan/{p.stem}/"), p.title,
             f"{short_date(p.date)}" + (f" — {p.summary}" if p.summary else "")) for p in posts]


def _index(kel: Kelurahan, posts: list[Post]) -> str:
    here = "kegiatan/"
    links = (f'<p><a href="{rel(here, "kegiatan/arsip/")}">Arsip per bulan</a> · '
             f'<a href="{rel(here, "kegiatan/kategori/")}">Kategori</a> · '
             f'<a href="{rel(here, "feed.xml")}">RSS</a></p>')
    body = link_list(_items(posts, here)) or "<p>Belum ada kegiatan.</p>"
    return front_matter({"title": "Kegiatan",
                         "description": f"Kegiatan terbaru Kelurahan {kel.name}"},
                        "\n\n".join(["# Kegiatan", links, body]))


def _post_page(city: City, kel: Kelurahan, post: Post, photos: list[list[Rendition]]) -> str:
    here = f"kegiatan/{post.stem}/"
    prefix = rel(here, f"{PHOTO_DIR}/")
    figures = [f"<figure>{img_tag(r, prefix, post.title, eager=i == 0)}</figure>"
               for i, r in enumerate(photos)]
    categories = " · ".join(
        f'<a href="{rel(here, "kegiatan/kategori/")}#{slugify(c, fallback="lainnya")}">{esc(c)}</a>'
        for c in post.categories)
    parts = [f"# {esc(post.title)}",
             f'<p class="kd-tanggal"><time datetime="{post.date.isoformat()}">'
             f"{long_date(post.date)}</time>" + (f" · {categories}" if categories else "") + "</p>",
             figures[0] if figures else "", post.body, *figures[1:],
             f'<p><a href="{rel(here, "kegiatan/")}">← Semua kegiatan</a></p>']
    summary = post.summary or f"{post.title} — Kelurahan {kel.name}"
    meta = {"title": post.title, "description": summary, "pagefind": True,
            "og_type": "article", "og_url": city.url(post.url_path),
            "og_image": city.url(post.card_path("facebook"))}
    return front_matter(meta, "\n\n".join(p for p in parts if p))


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
    body = "\n\n".join(["# Arsip kegiatan", link_list(index) or "<p>Belum ada kegiatan.</p>",
                         *sections])
    return {"kegiatan/arsip/index.md": front_matter({"title": "Arsip kegiatan"}, body)}


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
    body = "\n\n".join(["# Kategori kegiatan", link_list(index) or "<p>Belum ada kategori.</p>",
                         *sections])
    return {"kegiatan/kategori/index.md": front_matter({"title": "Kategori kegiatan"}, body)}
