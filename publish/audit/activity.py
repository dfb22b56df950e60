"""From post dates to activity numbers and a status, relative to one `now`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from publish.audit.model import Activity, Status, Thresholds

_WEEK = dt.timedelta(days=7)


def measure(dates: Sequence[dt.datetime], now: dt.datetime, weeks: int = 12) -> Activity:
    """Counts over the last 7/30/90 days and per week (oldest week first); dates are past ones."""
    past = sorted((d for d in dates if d <= now), reverse=True)
    last = past[0] if past else None
    weekly = [0] * weeks
    for moment in past:
        index = int((now - moment) / _WEEK)
        if index < weeks:
            weekly[weeks - 1 - index] += 1
    return Activity(
        last_post=last,
        days_since=_days_between(last, now) if last else None,
        posts_7=_within(past, now, 7),
        posts_30=_within(past, now, 30),
        posts_90=_within(past, now, 90),
        weekly=tuple(weekly),
        total=len(past),
    )


def judge(activity: Activity, thresholds: Thresholds) -> tuple[Status, str]:
    """`aktif` within `active_days`, `kurang aktif` within `less_active_days`, else `tidak aktif`."""
    days = activity.days_since
    if days is None:
        return Status.INACTIVE, "belum pernah ada kegiatan bertanggal di feed"
    ago = "hari ini" if days == 0 else f"{days} hari lalu"
    if days <= thresholds.active_days:
        return Status.ACTIVE, f"kegiatan terakhir {ago}"
    if days <= thresholds.less_active_days:
        return (Status.LESS_ACTIVE,
                f"kegiatan terakhir {ago} (lebih dari {thresholds.active_days} hari)")
    return (Status.INACTIVE,
            f"kegiatan terakhir {ago} (lebih dari {thresholds.less_active_days} hari)")


def _days_between(moment: dt.datetime, now: dt.datetime) -> int:
    """Calendar days in the zone of `now`: posted yesterday evening is 1 day ago."""
    return (now.date() - moment.astimezone(now.tzinfo).date()).days


def _within(past: Sequence[dt.datetime], now: dt.datetime, days: int) -> int:
    start = now - dt.timedelta(days=days)
    return sum(1 for moment in past if moment > start)
