"""`kelurahan build`: validate the content, then make everything from it."""

from __future__ import annotations

from pathlib import Path

import click

from kelurahan.commands._options import content_option, now_option, out_option, resolve_now
from kelurahan.console import Output


@click.command("build")
@content_option
@out_option
@click.option("--only", "only", multiple=True, metavar="SLUG", help="Hanya kelurahan ini.")
@click.option("--jobs", type=click.IntRange(min=1), help="Jumlah proses (bawaan: semua inti).")
@click.option("--force", is_flag=True, help="Bangun ulang semuanya, abaikan cache.")
@now_option
def command(content_dir: Path, out_dir: Path, only: tuple[str, ...], jobs: int | None,
            force: bool, now) -> None:
    """Bangun situs semua kelurahan, portal kota, kartu dan menu WhatsApp."""
    from kelurahan import load_valid

    output = Output()
    city = load_valid(content_dir)
    moment = resolve_now(now, city.tz)
    for kel in city.kelurahan:
        if only and kel.slug not in only:
            continue
        shown = len(kel.published_posts(moment))
        output.say(f"{kel.slug}: {kel.name} (Kec. {kel.district}) — {len(kel.services)} layanan, "
                   f"{shown} kegiatan terbit")
