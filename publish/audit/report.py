"""After the audit: the files Diskominfo reads, and the run kept for the trend."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.audit.dashboard import render_dashboard
from publish.audit.history import current_run, load_runs, save_run
from publish.audit.model import AuditReport
from publish.audit.records import report_record
from publish.audit.writers import write_outputs


@dataclass(frozen=True)
class Written:
    record: dict[str, Any]
    paths: tuple[Path, ...]


def write_report(report: AuditReport, out_dir: Path, history_dir: Path | None = None) -> Written:
    """`audit.csv`, `audit.json`, `audit.html` in `out_dir`; with history, `DIR/<date>.json` too."""
    record = report_record(report)
    current = current_run(record)
    runs = load_runs(history_dir, before=current.day) if history_dir else []
    paths = write_outputs(out_dir, record, render_dashboard(record, runs, current))
    if history_dir:
        paths.append(save_run(history_dir, record))
    return Written(record, tuple(paths))
