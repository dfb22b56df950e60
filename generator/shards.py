"""A sharded build: each shard's portal summaries, and the merge into one complete site.

`kelurahan build --shard I/N --out hasil/shard-I` builds only the kelurahan of shard I and
writes `ringkasan-shard.json` (a `ShardSummaries` contract) beside them. `kelurahan build
--portal-only --summaries hasil/shard-1 … --out site` then checks that every shard is there,
exactly once and from the same content, hard-links each shard's kelurahan folders into a
staging folder, writes the portal (index.html, 404.html, feed.xml; the portal search merges the
sites' own Pagefind indexes, so there is no portal index to merge) and swaps it all into
`--out` like a normal build. One web server then serves the whole province.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.incremental import BuildState, load_changed
from generator.site.portal import swap_portal
from generator.staging import fresh_staging, locked, swapping
from kelurahan.dates import resolve_now
from kelurahan.errors import ContentError, KelurahanError
from kelurahan.files import link_or_copy, write_text_atomic
from kelurahan.model import City
from kelurahan.outputs import (
    MENU_GLOB,
    SHARD_SUMMARIES,
    PortalSite,
    ShardSummaries,
    SiteIdentity,
    read_output,
)
from kelurahan.shards import Shard
from kelurahan.slugs import kelurahan_slugs


@dataclass(frozen=True)
class MergeOptions:
    content_dir: Path
    out_dir: Path
    state_dir: Path
    project_root: Path
    shard_dirs: tuple[Path, ...]
    now: dt.datetime | None = None
    wait: bool = False
    # One relative symbolic link per kelurahan instead of a hard link per file: O(sites), for a
    # shared volume served as it is (a shard's rebuilt site is live as soon as its swap).
    symlinks: bool = False


@dataclass
class MergeReport:
    shards: int = 0
    sites: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Part:
    folder: Path
    summaries: ShardSummaries


def write_shard_summaries(state_dir: Path, out_dir: Path, shard: Shard, slugs: list[str],
                          built_at: dt.datetime) -> Path:
    """`<out>/ringkasan-shard.json` from the build records of the shard's sites."""
    state = BuildState.load(state_dir, out_dir)
    missing = [slug for slug in slugs if slug not in state.sites or not state.sites[slug].summary]
    if missing:
        raise KelurahanError(f"shard {shard}: ringkasan {', '.join(missing)} tidak ada di catatan "
                             "build; jalankan build shard ini lagi dengan --force")
    summaries = ShardSummaries(
        version=1, shard=shard.number, shard_count=shard.count, built_at=built_at,
        sites=tuple(PortalSite.model_validate(state.sites[slug].summary) for slug in slugs),
        identities=tuple(SiteIdentity(slug=slug, name=state.sites[slug].name,
                                      phone_id=state.sites[slug].phone_id,
                                      staff=tuple(state.sites[slug].staff)) for slug in slugs))
    return write_text_atomic(out_dir / SHARD_SUMMARIES, summaries.to_json())


def shard_folders(given: tuple[Path, ...]) -> tuple[Path, ...]:
    """Each folder given, or its subfolders when it holds shard outputs (`hasil/shard-*`)."""
    found: list[Path] = []
    for folder in given:
        if (folder / SHARD_SUMMARIES).is_file() or not folder.is_dir():
            found.append(folder)
            continue
        inner = sorted(p.parent for p in folder.glob(f"*/{SHARD_SUMMARIES}"))
        found.extend(inner or [folder])
    return tuple(found)


def merge_shards(options: MergeOptions) -> MergeReport:
    """The complete site in `--out` from every shard's output; `--out` untouched on any error."""
    parts = [_Part(folder, read_output(folder / SHARD_SUMMARIES, ShardSummaries,
                                       remedy="kelurahan build --shard I/N"))
             for folder in shard_folders(options.shard_dirs)]
    _check_shards(parts)
    sites = _check_sites(parts, kelurahan_slugs(options.content_dir), options.content_dir)
    _check_identities(parts, options.content_dir)
    city = _city(options)
    # A shard built with a `--now` without zone recorded it naive (meaning the city's time):
    # compared as such, not against the others' aware times (a TypeError).
    now = resolve_now(options.now or max(resolve_now(part.summaries.built_at, city.tz)
                                         for part in parts), city.tz)
    with locked(options.state_dir, options.out_dir, wait=options.wait):
        staging = fresh_staging(options.out_dir)
        try:
            _assemble(parts, staging, options.out_dir if options.symlinks else None)
            _write_portal(city, sites, staging, options.project_root, now.date(),
                          options.state_dir / "cache" / "jinja")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        removed = sorted({p.parent.parent.name for p in options.out_dir.glob(MENU_GLOB)}
                         - {site.slug for site in sites})
        with swapping(options.out_dir, staging) as swap:
            for site in sites:
                swap(site.slug)
            for slug in removed:
                swap(slug, remove=True)
            swap_portal(swap, staging)
    return MergeReport(len(parts), [site.slug for site in sites], removed)


