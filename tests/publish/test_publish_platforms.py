"""Happy paths per platform, time zones and double runs, against the fake platforms."""

from __future__ import annotations

import logging
import socket

import pytest

from tests.publish.fake_platforms import Fault
from tests.publish.publish_support import (
    CARD,
    DUE,
    IG_ID,
    KERJA_BAKTI,
    PAGE_ID,
    TOKENS,
    World,
    at,
    caption,
    configure,
    write_cards,
)
from tests.publish.publish_support import world as world  # the fixture


def _city(world: World):
    from kelurahan import load_valid

    return load_valid(world.content)


def _post(world: World):
    return _city(world).kelurahan[0].posts[0]


def test_facebook_photo_with_caption_is_posted_once(world: World) -> None:
    code, out = world.run(now=DUE)
    assert code == 0, out
    [post] = world.graph.posts_for(PAGE_ID)
    assert post.message == caption(_post(world), "facebook", _city(world))
    assert post.published and post.scheduled_publish_time is None
    assert post.image == (world.site / "sukamaju/kartu" / CARD / "facebook.jpg").read_bytes()
    row = world.row("facebook")
    assert (row["state"], row["attempts"], row["platform_id"]) == ("published", 1, post.id)
    assert row["url"] == f"https://www.facebook.com/{post.id}"
    assert row["published_at"] == "2026-11-16T01:00:00+00:00"
    assert out.splitlines()[0] == (
        f"{KERJA_BAKTI} → facebook: terbit https://www.facebook.com/{post.id}")
    assert out.splitlines()[-1] == ("Selesai: 3 terbit, 0 dijadwalkan di Facebook, 0 menunggu, "
                                    "0 gagal, 0 periksa manual, 0 dibatalkan.")


def test_instagram_container_from_public_card_url_then_publish(world: World) -> None:
    code, out = world.run(now=DUE)
    assert code == 0, out
    [media] = world.graph.ig_media
    assert media.user == IG_ID
    assert media.caption == caption(_post(world), "instagram", _city(world))
    assert media.image_url == f"{world.static.url}sukamaju/kartu/{CARD}/instagram.jpg"
    calls = [path for method, path in world.graph.requests if path.startswith(IG_ID)]
    assert calls == [f"{IG_ID}/content_publishing_limit", f"{IG_ID}/media",
                     f"{IG_ID}/media_publish"]
    row = world.row("instagram")
    assert (row["state"], row["platform_id"], row["url"]) == (
        "published", media.id, media.permalink)
    assert row["remote_ref"] in world.graph.containers


def test_tiktok_photo_post_pulled_from_url_as_self_only(world: World) -> None:
    code, out = world.run(now=DUE)
    assert code == 0, out
    [post] = world.tiktok.posts
    assert post.photo_images == [f"{world.static.url}sukamaju/kartu/{CARD}/tiktok.jpg"]
    assert (post.title, post.privacy_level) == ("Kerja Bakti Bersih Sungai", "SELF_ONLY")
    assert post.description == caption(_post(world), "tiktok", _city(world))
    assert [path for _, path in world.tiktok.requests] == [
        "/v2/post/publish/creator_info/query/", "/v2/post/publish/content/init/",
        "/v2/post/publish/status/fetch/", "/v2/post/publish/status/fetch/"]
    row = world.row("tiktok")
    assert (row["state"], row["remote_ref"]) == ("published", post.publish_id)


def test_nothing_before_jadwal_and_second_run_posts_nothing_more(world: World) -> None:
    code, out = world.run(now=at(DUE, minutes=-1))
    assert (code, out.strip()) == (0, "Tidak ada yang perlu diposting sekarang.")
    assert not world.graph.page_posts and not world.tiktok.posts
    assert world.run(now=DUE)[0] == 0
    code, out = world.run(now=at(DUE, hours=3))
    assert (code, out.strip()) == (0, "Tidak ada yang perlu diposting sekarang.")
    assert len(world.graph.page_posts) == len(world.graph.ig_media) == len(world.tiktok.posts) == 1
    assert [r["attempts"] for r in world.ledger()] == [1, 1, 1]


