"""`kelurahan check`: every problem in the content, one line each."""

from __future__ import annotations

from pathlib import Path

import click

from kelurahan.cli._options import content_option
from kelurahan.console import Output


@click.command("check")
@content_option
@click.option("--strict", is_flag=True, help="Peringatan juga dianggap gagal.")
def command(content_dir: Path, strict: bool) -> None:
    """Periksa semua konten; tampilkan setiap masalah sebagai `berkas: kunci: pesan`."""
    from generator.whatsapp import limit_problems
    from kelurahan import check
    from kelurahan.photos import PhotoChecks
    from kelurahan.settings import Settings
    from kelurahan.yamlfile import locate

    output = Output()
    photos = PhotoChecks(Settings.from_environment().state_dir / "cache")
    loaded = check(content_dir, photos=photos)
    if loaded.city is not None:
        loaded.problems.extend(locate(limit_problems(loaded.city)))
    output.problems(loaded.problems)
    errors = [p for p in loaded.problems if p.is_error]
    warnings = len(loaded.problems) - len(errors)
    if errors or (strict and warnings):
        output.error(f"{len(errors)} kesalahan, {warnings} peringatan.")
        raise click.exceptions.Exit(1)
    city = loaded.city
    assert city is not None  # no errors means kota.yml loaded
    services = sum(len(k.services) for k in city.kelurahan)
    posts = sum(len(k.posts) for k in city.kelurahan)
    output.say(f"Konten {city.name} baik: {len(city.kelurahan)} kelurahan, {services} layanan, "
               f"{posts} kegiatan, {warnings} peringatan.", style="green")
