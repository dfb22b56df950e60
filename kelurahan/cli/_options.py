"""Options several commands share, declared once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kelurahan.dates import resolve_now

__all__ = ["content_option", "now_option", "out_option", "resolve_now"]

content_option = click.option(
    "--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
    show_default=True, help="Folder konten (kota.yml dan satu folder per kelurahan).",
)
out_option = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("site"),
    show_default=True, help="Folder hasil.",
)


def _parse_now(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"bukan waktu ISO seperti 2025-10-27T09:00+08:00: {value!r}") from None
    return moment


now_option = click.option(
    "--now", callback=_parse_now, metavar="ISO",
    help="Anggap sekarang waktu ini (ISO 8601; tanpa zona berarti zona waktu kota).",
)
