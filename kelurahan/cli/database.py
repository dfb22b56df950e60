"""`kelurahan database`: the shared state in PostgreSQL (`KELURAHAN_DATABASE_URL`)."""

from __future__ import annotations

from pathlib import Path

import click

from kelurahan.console import Output


@click.group("database")
def command() -> None:
    """Status bersama (buku catatan publikasi, memori bot, draf WhatsApp) di PostgreSQL."""


@command.command("copy")
@click.option("--from", "source_dir", type=click.Path(path_type=Path), required=True,
              metavar="FOLDER", help="Folder status lama (KELURAHAN_STATE_DIR) berisi "
              "publish.sqlite3 dan/atau bot.sqlite3.")
def copy(source_dir: Path) -> None:
    """Salin isi SQLite sebuah folder status ke PostgreSQL KELURAHAN_DATABASE_URL (sekali,
    sebelum publish dan bot pertama kali memakai PostgreSQL)."""
    from kelurahan.settings import Settings
    from publish.state import copy_to_database

    output = Output()
    for item in copy_to_database(source_dir, Settings.from_environment()):
        tables = item.tables
        if item.earlier is not None:
            output.say(f"{tables.label}: sudah disalin sebelumnya (dari {item.earlier}); "
                       "dilewati.")
            continue
        counts = ", ".join(f"{name} {n}" for name, n in item.counts.items())
        output.say(f"{tables.label}: {item.total} baris disalin dari {tables.sqlite_name} "
                   f"({counts}).")
    output.say(f"Selesai. Berkas SQLite di {source_dir} kini bernama *.sqlite3.disalin; simpan "
               "sebagai cadangan.")
