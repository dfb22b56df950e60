"""Loading + validating 59 kelurahan × 150 posts (target < 2 s), against a bare parse baseline.

Baseline: python-frontmatter parsing every Markdown file with no model or checks, i.e. the
least any loader must do. Run: `.venv/bin/python benchmarks/load.py [--kelurahan 59 --posts 150]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import frontmatter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import generate
from kelurahan import check


def _bare_parse(content: Path) -> int:
    return sum(len(frontmatter.load(p).metadata) for p in content.rglob("*.md"))


def _load_and_validate(content: Path) -> int:
    loaded = check(content)
    assert not [p for p in loaded.problems if p.is_error], loaded.problems[:3]
    return sum(len(k.posts) for k in loaded.kelurahan)


def _check_photos(content: Path, cache: Path, *, cold: bool) -> int:
    """`kelurahan check` as the command runs it: every photo opened, verdicts remembered."""
    from kelurahan.photos import CACHE_NAME, PhotoChecks

    if cold:
        (cache / CACHE_NAME).unlink(missing_ok=True)
    loaded = check(content, photos=PhotoChecks(cache))
    assert not [p for p in loaded.problems if p.is_error], loaded.problems[:3]
    return len(loaded.problems)


def _best_of(runs: int, job: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kelurahan", type=int, default=59)
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/load"))
    args = parser.parse_args()
    content = args.out / "content"
    generate(content, args.kelurahan, args.posts)
    files = sum(1 for _ in content.rglob("*.md"))
    base_best, base_median = _best_of(args.runs, lambda: _bare_parse(content))
    ours_best, ours_median = _best_of(args.runs, lambda: _load_and_validate(content))
    print(f"{args.kelurahan} kelurahan × {args.posts} kegiatan = {files} Markdown files, "
          f"best of {args.runs}")
    print(f"| {'step':<40} | {'best s':>7} | {'median s':>8} | {'ratio':>6} |")
    print(f"|{'-' * 42}|{'-' * 9}|{'-' * 10}|{'-' * 8}|")
    print(f"| {'baseline: frontmatter.load every file':<40} | {base_best:7.2f} | "
          f"{base_median:8.2f} | {1:6.2f} |")
    print(f"| {'kelurahan.check (load + validate)':<40} | {ours_best:7.2f} | "
          f"{ours_median:8.2f} | {ours_best / base_best:6.2f} |")
    cache = args.out / "state"
    for name, cold in (("+ every photo opened (nothing remembered)", True),
                       ("+ every photo, verdicts remembered", False)):
        best, median = _best_of(args.runs, lambda cold=cold: _check_photos(content, cache,
                                                                            cold=cold))
        print(f"| {name:<40} | {best:7.2f} | {median:8.2f} | {best / base_best:6.2f} |")
    print(f"target < 2 s: {'OK' if ours_best < 2 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
