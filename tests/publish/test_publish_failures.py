"""What the platforms throw at us: each case ends with exactly one post (or none, when the
platform refused) and a ledger row that tells the truth, with an Indonesian reason."""

from __future__ import annotations

import json
import socket

import pytest

from tests.publish.fake_platforms import Fault, graph_error
from tests.publish.publish_support import (
    CARD,
    DUE,
    IG_ID,
    KERJA_BAKTI,
    PAGE_ID,
    World,
    add_post,
    at,
    write_cards,
)
from tests.publish.publish_support import world as world  # the fixture


def test_expired_token_stops_the_account_and_says_how_to_renew(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    add_post(world.content, "2026-11-16-posyandu", "Posyandu Balita")
    write_cards(world.content, world.site)
    monkeypatch.setenv("KELURAHAN_SUKAMAJU_FACEBOOK_TOKEN", "token-lama")
    code, out = world.run(now=DUE)
    assert code == 1
    assert (f"{KERJA_BAKTI} → facebook: menunggu dicoba lagi: token Facebook kedaluwarsa atau "
            "tidak sah (kode 190/463)\n    Buat token baru dengan izin pages_manage_posts, "
            "pages_read_engagement dan pages_show_list, setel KELURAHAN_SUKAMAJU_FACEBOOK_TOKEN "
            "di lingkungan atau berkas rahasia; dicoba lagi pada run berikutnya.") in out
    assert "Session has expired" not in out
    photos = [p for m, p in world.graph.requests if p == f"{PAGE_ID}/photos"]
    assert photos == [f"{PAGE_ID}/photos"]          # the second post was not even tried
    assert world.graph.page_posts == []
    assert [r["post"] for r in world.ledger() if r["channel"] == "facebook"] == [CARD]
    assert len(world.graph.ig_media) == len(world.tiktok.posts) == 2   # other accounts go on
    assert "token-lama" not in out

    monkeypatch.setenv("KELURAHAN_SUKAMAJU_FACEBOOK_TOKEN", "fb-rahasia-AAA")
    code, out = world.run(now=at(DUE, minutes=5))
    assert code == 0, out
    assert sorted(p.message.split(" (")[0] for p in world.graph.page_posts) == [
        "Kerja Bakti Bersih Sungai", "Posyandu Balita"]
    assert world.row("facebook")["attempts"] == 1      # the outage run could not even try
    assert world.row("facebook")["state"] == "published"


def test_rate_limit_backs_off_then_posts_once(world: World,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("facebook")
    world.graph.fail("photos", Fault(400, graph_error(4, "Application request limit reached")))
    code, out = world.run(now=DUE)
    assert code == 0
    assert (f"{KERJA_BAKTI} → facebook: menunggu dicoba lagi: batas permintaan aplikasi Meta "
            "tercapai (kode 4); posting Facebook dan Instagram lainnya di run ini ditunda\n"
            "    Dicoba lagi otomatis Senin, 16 November 2026 09.15 WITA.") in out
    row = world.row("facebook")
    assert (row["state"], row["error_kind"], row["attempts"]) == ("retry", "app", 0)
    assert world.run(now=at(DUE, minutes=10))[1].strip() == (
        "Tidak ada yang perlu diposting sekarang.")
    code, out = world.run(now=at(DUE, minutes=15))
    assert code == 0, out
    assert len(world.graph.posts_for(PAGE_ID)) == 1
    row = world.row("facebook")
    assert (row["state"], row["attempts"], row["last_error"]) == ("published", 1, None)


def test_rate_limit_waits_as_long_as_meta_says(world: World) -> None:
    world.only("facebook", "instagram")
    usage = {PAGE_ID: [{"type": "pages", "call_count": 100, "total_cputime": 20,
                        "total_time": 30, "estimated_time_to_regain_access": 47}]}
    world.graph.fail("photos", Fault(400, graph_error(32, "Page request limit reached"),
                                     headers={"X-Business-Use-Case-Usage": json.dumps(usage)}))
    world.graph.fail("media", Fault(400, graph_error(9, "Application request limit reached"),
                                    headers={"Retry-After": "7200"}))
    code, out = world.run(now=DUE)
    assert code == 0
    assert (f"{KERJA_BAKTI} → facebook: menunggu dicoba lagi: batas permintaan akun Facebook "
            "tercapai (kode 32)\n    Dicoba lagi otomatis Senin, 16 November 2026 09.47 WITA."
            ) in out
    assert world.row("instagram")["next_attempt_at"] == "2026-11-16T03:00:00+00:00"
    world.run(now=at(DUE, minutes=15))
    assert world.graph.page_posts == [] and world.graph.ig_media == []
    world.run(now=at(DUE, hours=2))
    assert len(world.graph.page_posts) == len(world.graph.ig_media) == 1


def test_tiktok_429_then_success(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("tiktok")
    world.tiktok.fail("content/init", Fault(429, {"error": {
        "code": "rate_limit_exceeded", "message": "API rate limit exceeded", "log_id": "x"}}))
    world.run(now=DUE)
    row = world.row("tiktok")
    assert (row["state"], row["error_kind"]) == ("retry", "rate")
    assert row["last_error"] == "batas permintaan TikTok tercapai (rate_limit_exceeded)"
    assert world.tiktok.posts == []
    assert world.run(now=at(DUE, minutes=15))[0] == 0
    assert len(world.tiktok.posts) == 1
    assert world.row("tiktok")["state"] == "published"


@pytest.mark.parametrize("content_type", [None, "text/html"])
def test_html_502_on_a_write_is_unknown_and_reconciled_once(
        world: World, monkeypatch: pytest.MonkeyPatch, content_type: str | None) -> None:
    reason = ("gangguan di Facebook (HTTP 502, jawaban tidak terbaca) saat mengirim; hasil "
              "belum pasti, dicocokkan dulu dengan platform sebelum mencoba lagi")
    world.only("facebook")
    world.graph.fail("photos", Fault(502, "<html><body><h1>502 Bad Gateway</h1></body></html>",
                                     content_type=content_type))
    world.run(now=DUE)
    row = world.row("facebook")
    assert (row["state"], row["error_kind"], row["last_error"]) == ("unknown", "unknown", reason)
    assert world.graph.page_posts == []
    world.run(now=at(DUE, minutes=1))
    assert world.graph.page_posts == []     # not listed yet: the listing may lag behind
    row = world.row("facebook")
    assert (row["state"], row["last_error"], row["next_attempt_at"]) == (
        "unknown", "kiriman ke Facebook belum tampil di daftar posting Halaman; dicek lagi "
        "nanti", "2026-11-16T01:10:00+00:00")
    world.run(now=at(DUE, minutes=10))
    assert len(world.graph.posts_for(PAGE_ID)) == 1
    # the retry first looked for the post on the Page (a 502 may hide a success)
    assert [p for _, p in world.graph.requests][-3:] == [
        f"{PAGE_ID}/published_posts", f"{PAGE_ID}/scheduled_posts", f"{PAGE_ID}/photos"]
    assert world.row("facebook")["state"] == "published"


def test_instagram_container_error_fails_without_retry(world: World,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("instagram")
    card = world.site / "sukamaju/kartu" / CARD / "instagram.jpg"
    card.write_bytes(b"\x89PNG\r\n\x1a\n bukan jpeg")
    code, out = world.run(now=DUE)
    assert code == 1
    reason = ("Instagram menolak gambar kartu (status ERROR, kode 2207026); "
              "periksa ukuran kartu dan alamat gambar di alamat_situs")
    assert f"{KERJA_BAKTI} → instagram: gagal: {reason}" in out
    row = world.row("instagram")
    assert (row["state"], row["error_kind"], row["last_error"]) == ("failed", "rejected", reason)
    assert world.graph.ig_media == []
    before = len(world.graph.requests)
    assert world.run(now=at(DUE, days=1))[0] == 0
    assert len(world.graph.requests) == before          # no blind retry
    code, out = world.run("--status", now=at(DUE, days=1))
    assert (f"Gagal (1):\n  {KERJA_BAKTI} → instagram: {reason}\n    Perbaiki kartu atau "
            "keterangannya, jalankan 'kelurahan build', lalu ubah `jadwal` kegiatan agar dicoba "
            "lagi.") in out


def test_tiktok_unaudited_client_rejects_public(world: World,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("tiktok")
    monkeypatch.setenv("TIKTOK_PRIVACY_LEVEL", "PUBLIC_TO_EVERYONE")
    code, _ = world.run(now=DUE)
    assert code == 1
    row = world.row("tiktok")
    assert (row["state"], row["error_kind"]) == ("failed", "rejected")
    assert row["last_error"] == (
        "aplikasi TikTok belum diaudit sehingga hanya boleh memposting SELF_ONLY; setel "
        "TIKTOK_PRIVACY_LEVEL=SELF_ONLY (unaudited_client_can_only_post_to_private_accounts)")
    assert world.tiktok.posts == []
    world.run(now=at(DUE, hours=1))
    assert [p for _, p in world.tiktok.requests].count("/v2/post/publish/content/init/") == 1


def test_facebook_answer_lost_after_post_is_reconciled_not_reposted(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("facebook")
    monkeypatch.setenv("KELURAHAN_PUBLISH_TIMEOUT", "0.3")
    world.graph.fail("photos", Fault(record_first=True, stall=1.0))
    _, out = world.run(now=DUE)
    assert (f"{KERJA_BAKTI} → facebook: belum pasti, akan dicocokkan: tidak ada jawaban dari "
            "Facebook (waktu tunggu habis); hasil belum pasti, dicocokkan dulu dengan platform "
            "sebelum mencoba lagi") in out
    assert world.row("facebook")["state"] == "unknown"
    [post] = world.graph.page_posts          # it did land
    world.run(now=at(DUE, minutes=2))
    assert world.graph.page_posts == [post]
    row = world.row("facebook")
    assert (row["state"], row["platform_id"], row["attempts"]) == ("published", post.id, 2)


def test_instagram_publish_answer_lost_is_reconciled_from_container(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("instagram")
    monkeypatch.setenv("KELURAHAN_PUBLISH_TIMEOUT", "0.3")
    world.graph.fail("media_publish", Fault(record_first=True, stall=1.0))
    world.run(now=DUE)
    row = world.row("instagram")
    assert (row["state"], row["error_kind"]) == ("unknown", "unknown")
    assert world.graph.containers[row["remote_ref"]]["status_code"] == "PUBLISHED"
    world.run(now=at(DUE, minutes=2))
    [media] = world.graph.ig_media
    row = world.row("instagram")
    assert (row["state"], row["platform_id"], row["url"]) == ("published", media.id,
                                                              media.permalink)
    assert [p for _, p in world.graph.requests].count(f"{IG_ID}/media") == 2  # 1 POST + 1 GET


def test_tiktok_init_answer_lost_is_never_reposted(world: World,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("tiktok")
    monkeypatch.setenv("KELURAHAN_PUBLISH_TIMEOUT", "0.3")
    world.tiktok.fail("content/init", Fault(record_first=True, stall=1.0))
    world.run(now=DUE)
    assert world.row("tiktok")["state"] == "unknown"
    code, out = world.run(now=at(DUE, minutes=2))
    assert code == 1
    assert len(world.tiktok.posts) == 1
    row = world.row("tiktok")
    assert (row["state"], row["error_kind"]) == ("manual", "manual")
    assert row["last_error"] == (
        "hasil kiriman ke TikTok tidak pasti dan tidak bisa dicek otomatis: posting privat "
        "(SELF_ONLY) tidak tampil di daftar posting yang bisa dibaca aplikasi")
    assert ('Buka akun TikTok kelurahan sukamaju dan cari posting "Kerja Bakti Bersih Sungai" '
            "yang dikirim antara Senin, 16 November 2026 09.00 WITA dan Senin, 16 November 2026 "
            f"09.02 WITA. Jika sudah ada: kelurahan publish --sudah-terbit sukamaju/{CARD}/tiktok."
            f" Jika tidak ada: kelurahan publish --kirim-ulang sukamaju/{CARD}/tiktok.") in out
    code, out = world.run("--sudah-terbit", f"sukamaju/{CARD}/tiktok", now=at(DUE, minutes=3))
    assert (code, out.strip()) == (0, f"sukamaju/{CARD}/tiktok: ditandai terbit.")
    assert world.row("tiktok")["state"] == "published"
    assert world.run(now=at(DUE, hours=1))[1].strip() == "Tidak ada yang perlu diposting sekarang."
    assert len(world.tiktok.posts) == 1


def test_missing_card_waits_for_build_then_posts(world: World) -> None:
    import shutil

    shutil.rmtree(world.site / "sukamaju")
    code, out = world.run(now=DUE)
    assert code == 0
    manifest = world.site / "sukamaju/kartu" / CARD / "kartu.json"
    assert (f"{KERJA_BAKTI} → facebook: menunggu dicoba lagi: kartu belum dibuat ({manifest} "
            "tidak ada): jalankan 'kelurahan build' dulu") in out
    assert [r["error_kind"] for r in world.ledger()] == ["waiting"] * 3
    assert world.graph.requests == [] and world.tiktok.requests == []
    write_cards(world.content, world.site)
    manifest.write_text("{bukan json", "utf-8")
    world.run(now=at(DUE, minutes=5))
    assert world.row("facebook")["last_error"] == (
        f"{manifest} rusak (bukan JSON yang valid: key must be a string at line 1 column 2): "
        "jalankan 'kelurahan build' lagi")
    write_cards(world.content, world.site)
    older = json.loads(manifest.read_text("utf-8"))
    del older["versi"]  # what a build from before the contract wrote
    manifest.write_text(json.dumps(older), "utf-8")
    world.run(now=at(DUE, minutes=15))
    assert world.row("facebook")["last_error"] == (
        f"{manifest} rusak (tanpa versi, harus 1): jalankan 'kelurahan build' lagi")
    write_cards(world.content, world.site)
    world.run(now=at(DUE, minutes=60))
    assert [r["state"] for r in world.ledger()] == ["published"] * 3
    assert len(world.graph.page_posts) == len(world.graph.ig_media) == len(world.tiktok.posts) == 1


def test_missing_token_or_account_id_waits_with_the_name_to_set(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KELURAHAN_SUKAMAJU_TIKTOK_TOKEN")
    profil = world.content / "sukamaju" / "profil.md"
    profil.write_text(profil.read_text("utf-8").replace(f', instagram_user_id: "{IG_ID}"', ""),
                      "utf-8")
    world.run(now=DUE)
    assert world.row("tiktok")["last_error"] == (
        "token tiktok belum diatur: setel KELURAHAN_SUKAMAJU_TIKTOK_TOKEN di lingkungan atau "
        "berkas rahasia")
    assert world.row("instagram")["last_error"] == (
        f"{world.content / 'sukamaju' / 'profil.md'}: sosial.instagram_user_id: ID akun "
        "Instagram bisnis belum diisi")
    assert world.row("facebook")["state"] == "published"
    assert json.dumps(world.ledger()).count("rahasia-") == 0


def test_instagram_quota_used_up_waits_without_creating_a_container(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("instagram")
    world.graph.fail("content_publishing_limit", Fault(200, {"data": [{
        "quota_usage": 100, "config": {"quota_total": 100, "quota_duration": 86400}}]}))
    world.run(now=DUE)
    row = world.row("instagram")
    assert (row["state"], row["error_kind"], row["last_error"]) == (
        "retry", "rate", "kuota publikasi Instagram habis (100 dari 100 dalam 24 jam); dicoba "
        "lagi nanti")
    assert [p for m, p in world.graph.requests if m == "POST"] == []
    world.run(now=at(DUE, minutes=15))
    assert len(world.graph.ig_media) == 1
    assert world.row("instagram")["state"] == "published"


@pytest.mark.parametrize(("name", "value"), [("KELURAHAN_PUBLISH_TIMEOUT", "tiga puluh"),
                                             ("KELURAHAN_PUBLISH_POLL_SECONDS", "-1")])
def test_bad_timing_setting_stops_before_anything_happens(
        world: World, monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    code, out = world.run(now=DUE)
    assert code == 1
    assert f"Gagal: {name} harus berupa jumlah detik seperti 30, bukan {value!r}" in out
    assert not world.state.exists()
    assert world.graph.requests == [] and world.tiktok.requests == []


def test_unknown_tiktok_privacy_level_waits_with_the_choices(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("tiktok")
    monkeypatch.setenv("TIKTOK_PRIVACY_LEVEL", "PUBLIK")
    code, out = world.run(now=DUE)
    assert code == 1                    # a setting to fix: cron must notice
    row = world.row("tiktok")
    assert (row["state"], row["error_kind"], row["last_error"]) == ("retry", "config", (
        "TIKTOK_PRIVACY_LEVEL tidak dikenal: 'PUBLIK' (pilih PUBLIC_TO_EVERYONE, "
        "MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY)"))
    assert "    Perbaiki pengaturan sesuai pesan di atas; dicoba lagi otomatis Senin, " \
        "16 November 2026 09.05 WITA." in out
    assert world.tiktok.requests == []


def test_a_run_that_reaches_no_platform_exits_1(world: World,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as closed:     # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}"
    monkeypatch.setenv("GRAPH_API_URL", nowhere)
    monkeypatch.setenv("TIKTOK_API_URL", nowhere)
    code, out = world.run(now=DUE)
    assert code == 1
    assert ("Tidak ada platform yang bisa dihubungi atau menjawab dengan benar pada run ini; "
            "periksa sambungan internet server.") in out
    assert [r["state"] for r in world.ledger()] == ["retry"] * 3


@pytest.mark.parametrize("extra", [(), ("--status",), ("--dry-run",)])
def test_broken_ledger_is_reported_and_left_alone(world: World, extra: tuple[str, ...]) -> None:
    world.state.mkdir()
    ledger = world.state / "publish.sqlite3"
    ledger.write_bytes(b"ini bukan basis data SQLite, " * 100)
    code, out = world.run(*extra, now=DUE)
    assert code == 1
    assert (f"Gagal: buku catatan publikasi {ledger} tidak bisa dipakai (file is not a "
            "database); jangan dihapus — tanpa buku ini posting bisa terkirim dua kali. Pulihkan "
            "dari cadangan atau periksa izin folder KELURAHAN_STATE_DIR, lalu jalankan lagi.") in out
    assert ledger.read_bytes() == b"ini bukan basis data SQLite, " * 100
    # a writer (not --status or --dry-run) takes the folder's store lock: an empty lock file
    lock = [] if extra else ["sqlite.lock"]
    assert sorted(p.name for p in world.state.iterdir()) == ["publish.sqlite3", *lock]
    assert all(not (world.state / name).read_bytes() for name in lock)
    assert world.graph.requests == [] and world.tiktok.requests == []


def test_instagram_container_still_processing_is_resumed_not_recreated(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("instagram")
    world.graph.container_status = "IN_PROGRESS"
    world.run(now=DUE)
    row = world.row("instagram")
    assert (row["state"], row["last_error"]) == (
        "unknown", "Instagram masih memproses gambar; dicek lagi nanti")
    statuses = [p for m, p in world.graph.requests if p == row["remote_ref"]]
    assert len(statuses) == 10                       # polled, then handed to the next run
    world.graph.containers[row["remote_ref"]]["status_code"] = "FINISHED"
    world.run(now=at(DUE, minutes=2))
    [media] = world.graph.ig_media
    assert [m for m, p in world.graph.requests if p == f"{IG_ID}/media"] == ["POST", "GET"]
    assert (world.row("instagram")["state"], world.row("instagram")["platform_id"]) == (
        "published", media.id)
