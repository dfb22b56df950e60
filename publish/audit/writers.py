"""Writing `audit.csv`, `audit.json` and `audit.html`, streamed: all three (and the history file)
are written beside their targets first and renamed together at the end, so an interrupted run
leaves the previous set whole, never one new file among old ones.

`audit.csv` is for Indonesian Excel: `;`-separated (the Indonesian list separator) with a BOM so
it opens in columns with the accents intact, and no cell can run as a formula.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from kelurahan.errors import KelurahanError
from kelurahan.files import open_atomic, open_beside
from publish.audit.records import CSV_COLUMNS, csv_row

CSV_NAME, JSON_NAME, HTML_NAME = "audit.csv", "audit.json", "audit.html"
CSV_SEPARATOR = ";"


def write_csv(handle: TextIO, sites: Iterable[dict[str, Any]], run_time: str = "") -> None:
    """One row per site; `waktu_audit` (the run's time) on every row, so a CSV can be matched
    with the `audit.json` and `audit.html` of the same run."""
    handle.write("\ufeff")
    writer = csv.DictWriter(handle, fieldnames=(*CSV_COLUMNS, "waktu_audit"),
                            delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({**csv_row(site), "waktu_audit": run_time} for site in sites)


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


Writer = Callable[[TextIO], None]


def write_files(files: Sequence[tuple[Path, Writer]]) -> list[Path]:
    """Every file into a temporary file beside it, then all renamed in a row at the end: killed
    while writing, the previous files stay as they were (and the temporary ones go next run)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, write in files:
            remove_stale_temps(path)
            staged.append((_staged(path, write), path))
        for temp, path in staged:
            os.replace(temp, path)
    except OSError as exc:
        _discard(staged)
        failed = exc.filename or (staged[-1][1] if staged else files[0][0])
        raise KelurahanError(f"tidak dapat menulis {_target(failed, files)}: "
                             f"{exc.strerror or exc}") from None
    except BaseException:
        _discard(staged)
        raise
    return [path for path, _ in files]


def remove_stale_temps(path: Path) -> None:
    """Temporary files of `path` left by a run that was killed (`.audit.csv.x1y2.tmp`)."""
    if path.parent.is_dir():
        for stale in path.parent.glob(f".{path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()


def _staged(path: Path, write: Writer) -> Path:
    with open_beside(path) as (handle, temp):
        write(handle)
    return temp


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temp, _ in staged:
        with contextlib.suppress(OSError):
            temp.unlink()


def _target(failed: object, files: Sequence[tuple[Path, Writer]]) -> Path:
    """The output a failure concerns (a temporary file's error names its target)."""
    text = str(failed)
    for path, _ in files:
        if text == str(path) or Path(text).name.startswith(f".{path.name}."):
            return path
    for path, _ in files:
        if text in (str(path.parent), str(path.parent / path.name)):
            return path
    return Path(text)
