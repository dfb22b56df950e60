"""Temporary trouble is retried, never a permanent "gagal": a 4xx without the platform's error
object (a proxy's HTML page), Instagram's documented "try again" container errors and expired
containers, TikTok's own processing failures. Each ends with exactly one post."""

from __future__ import annotations

import time

import pytest

from tests.publish.fake_platforms import Fault
from tests.publish.publish_support import (
    DUE,
    KERJA_BAKTI,
    PAGE_ID,
    World,
    at,
)
from tests.publish.publish_support import world as world  # the fixture

PROXY_PAGE = "<html><body><h1>403 Forbidden</h1>nginx</body></html>"


@pytest.mark.parametrize("status", [400, 403, 404])
def test_graph_4xx_page_without_an_error_object_is_retried(world: World, status: int) -> None:
    world.only("facebook")
    world.graph.fail("photos", Fault(status, PROXY_PAGE, content_type="text/html"))
    _, out = world.run(now=DUE)
    reason = (f"gangguan sementara di Facebook (HTTP {status} tanpa keterangan kesalahan dari "
              "platform)")
    assert f"{KERJA_BAKTI} → facebook: menunggu dicoba lagi: {reason}" in out
    row = world.row("facebook")
    assert (row["state"], row["error_kind"], row["last_error"]) == ("retry", "transient", reason)
    assert world.graph.page_posts == []
    world.run(now=at(DUE, minutes=1))
    assert len(world.graph.posts_for(PAGE_ID)) == 1
    assert world.row("facebook")["state"] == "published"


def test_graph_429_page_without_an_error_object_is_a_rate_limit(world: World) -> None:
    world.only("instagram")
    world.graph.fail("media", Fault(429, "Too Many Requests", content_type="text/plain"))
    world.run(now=DUE)
    row = world.row("instagram")
    assert (row["state"], row["error_kind"], row["last_error"]) == (
        "retry", "rate", "batas permintaan Instagram tercapai (HTTP 429)")
    world.run(now=at(DUE, minutes=15))
    assert len(world.graph.ig_media) == 1
    assert world.row("instagram")["state"] == "published"


def test_tiktok_4xx_page_without_json_is_retried(world: World) -> None:
    world.only("tiktok")
    world.tiktok.fail("content/init", Fault(403, PROXY_PAGE, content_type="text/html"))
    world.run(now=DUE)
    row = world.row("tiktok")
    assert (row["state"], row["last_error"]) == (
        "retry", "gangguan sementara di TikTok (HTTP 403 tanpa keterangan kesalahan dari "
        "platform)")
    assert world.tiktok.posts == []
    world.run(now=at(DUE, minutes=1))
    assert len(world.tiktok.posts) == 1
    assert world.row("tiktok")["state"] == "published"


@pytest.mark.parametrize("detail, shown", [
    ("Error: -2: 2207003 It takes too long to download the media.", "kode 2207003"),
    ("Error: -1: 2207001 Instagram server error. Try again.", "kode 2207001"),
    ("Error: -1: 2207032 Create media fail, please try to re-create media", "kode 2207032"),
    ("", "tanpa kode"),
])
def test_instagram_container_try_again_error_gets_a_new_container(
        world: World, detail: str, shown: str) -> None:
    world.only("instagram")
    world.graph.container_status, world.graph.container_detail = "ERROR", detail
    _, out = world.run(now=DUE)
    reason = (f"Instagram gagal memproses gambar kartu (status ERROR, {shown}); dicoba "
              "lagi dengan wadah baru")
    assert f"{KERJA_BAKTI} → instagram: menunggu dicoba lagi: {reason}" in out
    row = world.row("instagram")
    assert (row["state"], row["last_error"], row["remote_ref"]) == ("retry", reason, None)
    world.graph.container_status, world.graph.container_detail = "FINISHED", ""
    assert world.run(now=at(DUE, minutes=1))[0] == 0
    assert len(world.graph.ig_media) == 1
    assert len(world.graph.containers) == 2
    assert world.row("instagram")["state"] == "published"