@pytest.mark.parametrize(("zone", "utc_due"), [
    ("Asia/Jakarta", "2026-11-16T02:00+00:00"),
    ("Asia/Makassar", "2026-11-16T01:00+00:00"),
    ("Asia/Jayapura", "2026-11-16T00:00+00:00"),
])
def test_same_0900_is_a_different_instant_per_zone(world: World, zone: str, utc_due: str
                                                   ) -> None:
    configure(world.content, world.static.url, zone=zone)
    (world.content / "kota.yml").write_text(
        (world.content / "kota.yml").read_text("utf-8").replace("Asia/Makassar", zone), "utf-8")
    write_cards(world.content, world.site)
    assert world.run(now=at(utc_due, minutes=-1))[0] == 0
    assert world.graph.page_posts == []
    code, out = world.run(now=utc_due)
    assert code == 0, out
    assert len(world.graph.posts_for(PAGE_ID)) == 1
    assert world.row("facebook")["publish_at"] == utc_due.replace("+00:00", ":00+00:00")


def test_token_values_never_reach_output_logs_or_ledger(world: World,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    """Debug logging on, a failed and a successful run: no token in any output or the ledger."""
    caplog.set_level(logging.DEBUG)
    world.graph.fail("photos", Fault(status=502, body="<html>", content_type=None))
    _, first = world.run(now=DUE)
    _, second = world.run(now=at(DUE, hours=1))
    assert "Graph GET 1111/published_posts" in caplog.text
    ledger = (world.state / "publish.sqlite3").read_bytes()
    for token in TOKENS.values():
        assert token not in first + second + caplog.text
        assert token.encode() not in ledger
    assert world.row("facebook")["state"] == "published"


def test_unreachable_graph_never_logs_the_token_in_the_request_url(
        world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """requests names the URL (with `access_token=…` on Graph GETs) when it cannot connect."""
    caplog.set_level(logging.DEBUG)
    world.only("facebook", "instagram")
    world.graph.fail("photos", Fault(502, "<html>", content_type=None))
    world.run(now=DUE)                  # Facebook unknown: the next run reconciles first
    with socket.socket() as closed:     # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("GRAPH_API_URL", f"http://127.0.0.1:{port}")
    _, out = world.run(now=at(DUE, minutes=5))
    assert "&access_token=***" in caplog.text
    for token in TOKENS.values():
        assert token not in out + caplog.text


def test_cards_from_a_real_build_are_posted_as_built(world: World) -> None:
    """The contract with the cards step: `kelurahan build` writes kartu.json + JPEGs, publish
    posts exactly those bytes and captions (Instagram/TikTok fetch them from the site URL)."""
    import json
    import shutil

    from kelurahan.cli import main

    shutil.rmtree(world.site / "sukamaju")
    assert main(["build", "--content", str(world.content), "--out", str(world.site),
                 "--now", DUE]) == 0
    folder = world.site / "sukamaju/kartu" / CARD
    manifest = json.loads((folder / "kartu.json").read_text("utf-8"))
    code, out = world.run(now=DUE)
    assert code == 0, out
    [page_post] = world.graph.page_posts
    assert page_post.image == (folder / "facebook.jpg").read_bytes()
    assert page_post.message == manifest["keterangan"]["facebook"]
    [media] = world.graph.ig_media
    assert (media.caption, media.image_url) == (manifest["keterangan"]["instagram"],
                                                manifest["gambar"]["instagram"]["url"])
    [clip] = world.tiktok.posts
    assert (clip.title, clip.description) == (manifest["keterangan"]["tiktok"]["judul"],
                                              manifest["keterangan"]["tiktok"]["deskripsi"])
    assert clip.photo_images == [manifest["gambar"]["tiktok"]["url"]]
