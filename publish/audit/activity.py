"""From post dates to activity numbers and a status, relative to one `now`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from publish.audit.model import Activity, Status, Thresholds


def measure(dates: Sequence[dt.datetime], now: dt.datetime, weeks: int = 12) -> Activity:
    """Counts by calendar-day age in the zone of `now` (so "7 days" means the same as the
    status threshold) and per week, oldest week first; future dates are left out."""
    ages = sorted(_days_between(d, now) for d in dates if d <= now)
    weekly = [0] * weeks
    for age in ages:
        if age // 7 < weeks:
            weekly[weeks - 1 - age // 7] += 1
    last = max((d for d in dates if d <= now), default=None)
    return Activity(
        last_post=last,
        days_since=ages[0] if ages else None,
        posts_7=sum(1 for age in ages if age <= 7),
        posts_30=sum(1 for age in ages if age <= 30),
        posts_90=sum(1 for age in ages if age <= 90),
        weekly=tuple(weekly),
        total=len(ages),
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

