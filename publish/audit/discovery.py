"""Finding a site's feed: the page's `<link rel="alternate">` first, then the usual paths."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
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


def common_feed_urls(site_url: str) -> list[str]:
    """The usual feed addresses under the site's folder (`https://x/sukamaju/feed.xml`)."""
    parts = urlsplit(site_url)
    folder = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    base = f"{parts.scheme}://{parts.netloc}{folder}"
    return [urljoin(base, path) for path in COMMON_PATHS]
