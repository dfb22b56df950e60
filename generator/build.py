"""`kelurahan build`: every kelurahan website, the city portal, cards and WhatsApp menus.

`build()` reads top to bottom in the order data flows: plan from fingerprints (nothing parsed)
→ load and validate the content (only the changed kelurahan when the rest is known) → build
each changed site (cards drawn, website, cards placed, WhatsApp menu) in worker processes into
a staging folder, or link it from the site cache → write the portal → only when everything
succeeded, swap the new sites into `--out` and remember the fingerprints. A failure leaves
`--out` as it was (`generator/staging.py`).

A content error inside one kelurahan's folder holds back only that kelurahan: its live site
stays as it was and the others are built (their scheduled posts and expiring announcements
must not wait for another kelurahan's typo). An error outside the kelurahan folders
(`kota.yml`) stops the whole build, as before.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import select as io_select
import shutil
import threading
import time
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.incremental import (
    BuildState,
    Fingerprints,
    SiteRecord,
    TreeMemo,
    fingerprint,
    load_changed,
)
from generator.staging import discard, fresh_staging, locked, swapping
from kelurahan.dates import resolve_now
from kelurahan.errors import PILLOW_SIZE_WARNING, ContentError, KelurahanError, describe_os_error
from kelurahan.locks import running
from kelurahan.resources import resource
from kelurahan.slugs import kelurahan_slugs, select

# Imported where used: a build with nothing changed (every 5 minutes from the timer) needs
# none of the model, the site or the cards. The pool's fork server preloads them (`_pool`).
if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from generator.cards.kept import Kept
    from generator.cards.photo import Share
    from generator.cards.pipeline import CardRun
    from generator.site.images import CopiesOnTheSide
    from generator.site.photo_digests import PhotoDigests
    from generator.site.search import Indexing
    from kelurahan.loading import Loaded
    from kelurahan.model import City, Kelurahan
    from kelurahan.problems import Problem

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
    # A shard of a sharded build: only these kelurahan are read and checked against each
    # other (the merge checks names and numbers across shards). None: the whole content folder.
    scope: tuple[str, ...] | None = None
    # A kelurahan with content errors is held back and the rest built (False: any content
    # error stops the whole build, as a shard must: the merge needs every summary).
    hold_back: bool = True


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
    held: list[str] = field(default_factory=list)  # kelurahan not built: content errors
    held_problems: list[Problem] = field(default_factory=list)  # those errors


@dataclass(frozen=True)
class SiteJob:
    """Everything one worker process needs to build one kelurahan (picklable)."""

    city: City
    kel: Kelurahan
    staging: Path
    now: dt.datetime
    cache_dir: Path
    project_root: Path


@dataclass(frozen=True)
class SiteOutcome:
    slug: str
    error: str | None = None
    warnings: tuple[str, ...] = ()
    restored: bool = False  # linked from the site cache, not built


def _draw_cards(job: SiteJob, kept: Kept | None, digests: PhotoDigests) -> CardRun:
    """Cards into the cache: each new photo they decode also gives the site's WebP copies."""
    from generator.cards import draw_cards

    return draw_cards(job.city, job.kel, now=job.now, cache_dir=job.cache_dir / "kartu",
                      themes_dir=resource(job.project_root, "themes"),
                      share=_sharing(job, digests), kept=kept, digest=digests.of)


def _fit_photos(job: SiteJob, kept: Kept, digests: PhotoDigests,
                copies: CopiesOnTheSide) -> None:
    """Only the new photos decoded (fitted for the cards; their WebP copies for the site
    encoded on the other thread while the pages are rendered)."""
    from generator.cards import fit_shared_photos

    fit_shared_photos(job.kel, now=job.now, share=_sharing(job, digests, copies), kept=kept,
                      themes_dir=resource(job.project_root, "themes"), digest=digests.of)


def _sharing(job: SiteJob, digests: PhotoDigests, copies: CopiesOnTheSide | None = None) -> Share:
    """For a photo whose WebP copies are not made yet: make them from the card's decode
    (on `copies`' thread if given)."""
    from generator.cards.photo import Sharing
    from generator.site.images import WIDEST, copies_missing, photo_key, store_copies

    photos = job.cache_dir / "foto"

    def share(path: Path) -> Sharing | None:
        key = photo_key(digests.of(path))
        if (copies and copies.planned(key)) or not copies_missing(key, photos):
            return None
        if copies is not None:
            return Sharing(WIDEST, lambda image: copies.store(path, key, image))
        return Sharing(WIDEST, lambda image: store_copies(path, key, photos, image))

    return share


