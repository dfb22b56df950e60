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
@click.option("--post", "posts", multiple=True, metavar="KEGIATAN",
              help="Hanya kegiatan ini (nama berkas tanpa .md), ketiga kartunya, juga kegiatan lama.")
@now_option
def command(content_dir: Path, out_dir: Path, only: tuple[str, ...], force: bool,
            posts: tuple[str, ...], now) -> None:
    """Buat kartu Instagram, Facebook dan TikTok beserta keterangannya untuk setiap kegiatan.

    Kegiatan lama hanya mendapat kartu Facebook (gambar halaman kegiatannya); kartu Instagram
    dan TikTok-nya dibuat saat diperlukan, atau dengan --post.
    """
    from generator.cards import render_cards
    from kelurahan import load_valid
    from kelurahan.settings import Settings
    from kelurahan.slugs import select

    output = Output()
    city = load_valid(content_dir)
    select([k.slug for k in city.kelurahan], only)
    moment = resolve_now(now, city.tz)
    cache_dir = Settings.from_environment().state_dir / "cache" / "kartu"
    failed = 0
    chosen = [kel for kel in city.kelurahan if not only or kel.slug in only]
    if posts:
        _draw_posts(output, city, chosen, posts, out_dir, cache_dir)
        return
    for kel in chosen:
        report = render_cards(city, kel, out_dir, now=moment, cache_dir=cache_dir, force=force,
                              themes_dir=themes_dir())
        failed += _said(output, kel.slug, report, f"{report.summary()} → {report.preview}")
    if failed:
        raise click.exceptions.Exit(1)


def _said(output: Output, slug: str, report, line: str) -> int:
    """The summary line and every issue of one report; how many posts failed."""
    output.say(line)
    for issue in report.failed:
        output.error(f"{slug}: {issue}")
    for issue in report.warnings:
        output.warn(f"{slug}: {issue}")
    return len(report.failed)


def _draw_posts(output: Output, city, chosen: list, stems: tuple[str, ...], out_dir: Path,
                cache_dir: Path) -> None:
    """All three cards of the named posts (old ones too), added to the built site."""
    from generator.cards import draw_missing
    from kelurahan.errors import KelurahanError

    found = {post.stem: (kel, post) for kel in chosen for post in kel.posts if post.publishable}
    unknown = [stem for stem in stems if stem not in found]
    if unknown:
        raise KelurahanError(f"kegiatan tidak ada (atau masih draf): {', '.join(unknown)}")
    failed = 0
    for stem in stems:
        kel, post = found[stem]
        report = draw_missing(city, kel, [post], out_dir, cache_dir=cache_dir,
                              themes_dir=themes_dir())
        failed += _said(output, kel.slug, report,
                        f"{kel.slug}/{stem}: {report.summary()} → {out_dir / post.card_dir}")
    if failed:
        raise click.exceptions.Exit(1)


def themes_dir() -> Path:
    """The city's own `themes/` when it has one (as `build` uses), else the shipped one."""
    from kelurahan.resources import project_root, resource

    return resource(project_root(), "themes")
