"""`kelurahan new SLUG`: a new kelurahan folder that passes `check`."""

from __future__ import annotations

from pathlib import Path

import click

from kelurahan.cli._options import content_option
from kelurahan.console import Output


@click.command("new")
@click.argument("slug")
@content_option
@click.option("--nama", help="Nama kelurahan (bawaan: dari SLUG).")
@click.option("--kecamatan", prompt="Kecamatan", help="Nama kecamatan.")
def command(slug: str, content_dir: Path, nama: str | None, kecamatan: str) -> None:
    """Buat folder kelurahan baru: profil, contoh layanan, folder kegiatan dan media."""
    from kelurahan.scaffold import new_kelurahan

    name = nama or slug.replace("-", " ").title()
    folder = new_kelurahan(content_dir, slug, name=name, district=kecamatan)
    Output().say(f"Dibuat {folder}/ — lengkapi profil.md, lalu jalankan 'kelurahan check'.")
