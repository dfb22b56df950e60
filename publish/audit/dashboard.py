"""`audit.html`: a self-contained dashboard for a screen at Diskominfo, or for printing.

No JavaScript library and no CDN: the sparklines are inline SVG made here, and sorting is a
few lines of inline script. The template is `themes/audit/` (shipped, or the city's own copy) so it can be restyled.
"""

from __future__ import annotations

import datetime as dt
from itertools import islice
from typing import Any, TextIO

from kelurahan.dates import local_time, long_date, short_date
from kelurahan.outputs import CHANNEL_LABELS
from kelurahan.resources import project_root, resource
from publish.audit.history import Run
from publish.audit.model import AuditReport, Status
from publish.audit.records import site_records

STATUS_CLASSES = {Status.ACTIVE: "aktif", Status.LESS_ACTIVE: "kurang",
                  Status.INACTIVE: "tidak", Status.UNREACHABLE: "mati"}
ROWS = 2000  # worst first; a province-wide list keeps the rest in audit.csv / audit.json


def render_dashboard(out: TextIO, summary: dict[str, Any], report: AuditReport,
                     runs: list[Run], current: Run) -> None:
    """The page, streamed into `out`; `runs` are earlier runs, oldest first."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    templates = resource(project_root(), "themes/audit")
    env = Environment(loader=FileSystemLoader(templates), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["sparkline"] = sparkline
    env.filters["tanggal"] = _date_text
    now = dt.datetime.fromisoformat(summary["waktu_audit"])
    stream = env.get_template("dashboard.html").generate(
        r=summary, sites=islice(site_records(report), ROWS),
        hidden=max(0, len(report.results) - ROWS),
        now_text=_moment_text(now, summary.get("zona_waktu")),
        statuses=[(s.value, STATUS_CLASSES[s]) for s in reversed(Status)],
        status_class={s.value: STATUS_CLASSES[s] for s in Status},
        severity={s.value: s.severity for s in Status},
        social=_social_columns(report), channel_labels=CHANNEL_LABELS,
        trend=_trend(runs, current), runs=[*runs, current],
    )
    out.writelines(stream)


def sparkline(weekly: list[int], width: int = 96, height: int = 24) -> str:
    """Bars for posts per week, oldest left; an empty week is a thin grey line."""
    from markupsafe import Markup

    if not weekly:
        return Markup("")
    step = width / len(weekly)
    top = max(max(weekly), 1)
    bars = []
    for index, count in enumerate(weekly):
        tall = max(1.0, (height - 2) * count / top)
        colour = "#2e7d32" if count else "#c8c8c8"
        bars.append(f'<rect x="{index * step + 1:.1f}" y="{height - tall:.1f}" '
                    f'width="{step - 2:.1f}" height="{tall:.1f}" fill="{colour}"/>')
    label = f"Kegiatan per minggu (12 minggu terakhir): {', '.join(map(str, weekly))}"
    return Markup(f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" '
                  f'height="{height}" role="img" aria-label="{label}"><title>{label}</title>'
                  f'{"".join(bars)}</svg>')


def _trend(runs: list[Run], current: Run) -> dict[str, Any] | None:
    """Active sites now against the latest earlier run."""
    if not runs:
        return None
    previous = runs[-1]
    now_active, before = current.counts.get("aktif", 0), previous.counts.get("aktif", 0)
    return {"now": now_active, "before": before, "delta": now_active - before,
            "day": short_date(previous.day)}


def _social_columns(report: AuditReport) -> list[str]:
    present = {channel for result in report.results for channel in result.social}
    return [channel for channel in CHANNEL_LABELS if channel in present]


def _date_text(value: str | dt.date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value).date()
    return short_date(value)


def _moment_text(moment: dt.datetime, zone: str | None) -> str:
    zone = zone or moment.strftime("UTC%z")
    return f"{long_date(moment.date())}, {local_time(moment, zone)}"
