"""`kelurahan build`: every kelurahan website, the city portal, cards and WhatsApp menus.

The pipeline, top to bottom: fingerprint the inputs (without parsing them) → decide which
kelurahan changed → load and validate the content (only the changed kelurahan when the rest
is known) → build each changed kelurahan in its own
process into a staging folder → write the portal → only when everything succeeded, swap the new
sites into `--out` and remember the fingerprints. A failure leaves `--out` as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import shutil
import subprocess
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from generator.incremental import BuildState, Fingerprints, SiteRecord, fingerprint, folders
from generator.site.changed import load_changed, real_paths
from generator.site.kelurahan_site import SiteSummary, build_kelurahan_site, summarise
from generator.site.search import Indexing
from generator.site_cache import SiteCache, site_key
from kelurahan.errors import ContentError, KelurahanError, describe_os_error
from kelurahan.model import City, Kelurahan
from kelurahan.problems import Problem
from kelurahan.resources import resource
from kelurahan.slugs import unknown_kelurahan

if TYPE_CHECKING:
    from generator.cards.pipeline import CardRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path
    out_dir: Path
    state_dir: Path
    project_root: Path
    now: dt.datetime | None = None
    only: tuple[str, ...] = ()
    jobs: int = 1
    force: bool = False
    wait: bool = False  # for the lock: a build from WhatsApp queues behind the timer's build


@dataclass(frozen=True)
class Scheduled:
    """A post not visible yet that will appear by itself on the first build after `at`.

    `source` and `title` are None when the site was not rebuilt (only its state was read).
    """

    slug: str
    at: dt.datetime
    source: Path | None = None
    title: str | None = None


@dataclass
class BuildReport:
    """What a build did; `built` empty and `portal` False means nothing had changed."""

    built: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    portal: bool = False
    scheduled: list[Scheduled] = field(default_factory=list)
    timezone: str | None = None
    content_warnings: list[Problem] = field(default_factory=list)  # what `check` warns about


@dataclass(frozen=True)
class SiteJob:
    """Everything one worker process needs to build one kelurahan (picklable)."""

    city: City
    kel: Kelurahan
    staging: Path
    now: dt.datetime
    cache_dir: Path
    project_root: Path
    site_key: str = ""  # where the built site is kept in the site cache ("" = not kept)


@dataclass(frozen=True)
class SiteOutcome:
    slug: str
    error: str | None = None
    warnings: tuple[str, ...] = ()
    restored: bool = False  # linked from the site cache, not built


def _draw_cards(job: SiteJob) -> CardRun:
    """Cards into the cache first: each photo they decode also gives the site's WebP copies."""
    from generator.cards import draw_cards
    from generator.cards.photo import Sharing
    from generator.site.images import WIDEST, copies_missing, store_copies

    photos = job.cache_dir / "foto"

    def share(path: Path) -> Sharing | None:
        if not copies_missing(path, photos):
            return None
        return Sharing(WIDEST, lambda image: store_copies(path, photos, image))

    return draw_cards(job.city, job.kel, now=job.now, cache_dir=job.cache_dir / "kartu",
                      themes_dir=resource(job.project_root, "themes"), share=share)


def _website(job: SiteJob) -> tuple[Indexing, list[str]]:
    """A broken photo is left out of its post with a warning, not a failed site."""
    return build_kelurahan_site(
        job.city, job.kel, job.staging, now=job.now, cache_dir=job.cache_dir / "foto",
        work_dir=job.staging / ".kerja" / job.kel.slug,
        base_config=resource(job.project_root, "mkdocs.yml"))


def _place_cards(job: SiteJob, cards: CardRun) -> list[str]:
    """One bad post's cards are a warning (named), not a failed site."""
    from generator.cards import place_cards

    report = place_cards(cards, job.staging, job.now)
    return [f"kartu: {issue}" for issue in report.failed + report.warnings]


def _whatsapp(job: SiteJob) -> None:
    from generator.whatsapp import write_menu

    write_menu(job.city, job.kel, job.staging)


