"""`kelurahan cards`: only the social-media cards (the build makes them too)."""

from __future__ import annotations

from pathlib import Path

import click

from kelurahan.cli._options import content_option, now_option, out_option, resolve_now
from kelurahan.console import Output


@click.command("cards")
@content_option
@out_option
@click.option("--only", "only", multiple=True, metavar="SLUG", help="Hanya kelurahan ini.")
@click.option("--force", is_flag=True, help="Gambar ulang semua kartu, abaikan cache.")
@now_option
def command(content_dir: Path, out_dir: Path, only: tuple[str, ...], force: bool, now) -> None:
    """Buat kartu Instagram, Facebook dan TikTok beserta keterangannya untuk setiap kegiatan."""
    from generator.cards import render_cards
    from kelurahan import load_valid
    from kelurahan.resources import project_root, resource
    from kelurahan.settings import Settings
    from kelurahan.slugs import select

    output = Output()
    city = load_valid(content_dir)
    select([k.slug for k in city.kelurahan], only)
    moment = resolve_now(now, city.tz)
    cache_dir = Settings.from_environment().state_dir / "cache" / "kartu"
    failed = 0
    for kel in city.kelurahan:
        if only and kel.slug not in only:
            continue
        report = render_cards(city, kel, out_dir, now=moment, cache_dir=cache_dir, force=force,
                              themes_dir=resource(project_root(), "themes"))
        output.say(f"{report.summary()} → {report.preview}")
        for issue in report.failed:
            output.error(f"{kel.slug}: {issue}")
        for issue in report.warnings:
            output.warn(f"{kel.slug}: {issue}")
        failed += len(report.failed)
    if failed:
        raise click.exceptions.Exit(1)

