"""Auditing one site: fetch its page, find the evidence of its activity, judge it.

Evidence, best first: the site's own feed (never a parent folder's: that is the whole portal's),
then its sitemap's `lastmod`, then dates printed in the page and its newest linked post. Every
result says which evidence it used, or why there was none.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from publish.audit.activity import judge, measure
from publish.audit.dates import plausible, read_date
from publish.audit.discovery import (
    COMMON_PATHS,
    Sitemap,
    common_feed_urls,
    feed_belongs,
    linked_feeds,
    read_sitemap,
    site_prefix,
    sitemap_urls,
)
from publish.audit.feeds import FeedRead, looks_like_feed, looks_like_html, read_feed
from publish.audit.fetching import Deadline, Fetched, fetch
from publish.audit.model import AuditOptions, SiteResult, Status, Target, Thresholds
from publish.audit.pages import PARKED, hosting_problem, page_dates, post_links, scan_page

_MAX_CHILD_SITEMAPS = 3


@dataclass(frozen=True)
class _Found:
    """The feed that worked, or the reason none did."""

    url: str | None = None
    read: FeedRead | None = None
    error: str | None = None
    final: bool = False  # the deadline passed: stop looking

    @property
    def done(self) -> bool:
        return self.read is not None or self.final


@dataclass
class _Visit:
    """One site's audit in progress: what every step needs."""

    target: Target
    session: requests.Session
    now: dt.datetime
    options: AuditOptions
    deadline: Deadline
    started: float = field(default_factory=time.monotonic)

    def get(self, url: str, limit: int, *, truncate: bool = False) -> Fetched:
        return fetch(self.session, url, self.deadline, self.options, limit=limit, truncate=truncate)

    def result(self, status: Status, reason: str, **extra: object) -> SiteResult:
        seconds = time.monotonic() - self.started
        slow = seconds > self.options.slow_seconds
        if slow and status is not Status.UNREACHABLE:  # a timeout already says so
            extra["warnings"] = (*extra.get("warnings", ()), _slowness(seconds, self.options))  # type: ignore[misc]
        return SiteResult(self.target, status, reason, seconds=seconds, slow=slow,
                          **extra)  # type: ignore[arg-type]


def _slowness(seconds: float, options: AuditOptions) -> str:
    """A site that answered, but slowly: residents opening it wait as long."""
    took, limit = (f"{value:.1f}".replace(".", ",").removesuffix(",0")
                   for value in (seconds, options.slow_seconds))
    return (f"lambat: situs ini butuh {took} detik untuk diperiksa (lebih dari {limit} detik); "
            "warga yang membukanya juga menunggu lama")


def audit_site(target: Target, session: requests.Session, now: dt.datetime,
               thresholds: Thresholds, options: AuditOptions) -> SiteResult:
    """Always a result with a status and a reason, whatever the site does."""
    visit = _Visit(target, session, now, options, Deadline(options.total_timeout))
    page = visit.get(target.url, options.max_page_bytes, truncate=True)
    if not page.ok:
        return visit.result(Status.UNREACHABLE, page.error or "", network=page.network)
    moved = _other_host(target.url, page.url)
    if moved:
        return visit.result(Status.INACTIVE, f"dialihkan ke {moved}: kegiatan di sana tidak "
                            f"dihitung sebagai kegiatan situs ini; perbarui alamatnya bila itu "
                            f"situs baru kelurahan", feed_url=None)
    if not looks_like_feed(page.body) or looks_like_html(page.body):
        problem = hosting_problem(page.status_code, {}, page.body)
        if problem:
            return visit.result(Status.UNREACHABLE, problem)
    prefix = site_prefix(target.url, page.url)
    found = _find_feed(visit, page, prefix)
    if found.read is not None:
        return _judged(visit, thresholds, found.read.dates, found.read.warnings, found,
                       empty=found.read.entries == 0)
    if found.final:
        return visit.result(Status.UNREACHABLE, found.error or "", feed_url=found.url)
    return _without_feed(visit, thresholds, page, prefix, found.error)


def _judged(visit: _Visit, thresholds: Thresholds, dates: tuple[dt.datetime, ...],
            warnings: tuple[str, ...], found: _Found | None, *, empty: bool = False,
            source: str = "") -> SiteResult:
    activity = measure(dates, visit.now, visit.options.weeks)
    status, reason = judge(activity, thresholds)
    if empty:
        reason = "feed kosong: belum ada kegiatan"
    return visit.result(status, reason + source, feed_url=found.url if found else None,
                        activity=activity, warnings=warnings)


def _find_feed(visit: _Visit, page: Fetched, prefix: str) -> _Found:
    """The page itself if it is a feed, then its own linked feeds, then the usual paths."""
    if looks_like_feed(page.body) and not looks_like_html(page.body):
        if len(page.body) < visit.options.max_page_bytes:
            return _use(page.url, read_feed(page.body, page.content_type, visit.now))
        return _try(visit, page.url, strict=True)
    linked = [url for url in linked_feeds(page.body, page.url) if feed_belongs(url, page.url, prefix)]
    first_error = None
    for url in linked:
        found = _try(visit, url, strict=True)
        if found.done:
            return found
        first_error = first_error or found.error
    for url in common_feed_urls(page.url, prefix):
        if url in linked:
            continue
        found = _try(visit, url, strict=False)
        if found.done:
            return found
        first_error = first_error or found.error
    paths = ", ".join(f"/{path}" for path in COMMON_PATHS)
    return _Found(error=first_error or (
        "feed RSS/Atom tidak ditemukan: halaman tidak menautkan feed "
        f"(<link rel=\"alternate\">) dan tidak ada feed di {paths}"))


