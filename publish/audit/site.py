"""Auditing one site: fetch its page, find and read its feed, judge its activity."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import requests

from publish.audit.activity import judge, measure
from publish.audit.discovery import COMMON_PATHS, common_feed_urls, linked_feeds
from publish.audit.feeds import FeedRead, looks_like_feed, looks_like_html, read_feed
from publish.audit.fetching import Deadline, Fetched, fetch
from publish.audit.model import AuditOptions, SiteResult, Status, Target, Thresholds


@dataclass(frozen=True)
class _Found:
    """The feed that worked, or the reason none did."""

    url: str | None = None
    read: FeedRead | None = None
    error: str | None = None
    final: bool = False  # a feed too large, or the deadline passed: stop looking

    @property
    def done(self) -> bool:
        return self.read is not None or self.final


def audit_site(target: Target, session: requests.Session, now: dt.datetime,
               thresholds: Thresholds, options: AuditOptions) -> SiteResult:
    """Always a result with a status and a reason, whatever the site does."""
    started = time.monotonic()
    deadline = Deadline(options.total_timeout)
    page = fetch(session, target.url, deadline, options, limit=options.max_page_bytes,
                 truncate=True)
    found = (_Found(error=page.error) if not page.ok
             else _find_feed(session, page, deadline, options, now))
    seconds = time.monotonic() - started
    if found.read is None:
        return SiteResult(target, Status.UNREACHABLE, found.error or "", found.url,
                          seconds=seconds)
    activity = measure(found.read.dates, now, options.weeks)
    status, reason = judge(activity, thresholds)
    if found.read.entries == 0:
        reason = "feed kosong: belum ada kegiatan"
    return SiteResult(target, status, reason, found.url, activity, found.read.warnings,
                      seconds=seconds)


def _find_feed(session: requests.Session, page: Fetched, deadline: Deadline,
               options: AuditOptions, now: dt.datetime) -> _Found:
    """The page itself if it is a feed, then linked feeds, then the usual paths."""
    if looks_like_feed(page.body) and not looks_like_html(page.body):
        if len(page.body) < options.max_page_bytes:
            return _use(page.url, read_feed(page.body, page.content_type, now))
        return _try(session, page.url, deadline, options, now, strict=True)
    linked = linked_feeds(page.body, page.url)
    first_error = None
    for url in linked:
        found = _try(session, url, deadline, options, now, strict=True)
        if found.done:
            return found
        first_error = first_error or found.error
    for url in common_feed_urls(page.url):
        if url in linked:
            continue
        found = _try(session, url, deadline, options, now, strict=False)
        if found.done:
            return found
        first_error = first_error or found.error
    paths = ", ".join(f"/{path}" for path in COMMON_PATHS)
    return _Found(error=first_error or (
        "feed RSS/Atom tidak ditemukan: halaman tidak menautkan feed "
        f"(<link rel=\"alternate\">) dan tidak ada feed di {paths}"))


def _try(session: requests.Session, url: str, deadline: Deadline, options: AuditOptions,
         now: dt.datetime, *, strict: bool) -> _Found:
    """One candidate feed URL; a guessed path (`strict=False`) that is not a feed is no error."""
    got = fetch(session, url, deadline, options, limit=options.max_feed_bytes)
    if not got.ok:
        keep = strict or got.too_large or deadline.passed
        return _Found(url if got.too_large else None,
                      error=f"feed {url}: {got.error}" if keep else None,
                      final=got.too_large or deadline.passed)
    if not strict and not looks_like_feed(got.body):
        return _Found()
    return _use(got.url, read_feed(got.body, got.content_type, now))


def _use(url: str, read: FeedRead) -> _Found:
    return _Found(url, error=f"feed {url}: {read.error}") if read.error else _Found(url, read)

