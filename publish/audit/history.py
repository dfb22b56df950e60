"""`--history DIR`: one JSON per day of auditing, so the dashboard can show the trend."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from publish.audit.model import AuditReport
from publish.audit.writers import write_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Run:
    """The counts of one past (or the current) run."""

    day: dt.date
    counts: dict[str, int]
    total: int


def save_run(history_dir: Path, summary: dict[str, Any], report: AuditReport) -> Path:
    """`DIR/YYYY-MM-DD.json`: the counts and each site's seconds (for next week's queue order);
    a second run the same day replaces the first. The full results stay in `audit.json`."""
    return write_file(*run_file(history_dir, summary, report))


def run_file(history_dir: Path, summary: dict[str, Any],
             report: AuditReport) -> tuple[Path, Callable[[TextIO], None]]:
    """The path of this run's history file and what writes it (see `save_run`)."""
    day = dt.datetime.fromisoformat(summary["waktu_audit"]).date()
    kept = {**summary, "detik": {r.target.url: round(r.seconds, 3) for r in report.results}}
    text = json.dumps(kept, ensure_ascii=False, indent=1) + "\n"
    return history_dir / f"{day.isoformat()}.json", lambda out: _put(out, text)


def _put(out: TextIO, text: str) -> None:
    out.write(text)


def load_runs(history_dir: Path, before: dt.date, limit: int = 12) -> list[Run]:
    """Earlier runs, oldest first; unreadable files are skipped with a log line."""
    runs = []
    for path in sorted(history_dir.glob("*.json")) if history_dir.is_dir() else []:
        try:
            day = dt.date.fromisoformat(path.stem)
            data = json.loads(path.read_text("utf-8"))
            runs.append(Run(day, {k: int(v) for k, v in data["ringkasan"].items()},
                            int(data.get("jumlah_situs", sum(data["ringkasan"].values())))))
        except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            log.warning("riwayat %s dilewati: %s", path, exc)
            continue
    return [run for run in runs if run.day < before][-limit:]


def last_durations(history_dir: Path) -> dict[str, float]:
    """URL → seconds each site took in the latest kept run ({} without history).

    Auditing the slowest sites first lets their waiting overlap the quick ones (longest job
    first), so a few sites that hang for the whole deadline do not end up last in the queue.
    """
    paths = sorted(history_dir.glob("*.json")) if history_dir.is_dir() else []
    for path in reversed(paths):
        try:
            data = json.loads(path.read_text("utf-8"))
            if "situs" in data:  # a run kept before the history held only the seconds
                return {site["url"]: float(site.get("detik") or 0) for site in data["situs"]}
            return {str(url): float(seconds) for url, seconds in data["detik"].items()}
        except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            log.warning("riwayat %s dilewati: %s", path, exc)
    return {}


def current_run(record: dict[str, Any]) -> Run:
    day = dt.datetime.fromisoformat(record["waktu_audit"]).date()
    return Run(day, dict(record["ringkasan"]), record["jumlah_situs"])