def build_site_job(job: SiteJob) -> SiteOutcome:
    """Cards drawn, website, cards placed (mkdocs empties the folder first), WhatsApp menu;
    Pagefind indexes meanwhile. An exception becomes the outcome's reason."""
    try:
        cards = _draw_cards(job)
        indexing, warnings = _website(job)  # Pagefind indexes while the cards are placed
        try:
            warnings += _place_cards(job, cards)
            _whatsapp(job)
        finally:
            indexing.wait()
        if job.site_key:
            _keep(job)
    except KelurahanError as exc:
        return SiteOutcome(job.kel.slug, error=str(exc))
    except OSError as exc:
        log.debug("build %s gagal:\n%s", job.kel.slug, traceback.format_exc())
        return SiteOutcome(job.kel.slug, error=describe_os_error(exc))
    except Exception as exc:
        log.debug("build %s gagal:\n%s", job.kel.slug, traceback.format_exc())
        return SiteOutcome(job.kel.slug, error=f"{type(exc).__name__}: {exc}")
    return SiteOutcome(job.kel.slug, warnings=tuple(warnings))


class Progress:
    """Told about each site; the CLI passes a rich progress bar, tests and CI pass this quiet one."""

    def start(self, slugs: list[str]) -> None: ...

    def done(self, slug: str, ok: bool) -> None: ...


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build what changed; raise KelurahanError (output untouched) if content or a site fails."""
    with _locked(options.state_dir, options.out_dir, wait=options.wait):
        try:
            return _build(options, progress or Progress())
        finally:
            shutil.rmtree(_view_dir(options), ignore_errors=True)


def _view_dir(options: BuildOptions) -> Path:
    return options.state_dir / "build" / f"lihat-{os.getpid()}"


def _build(options: BuildOptions, progress: Progress) -> BuildReport:
    state = BuildState.load(options.state_dir, options.out_dir)
    slugs = _selected(folders(options.content_dir), options.only)
    prints = fingerprint(options.content_dir, options.project_root, slugs)
    todo = _stale(options, state, prints, slugs)
    removed = [s for s in state.sites if s not in folders(options.content_dir)]
    if (not todo and not removed and (options.out_dir / "index.html").is_file()
            and (options.out_dir / "404.html").is_file()
            and (options.content_dir / "kota.yml").is_file()):
        return BuildReport(unchanged=slugs, scheduled=_recorded_schedule(state, slugs),
                           timezone=state.timezone)
    clock = time.perf_counter()
    city, todo, content_warnings = _load(options, state, prints, slugs, todo)
    _refuse_unfit_menus(city, options)
    now = _moment(options.now, city)
    log.info("konten dimuat dalam %.2f s (%d kelurahan)", time.perf_counter() - clock, len(todo))
    outcomes = [_real_paths(o, options) for o in _run_jobs(options, city, todo, now, progress, prints)]
    _raise_failures(outcomes)
    log.info("%d situs dibangun dalam %.2f s", len(outcomes), time.perf_counter() - clock)
    report = BuildReport(built=todo, unchanged=[s for s in slugs if s not in todo],
                         removed=removed, portal=True,
                         warnings=[f"{o.slug}: {w}" for o in outcomes for w in o.warnings],
                         content_warnings=content_warnings)
    _finish(options, city, state, prints, outcomes, report, now)
    report.scheduled = _schedule(options, city, todo, now) + _recorded_schedule(state, report.unchanged)
    report.timezone = city.timezone
    log.info("portal dan pertukaran selesai pada %.2f s", time.perf_counter() - clock)
    return report


@contextmanager
def _locked(state_dir: Path, out_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """One build per output folder at a time; a second one stops (or waits) instead of mixing sites."""
    import fcntl
    import hashlib

    key = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
    path = state_dir / "build" / f"{key}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise KelurahanError(f"build lain sedang berjalan untuk {out_dir}; tunggu sampai "
                                 "selesai lalu coba lagi") from None
        yield


def _load(options: BuildOptions, state: BuildState, prints: Fingerprints, slugs: list[str],
          todo: list[str]) -> tuple[City, list[str], list[Problem]]:
    """Only the changed kelurahan when every other one is recorded and unchanged; else all.

    Also the content warnings (a build shows what `check` would warn about)."""
    from kelurahan import load_checked

    others = {s: state.sites.get(s) for s in folders(options.content_dir) if s not in todo}
    if (not options.force and state.global_print == prints.global_print
            and all(record and record.summary for record in others.values())):
        city, warnings = load_changed(options.content_dir, todo, others, _view_dir(options))
        return city, todo, warnings
    loaded = load_checked(options.content_dir)
    assert loaded.city is not None  # load_checked refuses a city that did not load
    now = _moment(options.now, loaded.city)
    todo = sorted(set(todo) | {s for s in slugs if state.visibility_changed(s, now)})
    return loaded.city, todo, loaded.problems


def _refuse_unfit_menus(city: City, options: BuildOptions) -> None:
    """What `kelurahan check` refuses, build refuses too: menus that cannot fit WhatsApp."""
    from generator.whatsapp import limit_problems
    from kelurahan.yamlfile import locate

    errors = [dataclasses.replace(p, path=real_paths(p.path, _view_dir(options), options.content_dir))
              for p in limit_problems(city) if p.is_error]
    if errors:
        raise ContentError(locate(errors))


def _selected(available: list[str], only: tuple[str, ...]) -> list[str]:
    unknown = [slug for slug in only if slug not in available]
    if unknown:
        raise KelurahanError(unknown_kelurahan(unknown, available))
    return [slug for slug in available if not only or slug in only]


def _stale(options: BuildOptions, state: BuildState, prints: Fingerprints,
           slugs: list[str]) -> list[str]:
    """Kelurahan whose inputs, code, output or visible posts changed since the last build."""
    now = options.now or dt.datetime.now(dt.UTC)
    return [slug for slug in slugs
            if options.force or state.changed(slug, prints.sites[slug], options.out_dir)
            or state.visibility_changed(slug, now)]


def _schedule(options: BuildOptions, city: City, slugs: list[str],
              now: dt.datetime) -> list[Scheduled]:
    """Posts of the rebuilt kelurahan that are not drafts and whose time has not come."""
    def real(path: Path) -> Path:
        return Path(real_paths(str(path), _view_dir(options), options.content_dir))

    return sorted((Scheduled(kel.slug, post.publish_at, real(post.source), post.title)
                   for kel in city.kelurahan if kel.slug in slugs
                   for post in kel.posts if not post.draft and post.publish_at > now),
                  key=lambda s: (s.at, s.slug))


def _recorded_schedule(state: BuildState, slugs: list[str]) -> list[Scheduled]:
    """The next scheduled post of sites that were not rebuilt, as their state remembers it."""
    return [Scheduled(slug, dt.datetime.fromisoformat(record.next_change))
            for slug in slugs if (record := state.sites.get(slug)) and record.next_change]


def _moment(now: dt.datetime | None, city: City) -> dt.datetime:
    if now is None:
        return city.now()
    return now.replace(tzinfo=city.tz) if now.tzinfo is None else now.astimezone(city.tz)


def _staging(out_dir: Path) -> Path:
    """A sibling of `--out` (same file system, so the final moves are renames)."""
    staging = _staging_of(out_dir)
    name = out_dir.resolve().name
    for old in staging.parent.glob(f".{name}.baru-*"):
        shutil.rmtree(old, ignore_errors=True)  # left by a killed build (we hold the lock)
    for old in staging.parent.glob(f".{name}.lama-*"):
        _discard(old)  # old sites whose deletion was interrupted (or is still going on)
    staging.mkdir(parents=True)
    return staging


def _run_jobs(options: BuildOptions, city: City, todo: list[str], now: dt.datetime,
              progress: Progress, prints: Fingerprints) -> list[SiteOutcome]:
    staging = _staging(options.out_dir)
    jobs = [SiteJob(city.model_copy(update={"kelurahan": (kel,)}), kel, staging, now,
                    options.state_dir / "cache", options.project_root,
                    site_key(prints.sites[kel.slug], kel, now))
            for kel in city.kelurahan if kel.slug in todo]
    try:
        restored = _restored(jobs, staging)
        jobs = [job for job in jobs if job.kel.slug not in {o.slug for o in restored}]
        progress.start([job.kel.slug for job in jobs])
        outcomes = restored + list(_outcomes(jobs, options.jobs, progress))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if any(o.error for o in outcomes):
        shutil.rmtree(staging, ignore_errors=True)
    return outcomes


def _keep(job: SiteJob) -> None:
    """The built site into the site cache; best effort (a full disk only costs a rebuild)."""
    try:
        SiteCache(job.cache_dir / "situs").store(job.kel.slug, job.site_key,
                                                 job.staging / job.kel.slug)
    except OSError as exc:
        log.warning("%s: situs tidak disimpan di cache (%s)", job.kel.slug, exc)


def _restored(jobs: list[SiteJob], staging: Path) -> list[SiteOutcome]:
    """Sites whose output is cached for their key, linked into staging instead of built."""
    outcomes = []
    for job in jobs:
        warnings = SiteCache(job.cache_dir / "situs").restore(job.kel.slug, job.site_key,
                                                              staging / job.kel.slug)
        if warnings is not None:
            outcomes.append(SiteOutcome(job.kel.slug, warnings=warnings, restored=True))
    if outcomes:
        log.info("%d situs diambil dari cache situs (tidak berubah)", len(outcomes))
    return outcomes


def _outcomes(jobs: list[SiteJob], workers: int, progress: Progress) -> Iterator[SiteOutcome]:
    """In this process for one worker or one site; otherwise a pool (mkdocs is not thread-safe)."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            outcome = build_site_job(job)
            progress.done(outcome.slug, outcome.error is None)
            yield outcome
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                             mp_context=get_context("fork")) as pool:
        futures = [pool.submit(build_site_job, job) for job in jobs]
        for future in as_completed(futures):
            outcome = future.result()
            progress.done(outcome.slug, outcome.error is None)
            yield outcome


