"""`kelurahan build`: validate the content, then make everything from it, incrementally."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kelurahan.cli._options import content_option, now_option, out_option
from kelurahan.console import Output

if TYPE_CHECKING:
    from rich.progress import TaskID

    from generator.build import BuildReport


# Exit status when some kelurahan were held back by content errors and the rest was built:
# not 1, so the timer still publishes the others' due posts (the units accept it).
HELD_BACK = 3


@click.command("build")
@content_option
@out_option
@click.option("--only", "only", multiple=True, metavar="SLUG", help="Hanya kelurahan ini.")
@click.option("--jobs", type=click.IntRange(min=1), help="Jumlah proses (bawaan: semua inti).")
@click.option("--force", is_flag=True, help="Bangun ulang semuanya, abaikan cache.")
@click.option("--shard", metavar="I/N",
              help="Hanya kelurahan shard ke-I dari N (build di beberapa mesin), ke --out sendiri.")
@click.option("--shard-count", type=click.IntRange(min=1), metavar="N",
              help="Jumlah shard; nomornya dari JOB_COMPLETION_INDEX (Kubernetes Indexed Job).")
@click.option("--portal-only", is_flag=True,
              help="Gabungkan hasil semua shard (--summaries) menjadi satu situs lengkap di --out.")
@click.option("--summaries", "summaries", multiple=True, metavar="FOLDER",
              type=click.Path(path_type=Path),
              help="Folder hasil satu shard (atau folder berisi folder hasil shard); boleh berulang.")
@click.option("--symlink", is_flag=True,
              help="Dengan --portal-only: satu symlink per kelurahan ke folder shard-nya (volume "
                   "bersama yang dilayani langsung) alih-alih hard link setiap berkas.")
@now_option
def command(content_dir: Path, out_dir: Path, only: tuple[str, ...], jobs: int | None,
            force: bool, shard: str | None, shard_count: int | None, portal_only: bool,
            summaries: tuple[Path, ...], symlink: bool, now) -> int:
    """Bangun situs semua kelurahan, portal kota, kartu dan menu WhatsApp.

    Kelurahan yang kontennya bermasalah tidak dibangun (situs lamanya tetap tayang) dan yang
    lain tetap dibangun; kode keluar 3 bila ada yang tertahan."""
    from generator.build import BuildOptions
    from kelurahan.resources import project_root
    from kelurahan.settings import Settings

    output = Output()
    if portal_only or summaries or symlink:
        _merge(output, content_dir, out_dir, (shard, shard_count), portal_only, summaries,
               symlink, now)
        return 0
    sharded = _shard(content_dir, shard, shard_count, only)
    if sharded is not None:
        only = sharded[1]
    options = BuildOptions(
        content_dir=content_dir, out_dir=out_dir, state_dir=Settings.from_environment().state_dir,
        project_root=project_root(), now=now, only=only, jobs=jobs or os.cpu_count() or 1,
        force=force, scope=sharded[1] if sharded else None, hold_back=sharded is None)
    report = _run(output, options, sharded[0] if sharded else None)
    for problem in report.content_warnings:  # what `check` warns about, beside build's own
        output.warn(str(problem))
    output.problems(report.held_problems)
    for warning in report.warnings:
        output.warn(f"Peringatan: {warning}")
    if not report.built and not report.portal and not report.held:
        output.say(f"Tidak ada perubahan: {len(report.unchanged)} situs sudah terbaru di {out_dir}/.")
    elif report.built or report.portal:
        output.say(f"Selesai: {len(report.built)} situs dibangun ulang, {len(report.unchanged)} "
                   "tidak berubah" + (f", {len(report.removed)} dihapus" if report.removed else "")
                   + f"; portal kota di {out_dir}/index.html")
    _say_scheduled(output, report)
    if report.held:
        output.error(f"Gagal sebagian: {', '.join(report.held)} tidak dibangun karena "
                     f"{len(report.held_problems)} masalah pada kontennya (situsnya yang lama "
                     "tetap tayang); kelurahan lain tidak ikut tertahan. Perbaiki lalu build lagi.")
        return HELD_BACK
    return 0


@contextmanager
def _collecting_rarely() -> Iterator[None]:
    """Cyclic garbage collected every 100,000 new objects instead of every 700 while the build
    runs in this process (it builds one site itself when only one changed): a build allocates
    millions of objects that live until it ends (mkdocs pages, pydantic models, Markdown
    trees), which the default keeps scanning. One new post on the 59 × 150 city, alternated
    runs: 0.02–0.06 s less of 1.2–1.6 s (medians), the same peak memory (70 MB)."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(100_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _run(output: Output, options, shard) -> BuildReport:
    """The build; for a shard, its portal summaries too (a shard may hold no kelurahan)."""
    import datetime as dt

    from generator.build import BuildReport, build

    if shard is None or options.only:
        with _collecting_rarely(), _progress(output) as progress:
            report = build(options, progress)
    else:
        report = BuildReport()
    if shard is not None:
        from generator.shards import write_shard_summaries

        written = write_shard_summaries(options.state_dir, options.out_dir, shard,
                                        list(options.only), options.now or dt.datetime.now(dt.UTC))
        output.say(f"Shard {shard}: {len(options.only)} kelurahan; ringkasan portal di {written}")
    return report


