"""The audit as a table on the terminal, worst first, coloured by status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kelurahan.dates import short_date
from publish.audit.model import Status

STATUS_STYLES = {Status.ACTIVE: "green", Status.LESS_ACTIVE: "yellow",
                 Status.INACTIVE: "red", Status.UNREACHABLE: "bold red"}
_BARS = " ▁▂▃▄▅▆▇█"


def print_report(console: Console, record: dict[str, Any]) -> None:
    """One row per site, then the counts per status."""
    table = Table(title=f"Audit situs kelurahan — {record['kota']}", title_justify="left")
    for name in ("Kelurahan", "Status", "Terakhir", "Hari", "7/30/90", "12 minggu",
                 "Keterangan"):
        table.add_column(name, justify="right" if name in ("Hari", "7/30/90") else "left",
                         overflow="fold")
    for site in record["situs"]:
        table.add_row(*_row(site))
    console.print(table)
    counts = record["ringkasan"]
    summary = Text("Ringkasan: ")
    for index, status in enumerate(reversed(Status)):
        if index:
            summary.append(", ")
        summary.append(f"{counts[status.value]} {status.value}", style=STATUS_STYLES[status])
    console.print(summary)


def _row(site: dict[str, Any]) -> list[Text | str]:
    status = Status(site["status"])
    last = site["terakhir"]
    counts = ("—" if site["kegiatan_7_hari"] is None else
              f"{site['kegiatan_7_hari']}/{site['kegiatan_30_hari']}/{site['kegiatan_90_hari']}")
    reason = site["alasan"] + "".join(f"\n⚠ {w}" for w in site["peringatan"])
    return [
        Text(site["nama"]),
        Text(status.value, style=STATUS_STYLES[status]),
        short_date(_date(last)) if last else "—",
        "—" if site["hari_sejak"] is None else str(site["hari_sejak"]),
        counts,
        _bars(site["mingguan"]),
        Text(reason),
    ]


def _bars(weekly: list[int]) -> str:
    if not weekly:
        return ""
    top = max(max(weekly), 1)
    return "".join(_BARS[round(count / top * (len(_BARS) - 1))] if count else "·"
                   for count in weekly)


def _date(value: str) -> dt.date:
    return dt.datetime.fromisoformat(value).date()
