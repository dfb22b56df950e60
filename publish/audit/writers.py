"""Writing `audit.csv`, `audit.json` and `audit.html`, streamed, each replaced whole or not at all.

`audit.csv` is for Indonesian Excel: `;`-separated (the Indonesian list separator) with a BOM so
it opens in columns with the accents intact, and no cell can run as a formula.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from kelurahan.errors import KelurahanError
from kelurahan.files import open_atomic
from publish.audit.records import CSV_COLUMNS, csv_row

CSV_NAME, JSON_NAME, HTML_NAME = "audit.csv", "audit.json", "audit.html"
CSV_SEPARATOR = ";"


def write_csv(handle: TextIO, sites: Iterable[dict[str, Any]]) -> None:
    handle.write("\ufeff")
    writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, delimiter=CSV_SEPARATOR,
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_row(site) for site in sites)


def write_json(handle: TextIO, summary: dict[str, Any], sites: Iterable[dict[str, Any]]) -> None:
    """The summary's keys, then `situs` one site per line: valid JSON, written as it goes."""
    head = json.dumps(summary, ensure_ascii=False, indent=2)
    handle.write(head[:-2] + ',\n  "situs": [')
    for index, site in enumerate(sites):
        handle.write(("," if index else "") + "\n    " + json.dumps(site, ensure_ascii=False))
    handle.write("\n  ]\n}\n")


def write_file(path: Path, write: Callable[[TextIO], None]) -> Path:
    """Stream into a file beside the target, then rename: an interrupted run leaves the old file."""
    try:
        with open_atomic(path) as handle:
            write(handle)
    except OSError as exc:
        raise KelurahanError(f"tidak dapat menulis {path}: {exc.strerror or exc}") from None
    return path