def _try(visit: _Visit, url: str, *, strict: bool) -> _Found:
    """One candidate feed URL; a guessed path (`strict=False`) that is not a feed is no error.

    A feed longer than the limit is read as far as the limit (its newest entries come first);
    when that part holds no entry, the site is judged by its sitemap or page instead."""
    limit = visit.options.max_feed_bytes
    got = visit.get(url, limit, truncate=True)
    if not got.ok:
        keep = strict or visit.deadline.passed
        return _Found(error=f"feed {url}: {got.error}" if keep else None,
                      final=visit.deadline.passed)
    if not strict and not looks_like_feed(got.body):
        return _Found()
    read = read_feed(got.body, got.content_type, visit.now, truncated_at=limit if got.truncated else None)
    return _use(got.url, read)


def _use(url: str, read: FeedRead) -> _Found:
    return _Found(url, error=f"feed {url}: {read.error}") if read.error else _Found(url, read)


def _without_feed(visit: _Visit, thresholds: Thresholds, page: Fetched, prefix: str,
                  feed_error: str | None) -> SiteResult:
    """A page that loads is judged by its sitemap or its printed dates, never 'unreachable'."""
    warnings = (feed_error,) if feed_error else ()
    dates = _sitemap_dates(visit, page, prefix)
    if dates:
        return _judged(visit, thresholds, dates, warnings, None, source=" (dari sitemap)")
    dates = _printed_dates(visit, page, prefix)
    if dates:
        return _judged(visit, thresholds, dates, warnings, None, source=" (dari tanggal di halaman)")
    if _answers_everything(visit, page):
        return visit.result(Status.UNREACHABLE, PARKED)
    return visit.result(Status.INACTIVE, "halaman dapat dibuka, tetapi tidak ada tanda kegiatan "
                        "yang dapat dibaca (feed, sitemap, atau tanggal tulisan)", warnings=warnings)


def _sitemap_dates(visit: _Visit, page: Fetched, prefix: str) -> tuple[dt.datetime, ...]:
    """`lastmod` of the pages in the site's folder, from the first sitemap that answers and its
    newest few children (an index lists them with their own `lastmod`, which counts too when
    the site is the whole host)."""
    tz = visit.now.tzinfo or dt.UTC
    for url in sitemap_urls(page.url, prefix):
        if visit.deadline.passed:
            break
        sitemap = _one_sitemap(visit, url, page, prefix)
        if sitemap is None:
            continue
        texts = list(sitemap.lastmods)
        if prefix == "/":
            texts += [lastmod for _, lastmod in sitemap.children if lastmod]
        newest = sorted(sitemap.children, key=lambda child: _moment(child[1], tz), reverse=True)
        for child, _ in newest[:_MAX_CHILD_SITEMAPS]:
            if visit.deadline.passed:
                break
            inner = _one_sitemap(visit, child, page, prefix)
            texts += inner.lastmods if inner else ()
        if texts:
            return _past(texts, visit.now)
    return ()


def _one_sitemap(visit: _Visit, url: str, page: Fetched, prefix: str) -> Sitemap | None:
    got = visit.get(url, visit.options.max_sitemap_bytes)
    if not got.ok or b"<loc" not in got.body[:65536].lower():
        return None
    return read_sitemap(got.body, page.url, prefix)


def _moment(text: str, tz: dt.tzinfo) -> dt.datetime:
    moment = read_date(text, tz).moment if text else None
    return moment or dt.datetime.min.replace(tzinfo=dt.UTC)


def _printed_dates(visit: _Visit, page: Fetched, prefix: str) -> tuple[dt.datetime, ...]:
    """Dates in the home page, and in its newest linked post."""
    home = scan_page(page.body)
    dates = page_dates(home, visit.now)
    for url in post_links(home, page.url, prefix)[:1]:
        post = visit.get(url, visit.options.max_page_bytes, truncate=True)
        if post.ok:
            dates.extend(page_dates(scan_page(post.body), visit.now))
    return tuple(sorted(set(dates), reverse=True))


def _answers_everything(visit: _Visit, page: Fetched) -> bool:
    """Parking pages answer 200 with the same page on every path, even an invented one."""
    parts = urlsplit(page.url)
    probe = visit.get(f"{parts.scheme}://{parts.netloc}/{uuid.uuid4().hex}.html",
                      visit.options.max_page_bytes, truncate=True)
    return probe.ok and probe.status_code == 200 and probe.body == page.body


def _past(texts: list[str], now: dt.datetime) -> tuple[dt.datetime, ...]:
    tz = now.tzinfo or dt.UTC
    moments = (read_date(text, tz).moment for text in texts)
    return tuple(sorted({m for m in moments if m and m <= now and plausible(m, now)}, reverse=True))


def _other_host(listed: str, final: str) -> str | None:
    """The host a redirect led to, when it is not the listed site's own (`www.` aside)."""
    def host(url: str) -> str:
        name = (urlsplit(url).hostname or "").casefold()
        return name.removeprefix("www.")

    return urlsplit(final).hostname if host(listed) != host(final) else None
