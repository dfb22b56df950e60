"""Dates as Indonesian readers write them: `Senin, 27 Oktober 2025`."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DEFAULT_TIMEZONE = "Asia/Jakarta"  # WIB, when kota.yml names none
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
              "Asia/Jayapura": "WIT"}


def long_date(day: dt.date) -> str:
    """`Senin, 27 Oktober 2025`."""
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """`27 Oktober 2025`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_year(day: dt.date) -> str:
    """`Oktober 2025`, for monthly archives."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def local_time(moment: dt.datetime, zone: str) -> str:
    """`09.00 WITA`: the hour as Indonesians write it, with the zone's common name."""
    return f"{moment:%H.%M} {ZONE_NAMES.get(zone, zone)}"


def impossible_date(text: str) -> str | None:
    """Why `2026-02-30` or `2026-13-01` (at the start of `text`) is not a day, in Indonesian.

    None when `text` does not start with YYYY-MM-DD or names a real day.
    """
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)", text)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"tanggal {match.group().strip()} tidak ada: bulan {month} (bulan hanya 1–12)"
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last:
        return (f"tanggal {match.group().strip()} tidak ada: {MONTHS[month - 1]} {year} "
                f"hanya {last} hari")
    return None


def as_written_iso(text: str) -> str | None:
    """`2/12/2026` or `02-12-2026` (day first, as Indonesians write) → `2026-12-02`, if a real day."""
    match = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def appear_text(moment: dt.datetime, zone: str) -> str:
    """`Senin, 1 Desember 2026 pukul 09.00 WITA`: when a scheduled post goes live."""
    local = moment.astimezone(ZoneInfo(zone)) if moment.tzinfo else moment
    return f"{long_date(local.date())} pukul {local_time(local, zone)}"


def resolve_now(now: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime:
    """`--now` read in the city's zone when written without one; the real clock when absent."""
    if now is None:
        return dt.datetime.now(tz)
    return now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)
