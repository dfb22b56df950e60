"""`kelurahan audit`: which kelurahan sites are inactive, as a table, CSV, JSON and a dashboard.

Exit codes for scripts: 0 every site `aktif`; 3 at least one is not; 1 the audit itself failed
(invalid content, nothing to audit, output not writable).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from kelurahan.cli._options import now_option, resolve_now
from kelurahan.console import Output
from kelurahan.dates import DEFAULT_TIMEZONE
from kelurahan.errors import KelurahanError

NOT_ALL_ACTIVE = 3


@click.command("audit")
@click.option("--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
              show_default=True, help="Folder konten; dilewati bila tidak ada dan --url/--sites diberi.")
@click.option("--url", "urls", multiple=True, metavar="URL", help="Situs tambahan (boleh berulang).")
@click.option("--sites", "sites_file", type=click.Path(path_type=Path), metavar="FILE.csv",
              help="Daftar situs tambahan: CSV dengan kolom nama,url[,kecamatan].")
@now_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("audit"),
              show_default=True, help="Folder untuk audit.csv, audit.json, audit.html.")
@click.option("--history", "history_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Simpan setiap audit di sini (DIR/TANGGAL.json) untuk tren di dasbor.")
@click.option("--izinkan-jaringan-lokal", "allow_local", is_flag=True,
              help="Izinkan alamat loopback, privat dan link-local (audit situs intranet).")
@click.option("--concurrency", type=click.IntRange(1, 256), default=64, show_default=True,
              help="Jumlah situs yang diperiksa sekaligus.")
@click.option("--timeout", type=click.FloatRange(0.1, 300), default=15.0, show_default=True,
              help="Batas waktu total per situs, dalam detik.")
def command(content_dir: Path, urls: tuple[str, ...], sites_file: Path | None,
            now: dt.datetime | None, out_dir: Path, history_dir: Path | None,
            allow_local: bool, concurrency: int, timeout: float) -> None:
    """Periksa situs kelurahan mana yang tidak aktif (exit 0 semua aktif, 3 ada yang tidak, 1 gagal)."""
    from kelurahan.settings import Settings
    from publish.audit import AuditOptions, Thresholds, audit, url_targets, write_report
    from publish.audit.history import last_durations
    from publish.audit.records import site_records
    from publish.audit.social import read_social, with_social
    from publish.audit.terminal import print_report

    output = Output()
    city = _load_city(content_dir, bool(urls or sites_file))
    moment = _now(now, city)
    listed = _file_targets(sites_file)
    sites_file_notes = listed.notes if listed else []
    targets = _city_targets(city) + url_targets(urls) + (listed.targets if listed else [])
    if not targets:
        raise KelurahanError("tidak ada situs untuk diaudit: kota.yml tanpa kelurahan dan "
                             "situs_luar, dan tidak ada --url atau --sites")
    thresholds = (Thresholds(city.audit.active_days, city.audit.less_active_days) if city
                  else Thresholds())
    options = AuditOptions(concurrency=concurrency, total_timeout=timeout,
                           connect_timeout=min(5.0, timeout), allow_local_network=allow_local)
    output.say(f"Memeriksa {len(targets)} situs ({concurrency} sekaligus)…", stderr=True)
    with _progress_bar(output, len(targets)) as advance:
        report = audit(targets, moment, city=city.name if city else "", thresholds=thresholds,
                       options=options, progress=advance,
                       expected_seconds=last_durations(history_dir) if history_dir else None)
    settings = Settings.from_environment()
    social, ledger_note = read_social(settings.state_dir, moment,
                                      settings.get("KELURAHAN_DATABASE_URL"))
    report = with_social(report, social)
    notes = [*sites_file_notes, *report.notes, *([ledger_note] if ledger_note else [])]
    report = replace(report, notes=tuple(notes))
    written = write_report(report, out_dir, history_dir)
    print_report(output.console(), written.summary, site_records(report), len(report.results))
    output.say(f"Selesai dalam {report.seconds:.1f} detik. Hasil: "
               + ", ".join(str(p) for p in written.paths))
    if not report.all_active:
        raise click.exceptions.Exit(NOT_ALL_ACTIVE)


def _now(now: dt.datetime | None, city) -> dt.datetime:
    """The city's zone; without `kota.yml`, an explicit `--now` offset is kept as given."""
    if city is None and now is not None and now.tzinfo is not None:
        return now
    return resolve_now(now, city.tz if city else ZoneInfo(DEFAULT_TIMEZONE))


@contextmanager
def _progress_bar(output: Output, total: int) -> Iterator[Callable[[object], None] | None]:
    """A bar on an interactive terminal; nothing in scripts, cron or CI logs."""
    if not output.interactive:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=output.console(stderr=True), transient=True) as bar:
        task = bar.add_task("Memeriksa situs", total=total)
        yield lambda _result: bar.advance(task)


def _load_city(content_dir: Path, has_other_sites: bool):
    from kelurahan import load_valid

    if not (content_dir / "kota.yml").is_file() and has_other_sites:
        return None
    return load_valid(content_dir)


def _city_targets(city) -> list:
    from publish.audit import city_targets

    return city_targets(city) if city else []


def _file_targets(sites_file: Path | None):
    from publish.audit import read_sites_csv

    return read_sites_csv(sites_file) if sites_file else None
