"""A province or the whole country on a cluster: the sharded build, measured and projected.

    python benchmarks/national.py [--kelurahan 2000] [--posts 30] [--sample 16] [--shards 2]
                                  [--villages 84000] [--cores-per-machine 8]

Two synthetic trees from `benchmarks/synth.py`, each kelurahan with `--posts` weekly posts:

* the province (`--kelurahan`): loading and validating, timed as `kelurahan check`, for the
  cost per kelurahan (a shard reads only its own kelurahan; the "whole country" rows show what
  reading everything in every shard, as a plain `--only` build does, would cost); and the
  portal of `--villages` kelurahan written from real summaries (the merge's own work);
* the sample (`--sample` kelurahan): built for real as `--shards` shard processes at once,
  each pinned to one core (`taskset`, `--jobs 1`): cold (empty caches), then the weekly run
  (one new post in every kelurahan: villages post about once a week), then the merge
  (`kelurahan build --portal-only`), whose hard-linking is timed per site.

From these, per-site seconds on one core are projected to `--villages` (≈ 84,000 kelurahan and
desa) for a cold build in ≤ 15 min and a weekly run in ≤ 1 min: how many one-core shards,
and machines of `--cores-per-machine` cores.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.build import _add_post, _settled
from benchmarks.synth import generate

BIN = Path(sys.executable).parent
NOW = "2026-11-20T10:00+08:00"
COLD_BUDGET, WEEKLY_BUDGET = 15 * 60.0, 60.0


@dataclass(frozen=True)
class ShardRun:
    number: int
    seconds: float
    sites: int
    pages: int


def _kelurahan(args: list[str], state: Path, core: int | None = None) -> subprocess.Popen:
    """The real command in a new process; its output into `<state>.log` (read on failure)."""
    pin = ["taskset", "-c", str(core)] if core is not None and shutil.which("taskset") else []
    env = {**os.environ, "KELURAHAN_STATE_DIR": str(state)}
    for name in ("JOB_COMPLETION_INDEX", "CI_NODE_INDEX", "CI_NODE_TOTAL"):
        env.pop(name, None)
    state.parent.mkdir(parents=True, exist_ok=True)
    with state.with_suffix(".log").open("w") as log:
        return subprocess.Popen([*pin, str(BIN / "kelurahan"), *args], env=env, stdout=log,
                                stderr=subprocess.STDOUT)


def _wait(process: subprocess.Popen) -> None:
    if process.wait() != 0:
        sys.exit(f"gagal: {' '.join(map(str, process.args))} (keluarannya: state-*.log)")


def _timed(args: list[str], state: Path) -> float:
    start = time.perf_counter()
    _wait(_kelurahan(args, state))
    return time.perf_counter() - start


def _shards(content: Path, work: Path, count: int) -> list[ShardRun]:
    """All shards at once, one core each; seconds until each one's output has settled."""
    cores = os.cpu_count() or 1
    start = time.perf_counter()
    running = {n: _kelurahan(["build", "--content", str(content), "--shard", f"{n}/{count}",
                              "--jobs", "1", "--now", NOW, "--out", str(work / f"shard-{n}")],
                             work / f"state-{n}", core=(n - 1) % cores)
               for n in range(1, count + 1)}
    finished: dict[int, float] = {}
    while len(finished) < count:
        for number, process in running.items():
            if number not in finished and process.poll() is not None:
                _wait(process)
                _settled(work / f"shard-{number}", work / f"state-{number}")
                finished[number] = time.perf_counter() - start
        time.sleep(0.05)
    runs = []
    for number in sorted(finished):
        sites = [p.parent.parent for p in (work / f"shard-{number}").glob("*/whatsapp/menu.json")]
        pages = sum(1 for site in sites for _ in site.rglob("*.html"))
        runs.append(ShardRun(number, finished[number], len(sites), pages))
    return runs


def _link_seconds(work: Path, *, symlinks: bool) -> float:
    """Linking every sample site once more, as the merge assembles the whole site."""
    from generator.shards import _assemble, _Part
    from kelurahan.outputs import SHARD_SUMMARIES, ShardSummaries

    parts = [_Part(path.parent, ShardSummaries.model_validate_json(path.read_bytes()))
             for path in sorted(work.glob(f"shard-*/{SHARD_SUMMARIES}"))]
    target = work / "tautan"
    target.mkdir()
    start = time.perf_counter()
    _assemble(parts, target, work / "site" if symlinks else None)
    elapsed = time.perf_counter() - start
    shutil.rmtree(target)
    return elapsed


def _portal_seconds(content: Path, work: Path, villages: int) -> float:
    """The portal (index, 404, feed) of `villages` kelurahan, from the sample's real summaries."""
    from generator.shards import MergeOptions, _city, _write_portal
    from kelurahan.outputs import SHARD_SUMMARIES, ShardSummaries
    from kelurahan.resources import project_root

    real = [site for path in sorted(work.glob(f"shard-*/{SHARD_SUMMARIES}"))
            for site in ShardSummaries.model_validate_json(path.read_bytes()).sites]
    # ≈ 12 villages a kecamatan, as in Indonesia (≈ 7,200 kecamatan): the portal is then split
    # into kecamatan pages of realistic size.
    sites = [real[i % len(real)].model_copy(update={
        "slug": f"desa-{i:05d}", "district": f"Wilayah {i // 12:04d}"})
        for i in range(villages)]
    options = MergeOptions(content, work / "portal", work / "state-portal", project_root(), ())
    city = _city(options)
    (work / "portal").mkdir(exist_ok=True)
    start = time.perf_counter()
    _write_portal(city, sites, work / "portal", project_root(), city.now().date())
    return time.perf_counter() - start