def _check_shards(parts: list[_Part]) -> None:
    """Every shard of one build, once each: a missing shard would silently drop kelurahan."""
    if not parts:
        raise KelurahanError("--portal-only perlu --summaries: folder hasil setiap shard")
    counts = {part.summaries.shard_count for part in parts}
    if len(counts) > 1:
        listed = ", ".join(f"{p.folder} (shard {p.summaries.shard}/{p.summaries.shard_count})"
                           for p in parts)
        raise KelurahanError(f"jumlah shard berbeda-beda: {listed}; semua shard harus dari build "
                             "dengan jumlah shard yang sama")
    count = counts.pop()
    seen: dict[int, Path] = {}
    for part in parts:
        number = part.summaries.shard
        if number in seen:
            raise KelurahanError(f"shard {number}/{count} diberikan dua kali: {seen[number]} dan "
                                 f"{part.folder}")
        seen[number] = part.folder
    missing = [str(n) for n in range(1, count + 1) if n not in seen]
    if missing:
        raise KelurahanError(f"shard {', '.join(missing)} (dari {count}) tidak ada; berikan "
                             f"folder hasil setiap shard 1 sampai {count} dengan --summaries")


def _check_sites(parts: list[_Part], slugs: list[str], content_dir: Path) -> list[PortalSite]:
    """The summaries, by slug, when they cover exactly the kelurahan of the content."""
    sites = sorted((site for part in parts for site in part.summaries.sites), key=lambda s: s.slug)
    known = [site.slug for site in sites]
    twice = sorted({slug for slug in known if known.count(slug) > 1})
    absent = [slug for slug in slugs if slug not in known]
    extra = [slug for slug in known if slug not in slugs]
    if twice:
        raise KelurahanError(f"kelurahan {', '.join(twice)} ada di lebih dari satu shard; bangun "
                             "ulang semua shard dengan jumlah shard yang sama")
    if absent:
        raise KelurahanError(f"kelurahan {', '.join(absent)} ada di {content_dir} tetapi tidak ada "
                             "di ringkasan shard mana pun; bangun ulang shard-nya dari konten ini")
    if extra:
        raise KelurahanError(f"kelurahan {', '.join(extra)} ada di ringkasan shard tetapi tidak "
                             f"ada lagi di {content_dir}; bangun ulang shard-nya dari konten ini")
    for part in parts:
        for site in part.summaries.sites:
            if not (part.folder / site.slug / "index.html").is_file():
                raise KelurahanError(f"{part.folder / site.slug}/index.html tidak ada: build shard "
                                     f"{part.summaries.shard}/{part.summaries.shard_count} belum "
                                     "selesai; jalankan lagi")
    return sites


def _check_identities(parts: list[_Part], content_dir: Path) -> None:
    """What `kelurahan check` checks across kelurahan, across shards: each shard checked only
    its own (unique name, bot number, staff numbers, one spelling per kecamatan), in slug order
    as one machine would."""
    from kelurahan.validation import Identity, identity_clashes

    identities = sorted((i for part in parts for i in part.summaries.identities),
                        key=lambda i: i.slug)
    districts = {site.slug: site.district for part in parts for site in part.summaries.sites}
    problems = identity_clashes([Identity(content_dir / i.slug / "profil.md", i.name, i.phone_id,
                                          i.staff, districts.get(i.slug, ""))
                                 for i in identities])
    if problems:
        raise ContentError(problems)


def _city(options: MergeOptions) -> City:
    """kota.yml alone, checked like a build checks it (the portal needs nothing else)."""
    city = load_changed(options.content_dir, [], {}).city
    assert city is not None  # passed() refuses a city that did not load
    return city


def _assemble(parts: list[_Part], staging: Path, linked_from: Path | None) -> None:
    """Each shard's kelurahan folders, hard-linked (no bytes copied; copied across devices),
    or one relative symbolic link each, valid from `linked_from` (a sibling of staging)."""
    for part in parts:
        for site in part.summaries.sites:
            source = part.folder / site.slug
            if linked_from is not None:
                relative = os.path.relpath(source.resolve(), linked_from.resolve())
                (staging / site.slug).symlink_to(relative, target_is_directory=True)
            else:
                shutil.copytree(source, staging / site.slug, symlinks=True,
                                copy_function=_link)


def _link(source: str, target: str) -> None:
    link_or_copy(Path(source), Path(target))


def _write_portal(city: City, sites: list[PortalSite], staging: Path, project_root: Path,
                  today: dt.date, jinja_cache: Path) -> None:
    from generator.site import write_portal

    write_portal(city, sites, staging, project_root=project_root, today=today,
                 jinja_cache=jinja_cache)

