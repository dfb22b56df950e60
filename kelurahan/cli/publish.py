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
@click.option("--dry-run", is_flag=True,
              help="Tampilkan apa yang akan diposting dan apa yang akan gagal; tidak mengubah apa pun.")
@click.option("--only", "only", multiple=True, metavar="SLUG", help="Hanya kelurahan ini.")
@click.option("--status", "show_status", is_flag=True, help="Tampilkan antrean publikasi.")
@click.option("--sudah-terbit", "seen", metavar="SLUG/POST/KANAL",
              help="Posting 'periksa manual' sudah ada di platform: tandai terbit.")
@click.option("--kirim-ulang", "resend", metavar="SLUG/POST/KANAL",
              help="Posting 'periksa manual' tidak ada di platform: kirim lagi pada run berikutnya.")
def command(content_dir: Path, site_dir: Path, now: dt.datetime | None, dry_run: bool,
            only: tuple[str, ...], show_status: bool, seen: str | None, resend: str | None
            ) -> None:
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
    for post in (p for k in city.kelurahan for p in k.posts if p.unfinished and not p.draft):
        output.warn(f"{post.source}: isi: tidak diposting: masih berisi teks contoh dari "
                    "'kelurahan post'; tulis laporannya dulu")
    select([k.slug for k in city.kelurahan], only)
    moment = resolve_now(now, city.tz)
    if seen or resend:
        return _resolve(output, settings, seen or resend or "", bool(seen), moment)
    if show_status:
        from publish.social.ledger import read_rows

        lines = report.status_lines(city, read_rows(settings.state_dir, settings.get("KELURAHAN_DATABASE_URL")), moment, site_dir, only)
    elif dry_run:
        return _dry_run(output, city, site_dir, settings, moment, only)
    else:
        return _publish(output, city, site_dir, settings, moment, only)
    for line in lines:
        output.say(line)


def _dry_run(output: Output, city: City, site_dir: Path, settings: Settings,
             moment: dt.datetime, only: tuple[str, ...]) -> None:
    """Exit 1 when anything listed would fail."""
    from publish.social import report
    from publish.social.preview import preview

    previews = preview(city, site_dir, settings, moment, only)
    for line in report.preview_lines(previews, city) or [
            "Tidak ada yang perlu diposting sekarang."]:
        output.say(line)
    if any(item.problems for item in previews):
        raise click.exceptions.Exit(1)


def _publish(output: Output, city: City, site_dir: Path, settings: Settings,
             moment: dt.datetime, only: tuple[str, ...]) -> None:
    """Post what is due; exit 1 when something failed or a person must act."""
    from publish.social import report
    from publish.social.runner import publish_due

    results = publish_due(city, site_dir, settings, moment, only,
                          draw=_card_drawer(city, site_dir, settings))
    for line in report.result_lines(results, city, moment) or [
            "Tidak ada yang perlu diposting sekarang."]:
        output.say(line)
    if report.run_failed(results):
        raise click.exceptions.Exit(1)


def _card_drawer(city: City, site_dir: Path, settings: Settings):
    """The generator draws cards the build left for first use; publish itself never imports it."""
    from generator.cards import card_drawer
    from kelurahan.cli.cards import themes_dir

    return card_drawer(city, site_dir, settings.state_dir / "cache" / "kartu", themes_dir())


def _resolve(output: Output, settings: Settings, text: str, seen: bool,
             moment: dt.datetime) -> None:
    from kelurahan import KelurahanError
    from publish.social.ledger import Key, State, open_ledger

    parts = text.strip("/").split("/")
    if len(parts) != 3:
        raise KelurahanError(f"tulis SLUG/POST/KANAL seperti di --status, bukan {text!r}")
    key = Key(*parts)
    ledger = open_ledger(settings.state_dir, settings.get("KELURAHAN_DATABASE_URL"))
    try:
        row = ledger.resolve(key, State.PUBLISHED if seen else State.RETRY, moment)
    finally:
        ledger.close()
    if row is None:
        raise KelurahanError(f"{key} tidak sedang menunggu pemeriksaan manual")
    output.say(f"{key}: " + ("ditandai terbit." if seen else
                            "akan dikirim lagi pada run berikutnya."))
