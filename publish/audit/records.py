"""The report as plain records with Indonesian keys: one source for CSV, JSON and HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from kelurahan.model import CHANNELS
from publish.audit.model import AuditReport, SiteResult

CSV_COLUMNS = (
    "nama", "kecamatan", "jenis", "url", "status", "alasan", "terakhir", "hari_sejak",
    "kegiatan_7_hari", "kegiatan_30_hari", "kegiatan_90_hari", "mingguan", "feed",
    "peringatan", *(f"{channel}_terakhir" for channel in CHANNELS), "detik", "lambat",
)


def report_summary(report: AuditReport) -> dict[str, Any]:
    """Everything `audit.json` holds but the sites (`site_records` streams those)."""
    return {
        "kota": report.city,
        "waktu_audit": report.now.isoformat(timespec="seconds"),
        "zona_waktu": getattr(report.now.tzinfo, "key", None),
        "ambang": {"aktif_hari": report.thresholds.active_days,
                   "kurang_aktif_hari": report.thresholds.less_active_days},
        "ringkasan": report.counts(),
        "jumlah_situs": len(report.results),
        "durasi_detik": round(report.seconds, 2),
        "catatan": list(report.notes),
    }


def site_records(report: AuditReport) -> Iterator[dict[str, Any]]:
    """One record per site, worst first, made as they are written (100,000 sites fit)."""
    for result in report.results:
        yield site_record(result, report.now.tzinfo)


def site_record(result: SiteResult, tz: dt.tzinfo | None) -> dict[str, Any]:
    activity = result.activity
    return {
        "nama": result.target.name,
        "kecamatan": result.target.district,
        "slug": result.target.slug,
        "jenis": result.target.kind.value,
        "url": result.target.url,
        "status": result.status.value,
        "alasan": result.reason,
        "feed": result.feed_url,
        "terakhir": _iso(activity.last_post, tz) if activity else None,
        "hari_sejak": activity.days_since if activity else None,
        "kegiatan_7_hari": activity.posts_7 if activity else None,
        "kegiatan_30_hari": activity.posts_30 if activity else None,
        "kegiatan_90_hari": activity.posts_90 if activity else None,
        "mingguan": list(activity.weekly) if activity else [],
        "peringatan": list(result.warnings),
        "sosial": {channel: _iso(moment, tz) for channel, moment in sorted(result.social.items())},
        "detik": round(result.seconds, 3),
        "lambat": result.slow,
    }


def csv_row(record: dict[str, Any]) -> dict[str, str]:
    """Flat text cells: lists joined, empty for unknown, formulas defused."""
    row = {column: record.get(column) for column in CSV_COLUMNS}
    row["mingguan"] = " ".join(str(n) for n in record["mingguan"])
    row["peringatan"] = " | ".join(record["peringatan"])
    row["lambat"] = "ya" if record["lambat"] else ""
    for channel in CHANNELS:
        row[f"{channel}_terakhir"] = record["sosial"].get(channel)
    return {key: "" if value is None else _defused(str(value)) for key, value in row.items()}


def _defused(text: str) -> str:
    """A cell that Excel would run as a formula (`=HYPERLINK(…)` in a site's name, from a
    CSV or a feed) starts with an apostrophe instead: shown as text, never executed."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _iso(moment: dt.datetime | None, tz: dt.tzinfo | None) -> str | None:
    if moment is None:
        return None
    return (moment.astimezone(tz) if tz else moment).isoformat(timespec="seconds")
