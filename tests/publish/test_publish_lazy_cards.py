"""An old post's Instagram card is drawn when publishing first needs it (the build skips it)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PIL import Image

from generator.cards import render_cards
from kelurahan import load_valid
from tests.publish.publish_support import DUE, World, at
from tests.publish.publish_support import world as world  # the fixture

CARD = "2026-11-16-kerja-bakti"


def test_a_late_instagram_post_gets_its_card_drawn_then_posted(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KELURAHAN_SUKAMAJU_INSTAGRAM_TOKEN")
    world.run(now=DUE)  # Facebook and TikTok go out; Instagram waits for its token
    assert world.row("instagram")["error_kind"] == "token"

    late = at(DUE, days=30)  # the token is set a month later; the site was rebuilt meanwhile
    city = load_valid(world.content)
    render_cards(city, city.get("sukamaju"), world.site, now=dt.datetime.fromisoformat(late),
                 cache_dir=world.state / "cache" / "kartu")
    folder = world.site / "sukamaju" / "kartu" / CARD
    assert list(json.loads((folder / "kartu.json").read_text("utf-8"))["gambar"]) == ["facebook"]
    assert not (folder / "instagram.jpg").exists()

    monkeypatch.setenv("KELURAHAN_SUKAMAJU_INSTAGRAM_TOKEN", "ig-rahasia-BBB")
    code, out = world.run(now=late)
    assert code == 0, out
    assert world.row("instagram")["state"] == "published"
    assert len(world.graph.ig_media) == 1
    assert world.graph.ig_media[0].image_url.endswith(f"sukamaju/kartu/{CARD}/instagram.jpg")
    with Image.open(folder / "instagram.jpg") as card:
        assert (card.format, card.size) == ("JPEG", (1080, 1350))
    manifest = json.loads((folder / "kartu.json").read_text("utf-8"))
    assert list(manifest["gambar"]) == ["facebook", "instagram"]


def test_dry_run_does_not_count_a_card_drawn_on_first_use_as_a_failure(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KELURAHAN_SUKAMAJU_INSTAGRAM_TOKEN")
    world.run(now=DUE)
    late = at(DUE, days=30)
    city = load_valid(world.content)
    render_cards(city, city.get("sukamaju"), world.site, now=dt.datetime.fromisoformat(late),
                 cache_dir=world.state / "cache" / "kartu")
    assert not (world.site / "sukamaju" / "kartu" / CARD / "instagram.jpg").exists()
    monkeypatch.setenv("KELURAHAN_SUKAMAJU_INSTAGRAM_TOKEN", "ig-rahasia-BBB")
    code, out = world.run("--dry-run", now=late)
    assert code == 0, out
    assert "    gambar: (kartu digambar saat diposting)" in out
    assert "masalah" not in out
    assert world.run(now=late)[0] == 0
    assert world.row("instagram")["state"] == "published"
