"""The city portal (`<out>/index.html`, `404.html`) and city feed, from the site summaries.

Summaries are stored by the pipeline, so adding one post re-renders the portal without reloading
the other 58 kelurahan. Hand-written pages with the sites' inlined stylesheet: a few KB on 3G.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from markupsafe import Markup

from generator.site.feed import city_feed
from generator.site.images import Rendition, lazy_img
from kelurahan.dates import short_date
from kelurahan.errors import ContentError, KelurahanError
from kelurahan.model import City
from kelurahan.outputs import PortalNotice, PortalPost, PortalSite
from kelurahan.resources import resource
from kelurahan.slugs import district_slug
from kelurahan.validation import Identity, district_clashes

TEMPLATE_DIRS = ("themes/portal", "themes/site")
LATEST_POSTS = 6
# A city of 59 kelurahan is one page of 15.2 KB (gzip, first view: benchmarks/README.md), just
# inside the 16 KB budget; a province of thousands would be megabytes on 3G, and merging
# thousands of search indexes in a phone is hopeless. Above this many, the portal lists its
# kecamatan and each kecamatan gets a page (and search) of its own.
SPLIT_AT = 60
DISTRICT_DIR = "kecamatan"
# What the portal writes at the root of the output (the kecamatan folder only when it is split).
PORTAL_FILES = ("index.html", "404.html", "feed.xml", "robots.txt", DISTRICT_DIR)
NOTICES_SPLIT = 10  # important notices on a split portal's root (all on their kecamatan's page)


def swap_portal(swap: Callable[..., None], staging: Path) -> None:
    """Move the portal written in `staging` into the output after the sites (`swapping`'s
    `swap`); a kecamatan folder the portal no longer writes leaves the output."""
    for name in PORTAL_FILES:
        swap(name, remove=not (staging / name).exists())


class _Row(NamedTuple):
    """One kelurahan on the portal: its summary and its last post's date as people read it."""

    s: PortalSite
    date: str | None


def write_portal(city: City, summaries: list[PortalSite], out_root: Path, *,
                 project_root: Path, today: dt.date | None = None,
                 split_at: int = SPLIT_AT, jinja_cache: Path | None = None) -> None:
    """`index.html`, `404.html`, `feed.xml` and `robots.txt` at the root of the output; above `split_at`
    kelurahan (a province) also one page per kecamatan under `kecamatan/`. `jinja_cache`: where
    the compiled templates are kept between builds (as for the sites' theme)."""
    from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape

    if jinja_cache is not None:
        jinja_cache.mkdir(parents=True, exist_ok=True)
    env = Environment(loader=FileSystemLoader([resource(project_root, d) for d in TEMPLATE_DIRS]),
                      autoescape=select_autoescape(["html"]),
                      bytecode_cache=FileSystemBytecodeCache(str(jinja_cache)) if jinja_cache else None)
    today = today or city.now().date()
    ordered = sorted(summaries, key=lambda s: (s.district, s.name))
    groups = _groups(ordered)
    split = len(ordered) > split_at
    _refuse_district_clashes(city, ordered, [name for name, _ in groups])
    if split and any(s.slug == DISTRICT_DIR for s in ordered):
        raise KelurahanError(f"folder kelurahan '{DISTRICT_DIR}' bentrok dengan halaman kecamatan "
                             "portal; ganti nama foldernya")
    page = env.get_template("index.html")
    notices = _notices(ordered, today)
    common = {"city": city, "count": len(ordered), "districts": len(groups), "split": split,
              "latest": _latest(ordered), "notices": notices[:NOTICES_SPLIT] if split else notices}
    if not split:
        html = page.render(**common, root="./", up="", groups=groups,
                           services=_services_index(ordered),
                           indexes=" ".join(f"./{s.slug}/" for s in ordered))
    else:
        paths = {name: f"{DISTRICT_DIR}/{district_slug(name)}/" for name, _ in groups}
        html = page.render(**common, root="./", up="", groups=[], services=[], indexes="",
                           district_links=[(name, len(rows), paths[name]) for name, rows in groups])
        for name, rows in groups:
            folder = out_root / paths[name]
            folder.mkdir(parents=True, exist_ok=True)
            sites = [row.s for row in rows]
            (folder / "index.html").write_text(env.get_template("kecamatan.html").render(
                city=city, root="../../", up="../../", split=True, district=name,
                groups=[(name, rows)], notices=_notices(sites, today),
                services=_services_index(sites),
                indexes=" ".join(f"../../{s.slug}/" for s in sites)), "utf-8")
    (out_root / "index.html").write_text(html, "utf-8")
    # Served by the web server for any missing page outside a kelurahan: links from the root.
    root = urlsplit(city.url()).path
    missing = env.get_template("404.html").render(
        city=city, root=root, split=split,
        indexes="" if split else " ".join(f"{root}{s.slug}/" for s in ordered))
    (out_root / "404.html").write_text(missing, "utf-8")
    items = [item.model_dump() for s in summaries for item in s.feed_items]
    (out_root / "feed.xml").write_bytes(city_feed(city, items))
    (out_root / "robots.txt").write_text(_robots(city, [] if split else ordered), "utf-8")