def test_instagram_expired_container_says_so_and_gets_a_new_one(world: World) -> None:
    world.only("instagram")
    world.graph.container_status = "EXPIRED"
    world.run(now=DUE)
    row = world.row("instagram")
    assert (row["state"], row["last_error"]) == (
        "retry", "wadah Instagram kedaluwarsa sebelum diterbitkan (status EXPIRED); dicoba "
        "lagi dengan wadah baru")
    world.graph.container_status = "FINISHED"
    world.run(now=at(DUE, minutes=1))
    assert len(world.graph.ig_media) == 1
    assert world.row("instagram")["state"] == "published"


def test_instagram_container_error_found_when_reconciling_is_replaced(world: World) -> None:
    """A crash left an IN_PROGRESS container that later ended ERROR (try again)."""
    world.only("instagram")
    world.graph.container_status = "IN_PROGRESS"
    world.run(now=DUE)
    assert world.row("instagram")["state"] == "unknown"
    for container in world.graph.containers.values():
        container.update(status_code="ERROR", status="Error: -1: 2207001 server error")
    world.graph.container_status = "FINISHED"
    assert world.run(now=at(DUE, minutes=1))[0] == 0
    assert len(world.graph.ig_media) == 1
    assert world.row("instagram")["state"] == "published"


@pytest.mark.parametrize(("reason", "kind", "message", "later"), [
    ("internal", "transient", "gangguan di TikTok saat memproses posting (internal); dikirim lagi "
     "pada percobaan berikutnya", 1),
    ("spam_risk_too_many_posts", "rate", "batas posting TikTok tercapai "
     "(spam_risk_too_many_posts); dikirim lagi nanti", 15),
])
def test_tiktok_failed_for_its_own_reasons_or_a_limit_is_sent_again(
        world: World, reason: str, kind: str, message: str, later: int) -> None:
    world.only("tiktok")
    world.tiktok.fail_reasons = [reason]
    world.run(now=DUE)
    row = world.row("tiktok")
    assert (row["state"], row["error_kind"], row["last_error"], row["remote_ref"]) == (
        "retry", kind, message, None)
    world.run(now=at(DUE, minutes=later))
    assert len(world.tiktok.posts) == 1
    assert world.row("tiktok")["state"] == "published"


def test_an_answer_trickling_in_is_cut_at_the_timeout(world: World) -> None:
    """1 byte every 0.2 s (each read within the 2 s timeout): the answer as a whole is not."""
    world.only("tiktok")
    slow = {"data": {"privacy_level_options": ["SELF_ONLY"], "filler": "x" * 200},
            "error": {"code": "ok", "message": "", "log_id": "x"}}
    world.tiktok.fail("creator_info/query", Fault(200, slow, trickle=0.2))
    started = time.monotonic()
    world.run(now=DUE)
    assert time.monotonic() - started < 6
    row = world.row("tiktok")
    assert (row["state"], row["last_error"]) == (
        "retry", "jaringan ke TikTok gagal (waktu tunggu habis)")
    world.run(now=at(DUE, minutes=1))
    assert len(world.tiktok.posts) == 1


def test_a_huge_answer_is_not_read_whole(world: World) -> None:
    world.only("facebook")
    world.graph.fail("photos", Fault(502, "<html>", content_type=None))
    world.run(now=DUE)
    huge = {"data": [{"id": str(n), "message": "A" * 1000} for n in range(9000)]}
    world.graph.fail("published_posts", Fault(200, huge))
    world.run(now=at(DUE, minutes=10))
    row = world.row("facebook")
    assert (row["state"], row["last_error"]) == (
        "retry", "jaringan ke Facebook gagal (jawaban terlalu besar)")
    assert world.graph.page_posts == []
    world.run(now=at(DUE, minutes=15))
    assert len(world.graph.posts_for(PAGE_ID)) == 1