def _shards_needed(per_site: float, load_per_site: float, fixed: float, rebuilt: int,
                   loaded: int | None, budget: float) -> int | None:
    """One-core shards so that the slowest shard plus the merge fits `budget` (None: never).

    `loaded`: kelurahan every shard reads whatever its share (None: only its own share)."""
    if loaded is not None:
        room = budget - fixed - load_per_site * loaded
        return math.ceil(per_site * rebuilt / room) if room > 0 else None
    room = budget - fixed
    return math.ceil((per_site + load_per_site) * rebuilt / room) if room > 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kelurahan", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--sample", type=int, default=16)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--villages", type=int, default=84_000)
    parser.add_argument("--cores-per-machine", type=int, default=8)
    parser.add_argument("--work", type=Path, default=Path("benchmarks/out/national"))
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    work = args.work.resolve()
    shutil.rmtree(work / "run", ignore_errors=True)
    run = work / "run"
    province = generate(work / "provinsi", kelurahan=args.kelurahan, posts=args.posts)
    sample = generate(work / "sampel", kelurahan=args.sample, posts=args.posts)

    load_province = _timed(["check", "--content", str(province)], run / "state-check")
    load_sample = _timed(["check", "--content", str(sample)], run / "state-check")
    cold = _shards(sample, run, args.shards)
    for slug in sorted(p.name for p in sample.iterdir() if p.is_dir()):
        _add_post(sample, slug)
    weekly = _shards(sample, run, args.shards)
    merge = _timed(["build", "--content", str(sample), "--portal-only", "--symlink", "--now",
                    NOW, "--summaries", str(run), "--out", str(run / "site")], run / "state-merge")
    links = (_link_seconds(run, symlinks=False) / args.sample,
             _link_seconds(run, symlinks=True) / args.sample)
    portal = _portal_seconds(sample, run, args.villages)
    load_after = os.getloadavg()

    load_per_site = max(load_province - load_sample, 0.0) / max(args.kelurahan - args.sample, 1)
    _report(args, cold, weekly, load_sample, load_per_site, load_province, merge, links, portal,
            (load_before, load_after))
    return 0


def _per_site(runs: list[ShardRun], load_sample: float) -> float:
    """Median seconds per site on one core, without the shard's load of the whole sample."""
    return statistics.median((r.seconds - load_sample) / r.sites for r in runs if r.sites)


def _report(args: argparse.Namespace, cold: list[ShardRun], weekly: list[ShardRun],
            load_sample: float, load_per_site: float, load_province: float, merge: float,
            links: tuple[float, float], portal: float,
            loads: tuple[tuple[float, ...], ...]) -> None:
    print(f"province: {args.kelurahan} kelurahan × {args.posts} kegiatan (loaded, checked); "
          f"sample built: {args.sample} kelurahan in {args.shards} one-core shard processes; "
          f"{os.cpu_count()} cores, load average {loads[0][0]:.1f} before, {loads[1][0]:.1f} after")
    print("| shard run                 | shard | sites | pages |      s | pages/s |")
    print("|---------------------------|-------|-------|-------|--------|---------|")
    for name, runs in (("cold (empty caches)", cold), ("weekly (+1 post each)", weekly)):
        for r in runs:
            print(f"| {name:<25} | {r.number:>5} | {r.sites:>5} | {r.pages:>5} | "
                  f"{r.seconds:>6.1f} | {r.pages / r.seconds:>7.1f} |")
    cold_site, week_site = _per_site(cold, load_sample), _per_site(weekly, load_sample)
    hard, symbolic = (link * args.villages + portal for link in links)
    print(f"\nper site on one core: cold {cold_site:.2f} s, weekly {week_site:.2f} s; "
          f"load+check {load_per_site * 1000:.1f} ms per kelurahan ({load_province:.1f} s for "
          f"{args.kelurahan})")
    print(f"merge of the sample (--symlink): {merge:.1f} s; per site: hard links "
          f"{links[0] * 1000:.1f} ms, one symlink {links[1] * 1000:.2f} ms; portal of "
          f"{args.villages} kelurahan {portal:.1f} s → merge at {args.villages}: ≈ {hard:.0f} s "
          f"hard-linked, ≈ {symbolic:.0f} s with --symlink (used below)")
    print(f"\nprojection for {args.villages} villages "
          f"(machines of {args.cores_per_machine} cores, one shard per core)")
    print("| run                    | budget | reads          | shards | machines | shard s |")
    print("|------------------------|--------|----------------|--------|----------|---------|")
    # Villages post about once a week: a 5-minute timer run sees a 2016th of them.
    every_5_min = math.ceil(args.villages * 5 / (7 * 24 * 60))
    rows = [("cold build", cold_site, COLD_BUDGET, args.villages, (True, False)),
            ("weekly, all at once", week_site, WEEKLY_BUDGET, args.villages, (True, False)),
            (f"5-min run ({every_5_min} sites)", week_site, WEEKLY_BUDGET, every_5_min, (False,))]
    for name, per_site, budget, rebuilt, modes in rows:
        for loads_all in modes:
            label = "whole country" if loads_all else "own shard only"
            loaded = args.villages if loads_all else None
            shards = _shards_needed(per_site, load_per_site, symbolic, rebuilt, loaded, budget)
            if shards is None:
                print(f"| {name:<22} | {budget:>4.0f} s | {label:<14} | never: loading or "
                      "merge alone exceed the budget |")
                continue
            load = load_per_site * (loaded if loaded is not None else rebuilt / shards)
            seconds = load + per_site * rebuilt / shards
            print(f"| {name:<22} | {budget:>4.0f} s | {label:<14} | {shards:>6} | "
                  f"{math.ceil(shards / args.cores_per_machine):>8} | {seconds:>7.0f} |")

if __name__ == "__main__":
    sys.exit(main())