def _website(job: SiteJob, digests: PhotoDigests,
             copies: CopiesOnTheSide | None) -> tuple[Indexing, list[str]]:
    """A broken photo is left out of its post with a warning, not a failed site."""
    from generator.site.kelurahan_site import build_kelurahan_site

    return build_kelurahan_site(
        job.city, job.kel, job.staging, now=job.now, cache_dir=job.cache_dir / "foto",
        work_dir=job.staging / ".kerja" / job.kel.slug,
        base_config=resource(job.project_root, "mkdocs.yml"), digests=digests, copies=copies)


def _place_cards(job: SiteJob, cards: CardRun) -> list[str]:
    """One bad post's cards are a warning (named), not a failed site."""
    from generator.cards import place_cards

    report = place_cards(cards, job.staging, job.now)
    return [f"kartu: {issue}" for issue in report.failed + report.warnings]


def _whatsapp(job: SiteJob) -> None:
    from generator.whatsapp import write_menu

    write_menu(job.city, job.kel, job.staging)


def build_site_job(job: SiteJob, kept: Kept | None = None, alone: bool = False) -> SiteOutcome:
    """Cards drawn, website, cards placed (mkdocs empties the folder first), WhatsApp menu;
    Pagefind indexes meanwhile. An exception becomes the outcome's reason. `kept`: card photos
    and words this process drew for the sites it built before.

    `alone`: the only site of this build, and live already (one new post; the bot's
    Terbitkan). The other core would idle, so: only its few new photos are decoded first,
    kept fitted for the cards, their WebP copies encoded on a second thread while the pages
    are rendered; its cards are drawn after the website, while Pagefind indexes (it took
    0.2–0.3 s of waiting at the end of a one-post build). With several sites the workers keep
    both cores busy; a site's first build has too many new photos to keep them all fitted in
    memory until its cards are drawn.
    """
    from generator.cards.kept import Kept
    from generator.site.images import CopiesOnTheSide
    from generator.site.photo_digests import PhotoDigests

    digests = PhotoDigests(job.cache_dir / "foto")
    kept = kept or Kept()
    try:
        with CopiesOnTheSide(job.cache_dir / "foto") if alone else nullcontext() as copies:
            if copies is not None:
                _fit_photos(job, kept, digests, copies)
            else:
                cards = _draw_cards(job, kept, digests)
            indexing, warnings = _website(job, digests, copies)  # Pagefind indexes meanwhile
        try:
            if alone:
                cards = _draw_cards(job, kept, digests)
            digests.save()
            warnings += _place_cards(job, cards)
            _whatsapp(job)
        finally:
            indexing.wait()
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
    with locked(options.state_dir, options.out_dir, wait=options.wait):
        state = BuildState.load(options.state_dir, options.out_dir)
        plan = _plan(options, state)
        if plan.nothing_changed(options):
            return BuildReport(unchanged=plan.slugs, timezone=state.timezone,
                               scheduled=_recorded_schedule(state, plan.slugs))
        with _workers(options.jobs, len(plan.todo)) as pool:  # they start while content loads
            loaded, todo, held = _load_content(options, state, plan, pool)
            city = loaded.city
            assert city is not None  # _held_back() refuses a city that did not load
            warnings = [p for p in loaded.problems if not p.is_error]
            errors = [p for p in loaded.problems if p.is_error]  # of the held-back kelurahan
            unchanged = [s for s in plan.slugs if s not in todo and s not in held]
            if not todo and not plan.removed:  # only broken kelurahan changed: nothing to do
                return BuildReport(unchanged=unchanged, content_warnings=warnings,
                                   timezone=city.timezone, held=sorted(held),
                                   held_problems=errors,
                                   scheduled=_recorded_schedule(state, unchanged))
            now = resolve_now(options.now, city.tz)
            staging, outcomes = _build_sites(options, city, todo, now, plan,
                                             progress or Progress(), pool)
        built = sorted(o.slug for o in outcomes)
        _write_portal(options, city, state, plan, outcomes, now, staging)
        _swap_in(options.out_dir, staging, built, plan.removed)
        state.remember(city.timezone, plan.prints.global_print)
        return BuildReport(
            built=todo, unchanged=unchanged, removed=plan.removed, portal=True,
            warnings=[f"{o.slug}: {w}" for o in outcomes for w in o.warnings],
            content_warnings=warnings, timezone=city.timezone, held=sorted(held),
            held_problems=errors,
            scheduled=_schedule(city, todo, now) + _recorded_schedule(state, unchanged))


