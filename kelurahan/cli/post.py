"""`kelurahan post SLUG "Judul" [--foto F]`: start this week's post."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kelurahan.cli._options import content_option, now_option, resolve_now
from kelurahan.console import Output

if TYPE_CHECKING:
    from kelurahan.model import City


@click.command("post")
@click.argument("slug")
@click.argument("judul")
@click.option("--foto", type=click.Path(path_type=Path), help="Foto kegiatan (disalin ke media/).")
@content_option
@now_option
def command(slug: str, judul: str, foto: Path | None, content_dir: Path,
            now: dt.datetime | None) -> None:
    """Buat kegiatan baru bertanggal hari ini (zona waktu kota)."""
    from kelurahan.loading import load
    from kelurahan.scaffold import new_post

    city = load(content_dir).city
    tz = city.tz if city else dt.UTC
    moment = resolve_now(now, tz)
    path = new_post(content_dir, slug, judul, today=moment.date(), photo=foto)
    output = Output()
    output.say(f"Dibuat {path} — tulis laporannya, lalu jalankan 'kelurahan build'.")
    if city is not None:
        output.say(_when_visible(city, moment))


def _when_visible(city: City, moment: dt.datetime) -> str:
    """Without `jadwal` a post goes live today at `jam_terbit`: say when, in the city's time."""
    from kelurahan.dates import appear_text

    at = dt.datetime.combine(moment.date(), city.publish_time, tzinfo=city.tz)
    if at <= moment:
        return "Kegiatan ini tampil pada build berikutnya (jam terbit hari ini sudah lewat)."
    return (f"Kegiatan ini tampil {appear_text(at, city.timezone)} (jam_terbit di kota.yml; "
            "ubah dengan 'jadwal:'), pada build pertama setelah waktu itu.")
