"""Dates as Indonesian kelurahan sites write them in feeds, and what the audit reads."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest

from publish.audit.activity import judge, measure
from publish.audit.dates import read_date
from publish.audit.feeds import entry_date
from publish.audit.model import Status, Thresholds

WIB, WITA, WIT = (dt.timezone(dt.timedelta(hours=h)) for h in (7, 8, 9))
CITY = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize(("text", "expected"), [
    ("27 Oktober 2025", dt.datetime(2025, 10, 27, tzinfo=CITY)),
    ("Senin, 27 Okt 2025 09:00 WITA", dt.datetime(2025, 10, 27, 9, tzinfo=WITA)),
    ("Rabu, 5 Mei 2026 14.30 WIB", dt.datetime(2026, 5, 5, 14, 30, tzinfo=WIB)),
    ("1 Agustus 2026 08:15:30 WIT", dt.datetime(2026, 8, 1, 8, 15, 30, tzinfo=WIT)),
    ("12 Pebruari 2026", dt.datetime(2026, 2, 12, tzinfo=CITY)),
    ("3 Des. 2025 10:00 +0700", dt.datetime(2025, 12, 3, 10, tzinfo=WIB)),
    ("Mon, 16 Nov 2026 01:00:00 GMT", dt.datetime(2026, 11, 16, 1, tzinfo=dt.UTC)),
    ("Jumat, 20 Nopember 2026 08:00 WIB", dt.datetime(2026, 11, 20, 8, tzinfo=WIB)),
    ("20 Nop 2026", dt.datetime(2026, 11, 20, tzinfo=CITY)),
    ("2 Mrt 2026", dt.datetime(2026, 3, 2, tzinfo=CITY)),
    ("17 Agust 2026 pukul 07.00 WITA", dt.datetime(2026, 8, 17, 7, tzinfo=WITA)),
    ("Selasa, 3 Pebruari 2026", dt.datetime(2026, 2, 3, tzinfo=CITY)),
    # Day first, as Indonesian CMS themes write numbers (feedparser reads 2020-11-20).
    ("20-11-2026 10:00", dt.datetime(2026, 11, 20, 10, tzinfo=CITY)),
    ("20/11/2026", dt.datetime(2026, 11, 20, tzinfo=CITY)),
    ("05.11.2026 08:30 WIB", dt.datetime(2026, 11, 5, 8, 30, tzinfo=WIB)),
    ("11/20/2026", dt.datetime(2026, 11, 20, tzinfo=CITY)),  # only month-first can be right
    # A time without a zone is the city's, not UTC.
    ("2026-11-23 09:00:00", dt.datetime(2026, 11, 23, 9, tzinfo=CITY)),
    ("2026-11-16T09:00:00+08:00", dt.datetime(2026, 11, 16, 9, tzinfo=WITA)),
    ("2026-11-16T01:00:00.000Z", dt.datetime(2026, 11, 16, 1, tzinfo=dt.UTC)),
    ("2026-11-16", dt.datetime(2026, 11, 16, tzinfo=CITY)),
    # Zones of feeds written abroad or by hand: never the city's by mistake.
    ("Mon, 16 Nov 2026 10:00:00 EST", dt.datetime(2026, 11, 16, 15, tzinfo=dt.UTC)),
    ("Mon, 16 Nov 2026 10:00:00 PST", dt.datetime(2026, 11, 16, 18, tzinfo=dt.UTC)),
    ("Mon, 16 Nov 2026 10:00:00 EDT", dt.datetime(2026, 11, 16, 14, tzinfo=dt.UTC)),
    ("16 Nov 2026 10:00 GMT+7", dt.datetime(2026, 11, 16, 10, tzinfo=WIB)),
    ("16 November 2026 10:00 UTC+7", dt.datetime(2026, 11, 16, 10, tzinfo=WIB)),
    ("2026-11-16 10:00:00 +07", dt.datetime(2026, 11, 16, 10, tzinfo=WIB)),
    ("16 Nov 2026 10:00 PM", dt.datetime(2026, 11, 16, 22, tzinfo=CITY)),
    ("16 Nov 2026 12:30 AM WIB", dt.datetime(2026, 11, 16, 0, 30, tzinfo=WIB)),
    ("16 Nov 2026 10:00 pagi", dt.datetime(2026, 11, 16, 10, tzinfo=CITY)),
])
def test_dates_as_kelurahan_sites_write_them_are_read(text, expected):
    read = read_date(text, CITY)
    assert read.recognised
    assert read.moment == expected


@pytest.mark.parametrize("text", ["31 Februari 2026", "0000-00-00 00:00:00", "2026-13-01",
                                  "31-02-2026", "32/13/2026"])
def test_impossible_dates_are_recognised_and_refused(text):
    assert read_date(text, CITY) == (read_date(text, CITY).__class__(True, None))


@pytest.mark.parametrize("text", ["kemarin", "27 Oktobr 2025", "baru saja", ""])
def test_what_is_not_a_date_is_not_recognised(text):
    assert not read_date(text, CITY).recognised


def test_feedparser_reads_iso_dates_and_we_read_the_indonesian_ones():
    feed = feedparser.parse(
        "<rss version='2.0'><channel><item><pubDate>2026-11-16T09:00:00+08:00</pubDate></item>"
        "<item><pubDate>Sabtu, 7 Nov 2026 09:00 WITA</pubDate></item></channel></rss>")
    now = dt.datetime(2026, 11, 23, tzinfo=CITY)
    iso, indonesian = (entry_date(entry, now) for entry in feed.entries)
    assert iso == dt.datetime(2026, 11, 16, 1, tzinfo=dt.UTC)
    assert indonesian == dt.datetime(2026, 11, 7, 9, tzinfo=WITA)


def test_an_unknown_zone_is_left_to_feedparser_not_taken_as_the_city_zone():
    assert not read_date("Mon, 16 Nov 2026 10:00:00 NZDT", CITY).recognised
    feed = feedparser.parse("<rss version='2.0'><channel><item>"
                            "<pubDate>Mon, 16 Nov 2026 10:00:00 NZDT</pubDate></item></channel></rss>")
    now = dt.datetime(2026, 11, 23, tzinfo=CITY)
    parsed = feed.entries[0].published_parsed
    assert entry_date(feed.entries[0], now) == dt.datetime(*parsed[:6], tzinfo=dt.UTC)


@pytest.mark.parametrize(("days", "status", "reason"), [
    (0, Status.ACTIVE, "kegiatan terakhir hari ini"),
    (7, Status.ACTIVE, "kegiatan terakhir 7 hari lalu"),
    (8, Status.LESS_ACTIVE, "kegiatan terakhir 8 hari lalu (lebih dari 7 hari)"),
    (30, Status.LESS_ACTIVE, "kegiatan terakhir 30 hari lalu (lebih dari 7 hari)"),
    (31, Status.INACTIVE, "kegiatan terakhir 31 hari lalu (lebih dari 30 hari)"),
])
def test_thresholds(days, status, reason):
    now = dt.datetime(2026, 11, 23, 20, 0, tzinfo=CITY)
    activity = measure([dt.datetime(2026, 11, 23, 7, 0, tzinfo=CITY) - dt.timedelta(days=days)], now)
    assert activity.days_since == days
    assert judge(activity, Thresholds(7, 30)) == (status, reason)


def test_days_are_calendar_days_in_the_city_zone():
    now = dt.datetime(2026, 11, 23, 8, 0, tzinfo=CITY)
    late_yesterday = dt.datetime(2026, 11, 22, 23, 30, tzinfo=CITY)
    this_morning_utc = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)  # 07.30 WITA
    assert measure([late_yesterday], now).days_since == 1
    assert measure([this_morning_utc], now).days_since == 0


def test_thresholds_follow_kota_yml():
    now = dt.datetime(2026, 11, 23, 8, 0, tzinfo=CITY)
    activity = measure([now - dt.timedelta(days=10)], now)
    assert judge(activity, Thresholds(14, 60))[0] is Status.ACTIVE
    assert judge(activity, Thresholds(3, 9))[0] is Status.INACTIVE
