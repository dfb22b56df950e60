"""The audit as a table on the terminal, worst first, coloured by status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import islice
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kelurahan.dates import short_date
from publish.audit.model import Status

STATUS_STYLES = {Status.ACTIVE: "green", Status.LESS_ACTIVE: "yellow",
                 Status.INACTIVE: "red", Status.UNREACHABLE: "bold red"}
_BARS = " ▁▂▃▄▅▆▇█"
ROWS = 60  # worst first; the files hold every site


def print_report(console: Console, summary: dict[str, Any], sites: Iterable[dict[str, Any]],
                 total: int) -> None:
    """One row per site (the worst `ROWS`), then the notes and the counts per status."""
    title = "Audit situs kelurahan" + (f" — {summary['kota']}" if summary["kota"] else "")
    table = Table(title=title, title_justify="left")
    for name in ("Kelurahan", "Status", "Terakhir", "Hari", "7/30/90", "12 minggu",
                 "Keterangan"):
        table.add_column(name, justify="right" if name in ("Hari", "7/30/90") else "left",
                         overflow="fold")
    for site in islice(sites, ROWS):
        table.add_row(*_row(site))
    console.print(table)
    if total > ROWS:
        console.print(f"… dan {total - ROWS} situs lainnya: lihat audit.csv atau audit.html",
                      markup=False)
    for note in summary["catatan"]:
        console.print(f"⚠ {note}", markup=False, style="yellow")
    counts = summary["ringkasan"]
    line = Text("Ringkasan: ")
    for index, status in enumerate(reversed(Status)):
        if index:
            line.append(", ")
        line.append(f"{counts[status.value]} {status.value}", style=STATUS_STYLES[status])
    console.print(line)


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
