"""After the audit: the files Diskominfo reads, and the run kept for the trend."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kelurahan.errors import KelurahanError
from publish.audit.dashboard import render_dashboard
from publish.audit.history import current_run, load_runs, run_file
from publish.audit.model import AuditReport
from publish.audit.records import report_summary, site_records
from publish.audit.writers import (
    CSV_NAME,
    HTML_NAME,
    JSON_NAME,
    Writer,
    write_csv,
    write_files,
    write_json,
)


@dataclass(frozen=True)
class Written:
    summary: dict[str, Any]
    paths: tuple[Path, ...]


def write_report(report: AuditReport, out_dir: Path, history_dir: Path | None = None) -> Written:
    """`audit.csv`, `audit.json`, `audit.html` in `out_dir`; with history, `DIR/<date>.json` too.

    Each file is streamed site by site, so 100,000 sites never sit in memory as text. A run in
    which nearly every site failed on DNS/network is refused before anything is written."""
    if report.network_down:
        failed = sum(1 for result in report.results if result.network)
        raise KelurahanError(
            f"audit dibatalkan: {failed} dari {len(report.results)} situs gagal karena DNS atau "
            "jaringan, jadi jaringan/DNS server audit ini tampaknya mati; hasil dan riwayat "
            "sebelumnya tidak diubah. Periksa koneksi internet dan DNS server ini, lalu jalankan "
            "lagi")
    summary = report_summary(report)
    current = current_run(summary)
    runs = load_runs(history_dir, before=current.day) if history_dir else []
    files: list[tuple[Path, Writer]] = [
        (out_dir / CSV_NAME,
         lambda out: write_csv(out, site_records(report), summary["waktu_audit"])),
        (out_dir / JSON_NAME, lambda out: write_json(out, summary, site_records(report))),
        (out_dir / HTML_NAME, lambda out: render_dashboard(out, summary, report, runs, current)),
    ]
    if history_dir:
        files.append(run_file(history_dir, summary, report))
    return Written(summary, tuple(write_files(files)))