def _robots(city: City, sites: list[PortalSite]) -> str:
    """Where search engines find each kelurahan's sitemap (they ask for `/robots.txt` only).
    A province's portal lists none: search engines read 500 KB of robots.txt at most."""
    return "User-agent: *\nAllow: /\n" + "".join(
        f"Sitemap: {city.url(f'{site.slug}/sitemap.xml')}\n" for site in sites)


def _refuse_district_clashes(city: City, ordered: list[PortalSite], names: list[str]) -> None:
    """Two spellings of one kecamatan would share one page (or be listed twice): summaries
    merged from shards skip the loader, so the portal checks as `kelurahan check` does
    (per site only when two of the `names` of kecamatan clash: 100,000 sites cost a second)."""
    if len({district_slug(name) for name in names}) == len(names):
        return
    problems = district_clashes([Identity(city.content_dir / s.slug / "profil.md", s.name,
                                          district=s.district)
                                 for s in sorted(ordered, key=lambda s: s.slug)])
    if problems:
        raise ContentError(problems)


def _groups(ordered: list[PortalSite]) -> list[tuple[str, list[_Row]]]:
    """Kelurahan by kecamatan, each with its last post's date as people read it."""
    rows = [_Row(s, short_date(dt.date.fromisoformat(s.latest_date)) if s.latest_date else None)
            for s in ordered]
    return [(district, list(group)) for district, group in groupby(rows, key=lambda r: r.s.district)]


class _Post(NamedTuple):
    """A newest post as the portal lists it."""

    p: PortalPost
    kelurahan: str
    shown: str  # its date as people read it
    img: Markup  # the lazy thumbnail, or nothing


class _Notice(NamedTuple):
    n: PortalNotice
    kelurahan: str
    until: str  # the last day as people read it


def _latest(summaries: list[PortalSite]) -> list[_Post]:
    """The newest posts of all kelurahan, each with its 160 px thumbnail (lazy)."""
    posts = sorted(((p, s.name) for s in summaries for p in s.latest),
                   key=lambda item: (item[0].date, item[0].path), reverse=True)[:LATEST_POSTS]
    return [_Post(p, name, short_date(dt.date.fromisoformat(p.date)),
                  Markup(lazy_img(Rendition("", p.thumb, int(p.width), int(p.height)), "", ""))
                  if p.thumb else Markup(""))
            for p, name in posts]


def _notices(summaries: list[PortalSite], today: dt.date) -> list[_Notice]:
    """Important notices still valid today (stored summaries may be older than today)."""
    current = sorted(((n, s.name) for s in summaries for n in s.notices
                      if dt.date.fromisoformat(n.until) >= today), key=lambda item: item[0].until)
    return [_Notice(n, name, short_date(dt.date.fromisoformat(n.until))) for n, name in current]


def _services_index(summaries: list[PortalSite]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each service title with the kelurahan that offer it: where do I make a KTP-el?"""
    offered: dict[str, list[tuple[str, str]]] = defaultdict(list)
    titles: dict[str, str] = {}
    for summary in summaries:
        for _number, title, path in summary.services:
            key = title.casefold()
            titles.setdefault(key, title)
            offered[key].append((summary.name, path))
    return [(titles[key], offered[key]) for key in sorted(offered)]