@dataclass(frozen=True)
class _Plan:
    """What the fingerprints say, before any file is parsed."""

    slugs: list[str]
    prints: Fingerprints
    todo: list[str]
    removed: list[str]

    def nothing_changed(self, options: BuildOptions) -> bool:
        return (not self.todo and not self.removed and (options.out_dir / "index.html").is_file()
                and (options.out_dir / "404.html").is_file()
                and (options.content_dir / "kota.yml").is_file())


def _plan(options: BuildOptions, state: BuildState) -> _Plan:
    available = kelurahan_slugs(options.content_dir)
    slugs = select(available, options.only)
    prints = fingerprint(options.content_dir, options.project_root, slugs,
                         TreeMemo(state.path.with_suffix(".sidik.json")))
    todo = state.stale(slugs, prints, options.out_dir, options.now or dt.datetime.now(dt.UTC),
                       force=options.force)
    return _Plan(slugs, prints, todo, [s for s in state.sites if s not in available])


def _load_content(options: BuildOptions, state: BuildState, plan: _Plan,
                  pool: ProcessPoolExecutor | None) -> tuple[Loaded, list[str], set[str]]:
    """Only the changed kelurahan when every other one is recorded and unchanged; else all,
    their folders read by the `pool`'s workers while they wait for their first site.

    What `kelurahan check` refuses is found here, before anything is written: the kelurahan
    with errors in their folders are held back (returned apart, not built); an error outside
    them stops the build. Warnings come back with the city, to be shown.
    """
    from kelurahan import check

    clock = time.perf_counter()
    scope = kelurahan_slugs(options.content_dir) if options.scope is None else options.scope
    others = {s: state.sites.get(s) for s in scope if s not in plan.todo}
    incremental = (not options.force and state.global_print == plan.prints.global_print
                   and all(record and record.summary for record in others.values()))
    if incremental:
        loaded = load_changed(options.content_dir, plan.todo, others)  # type: ignore[arg-type]
    else:
        loaded = check(options.content_dir, only=options.scope,
                       map_folders=pool.map if pool else None)
    held = _held_back(loaded, options.content_dir, scope, options.hold_back)
    assert loaded.city is not None  # _held_back() refuses a city that did not load
    if incremental:
        todo = [slug for slug in plan.todo if slug not in held]
    else:
        now = resolve_now(options.now, loaded.city.tz)
        todo = sorted({*plan.todo, *(s for s in plan.slugs if state.visibility_changed(s, now))}
                      - held)
    _refuse_unfit_menus(loaded.city)
    log.info("konten dimuat dalam %.2f s (%d kelurahan)", time.perf_counter() - clock, len(todo))
    return loaded, todo, held


def _held_back(loaded: Loaded, content_dir: Path, slugs: list[str] | tuple[str, ...],
               allowed: bool) -> set[str]:
    """The kelurahan whose own folders have errors; ContentError (every error) when any error
    lies outside them (`kota.yml`, a stray folder), the city did not load, or holding back is
    not `allowed`."""
    errors = [p for p in loaded.problems if p.is_error]
    held = {_folder_of(p, content_dir, slugs) for p in errors}
    if None in held or loaded.city is None or (held and not allowed):
        raise ContentError(errors)
    return {slug for slug in held if slug is not None}


def _folder_of(problem: Problem, content_dir: Path,
               slugs: list[str] | tuple[str, ...]) -> str | None:
    """The kelurahan whose folder `problem` is in, else None."""
    try:
        parts = Path(problem.path).relative_to(content_dir).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 and parts[0] in slugs else None


def _refuse_unfit_menus(city: City) -> None:
    """What `kelurahan check` refuses, build refuses too: menus that cannot fit WhatsApp."""
    from generator.whatsapp import limit_problems
    from kelurahan.yamlfile import locate

    errors = [p for p in limit_problems(city) if p.is_error]
    if errors:
        raise ContentError(locate(errors))


