"""Dates as Indonesian readers write them: `Senin, 27 Oktober 2025`."""

from __future__ import annotations

import datetime as dt

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


def resolve_now(now: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime:
    """`--now` read in the city's zone when written without one; the real clock when absent."""
    if now is None:
        return dt.datetime.now(tz)
    return now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)
