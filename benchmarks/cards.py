"""Social cards for 59 kelurahan × 4 posts: cold, cached, forced; target ≤ 50 ms/card.

Posts older than two weeks get only their Facebook card (Instagram and TikTok are drawn on
first use), so "per card" divides by the cards actually in the output.

Baseline, measured in the same run on the same photos: the least any card renderer must do,
i.e. decode the photo, crop-resize it to the three card sizes (`ImageOps.fit`) and save three
JPEGs, with no text, design, cache or manifest. Also one row for 4000×3000 phone originals.

Run: `.venv/bin/python benchmarks/cards.py [--kelurahan 59 --posts 4]`.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.photos import draw_photo
from benchmarks.synth import generate
from generator.cards import render_cards
from kelurahan import City, load_valid

SIZES = ((1200, 630), (1080, 1350), (1080, 1920))


def _baseline(city: City) -> Result:
    """Seconds per card for the bare decode → fit → save, per kelurahan."""
    per_card, cpu = [], []
    for kel in city.kelurahan:
        start, start_cpu = time.perf_counter(), time.process_time()
        cards = 0
        for post in kel.posts:
            with Image.open(post.photos[0].path) as photo:
                photo = photo.convert("RGB")
                for size in SIZES:
                    ImageOps.fit(photo, size).save(io.BytesIO(), "JPEG", quality=85)
                    cards += 1
        per_card.append((time.perf_counter() - start) / cards)
        cpu.append((time.process_time() - start_cpu) / cards)
    return per_card, cpu, 0, 0


Result = tuple[list[float], list[float], int, int]


def _render_all(city: City, out: Path, cache: Path, *, force: bool = False) -> Result:
    """Wall and CPU seconds per card per kelurahan, plus counts of drawn and reused posts."""
    per_card, cpu, drawn, reused = [], [], 0, 0
    now = city.now()
    for kel in city.kelurahan:
        start, start_cpu = time.perf_counter(), time.process_time()
        report = render_cards(city, kel, out, now=now, cache_dir=cache, force=force)
        cards = len(list((out / kel.slug / "kartu").glob("*/*.jpg")))  # old posts: Facebook only
        per_card.append((time.perf_counter() - start) / cards)
        cpu.append((time.process_time() - start_cpu) / cards)
        drawn += len(report.rendered)
        reused += len(report.reused)
        assert not report.failed, report.failed
    return per_card, cpu, drawn, reused


def _phone_originals(content: Path, count: int) -> None:
    """Replace the first `count` kelurahan's photos with 4000×3000 q92 JPEGs, like a phone's."""
    big = draw_photo(7, width=4000, height=3000)
    for folder in sorted(p for p in content.iterdir() if p.is_dir())[:count]:
        for photo in (folder / "media").glob("2*.jpg"):
            photo.unlink()
            big.save(photo, quality=92)


def _row(name: str, result: Result, total: float, baseline: float, note: str = "") -> str:
    median = statistics.median(result[0]) * 1000
    cpu = statistics.median(result[1]) * 1000
    return f"| {name} | {median:.1f} | {cpu:.1f} | {total:.2f} | {median / baseline:.2f}× | {note} |"


def _timed(job: Callable[[], Result]) -> tuple[float, Result]:
    start = time.perf_counter()
    result = job()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kelurahan", type=int, default=59)
    parser.add_argument("--posts", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = generate(root / "content", kelurahan=args.kelurahan, posts=args.posts,
                           photo_pool=8)
        city = load_valid(content)
        cards = 3 * sum(len(k.posts) for k in city.kelurahan)  # at most
        total, base = _timed(lambda: _baseline(city))
        baseline = statistics.median(base[0]) * 1000
        rows = [_row("baseline: decode + fit + save, no design", base, total, baseline)]
        timed: list[tuple[str, Callable[[], Result]]] = [
            ("cold: empty cache", lambda: _render_all(city, root / "site", root / "cache")),
            ("re-run, nothing changed", lambda: _render_all(city, root / "site", root / "cache")),
            ("cached into a fresh out dir", lambda: _render_all(city, root / "site2", root / "cache")),
            ("--force (cache ignored)", lambda: _render_all(city, root / "site", root / "cache",
                                                            force=True)),
        ]
        for name, job in timed:
            total, result = _timed(job)
            rows.append(_row(name, result, total, baseline,
                             f"{result[2]} posts drawn, {result[3]} reused"))
        phones = min(5, len(city.kelurahan))
        _phone_originals(content, phones)
        big_city = load_valid(content)
        big_city = big_city.model_copy(update={"kelurahan": big_city.kelurahan[:phones]})
        shutil.rmtree(root / "cache")
        total, result = _timed(lambda: _render_all(big_city, root / "site3", root / "cache"))
        rows.append(_row("cold, 4000×3000 phone originals", result, total, baseline,
                         f"{result[2]} posts of {phones} kelurahan"))
    print(f"{args.kelurahan} kelurahan × {args.posts} posts (at most {cards} cards); "
          "ms per card = median over kelurahan of (time for its posts / its cards)\n")
    print("| run | ms/card wall (median) | ms/card CPU | s total | vs baseline (wall) | note |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
