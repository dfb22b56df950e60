"""What an HTML page says about itself: a hosting problem, a parked domain, or its dates.

Sites without a feed (Google Sites, WordPress with feeds off, Joomla without a head link) still
show when they last changed: `article:published_time`, `<time datetime>`, or an Indonesian date
printed beside a post. Pages that are not the kelurahan's site at all (a suspended hosting
account, a parked domain, a bot challenge) are named as such instead of being read for dates.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from publish.audit.dates import plausible, read_date

SUSPENDED = "hosting ditangguhkan (Account Suspended): hubungi penyedia hosting untuk memperpanjang"
PARKED = ("domain parkir: alamat ini menampilkan iklan atau tawaran jual domain, bukan situs "
          "kelurahan (domain mungkin kedaluwarsa)")
CHALLENGE = "diblokir oleh perlindungan bot (Cloudflare), periksa dari peramban"
_SUSPENDED = ("account suspended", "account has been suspended", "suspendedpage.cgi",
              "akun ini ditangguhkan", "akun hosting ditangguhkan", "website is suspended",
              "situs ini ditangguhkan", "this site has been suspended")
_PARKED = ("domain is for sale", "this domain is parked", "domain ini dijual", "buy this domain",
           "parkingcrew", "sedoparking", "bodis.com", "domain parking", "is parked free",
           "afternic", "domain may be for sale", "dan.com/buy")
_CHALLENGE = ("just a moment...", "cf-chl", "challenge-platform", "attention required! | cloudflare",
              "checking your browser before accessing")
_META_DATES = ("article:published_time", "article:modified_time", "og:updated_time",
               "datepublished", "datemodified", "date", "dc.date")
_TEXT_DATE = re.compile(
    r"\b\d{1,2}\s+(?:jan|feb|peb|mar|mrt|apr|mei|may|jun|jul|agu|ags|agt|aug|sep|okt|oct|nov|nop"
    r"|des|dec)[a-z]*\.?,?\s+\d{4}(?:\D{1,12}?\d{1,2}[:.]\d{2})?", re.IGNORECASE)
_POST_PATH = re.compile(r"/(?:20\d\d/\d\d|berita|artikel|kegiatan|post|read|blog|news)/", re.I)


def hosting_problem(status: int | None, headers: dict[str, str], body: bytes) -> str | None:
    """A challenge, suspended account or parked domain, recognised by what such pages serve."""
    text = body[:65536].decode("utf-8", errors="replace").casefold()
    if headers.get("cf-mitigated", "").casefold() == "challenge" or (
            status in (403, 429, 503) and any(marker in text for marker in _CHALLENGE)):
        return CHALLENGE
    if any(marker in text for marker in _SUSPENDED):
        return SUSPENDED
    if any(marker in text for marker in _PARKED):
        return PARKED
    return None


class PageScan(HTMLParser):
    """Dates from meta tags and `<time>`, visible text, and links that look like posts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stamps: list[str] = []
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
        if tag == "meta" and key in _META_DATES and values.get("content"):
            self.stamps.append(values["content"])
        if tag == "time" and values.get("datetime"):
            self.stamps.append(values["datetime"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)


def page_dates(scan: PageScan, now: dt.datetime) -> list[dt.datetime]:
    """Every plausible past date the page states. A printed date equal to today is left out:
    many themes print today's date in the header, which says nothing about posting."""
    tz = now.tzinfo or dt.UTC
    found = [read_date(stamp, tz).moment for stamp in scan.stamps]
    printed = [read_date(match, tz).moment for text in scan.texts
               for match in _TEXT_DATE.findall(text)]
    printed = [moment for moment in printed if moment and moment.date() != now.date()]
    return sorted({m for m in [*found, *printed] if m and m <= now and plausible(m, now)},
                  reverse=True)


def post_links(scan: PageScan, page_url: str, prefix: str) -> list[str]:
    """Links from the page to what look like its posts, under the site's own folder."""
    origin = urlsplit(page_url)
    links = []
    for href in scan.links:
        url = urljoin(page_url, href.strip())
        parts = urlsplit(url)
        if (parts.netloc == origin.netloc and parts.path.startswith(prefix)
                and _POST_PATH.search(parts.path) and url not in links):
            links.append(url)
    return links


def scan_page(body: bytes) -> PageScan:
    """Parse a page once; its dates and its post links are both read from the result."""
    scan = PageScan()
    try:
        scan.feed(body[:1024 * 1024].decode("utf-8", errors="replace"))
        scan.close()
    except (AssertionError, ValueError):  # HTMLParser gives up on some broken markup
        pass
    return scan
