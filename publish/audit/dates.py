"""Feed dates feedparser cannot read: Indonesian month names and zone names (WIB, WITA, WIT).

OpenSID and hand-made feeds write `Senin, 27 Okt 2025 09:00 WITA` or `27 Oktober 2025`;
feedparser leaves those unparsed, so we read them here instead of registering a global handler.
"""

from __future__ import annotations

import datetime as dt
import re
import time

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3,
    "mar": 3, "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "may": 5,
}
_ZONES = {"wib": 7, "wita": 8, "wit": 9}
_PATTERN = re.compile(
    r"(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?\s+(?P<year>\d{4})"
    r"(?:\D+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?)?"
    r"\s*(?P<zone>wib|wita|wit|[+-]\d{2}:?\d{2}|utc|gmt|z)?",
)


def parse_indonesian(text: str, default_tz: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """An aware datetime from `27 Oktober 2025` or `Senin, 27 Okt 2025 09:00 WITA`; None if not."""
    match = _PATTERN.search(text.strip().casefold())
    if not match or match["month"] not in _MONTHS:
        return None
    try:
        moment = dt.datetime(int(match["year"]), _MONTHS[match["month"]], int(match["day"]),
                             int(match["hour"] or 0), int(match["minute"] or 0),
                             int(match["second"] or 0))
    except ValueError:
        return None
    return moment.replace(tzinfo=_zone(match["zone"], default_tz))


def _zone(name: str | None, default_tz: dt.tzinfo) -> dt.tzinfo:
    if not name:
        return default_tz
    if name in _ZONES:
        return dt.timezone(dt.timedelta(hours=_ZONES[name]))
    if name in {"utc", "gmt", "z"}:
        return dt.UTC
    sign = -1 if name[0] == "-" else 1
    digits = name[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def from_struct(value: time.struct_time) -> dt.datetime:
    """feedparser's `*_parsed` values are UTC struct_times."""
    return dt.datetime(*value[:6], tzinfo=dt.UTC)
