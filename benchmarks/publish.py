"""Publishing benchmark: 59 kelurahan × 150 posts, one week's cards due, fake platforms on loopback.

What a cron run every 5 minutes costs, and what the exactly-once bookkeeping adds:
- baseline: `load_valid(content)` — every run pays it before deciding anything;
- the busy run: every kelurahan's latest post due on its 2–3 channels (≈160 posts through the
  fake Graph/TikTok servers: quota check, container, publish, status polls);
- the idle run right after (nothing due: plan + ledger look-ups only);
- the ledger alone: claim + finish per row (2 durable transactions) against the least a durable
  ledger must do, one `INSERT` + commit per row with `synchronous=FULL`.

Run: `.venv/bin/python -m benchmarks.publish [--kelurahan 59 --posts 150]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import generate
from kelurahan import City, load_valid
from kelurahan.outputs import (
    CARD_MANIFEST,
    CARD_VERSION,
    CHANNELS,
    CardCaptions,
    CardImage,
    CardManifest,
    TikTokCaption,
)
from kelurahan.settings import Settings, token_name
from publish.social.ledger import Key, ledger_at
from publish.social.outcome import Kind, Outcome
from publish.social.runner import publish_due
from tests.publish.fake_platforms import FakeGraph, FakeTikTok, StaticSite

NOW = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _add_account_ids(content: Path) -> None:
    for index, profil in enumerate(sorted(content.glob("*/profil.md")), 1):
        text = profil.read_text("utf-8").replace(
            "sosial:\n", f"sosial:\n  facebook_page_id: '{9000 + index}'\n"
                         f"  instagram_user_id: '{17800 + index}'\n", 1)
        profil.write_text(text, "utf-8")


def _write_cards(city: City, site: Path) -> None:
    """kartu.json + JPEGs for the posts due this week, in the cards helper's shape."""
    jpeg = site / "_kartu.jpg"
    jpeg.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (120, 150), "navy").save(jpeg)
    for kel in city.kelurahan:
        for post in kel.published_posts(NOW)[:1]:
            folder = site / post.card_dir
            folder.mkdir(parents=True, exist_ok=True)
            for channel in ("facebook", "instagram", "tiktok"):
                shutil.copyfile(jpeg, folder / f"{channel}.jpg")
            text = f"{post.title}\n\n{post.summary or ''}\n\n{city.url(post.url_path)}"
            manifest = CardManifest(
                version=CARD_VERSION, kelurahan=kel.slug, post=post.stem, title=post.title,
                url=city.url(post.url_path), publish_at=post.publish_at, channels=post.channels,
                images={c: CardImage(file=f"{c}.jpg", width=1, height=1,
                                     url=city.url(post.card_path(c))) for c in CHANNELS},
                captions=CardCaptions(facebook=text, instagram=text,
                                      tiktok=TikTokCaption(title=post.title, description=text)))
            (folder / CARD_MANIFEST).write_text(manifest.to_json(), "utf-8")


def _settings(city: City, graph: str, tiktok: str, state: Path) -> Settings:
    values = {"GRAPH_API_URL": graph, "TIKTOK_API_URL": tiktok, "KELURAHAN_STATE_DIR": str(state),
              "KELURAHAN_PUBLISH_POLL_SECONDS": "0", "KELURAHAN_PUBLISH_TIMEOUT": "10"}
    for kel in city.kelurahan:
        for channel in ("facebook", "instagram", "tiktok"):
            values[token_name(kel.slug, channel)] = f"token-{kel.slug}-{channel}"
    return Settings(values)


def _timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _ledger_rows(path: Path, count: int) -> tuple[float, float]:
    """(baseline s, ledger s) for `count` rows."""
    base = sqlite3.connect(path.with_suffix(".base"), isolation_level=None)
    base.execute("PRAGMA synchronous=FULL")
    base.execute("CREATE TABLE t (k TEXT PRIMARY KEY, state TEXT)")
    start = time.perf_counter()
    for n in range(count):
        base.execute("BEGIN IMMEDIATE")
        base.execute("INSERT INTO t VALUES (?, 'published')", (f"k{n}",))
        base.execute("COMMIT")
    baseline = time.perf_counter() - start
    ledger = ledger_at(path)
    start = time.perf_counter()
    for n in range(count):
        claim = ledger.claim(Key("kel", f"post-{n}", "facebook"), NOW, NOW)
        ledger.finish(claim, Outcome(Kind.PUBLISHED, platform_id=str(n)), NOW)
    return baseline, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kelurahan", type=int, default=59)
    parser.add_argument("--posts", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = generate(root / "content", kelurahan=args.kelurahan, posts=args.posts)
        _add_account_ids(content)
        load_s, city = _timed(lambda: load_valid(content))
        site = root / "site"
        static = StaticSite(site)
        city = city.model_copy(update={"site_url": static.url})
        _write_cards(city, site)
        graph, tiktok = FakeGraph({}), FakeTikTok(None)
        settings = _settings(city, graph.start(), tiktok.start(), root / "state")
        busy_s, results = _timed(lambda: publish_due(city, site, settings, NOW))
        idle_s, again = _timed(lambda: publish_due(city, site, settings, NOW))
        base_rows, ledger_rows = _ledger_rows(root / "bench.sqlite3", 1000)
        for server in (graph, tiktok, static):
            server.stop()
    posts = sum(r.row.state == "published" for r in results)
    print(f"{args.kelurahan} kelurahan × {args.posts} kegiatan; {posts} posts due now "
          f"({len(graph.page_posts)} Facebook, {len(graph.ig_media)} Instagram, "
          f"{len(tiktok.posts)} TikTok); re-run posted {len(again)}")
    rows = [("baseline: load_valid(content)", load_s, load_s),
            ("busy run: publish_due (fakes)", busy_s, load_s),
            ("idle run: publish_due, nothing due", idle_s, load_s),
            ("baseline: 1000 durable INSERTs", base_rows, base_rows),
            ("ledger: 1000 claim + finish", ledger_rows, base_rows)]
    print("| step                                 |      s |  ratio |")
    print("|--------------------------------------|--------|--------|")
    for name, seconds, base in rows:
        print(f"| {name:<36} | {seconds:6.2f} | {seconds / base:6.2f} |")
    print(f"per post (busy run): {busy_s / max(posts, 1) * 1000:.1f} ms; "
          f"per ledger row: {ledger_rows:.3f} ms")


if __name__ == "__main__":
    main()
