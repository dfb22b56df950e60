"""Fixtures for the publish tests: a city whose site is served on 127.0.0.1, its cards, and the
fake platforms, with `kelurahan publish` run for real (in-process or as a killable subprocess).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from kelurahan import load_valid
from kelurahan.cli import main
from kelurahan.outputs import (
    CARD_MANIFEST,
    CARD_VERSION,
    CardCaptions,
    CardImage,
    CardManifest,
    TikTokCaption,
)
from tests.conftest import make_content, write
from tests.publish.fake_platforms import FakeGraph, FakeTikTok, StaticSite

PAGE_ID = "1111"
IG_ID = "17841400000001"
TOKENS = {"facebook": "fb-rahasia-AAA", "instagram": "ig-rahasia-BBB", "tiktok": "tt-rahasia-CCC"}
CARD_SIZES = {"facebook": (1200, 630), "instagram": (1080, 1350), "tiktok": (1080, 1920)}
REPO = Path(__file__).resolve().parents[2]


def caption(post, channel: str, city) -> str:
    """Like the cards step: title, summary and the post's canonical URL (how we find it)."""
    return (f"{post.title} ({channel})\n\n{post.summary or ''}\n\nSelengkapnya: "
            f"{city.url(post.url_path)}")


def write_cards(content: Path, site: Path, *, only_stem: str | None = None) -> None:
    """kartu.json + three small JPEGs per post, in the shape the cards helper writes."""
    city = load_valid(content)
    for kel in city.kelurahan:
        for post in kel.posts:
            if only_stem and post.stem != only_stem:
                continue
            folder = site / post.card_dir
            folder.mkdir(parents=True, exist_ok=True)
            images = {}
            for channel, (w, h) in CARD_SIZES.items():
                Image.new("RGB", (w // 10, h // 10), "navy").save(folder / f"{channel}.jpg")
                images[channel] = CardImage(file=f"{channel}.jpg", width=w, height=h,
                                            url=city.url(post.card_path(channel)))
            manifest = CardManifest(
                version=CARD_VERSION, kelurahan=kel.slug, post=post.stem, title=post.title,
                url=city.url(post.url_path), publish_at=post.publish_at, channels=post.channels,
                images=images,
                captions=CardCaptions(facebook=caption(post, "facebook", city),
                                      instagram=caption(post, "instagram", city),
                                      tiktok=TikTokCaption(title=post.title,
                                                           description=caption(post, "tiktok",
                                                                               city))))
            (folder / CARD_MANIFEST).write_text(manifest.to_json(), "utf-8")


def configure(content: Path, site_url: str, *, zone: str = "Asia/Makassar",
              channels: tuple[str, ...] = ("facebook", "instagram", "tiktok")) -> None:
    kota = content / "kota.yml"
    text = kota.read_text("utf-8").replace("Asia/Makassar", zone)
    kota.write_text(text.replace("https://kelurahan.kotauji.example/", site_url), "utf-8")
    profil = content / "sukamaju" / "profil.md"
    text = profil.read_text("utf-8").replace(
        "sosial: {facebook: https://facebook.com/kel.sukamaju, instagram: "
        "https://instagram.com/kel.sukamaju}",
        f'sosial: {{facebook: https://facebook.com/kel.sukamaju, facebook_page_id: "{PAGE_ID}",'
        f' instagram_user_id: "{IG_ID}"}}')
    profil.write_text(text.replace("terbit: [facebook, instagram]",
                                   f"terbit: [{', '.join(channels)}]"), "utf-8")


def add_post(content: Path, stem: str, title: str, extra: str = "") -> Path:
    return write(content / "sukamaju" / "kegiatan" / f"{stem}.md",
                 f"---\njudul: {title}\ntanggal: {stem[:10]}\nringkasan: Ringkasan {title}.\n"
                 f"{extra}---\nIsi kegiatan.\n")


@dataclass
class World:
    """One test's city, site, state folder and fake platforms."""

    root: Path
    content: Path
    site: Path
    state: Path
    graph: FakeGraph
    tiktok: FakeTikTok
    static: StaticSite
    env: dict[str, str]
    capsys: pytest.CaptureFixture

    def args(self, *extra: str, now: str | None = None) -> list[str]:
        base = ["publish", "--content", str(self.content), "--site", str(self.site)]
        return base + (["--now", now] if now else []) + list(extra)

    def run(self, *extra: str, now: str | None = None) -> tuple[int, str]:
        """`kelurahan publish …` in this process; (exit code, stdout + stderr)."""
        self.capsys.readouterr()
        code = main(self.args(*extra, now=now))
        out = self.capsys.readouterr()
        return code, out.out + out.err

    def spawn(self, *extra: str, now: str | None = None) -> subprocess.Popen:
        """The same command as a separate process, to kill it or run two at once."""
        return subprocess.Popen([sys.executable, "-m", "kelurahan.cli", *self.args(*extra, now=now)],
                                env={**os.environ, **self.env}, cwd=self.root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def only(self, *channels: str) -> None:
        """The profile's `terbit` lists only these channels."""
        profil = self.content / "sukamaju" / "profil.md"
        profil.write_text(profil.read_text("utf-8").replace(
            "terbit: [facebook, instagram, tiktok]", f"terbit: [{', '.join(channels)}]"), "utf-8")

    def ledger(self) -> list[dict]:
        db = sqlite3.connect(self.state / "publish.sqlite3")
        db.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in db.execute("SELECT * FROM attempts ORDER BY post, channel")]
        finally:
            db.close()

    def row(self, channel: str, post: str = "2026-11-16-kerja-bakti") -> dict:
        rows = [r for r in self.ledger() if r["channel"] == channel and r["post"] == post]
        assert len(rows) == 1, rows
        return rows[0]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture) -> Iterator[World]:
    site = tmp_path / "site"
    site.mkdir()
    static = StaticSite(site)
    graph = FakeGraph({PAGE_ID: TOKENS["facebook"], IG_ID: TOKENS["instagram"]})
    tiktok = FakeTikTok(TOKENS["tiktok"])
    env = {"GRAPH_API_URL": graph.start(), "GRAPH_API_VERSION": "v21.0",
           "TIKTOK_API_URL": tiktok.start(), "KELURAHAN_STATE_DIR": str(tmp_path / "state"),
           "KELURAHAN_SECRETS_FILE": str(tmp_path / "tidak-ada.env"),
           "KELURAHAN_PUBLISH_TIMEOUT": "2", "KELURAHAN_PUBLISH_POLL_SECONDS": "0.01",
           "KELURAHAN_LOCAL_SITE": "1",
           **{f"KELURAHAN_SUKAMAJU_{ch.upper()}_TOKEN": tok for ch, tok in TOKENS.items()}}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TIKTOK_PRIVACY_LEVEL", raising=False)
    content = make_content(tmp_path)
    configure(content, static.url)
    write_cards(content, site)
    yield World(tmp_path, content, site, tmp_path / "state", graph, tiktok, static, env, capsys)
    for server in (graph, tiktok, static):
        server.stop()


# The fixture post (2026-11-16-kerja-bakti) is due at 09:00 WITA = 01:00 UTC.
CARD = "2026-11-16-kerja-bakti"
KERJA_BAKTI = 'sukamaju: "Kerja Bakti Bersih Sungai" (Senin, 16 November 2026)'
DUE = "2026-11-16T09:00+08:00"
LATER = "2026-11-16T10:00+08:00"


def at(moment: str, **delta: float) -> str:
    return (dt.datetime.fromisoformat(moment) + dt.timedelta(**delta)).isoformat()