def _schedule(city: City, slugs: list[str], now: dt.datetime) -> list[Scheduled]:
    """Posts of the rebuilt kelurahan that are not drafts and whose time has not come."""
    return sorted((Scheduled(kel.slug, post.publish_at, post.source, post.title)
                   for kel in city.kelurahan if kel.slug in slugs
                   for post in kel.posts if post.publishable and post.publish_at > now),
                  key=lambda s: (s.at, s.slug))


def _recorded_schedule(state: BuildState, slugs: list[str]) -> list[Scheduled]:
    """The next scheduled post of sites that were not rebuilt, as their state remembers it."""
    return [Scheduled(slug, dt.datetime.fromisoformat(record.next_post))
            for slug in slugs if (record := state.sites.get(slug)) and record.next_post]


def _build_sites(options: BuildOptions, city: City, todo: list[str], now: dt.datetime,
                 plan: _Plan, progress: Progress,
                 pool: ProcessPoolExecutor | None) -> tuple[Path, list[SiteOutcome]]:
    """Every changed site into a fresh staging folder (from the site cache when it holds it);
    if one fails, none is kept."""
    clock = time.perf_counter()
    staging = fresh_staging(options.out_dir)
    jobs = [SiteJob(city.model_copy(update={"kelurahan": (kel,)}), kel, staging, now,
                    options.state_dir / "cache", options.project_root)
            for kel in city.kelurahan if kel.slug in todo]
    try:
        restored = _restored(jobs, plan, options.out_dir, staging)
        jobs = [job for job in jobs if job.kel.slug not in {o.slug for o in restored}]
        progress.start([job.kel.slug for job in jobs])
        # A live site rebuilt alone (one new post): few new photos. A first build has many.
        alone = len(jobs) == 1 and (options.out_dir / jobs[0].kel.slug).is_dir()
        outcomes = restored + list(_outcomes(jobs, pool, progress, alone))
        _raise_failures(outcomes)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("%d situs dibangun dalam %.2f s", len(outcomes), time.perf_counter() - clock)
    return staging, outcomes


def _restored(jobs: list[SiteJob], plan: _Plan, out_dir: Path,
              staging: Path) -> list[SiteOutcome]:
    """Live sites built for the same key as now, linked into staging instead of built."""
    from generator.site_cache import SiteCache, site_key

    outcomes = []
    for job in jobs:
        slug = job.kel.slug
        warnings = SiteCache(job.cache_dir / "situs").restore(
            slug, site_key(plan.prints.sites[slug], job.kel, job.now), out_dir / slug,
            staging / slug)
        if warnings is not None:
            outcomes.append(SiteOutcome(slug, warnings=warnings, restored=True))
    if outcomes:
        log.info("%d situs ditautkan dari situs yang tayang (tidak berubah)", len(outcomes))
    return outcomes


def _outcomes(jobs: list[SiteJob], pool: ProcessPoolExecutor | None, progress: Progress,
              alone: bool = False) -> Iterator[SiteOutcome]:
    """In the pool's worker processes (mkdocs is not thread-safe), or in this process for one
    site or without a pool. `alone`: see `build_site_job`."""
    if pool is None or len(jobs) <= 1:
        from generator.cards.kept import Kept

        kept = Kept()
        for job in jobs:
            outcome = build_site_job(job, kept, alone=alone)
            progress.done(outcome.slug, outcome.error is None)
            yield outcome
        return
    from concurrent.futures import as_completed

    futures = [pool.submit(_in_worker, job) for job in jobs]
    for future in as_completed(futures):
        outcome = future.result()
        progress.done(outcome.slug, outcome.error is None)
        yield outcome


