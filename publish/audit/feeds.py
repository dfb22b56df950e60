"""Reading a fetched feed: which entries it has and when they were posted.

feedparser never raises; it marks a broken feed `bozo` and parses what it can. We keep what it
could read, say what was wrong, and never hand it a URL (it would fetch on its own, untimed).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import feedparser

from publish.audit.dates import from_struct, plausible, read_date

_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
PARSE_BUDGET = 4 * 1024 * 1024  # feed bytes parsed at once, all workers together


class ByteBudget:
    """At most `limit` bytes held at once by all threads; one body larger than the whole budget
    still goes through, alone."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self._free = threading.Condition()

    @contextmanager
    def hold(self, size: int) -> Iterator[None]:
        size = min(size, self.limit)
        with self._free:
            self._free.wait_for(lambda: self.used + size <= self.limit)
            self.used += size
        try:
            yield
        finally:
            with self._free:
                self.used -= size
                self._free.notify_all()


PARSING = ByteBudget(PARSE_BUDGET)  # feedparser needs a few times a feed's size while parsing


@dataclass(frozen=True)
class FeedRead:
    """Dates of distinct, past entries; `error` when the body is not a usable feed."""

    dates: tuple[dt.datetime, ...] = ()
    entries: int = 0
    warnings: tuple[str, ...] = ()
    error: str | None = None


def looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    return b"<html" in head and not any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def looks_like_feed(body: bytes) -> bool:
    head = body[:4096].lower()
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")) or looks_like_json_feed(body)


def looks_like_json_feed(body: bytes) -> bool:
    """JSON Feed (jsonfeed.org): an object whose `version` is the spec's URL."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b"jsonfeed.org/version/" in head.replace(b"\\/", b"/")


def read_feed(body: bytes, content_type: str, now: dt.datetime, *,
              truncated_at: int | None = None) -> FeedRead:
    """Parse `body`; future-dated, undated and duplicate entries are left out with a warning.

    `now` carries the city's zone: a date written without a zone is local to the city.
    `truncated_at`: the body is the first that many bytes of a longer feed; its entries are read
    (the newest come first) and the cut end is not called broken."""
    if looks_like_html(body):
        return FeedRead(error="berisi halaman HTML, bukan RSS/Atom")
    if looks_like_json_feed(body):
        return _read_json_feed(body, now, truncated_at)
    with PARSING.hold(len(body)):
        # Only dates and ids are used: skip sanitising and resolving the entries' HTML.
        parsed = feedparser.parse(body, response_headers={"content-type": content_type or "application/xml"},
                                  sanitize_html=False, resolve_relative_uris=False)
    broken = parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), _HARMLESS)
    size = _size(truncated_at) if truncated_at else ""
    if not parsed.entries:
        if truncated_at:
            return FeedRead(error=f"terlalu besar (lebih dari {size}) dan {size} pertamanya "
                                  "tidak memuat entri")
        if broken or not parsed.get("version"):
            return FeedRead(error=f"rusak, tidak dapat dibaca: {_why(parsed)}")
        return FeedRead()
    entries = parsed.entries
    if truncated_at and len(entries) > 1:
        entries = entries[:-1]  # the entry the cut went through is incomplete
    dates, warnings = _entry_dates(entries, now)
    if truncated_at:
        warnings.insert(0, f"feed lebih dari {size}: hanya {size} pertama yang dibaca "
                           "(entri terbaru ada di awal)")
    elif broken:
        warnings.insert(0, f"feed tidak sepenuhnya valid ({_why(parsed)}); dibaca sebagian")
    return FeedRead(tuple(dates), len(entries), tuple(warnings))


def _read_json_feed(body: bytes, now: dt.datetime, truncated_at: int | None) -> FeedRead:
    """JSON Feed 1.0/1.1: `items[].date_published` (else `date_modified`), `id` per item. A cut
    body cannot be parsed as JSON; it is said so, and the site judged by sitemap or page."""
    size = _size(truncated_at) if truncated_at else ""
    try:
        with PARSING.hold(len(body)):
            data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError:
        if truncated_at:
            return FeedRead(error=f"JSON Feed terlalu besar (lebih dari {size}) untuk dibaca")
        return FeedRead(error="rusak, tidak dapat dibaca: JSON Feed tidak sah")
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return FeedRead(error="rusak, tidak dapat dibaca: JSON Feed tanpa daftar items")
    entries = [{"id": item.get("id"), "link": item.get("url"), "title": item.get("title"),
                "published": item.get("date_published"), "updated": item.get("date_modified")}
               for item in items if isinstance(item, dict)]
    dates, warnings = _entry_dates(entries, now)
    return FeedRead(tuple(dates), len(entries), tuple(warnings))


def _entry_dates(entries: list, now: dt.datetime) -> tuple[list[dt.datetime], list[str]]:
    seen: set[tuple[str, ...]] = set()
    dates: list[dt.datetime] = []
    duplicates = undated = future = 0
    for entry in entries:
        key = _identity(entry)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        moment = entry_date(entry, now)
        if moment is None:
            undated += 1
        elif moment > now:
            future += 1
        else:
            dates.append(moment)
    warnings = [text for count, text in (
        (duplicates, f"{duplicates} entri ganda diabaikan"),
        (undated, f"{undated} entri tanpa tanggal yang sah diabaikan"),
        (future, f"{future} entri bertanggal di masa depan diabaikan"),
    ) if count]
    return sorted(dates, reverse=True), warnings


def _identity(entry: dict) -> tuple[str, ...]:
    """The guid when there is one; else link, date and title together (themes that give every
    item the home page as its link still have distinct posts)."""
    if entry.get("id"):
        return ("id", str(entry["id"]))
    date = entry.get("published") or entry.get("updated") or ""
    return ("item", str(entry.get("link", "")), str(date), str(entry.get("title", "")))


def entry_date(entry: dict, now: dt.datetime) -> dt.datetime | None:
    """Publication date, else update date; None when absent or impossible (a date in the future,
    however far, is returned: the caller leaves it out as future-dated).

    Our reader goes first (Indonesian months, day-first numbers, zone-less local times);
    feedparser's reading only for forms we do not know, and only with a plausible year."""
    tz = now.tzinfo or dt.UTC
    for name in ("published", "updated", "created"):
        raw, parsed = entry.get(name), entry.get(f"{name}_parsed")
        if not raw:
            continue
        read = read_date(str(raw), tz)
        moment = read.moment if read.recognised else (from_struct(parsed) if parsed else None)
        if moment is not None and (moment > now or plausible(moment, now)):
            return moment  # far ahead (2030) too: counted as future-dated, not as undated
        if read.recognised:
            return None
    return None


def _size(limit: int) -> str:
    """`512 KB`, `1 MB`, `1,5 MB` (Indonesian decimal comma)."""
    if limit < 1024 * 1024:
        return f"{limit / 1024:g} KB".replace(".", ",")
    return f"{limit / 1024 / 1024:g} MB".replace(".", ",")


def _why(parsed: dict) -> str:
    """In words a person can act on; the parser's own English stays out of the report."""
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "tidak ada entri"
    line = getattr(exc, "getLineNumber", None)
    if callable(line):
        return f"XML rusak di baris {line()} kolom {exc.getColumnNumber()}"
    return "bukan XML RSS/Atom yang sah"