def _shard(content_dir: Path, flag: str | None, count: int | None, only: tuple[str, ...]):
    """(shard, its kelurahan) from --shard/--shard-count or the engine's variables; else None."""
    from kelurahan.shards import resolve_shard
    from kelurahan.slugs import kelurahan_slugs

    shard = resolve_shard(flag, count, os.environ)
    if shard is None:
        return None
    if only:
        raise click.UsageError("--only dan --shard tidak bisa dipakai bersama")
    return shard, tuple(shard.select(kelurahan_slugs(content_dir)))


def _merge(output: Output, content_dir: Path, out_dir: Path, shard: tuple[str | None, int | None],
           portal_only: bool, summaries: tuple[Path, ...], symlink: bool, now) -> None:
    """`--portal-only`: every shard's output into one complete site."""
    from generator.shards import MergeOptions, merge_shards
    from kelurahan.resources import project_root
    from kelurahan.settings import Settings

    if not portal_only:
        raise click.UsageError("--summaries dan --symlink hanya dipakai bersama --portal-only")
    if shard != (None, None):
        raise click.UsageError("--portal-only menggabungkan semua shard; jangan pakai --shard "
                               "atau --shard-count")
    if not summaries:
        raise click.UsageError("--portal-only perlu --summaries FOLDER (hasil setiap shard)")
    report = merge_shards(MergeOptions(
        content_dir=content_dir, out_dir=out_dir, state_dir=Settings.from_environment().state_dir,
        project_root=project_root(), shard_dirs=summaries, now=now, symlinks=symlink))
    output.say(f"Selesai: {len(report.sites)} situs dari {report.shards} shard digabung"
               + (f", {len(report.removed)} dihapus" if report.removed else "")
               + f"; portal di {out_dir}/index.html")


def _say_scheduled(output: Output, report: BuildReport) -> None:
    """When each post that is not visible yet will appear (the timer's next build shows it)."""
    from kelurahan.dates import appear_text

    if not report.scheduled:
        return
    output.say("Belum tampil (muncul sendiri pada build pertama setelah waktunya):")
    for item in report.scheduled:
        when = appear_text(item.at, report.timezone or str(item.at.tzinfo))
        if item.source is None:
            output.say(f"  {item.slug}: kegiatan terjadwal berikutnya tampil {when}")
        else:
            output.say(f"  {item.source}: \"{item.title}\" tampil {when}")


def _progress(output: Output):
    """A bar per site on a terminal; nothing in CI or when output goes to a file."""
    from generator.build import Progress

    if not output.on_terminal(stderr=True) or os.environ.get("CI"):
        from contextlib import nullcontext

        return nullcontext(Progress())
    return _RichProgress(output)


class _RichProgress:
    def __init__(self, output: Output) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                            console=output.console(stderr=True), transient=False)
        self.tasks: dict[str, TaskID] = {}
        self.total: TaskID | None = None

    def __enter__(self) -> _RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def start(self, slugs: list[str]) -> None:
        self.total = self.bar.add_task(f"{len(slugs)} situs", total=len(slugs))
        for slug in slugs:
            self.tasks[slug] = self.bar.add_task(f"  {slug}", total=1)

    def done(self, slug: str, ok: bool) -> None:
        label = f"  {slug}" if ok else f"  {slug} [gagal]"
        self.bar.update(self.tasks[slug], completed=1, description=label)
        if self.total is not None:
            self.bar.advance(self.total)
