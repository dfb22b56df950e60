"""Dates as kelurahan sites really write them, read before feedparser gets a say.

OpenSID, WordPress themes and hand-made feeds write `Jumat, 20 Nopember 2026 08:00 WIB`,
`20-11-2026 10:00` (day first) or `2026-11-23 09:00:00` (no zone). feedparser reads the first
not at all, the second as 2020-11-20 and the third as UTC; so every form we know is read here,
a time without a zone is local to the city, and a date that cannot exist (`0000-00-00`) is
refused instead of guessed. feedparser's reading is used only for forms we do not know, and only
when its year is plausible.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

_MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "agust": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
# Zone names as feeds write them (RFC 822's US zones included); hours from UTC.
_ZONES = {"wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "ut": 0, "z": 0,
          "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
          "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3, "ict": 7, "sgt": 8, "myt": 8,
          "hkt": 8, "awst": 8, "jst": 9, "kst": 9, "aest": 10, "aedt": 11}
_TIME = (r"(?:\D{1,12}?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:\.\d+)?)?"
         r"(?:\s*(?P<ampm>[ap])\.?m\b\.?)?)?")
_ZONE = (r"\s*(?P<zone>(?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}(?::?\d{2})?\b|[a-z]{1,5}\b)?")
_WORDS = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})" + _TIME + _ZONE)
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
                  r"(?:[t ]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
                  + _ZONE)
_DAY_FIRST = re.compile(r"(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>\d{4})" + _TIME + _ZONE)
_OFFSET = re.compile(r"(?:utc|gmt)?\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2}):?(?P<minutes>\d{2})?")
_UNKNOWN = object()  # a zone name we do not know: the reading is left to feedparser
EARLIEST_YEAR = 1995  # before any kelurahan had a website


@dataclass(frozen=True)
class DateRead:
    """`recognised`: the text had a date form we know; `moment` is None when that date is impossible."""

    recognised: bool
    moment: dt.datetime | None = None


def read_date(text: str, city_tz: dt.tzinfo) -> DateRead:
    """Any form we know: Indonesian or English words, ISO 8601, or day-first numbers."""
    lowered = text.strip().casefold()
    for pattern, parts in ((_ISO, _numbers), (_WORDS, _words), (_DAY_FIRST, _day_first)):
        match = pattern.search(lowered)
        if match and (found := parts(match)) is not None:
            zone = _zone(match["zone"], bool(match["hour"]), city_tz)
            if zone is _UNKNOWN:
                return DateRead(False)
            return DateRead(True, _build(found, match, zone))  # type: ignore[arg-type]
    return DateRead(False)


def plausible(moment: dt.datetime, now: dt.datetime) -> bool:
    """Not before the web reached kelurahan, not more than a year ahead."""
    return EARLIEST_YEAR <= moment.year <= now.year + 1


def from_struct(value: time.struct_time) -> dt.datetime | None:
    """feedparser's `*_parsed` values are UTC struct_times (None when out of range)."""
    try:
        return dt.datetime(*value[:6], tzinfo=dt.UTC)
    except (ValueError, TypeError, OverflowError):
        return None


def _words(match: re.Match[str]) -> tuple[int, int, int] | None:
    month = _MONTHS.get(match["month"])
    return (int(match["year"]), month, int(match["day"])) if month else None


def _numbers(match: re.Match[str]) -> tuple[int, int, int]:
    return int(match["year"]), int(match["month"]), int(match["day"])


def _day_first(match: re.Match[str]) -> tuple[int, int, int]:
    """`20-11-2026` is 20 November; `11-20-2026` (month first) only where day-first cannot be."""
    day, month = int(match["day"]), int(match["month"])
    if month > 12 >= day:
        day, month = month, day
    return int(match["year"]), month, day


def _build(found: tuple[int, int, int], match: re.Match[str], zone: dt.tzinfo) -> dt.datetime | None:
    year, month, day = found
    hour = int(match["hour"] or 0)
    if match.groupdict().get("ampm"):  # `10:00 PM` is 22:00, `12:30 AM` is 00:30
        hour = hour % 12 + (12 if match["ampm"] == "p" else 0)
    try:
        moment = dt.datetime(year, month, day, hour, int(match["minute"] or 0),
                             int(match["second"] or 0))
    except ValueError:
        return None
    return moment.replace(tzinfo=zone)


def _zone(name: str | None, timed: bool, city_tz: dt.tzinfo) -> dt.tzinfo | object:
    """The zone written after the time: a name we know, `+07`, `+0700`, `GMT+7`; none (or a
    word that is not a zone, like `pagi`) is the city's; an unknown zone name is `_UNKNOWN`."""
    if not name:
        return city_tz
    if name in _ZONES:
        return dt.timezone(dt.timedelta(hours=_ZONES[name]))
    offset = _OFFSET.fullmatch(name)
    if offset:
        sign = -1 if offset["sign"] == "-" else 1
        span = dt.timedelta(hours=int(offset["hours"]), minutes=int(offset["minutes"] or 0))
        return dt.timezone(sign * span) if span < dt.timedelta(hours=15) else _UNKNOWN
    if timed and re.fullmatch(r"[a-z]{2,4}t", name):  # NZDT, AKST, ...: a zone we do not know
        return _UNKNOWN
    return city_tz