@contextmanager
def _workers(jobs: int, sites: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool when there is more than one site for more than one worker, started at once: the
    workers load their modules while this process reads the content."""
    if jobs <= 1 or sites <= 1:
        yield None
        return
    workers = min(jobs, sites)
    with _pool(workers) as pool:
        for _ in range(workers):
            pool.submit(_warm)
        yield pool


def _warm() -> None:
    """What every site needs first, imported before the first site arrives."""
    import mkdocs.commands.build  # noqa: F401
    from PIL import Image

    import generator.site.mkdocs_memory  # noqa: F401

    Image.init()


def _pool(workers: int) -> ProcessPoolExecutor:
    """Workers forked by a fork server, a fresh single-threaded process: they inherit neither
    the build lock nor rich's refresh thread (a fork deadlock), and end with the build."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    context = get_context("forkserver")
    context.set_forkserver_preload(["generator.build", "generator.cards", "generator.whatsapp",
                                    "generator.site.kelurahan_site", "generator.site_cache"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                               initargs=(logging.getLogger().level, os.getpid()))


# What a pool worker keeps between the sites it builds: set by `_start_worker`, in the worker.
_worker_kept: Kept | None = None


def _start_worker(log_level: int, build_pid: int) -> None:
    from generator.cards.kept import Kept

    global _worker_kept
    _worker_kept = Kept()
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s"
                        if log_level <= logging.DEBUG else "Peringatan: %(message)s")  # as the CLI
    warnings.filterwarnings("ignore", message=PILLOW_SIZE_WARNING)  # a new interpreter's filters
    threading.Thread(target=_end_with, args=(build_pid,), daemon=True).start()


def _in_worker(job: SiteJob) -> SiteOutcome:
    return build_site_job(job, _worker_kept)


def _end_with(build_pid: int) -> None:
    """Wait for the build process to end, then end this worker at once: a build killed with
    SIGKILL (cron, the OOM killer) must leave nothing computing or holding files for it."""
    try:
        handle = os.pidfd_open(build_pid)
    except (AttributeError, OSError):  # no pidfd (old kernel), or the build is already gone
        while running(build_pid):
            time.sleep(0.5)
    else:
        io_select.select([handle], [], [])
    os._exit(1)


def _raise_failures(outcomes: list[SiteOutcome]) -> None:
    failed = sorted((o for o in outcomes if o.error), key=lambda o: o.slug)
    if failed:
        lines = "\n".join(f"  {o.slug}: {o.error}" for o in failed)
        raise KelurahanError(f"{len(failed)} situs kelurahan gagal dibangun; situs lama tidak "
                             f"diubah:\n{lines}")


def _write_portal(options: BuildOptions, city: City, state: BuildState, plan: _Plan,
                  outcomes: list[SiteOutcome], now: dt.datetime, staging: Path) -> None:
    """The records of the sites just built, the site cache told about them, then the portal
    from every site's record."""
    from generator.site import write_portal
    from generator.site.kelurahan_site import summarise
    from generator.site.photo_digests import PhotoDigests
    from generator.site_cache import SiteCache, site_key
    from kelurahan.outputs import PortalSite

    built = {o.slug for o in outcomes}
    digests = PhotoDigests(options.state_dir / "cache" / "foto")
    for slug in plan.removed:
        state.sites.pop(slug, None)
    for kel in city.kelurahan:
        if kel.slug in built:
            summary = summarise(city, kel, kel.published_posts(now), now,
                                options.state_dir / "cache" / "foto", digests).model_dump(mode="json")
            state.sites[kel.slug] = SiteRecord.of(kel, plan.prints.sites[kel.slug], now, summary)
    summaries = [PortalSite.model_validate(record.summary) for record in state.sites.values()]
    write_portal(city, summaries, staging, project_root=options.project_root, today=now.date(),
                 jinja_cache=options.state_dir / "cache" / "jinja")
    sites = SiteCache(options.state_dir / "cache" / "situs")
    for outcome in outcomes:
        if not outcome.restored:
            sites.note(outcome.slug, site_key(plan.prints.sites[outcome.slug],
                                              city.get(outcome.slug), now), outcome.warnings,
                       staging / outcome.slug)
    for old in sites.leftovers():
        discard(old)
    legacy = options.state_dir / "cache" / "foto" / "stat"  # one hash file per photo, formerly
    if legacy.is_dir():
        discard(legacy)  # its successor is `foto/sidik/` (generator/site/photo_digests.py)


def _swap_in(out_dir: Path, staging: Path, built: list[str], removed: list[str]) -> None:
    """Only now does `--out` change: one rename per site, the portal last."""
    from generator.site.portal import swap_portal

    with swapping(out_dir, staging) as swap:
        for slug in built:
            swap(slug)
        for slug in removed:
            swap(slug, remove=True)
        swap_portal(swap, staging)
