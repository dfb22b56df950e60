"""Dates as Indonesian readers write them: `Senin, 27 Oktober 2025`."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
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


def appear_text(moment: dt.datetime, zone: str) -> str:
    """`Senin, 1 Desember 2026 pukul 09.00 WITA`: when a scheduled post goes live."""
    local = moment.astimezone(ZoneInfo(zone)) if moment.tzinfo else moment
    return f"{long_date(local.date())} pukul {local_time(local, zone)}"
