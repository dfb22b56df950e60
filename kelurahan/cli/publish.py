"""`kelurahan publish`: post due cards to Facebook, Instagram and TikTok, exactly once."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kelurahan.cli._options import content_option, now_option, resolve_now
from kelurahan.console import Output

if TYPE_CHECKING:
    from kelurahan.model import City
    from kelurahan.settings import Settings


@click.command("publish")
@content_option
@click.option("--site", "site_dir", type=click.Path(path_type=Path), default=Path("site"),
              show_default=True, help="Folder hasil build (tempat kartu/kartu.json).")
@now_option
@click.option("--dry-run", is_flag=True, help="Tampilkan apa yang akan diposting; tidak mengubah apa pun.")
@click.option("--only", "only", multiple=True, metavar="SLUG", help="Hanya kelurahan ini.")
@click.option("--status", "show_status", is_flag=True, help="Tampilkan antrean publikasi.")
def command(content_dir: Path, site_dir: Path, now: dt.datetime | None, dry_run: bool,
            only: tuple[str, ...], show_status: bool) -> None:
    """Posting kartu yang sudah waktunya (sekali saja per kanal); aman dijalankan berulang dari cron."""
    from kelurahan import load_valid
    from kelurahan.settings import Settings
    from kelurahan.slugs import select
    from publish.social import report

    # urllib3 logs request URLs at DEBUG, and Graph GETs carry the token in the query string.
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    output = Output()
    settings = Settings.from_environment()
    city = load_valid(content_dir)
    select([k.slug for k in city.kelurahan], only)
    moment = resolve_now(now, city.tz)
    if show_status:
        from publish.social.ledger import read_rows

        lines = report.status_lines(city, read_rows(settings.state_dir), moment, only)
    elif dry_run:
        from publish.social.preview import preview

        lines = report.preview_lines(preview(city, site_dir, settings, moment, only), city)
        lines = lines or ["Tidak ada yang perlu diposting sekarang."]
    else:
        _publish(output, city, site_dir, settings, moment, only)
        return
    for line in lines:
        output.say(line)


def _publish(output: Output, city: City, site_dir: Path, settings: Settings,
             moment: dt.datetime, only: tuple[str, ...]) -> None:
    """Post what is due; exit 1 when something failed for good or a token must be renewed."""
    from publish.social import report
    from publish.social.runner import publish_due

    results = publish_due(city, site_dir, settings, moment, only)
    for line in report.result_lines(results, city) or ["Tidak ada yang perlu diposting sekarang."]:
        output.say(line)
    if any(r.row.state == "failed" or r.row.error_kind == "token" for r in results):
        raise click.exceptions.Exit(1)
