"""Moving an install's shared state from the SQLite files of a state folder into PostgreSQL.

One server keeps the publish ledger (`publish.sqlite3`) and the bot's memory and WhatsApp drafts
(`bot.sqlite3`) in its state folder. Switching it to `KELURAHAN_DATABASE_URL` must carry them
across: an empty ledger would post again every card of the look-back window, and open drafts
would vanish. Each store is opened on both sides as it would be on start (so an old SQLite file
gets its migrations first, and an old `draf/` folder its photos), then copied in one
transaction by `kelurahan.database.copy_tables`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kelurahan.database import (
    URL_NAME,
    Copied,
    Database,
    Tables,
    copy_tables,
    earlier_copy,
    open_database,
    refuse_filled,
)
from kelurahan.errors import KelurahanError
from kelurahan.locks import move_stores
from publish.bot import drafts, store
from publish.social import ledger

STORES: tuple[Tables, ...] = (ledger.TABLES, store.TABLES, drafts.TABLES)


def copy_to_database(source_dir: Path, settings: Mapping[str, str] | Any) -> Iterator[Copied]:
    """Every store whose SQLite file is in `source_dir`, into the configured PostgreSQL; each
    store as its copy is committed (a failure later leaves the earlier ones done).

    All stores are checked before anything is written: one that already holds rows (and was
    not filled by an earlier copy), or a process still using the SQLite files (what it wrote
    after the copy would be lost with the renamed file), stops the whole copy. A SQLite file
    is renamed `*.disalin` as soon as every store in it is copied.
    """
    _check(source_dir, settings)
    held = move_stores(source_dir)
    try:
        yield from _copy_all(source_dir, settings, _present(source_dir))
    finally:
        held.close()


def _copy_all(source_dir: Path, settings: Mapping[str, str] | Any,
              present: list[Tables]) -> Iterator[Copied]:
    target = open_database(settings, source_dir, "")
    try:
        for tables in present:
            if earlier_copy(target, tables) is None:
                refuse_filled(target, tables)
        done: set[str] = set()
        for tables in present:
            yield _copy(source_dir, target, tables)
            done.add(tables.store)
            if all(t.store in done for t in present if t.sqlite_name == tables.sqlite_name):
                _set_aside(source_dir / tables.sqlite_name)
    finally:
        target.close()


COPIED_SUFFIX = ".disalin"


def _set_aside(path: Path) -> None:
    """A file whose every store is in PostgreSQL now: renamed, kept as a backup. The stores
    refuse to start beside an un-renamed file with rows (`refuse_uncopied`), and nothing can
    fall back to its stale rows if the URL is ever removed.

    Never over an earlier backup: a file made again later (a manual run without the URL) is
    set aside as `*.disalin.2`, `.3`, … so the first copy's backup stays as it was.
    """
    parts = (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
    number = 1
    while any(_aside(part, path, number).exists() for part in parts):
        number += 1
    for part in parts:
        if part.exists():
            part.rename(_aside(part, path, number))


def _aside(part: Path, path: Path, number: int) -> Path:
    suffix = COPIED_SUFFIX if number == 1 else f"{COPIED_SUFFIX}.{number}"
    return part.with_name(part.name.replace(path.name, path.name + suffix))


def _check(source_dir: Path, settings: Mapping[str, str] | Any) -> None:
    url = settings.get(URL_NAME) if hasattr(settings, "get") else None
    if not url:
        raise KelurahanError(f"{URL_NAME} belum diisi: isi dengan alamat PostgreSQL tujuan "
                             "(postgresql://…), lalu jalankan lagi")
    if not source_dir.is_dir():
        raise KelurahanError(f"{source_dir}: folder status tidak ada")


def _present(source_dir: Path) -> list[Tables]:
    present = [t for t in STORES if (source_dir / t.sqlite_name).is_file()]
    if not present:
        names = " maupun ".join(sorted({t.sqlite_name for t in STORES}, reverse=True))
        copied = sorted(p.name for p in source_dir.glob(f"*{COPIED_SUFFIX}*"))
        if copied:
            raise KelurahanError(f"{source_dir}: {names} sudah disalin (kini {', '.join(copied)}); "
                                 "tidak ada yang disalin lagi")
        raise KelurahanError(f"{source_dir}: tidak ada {names}; tidak ada yang disalin")
    return present


def _copy(source_dir: Path, target: Database, tables: Tables) -> Copied:
    """Both sides opened by the store itself (migrations, old photo folders), then copied."""
    source = open_database({}, source_dir, tables.sqlite_name, shared=False)  # we hold it
    try:
        if tables is ledger.TABLES:
            ledger.SQLLedger(source), ledger.SQLLedger(target)
        elif tables is store.TABLES:
            store.BotStore(source), store.BotStore(target)
        else:
            drafts.DraftStore(source, source_dir / drafts.LEGACY_FOLDER), drafts.DraftStore(target)
        return copy_tables(source, target, tables)
    finally:
        source.close()
