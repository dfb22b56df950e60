"""Reading a fetched feed: which entries it has and when they were posted.

feedparser never raises; it marks a broken feed `bozo` and parses what it can. We keep what it
could read, say what was wrong, and never hand it a URL (it would fetch on its own, untimed).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import feedparser

from publish.audit.dates import from_struct, parse_indonesian

_INDONESIAN = re.compile(
    r"\b(wib|wita|wit|januari|februari|pebruari|maret|mei|juni|juli|agustus|oktober|desember"
    r"|agu|agt|okt|des|peb|nop|senin|selasa|rabu|kamis|jumat|sabtu|minggu)\b")
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


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
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def read_feed(body: bytes, content_type: str, now: dt.datetime) -> FeedRead:
    """Parse `body`; future-dated, undated and duplicate entries are left out with a warning."""
    if looks_like_html(body):
        return FeedRead(error="berisi halaman HTML, bukan RSS/Atom")
    # Only dates and ids are used: skip sanitising and resolving the entries' HTML.
    parsed = feedparser.parse(body, response_headers={"content-type": content_type or "application/xml"},
                              sanitize_html=False, resolve_relative_uris=False)
    broken = parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), _HARMLESS)
    if not parsed.entries:
        if broken or not parsed.get("version"):
            return FeedRead(error=f"rusak, tidak dapat dibaca: {_why(parsed)}")
        return FeedRead()
    dates, warnings = _entry_dates(parsed.entries, now)
    if broken:
        warnings.insert(0, f"feed tidak sepenuhnya valid ({_why(parsed)}); dibaca sebagian")
    return FeedRead(tuple(dates), len(parsed.entries), tuple(warnings))


def _entry_dates(entries: list, now: dt.datetime) -> tuple[list[dt.datetime], list[str]]:
    seen: set[str] = set()
    dates: list[dt.datetime] = []
    duplicates = undated = future = 0
    for entry in entries:
        key = entry.get("id") or entry.get("link") or f"{entry.get('title')}|{entry.get('published')}"
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        moment = entry_date(entry, now.tzinfo or dt.UTC)
        if moment is None:
            undated += 1
        elif moment > now:
            future += 1
        else:
            dates.append(moment)
    warnings = [text for count, text in (
        (duplicates, f"{duplicates} entri ganda diabaikan"),
        (undated, f"{undated} entri tanpa tanggal yang dapat dibaca"),
        (future, f"{future} entri bertanggal di masa depan diabaikan"),
    ) if count]
    return sorted(dates, reverse=True), warnings


def entry_date(entry: dict, tz: dt.tzinfo) -> dt.datetime | None:
    """Publication date, else update date; Indonesian text read by us, the rest by feedparser."""
    for name in ("published", "updated", "created"):
        raw, parsed = entry.get(name), entry.get(f"{name}_parsed")
        if raw and (parsed is None or _INDONESIAN.search(str(raw).casefold())):
            moment = parse_indonesian(str(raw), tz)
            if moment is not None:
                return moment
        if parsed is not None:
            return from_struct(parsed)
    return None


def _why(parsed: dict) -> str:
    exc = parsed.get("bozo_exception")
    text = str(exc) if exc else "tidak ada entri"
    return text.splitlines()[0][:160] if text else type(exc).__name__
