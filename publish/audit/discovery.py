"""Finding a site's feed: the page's `<link rel="alternate">` first, then the usual paths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/feed+json", "text/xml", "application/xml", "text/rss+xml")
# Not `application/json`: WordPress links its REST API with it on every page.
# WordPress, our build, generic, OpenSID, Blogger, Drupal/others.
COMMON_PATHS = ("feed", "feed.xml", "rss", "index.php/feed", "feeds/posts/default", "rss.xml")


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.feeds: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if tag == "link" and "alternate" in rels and kind in FEED_TYPES and values.get("href"):
            self.feeds.append(values["href"].strip())


def linked_feeds(html: bytes, page_url: str) -> list[str]:
    """Absolute URLs of the feeds a page announces, in page order, without repeats."""
    finder = _LinkFinder()
    end = html.lower().find(b"</head>")
    head = html[:end] if end >= 0 else html  # feed links belong in <head>; skip the body
    try:
        finder.feed(head.decode("utf-8", errors="replace"))
        finder.close()
    except (AssertionError, ValueError):  # HTMLParser gives up on some broken markup
        pass
    base = urljoin(page_url, finder.base) if finder.base else page_url
    return list(dict.fromkeys(urljoin(base, href) for href in finder.feeds))


def common_feed_urls(page_url: str, prefix: str) -> list[str]:
    """The usual feed addresses in the site's folder (`https://x/sukamaju/feed.xml`), never
    in a parent folder."""
    parts = urlsplit(page_url)
    base = f"{parts.scheme}://{parts.netloc}{prefix}"
    return [urljoin(base, path) for path in COMMON_PATHS]


SITEMAP_PATHS = ("sitemap.xml", "sitemap_index.xml", "wp-sitemap.xml")
_URL_ENTRY = re.compile(r"<(url|sitemap)\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
_LOC = re.compile(r"<loc>\s*(?:<!\[CDATA\[)?\s*(.*?)\s*(?:\]\]>)?\s*</loc>", re.S | re.I)
_LASTMOD = re.compile(r"<lastmod>\s*(.*?)\s*</lastmod>", re.S | re.I)


@dataclass(frozen=True)
class Sitemap:
    """`lastmod` texts of the pages under the site's folder, and the child sitemaps listed
    (with the index's `lastmod` for each, "" when it gives none)."""

    lastmods: tuple[str, ...] = ()
    children: tuple[tuple[str, str], ...] = ()


def site_prefix(target_url: str, final_url: str) -> str:
    """The path that is this site: the listed folder, or where a same-site redirect moved it.

    `https://kota.go.id/kelurahan/sukamaju` is the folder `/kelurahan/sukamaju/`; a feed at a
    parent path belongs to the whole portal, not to this kelurahan."""
    listed, final = _folder(urlsplit(target_url).path), _folder(urlsplit(final_url).path)
    return listed if final.startswith(listed) else final


def feed_belongs(feed_url: str, page_url: str, prefix: str) -> bool:
    """Same host, under the site's folder, and not a comments feed."""
    feed = urlsplit(feed_url)
    path = feed.path.casefold()
    return (same_host(feed_url, page_url) and feed.path.startswith(prefix)
            and "/comments/" not in path and not path.endswith("/comments/feed"))


def same_host(one: str, other: str) -> bool:
    """Same host and port, a leading `www.` aside (`www.kel.go.id` is `kel.go.id`)."""
    def key(url: str) -> tuple[str, int | None]:
        parts = urlsplit(url)
        try:
            port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
        except ValueError:
            port = None
        return (parts.hostname or "").casefold().removeprefix("www."), port

    return key(one) == key(other)


def sitemap_urls(page_url: str, prefix: str) -> list[str]:
    parts = urlsplit(page_url)
    folders = dict.fromkeys([prefix, "/"])
    return [f"{parts.scheme}://{parts.netloc}{folder}{name}"
            for folder in folders for name in SITEMAP_PATHS]


def read_sitemap(body: bytes, page_url: str, prefix: str) -> Sitemap:
    """Regular expressions, not an XML parser: sitemaps are often malformed, and entity tricks
    in a hostile one cannot blow up a pattern match."""
    lastmods, children = [], []
    for kind, inner in _URL_ENTRY.findall(body.decode("utf-8", errors="replace")):
        loc, lastmod = _LOC.search(inner), _LASTMOD.search(inner)
        if not loc:
            continue
        url = loc[1].strip()
        if kind.lower() == "sitemap":
            children.append((url, lastmod[1] if lastmod else ""))
        elif lastmod and same_host(url, page_url) and urlsplit(url).path.startswith(prefix):
            lastmods.append(lastmod[1])
    return Sitemap(tuple(lastmods), tuple(children))


def _folder(path: str) -> str:
    """`/a/b` and `/a/b/` are the folder `/a/b/`; `/a/index.php` is `/a/`."""
    if not path:
        return "/"
    if path.endswith("/"):
        return path
    last = path.rsplit("/", 1)[1]
    return path.rsplit("/", 1)[0] + "/" if "." in last else path + "/"