def _real_paths(outcome: SiteOutcome, options: BuildOptions) -> SiteOutcome:
    def real(text: str) -> str:
        return real_paths(text, _view_dir(options), options.content_dir)

    if outcome.restored:
        return outcome
    return SiteOutcome(outcome.slug, real(outcome.error) if outcome.error else None,
                       tuple(real(w) for w in outcome.warnings))


def _raise_failures(outcomes: list[SiteOutcome]) -> None:
    failed = sorted((o for o in outcomes if o.error), key=lambda o: o.slug)
    if failed:
        lines = "\n".join(f"  {o.slug}: {o.error}" for o in failed)
        raise KelurahanError(f"{len(failed)} situs kelurahan gagal dibangun; situs lama tidak "
                             f"diubah:\n{lines}")


def _finish(options: BuildOptions, city: City, state: BuildState, prints: Fingerprints,
            outcomes: list[SiteOutcome], report: BuildReport, now: dt.datetime) -> None:
    """Portal into staging, then the swap, then the new state (only after the swap)."""
    from generator.site import write_portal

    staging = _staging_of(options.out_dir)
    built = {o.slug for o in outcomes if o.error is None}
    for slug in report.removed:
        state.sites.pop(slug, None)
    for kel in city.kelurahan:
        if kel.slug in built:
            summary = asdict(summarise(city, kel, kel.published_posts(now), now,
                                       options.state_dir / "cache" / "foto"))
            state.sites[kel.slug] = SiteRecord.of(kel, prints.sites[kel.slug], now, summary)
    summaries = [SiteSummary(**record.summary) for record in state.sites.values()]
    write_portal(city, summaries, staging, project_root=options.project_root, today=now.date())
    sites = SiteCache(options.state_dir / "cache" / "situs")
    for outcome in outcomes:
        if not outcome.restored and outcome.error is None:
            sites.note(outcome.slug, site_key(prints.sites[outcome.slug], city.get(outcome.slug), now),
                       outcome.warnings)
    for old in sites.trash():
        _discard(old)
    with _swapping(options.out_dir, staging) as swap:
        for slug in sorted(built):
            swap(slug)
        for slug in report.removed:
            swap(slug, remove=True)
        swap("index.html")
        swap("404.html")
        swap("feed.xml")
    state.timezone = city.timezone
    state.global_print = prints.global_print
    state.save()


def _staging_of(out_dir: Path) -> Path:
    return out_dir.resolve().parent / f".{out_dir.resolve().name}.baru-{os.getpid()}"


@contextmanager
def _swapping(out_dir: Path, staging: Path) -> Iterator[Callable[..., None]]:
    """Move each new entry into `out_dir` by rename; old entries go to a trash folder first."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # Unique per build: the previous build's trash may still be being deleted.
    trash = staging.with_name(staging.name.replace(".baru-", ".lama-") + f"-{time.time_ns()}")
    trash.mkdir()

    def swap(name: str, *, remove: bool = False) -> None:
        current, new = out_dir / name, staging / name
        if current.exists():
            current.rename(trash / name)
        if not remove:
            new.rename(current)

    try:
        yield swap
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        _discard(trash)


def _discard(trash: Path) -> None:
    """Delete the replaced sites without making the user wait: 59 old sites are ~100,000 files.

    A detached `rm -rf` does it after the new sites are live; if it is interrupted, the next
    build removes what is left (see `_staging`).
    """
    rm = shutil.which("rm")
    if rm is None:
        shutil.rmtree(trash, ignore_errors=True)
        return
    subprocess.Popen([rm, "-rf", "--", str(trash)], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
