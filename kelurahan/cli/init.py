"""`kelurahan init DIR --kota "Kota …" --zona-waktu Asia/Makassar`: a new city's folder."""

from __future__ import annotations

from pathlib import Path

import click

from kelurahan.console import Output


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--kota", required=True, help='Nama kota, misalnya "Kota Samarinda".')
@click.option("--zona-waktu", "zone", required=True, metavar="ZONA",
              help="Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT).")
@click.option("--provinsi", help="Nama provinsi.")
@click.option("--alamat-situs", "site_url", metavar="URL",
              help="Alamat publik situs, misalnya https://kelurahan.kota.go.id/.")
@click.option("--kelurahan", "kelurahan", default="Contoh", show_default=True,
              help="Nama kelurahan pertama.")
@click.option("--kecamatan", default="Contoh", show_default=True,
              help="Kecamatan kelurahan pertama.")
def command(folder: Path, kota: str, zone: str, provinsi: str | None, site_url: str | None,
            kelurahan: str, kecamatan: str) -> None:
    """Buat folder kota baru: content/kota.yml, satu kelurahan, .gitignore dan README."""
    from kelurahan.scaffold import new_city

    new_city(folder, name=kota, zone=zone, province=provinsi, site_url=site_url,
             kelurahan=kelurahan, district=kecamatan)
    Output().say(f"Dibuat {folder}/ — masuk ke folder itu, lalu jalankan 'kelurahan check' "
                 "dan 'kelurahan build'. Baca README.md di dalamnya.")
