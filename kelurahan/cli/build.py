"""`kelurahan build`: validate the content, then make everything from it, incrementally."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kelurahan.cli._options import content_option, now_option, out_option
from kelurahan.console import Output

if TYPE_CHECKING:
    from rich.progress import TaskID

    from generator.build import BuildReport


@click.command("build")
@content_option
@out_option
@click.option("--only", "only", multiple=True, metavar="SLUG", help="Hanya kelurahan ini.")
@click.option("--jobs", type=click.IntRange(min=1), help="Jumlah proses (bawaan: semua inti).")
@click.option("--force", is_flag=True, help="Bangun ulang semuanya, abaikan cache.")
@now_option
def command(content_dir: Path, out_dir: Path, only: tuple[str, ...], jobs: int | None,
            force: bool, now) -> None:
    """Bangun situs semua kelurahan, portal kota, kartu dan menu WhatsApp."""
    from generator.build import BuildOptions, build
    from kelurahan.resources import project_root
    from kelurahan.settings import Settings

    output = Output()
    options = BuildOptions(
        content_dir=content_dir, out_dir=out_dir, state_dir=Settings.from_environment().state_dir,
        project_root=project_root(), now=now, only=only, jobs=jobs or os.cpu_count() or 1,
        force=force)
    with _progress(output) as progress:
        report = build(options, progress)
    for problem in report.content_warnings:  # what `check` warns about, beside build's own
        output.warn(str(problem))
    for warning in report.warnings:
        output.warn(f"Peringatan: {warning}")
    if not report.built and not report.portal:
        output.say(f"Tidak ada perubahan: {len(report.unchanged)} situs sudah terbaru di {out_dir}/.")
    else:
        output.say(f"Selesai: {len(report.built)} situs dibangun ulang, {len(report.unchanged)} "
                   "tidak berubah" + (f", {len(report.removed)} dihapus" if report.removed else "")
                   + f"; portal kota di {out_dir}/index.html")
    _say_scheduled(output, report)


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

    if not output.err.is_terminal or os.environ.get("CI"):
        from contextlib import nullcontext

        return nullcontext(Progress())
    return _RichProgress(output)


class _RichProgress:
    def __init__(self, output: Output) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                            console=output.err, transient=False)
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
