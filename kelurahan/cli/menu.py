"""`kelurahan menu`: only the WhatsApp menus (the build makes them too)."""

from __future__ import annotations

from pathlib import Path

import click

from kelurahan.cli._options import content_option, out_option
from kelurahan.console import Output


@click.command("menu")
@content_option
@out_option
@click.option("--only", "only", multiple=True, metavar="SLUG", help="Hanya kelurahan ini.")
def command(content_dir: Path, out_dir: Path, only: tuple[str, ...]) -> None:
    """Buat menu WhatsApp (menu.json, menu.txt, list_message.json, quick_replies.csv)."""
    from generator.whatsapp import limit_problems, write_menu
    from kelurahan import load_valid
    from kelurahan.errors import ContentError
    from kelurahan.slugs import select

    output = Output()
    city = load_valid(content_dir)
    problems = [p for p in limit_problems(city) if p.is_error]
    if problems:
        raise ContentError(problems)
    select([k.slug for k in city.kelurahan], only)
    for kel in city.kelurahan:
        if only and kel.slug not in only:
            continue
        write_menu(city, kel, out_dir)
        output.say(f"{kel.slug}: menu WhatsApp {len(kel.services)} layanan → "
                   f"{out_dir / kel.slug / 'whatsapp'}")
