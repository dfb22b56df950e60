"""Writing `audit.csv`, `audit.json` and `audit.html`, each replaced whole or not at all."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from kelurahan.errors import KelurahanError
from kelurahan.files import write_text_atomic
from publish.audit.records import CSV_COLUMNS, csv_row

CSV_NAME, JSON_NAME, HTML_NAME = "audit.csv", "audit.json", "audit.html"


def render_csv(record: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_row(site) for site in record["situs"])
    return buffer.getvalue()


def render_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def write_outputs(out_dir: Path, record: dict[str, Any], html: str) -> list[Path]:
    """The three files in `out_dir`; a reader never sees a half-written one."""
    files = {CSV_NAME: render_csv(record), JSON_NAME: render_json(record), HTML_NAME: html}
    return [write_atomic(out_dir / name, text) for name, text in files.items()]


def write_atomic(path: Path, text: str) -> Path:
    """Write beside the target then rename, so an interrupted run leaves the old file."""
    try:
        return write_text_atomic(path, text)
    except OSError as exc:
        raise KelurahanError(f"tidak dapat menulis {path}: {exc.strerror or exc}") from None
