"""Exactly once: killed runs, concurrent runs, edits, rescheduling, dry runs, the queue view."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from publish.social import last_published
from tests.conftest import snapshot
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

POSYANDU = 'sukamaju: "Posyandu Balita" (Senin, 23 November 2026)'



def _edit_post(world: World, old: str, new: str) -> None:
    path = world.content / "sukamaju" / "kegiatan" / f"{CARD}.md"
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")


@pytest.mark.parametrize("endpoint", ["photos", "media_publish"])
def test_run_killed_after_the_platform_recorded_the_post(world: World, endpoint: str) -> None:
    """The process dies between the platform's "yes" and the ledger write; the next run finds
    the in-flight row, asks the platform, and records the post instead of posting again."""
    channel = "facebook" if endpoint == "photos" else "instagram"
    world.only(channel)
    hold = threading.Event()
    world.graph.fail(endpoint, Fault(record_first=True, hold=hold))
    process = world.spawn(now=DUE)
    try:
        assert world.graph.recorded.wait(30), process.communicate()
        process.kill()
        process.wait(10)
    finally:
        hold.set()
    row = world.row(channel)
    assert (row["state"], row["attempts"]) == ("inflight", 1)
    code, out = world.run(now=DUE)
    assert code == 0, out
    posted = world.graph.posts_for(PAGE_ID) if channel == "facebook" else world.graph.ig_media
    assert len(posted) == 1
    row = world.row(channel)
    assert (row["state"], row["attempts"], row["platform_id"]) == ("published", 2, posted[0].id)


@pytest.mark.parametrize(("endpoint", "state", "error_kind"), [
    ("creator_info/query", "published", None),      # killed before init: a retry is safe
    ("content/init", "manual", "manual"),           # killed after init landed: never again
])
def test_run_killed_during_tiktok_posting(world: World, endpoint: str, state: str,
                                          error_kind: str | None) -> None:
    world.only("tiktok")
    hold = threading.Event()
    world.tiktok.fail(endpoint, Fault(record_first=True, hold=hold))
    process = world.spawn(now=DUE)
    try:
        deadline = time.monotonic() + 30
        while not any(endpoint in path for _, path in world.tiktok.requests):
            assert time.monotonic() < deadline and process.poll() is None, process.communicate()
            time.sleep(0.02)
        process.kill()
        process.wait(10)
    finally:
        hold.set()
    assert world.row("tiktok")["state"] == "inflight"
    world.run(now=DUE)
    assert len(world.tiktok.posts) == 1
    row = world.row("tiktok")
    assert (row["state"], row["error_kind"], row["attempts"]) == (state, error_kind, 2)


def test_two_runs_at_once_post_each_card_once(world: World) -> None:
    for endpoint in ("photos", "media_publish"):
        world.graph.fail(endpoint, Fault(record_first=True, stall=0.5), times=3)
    world.tiktok.fail("content/init", Fault(record_first=True, stall=0.5), times=3)
    processes = [world.spawn(now=DUE) for _ in range(3)]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    assert len(world.graph.page_posts) == len(world.graph.ig_media) == len(world.tiktok.posts) == 1
    assert [(r["state"], r["attempts"]) for r in world.ledger()] == [("published", 1)] * 3


def test_editing_a_published_post_does_not_repost(world: World) -> None:
    world.run(now=DUE)
    before = world.ledger()
    _edit_post(world, "Kerja Bakti Bersih Sungai", "Kerja Bakti Bersih Sungai (diperbarui)")
    write_cards(world.content, world.site)
    code, out = world.run(now=at(DUE, hours=2))
    assert (code, out.strip()) == (0, "Tidak ada yang perlu diposting sekarang.")
    assert world.ledger() == before
    assert len(world.graph.page_posts) == len(world.graph.ig_media) == len(world.tiktok.posts) == 1


def test_facebook_holds_future_posts_and_follows_new_jadwal(world: World) -> None:
    """Two days ahead: Facebook schedules it itself. A new `jadwal` replaces that schedule;
    a draft withdraws it; Instagram and TikTok wait for the time itself."""
    two_days_before = "2026-11-14T09:00+08:00"
    code, out = world.run(now=two_days_before)
    assert code == 0, out
    [held] = world.graph.page_posts
    assert not held.published
    assert held.scheduled_publish_time == int(dt.datetime.fromisoformat(DUE).timestamp())
    assert (f"{KERJA_BAKTI} → facebook: dijadwalkan di Facebook, tayang Senin, 16 November 2026 "
            "09.00 WITA") in out
    assert world.graph.ig_media == [] and world.tiktok.posts == []

    _edit_post(world, "tanggal: 2026-11-16\n", "tanggal: 2026-11-16\njadwal: 2026-11-17T10:00\n")
    world.run(now=at(two_days_before, hours=3))
    [moved] = world.graph.page_posts
    assert moved.id != held.id
    assert moved.scheduled_publish_time == int(
        dt.datetime.fromisoformat("2026-11-17T10:00+08:00").timestamp())
    assert world.row("facebook")["publish_at"] == "2026-11-17T02:00:00+00:00"

    _edit_post(world, "---\nWarga", "draf: ya\n---\nWarga")
    code, out = world.run(now=at(two_days_before, hours=4))
    assert world.graph.page_posts == []
    assert world.row("facebook")["state"] == "cancelled"
    assert ("jadwal Facebook dibatalkan karena kegiatan diubah (draf, dihapus, atau jadwal "
            "dipindah)") in out

    _edit_post(world, "draf: ya\n", "")
    world.run(now="2026-11-17T10:00+08:00")
    assert len(world.graph.page_posts) == len(world.graph.ig_media) == len(world.tiktok.posts) == 1
    assert world.graph.page_posts[0].published


TWO_DAYS_BEFORE = "2026-11-14T09:00+08:00"
NEW_JADWAL = int(dt.datetime.fromisoformat("2026-11-17T10:00+08:00").timestamp())


@pytest.mark.parametrize("edit", ["ringkasan", "jadwal"])
def test_a_held_post_facebook_already_published_is_never_deleted(world: World,
                                                                edit: str) -> None:
    """Facebook published the held post at its time; then the lurah edits the kegiatan and a
    run comes with a clock behind (or `--now` before the jadwal): nothing is deleted or sent
    again, the row is simply published."""
    world.only("facebook")
    world.run(now=TWO_DAYS_BEFORE)
    [held] = world.graph.page_posts
    held.published, held.scheduled_publish_time = True, None      # Facebook's own work
    if edit == "ringkasan":
        _edit_post(world, "ringkasan: ", "ringkasan: Diperbaiki. ")
        write_cards(world.content, world.site)
    else:
        _move_jadwal(world)
    _, out = world.run(now=at(TWO_DAYS_BEFORE, hours=1))
    assert world.graph.page_posts == [held]
    assert ("DELETE", held.id) not in world.graph.requests
    row = world.row("facebook")
    assert (row["state"], row["platform_id"]) == ("published", held.id)
    if edit == "ringkasan":
        assert ("posting ini sudah terbit di Facebook, jadi tidak dibatalkan (teks atau gambar "
                "kartu diubah; diganti dengan versi baru); bila perlu, ubah atau hapus di Meta "
                "Business Suite.") in out
    world.run(now="2026-11-17T10:00+08:00")
    assert world.graph.page_posts == [held]


def _move_jadwal(world: World) -> None:
    _edit_post(world, "tanggal: 2026-11-16\n", "tanggal: 2026-11-16\njadwal: 2026-11-17T10:00\n")


def test_run_killed_before_withdrawing_the_old_schedule(world: World) -> None:
    """Killed between claiming the reschedule and deleting the old one: the next run finds
    the post Facebook holds for the old time, withdraws it, and schedules the new time."""
    world.only("facebook")
    world.run(now=TWO_DAYS_BEFORE)
    [held] = world.graph.page_posts
    _move_jadwal(world)
    hold = threading.Event()
    world.graph.fail("delete", Fault(hold=hold))
    process = world.spawn(now=at(TWO_DAYS_BEFORE, hours=1))
    try:
        deadline = time.monotonic() + 30
        while ("DELETE", held.id) not in world.graph.requests:
            assert time.monotonic() < deadline and process.poll() is None, process.communicate()
            time.sleep(0.02)
        process.kill()
        process.wait(10)
    finally:
        hold.set()
    assert world.graph.page_posts == [held]
    world.run(now=at(TWO_DAYS_BEFORE, hours=1))
    [moved] = world.graph.page_posts
    assert (moved.published, moved.scheduled_publish_time) == (False, NEW_JADWAL)
    row = world.row("facebook")
    assert (row["state"], row["platform_id"]) == ("scheduled", moved.id)


def test_schedule_deleted_by_hand_on_facebook_is_replaced_once(world: World) -> None:
    world.only("facebook")
    world.run(now=TWO_DAYS_BEFORE)
    world.graph.page_posts.clear()          # an admin removed it in Meta Business Suite
    _move_jadwal(world)
    code, out = world.run(now=at(TWO_DAYS_BEFORE, hours=1))
    assert code == 0, out
    [moved] = world.graph.page_posts
    assert moved.scheduled_publish_time == NEW_JADWAL
    assert world.row("facebook")["state"] == "scheduled"


def test_new_jadwal_on_a_failed_post_tries_again(world: World) -> None:
    world.only("instagram")
    card = world.site / "sukamaju/kartu" / CARD / "instagram.jpg"
    good = card.read_bytes()
    card.write_bytes(b"\x89PNG bukan jpeg")
    world.run(now=DUE)
    assert world.row("instagram")["state"] == "failed"
    card.write_bytes(good)
    _edit_post(world, "tanggal: 2026-11-16\n", "tanggal: 2026-11-16\njadwal: 2026-11-16T11:00\n")
    world.run(now="2026-11-16T11:00+08:00")
    assert len(world.graph.ig_media) == 1
    row = world.row("instagram")
    assert (row["state"], row["attempts"]) == ("published", 2)


def test_dry_run_shows_what_where_and_touches_nothing(world: World) -> None:
    before = snapshot(world.root)
    code, out = world.run("--dry-run", now=DUE)
    assert code == 0
    assert snapshot(world.root) == before and not world.state.exists()
    assert world.graph.requests == [] and world.tiktok.requests == []
    card = world.site / "sukamaju/kartu" / CARD
    assert out.splitlines()[:6] == [
        f"{KERJA_BAKTI} → facebook (halaman Facebook {PAGE_ID}): diposting sekarang",
        f"    gambar: {card / 'facebook.jpg'}",
        "    | Kerja Bakti Bersih Sungai (facebook)",
        "    | ",
        "    | Warga RT 03 membersihkan sungai.",
        "    | ",
    ]
    assert f"{KERJA_BAKTI} → instagram (Instagram {IG_ID}): diposting sekarang" in out
    assert f"    gambar: {world.static.url}sukamaju/kartu/{CARD}/tiktok.jpg" in out

    world.run(now=DUE)
    state = snapshot(world.state)
    code, out = world.run("--dry-run", now=at(DUE, hours=1))
    assert (code, out.strip()) == (0, "Tidak ada yang perlu diposting sekarang.")
    assert snapshot(world.state) == state


def test_status_lists_scheduled_published_failed_and_waiting(world: World) -> None:
    add_post(world.content, "2026-11-23-posyandu", "Posyandu Balita")
    write_cards(world.content, world.site)
    (world.site / "sukamaju/kartu" / CARD / "instagram.jpg").write_bytes(b"bukan jpeg")
    world.tiktok.fail("content/init", Fault(500, {"error": {
        "code": "internal_error", "message": "Something went wrong", "log_id": "x"}}))
    world.run(now=DUE)
    code, out = world.run("--status", now=at(DUE, minutes=30))
    assert code == 0
    fb = world.row("facebook")["platform_id"]
    assert out.splitlines() == [
        "Antrean publikasi Kota Uji — sekarang Senin, 16 November 2026 09.30 WITA",
        "",
        "Siap diposting pada run berikutnya (0):",
        "  -",
        "",
        "Terjadwal (3):",
        f"  Senin, 23 November 2026 09.00 WITA  {POSYANDU} → facebook: dipegang Facebook",
        f"  Senin, 23 November 2026 09.00 WITA  {POSYANDU} → instagram",
        f"  Senin, 23 November 2026 09.00 WITA  {POSYANDU} → tiktok",
        "",
        "Terbit (1):",
        f"  {KERJA_BAKTI} → facebook https://www.facebook.com/{fb}, "
        "Senin, 16 November 2026 09.00 WITA",
        "",
        "Gagal (1):",
        f"  {KERJA_BAKTI} → instagram: Instagram menolak gambar kartu (status ERROR, kode "
        "2207026); periksa ukuran kartu dan alamat gambar di alamat_situs",
        "    Perbaiki kartu atau keterangannya, jalankan 'kelurahan build', lalu ubah `jadwal` "
        "kegiatan agar dicoba lagi.",
        "",
        "Periksa manual (0):",
        "  -",
        "",
        "Menunggu dicoba lagi (1):",
        f"  {KERJA_BAKTI} → tiktok (percobaan ke-1): gangguan di TikTok (HTTP 500, "
        "internal_error) saat mengirim; hasil belum pasti, dicocokkan dulu dengan platform "
        "sebelum mencoba lagi",
        "    Dicocokkan dengan platform pada run berikutnya sebelum mencoba lagi; tidak akan dobel.",
    ]


def test_status_before_any_run_lists_what_is_due_and_writes_nothing(world: World) -> None:
    code, out = world.run("--status", now=at(DUE, minutes=2))
    assert code == 0 and not world.state.exists()
    assert out.splitlines()[2:6] == [
        "Siap diposting pada run berikutnya (3):",
        f"  Senin, 16 November 2026 09.00 WITA  {KERJA_BAKTI} → facebook",
        f"  Senin, 16 November 2026 09.00 WITA  {KERJA_BAKTI} → instagram",
        f"  Senin, 16 November 2026 09.00 WITA  {KERJA_BAKTI} → tiktok",
    ]


def test_last_published_for_the_audit(world: World) -> None:
    assert last_published(world.state) == {}
    assert not world.state.exists()
    world.graph.fail("media_publish", Fault(400, graph_error(2, "Service temporarily unavailable",
                                                             is_transient=True)))
    world.run(now=at(DUE, minutes=3))
    due = dt.datetime(2026, 11, 16, 1, 3, tzinfo=dt.UTC)
    assert last_published(world.state) == {("sukamaju", "facebook"): due,
                                            ("sukamaju", "tiktok"): due}


def test_old_posts_are_not_posted_late_on_a_first_run(world: World) -> None:
    add_post(world.content, "2026-10-01-lomba", "Lomba Kebersihan")
    write_cards(world.content, world.site)
    world.run(now=DUE)
    assert {r["post"] for r in world.ledger()} == {CARD}


def test_only_unknown_kelurahan_is_an_error(world: World) -> None:
    code, out = world.run("--only", "tidak-ada", now=DUE)
    assert code == 1
    assert "Gagal: kelurahan tidak dikenal: tidak-ada (yang ada: sukamaju)" in out
    assert not world.state.exists()


def test_status_shows_a_held_post_as_published_once_its_time_has_come(world: World) -> None:
    world.only("facebook")
    world.run(now=TWO_DAYS_BEFORE)
    [held] = world.graph.page_posts
    _, out = world.run("--status", now=at(TWO_DAYS_BEFORE, hours=1))
    assert f"  Senin, 16 November 2026 09.00 WITA  {KERJA_BAKTI} → facebook: dipegang " \
        "Facebook" in out
    code, out = world.run("--status", now=at(DUE, hours=1))
    assert code == 0
    lines = out.splitlines()
    assert lines[lines.index("Terjadwal (0):") + 1] == "  -"
    assert lines[lines.index("Terbit (1):") + 1] == (
        f"  {KERJA_BAKTI} → facebook https://www.facebook.com/{held.id}, Senin, 16 November 2026 "
        "09.00 WITA")


def test_a_renamed_kegiatan_file_is_not_posted_again_without_asking(world: World) -> None:
    """Same tanggal and jadwal as a post already out whose file is gone: a person decides."""
    world.run(now=DUE)
    old = world.content / "sukamaju" / "kegiatan" / f"{CARD}.md"
    old.rename(old.with_name("2026-11-16-kerja-bakti-sungai.md"))
    write_cards(world.content, world.site)
    code, out = world.run(now=at(DUE, hours=1))
    assert code == 1
    assert len(world.graph.page_posts) == len(world.graph.ig_media) == len(
        world.tiktok.posts) == 1
    new = "2026-11-16-kerja-bakti-sungai"
    assert (f"{KERJA_BAKTI} → facebook: periksa manual: mungkin kegiatan yang sama dengan "
            f"{CARD} (sudah terbit di facebook; berkasnya berganti nama?), jadi tidak "
            "diposting otomatis") in out
    assert f"kelurahan publish --sudah-terbit sukamaju/{new}/facebook" in out
    assert world.row("instagram", new)["state"] == "manual"
    world.run("--sudah-terbit", f"sukamaju/{new}/facebook", now=at(DUE, hours=2))
    world.run("--kirim-ulang", f"sukamaju/{new}/tiktok", now=at(DUE, hours=2))
    world.run(now=at(DUE, hours=2))
    assert world.row("facebook", new)["state"] == "published"
    assert len(world.graph.page_posts) == 1 and len(world.tiktok.posts) == 2


def test_a_live_post_is_kept_even_when_its_state_cannot_be_read(world: World) -> None:
    """A Graph version that will not give `is_published`: the Page's listings decide."""
    world.only("facebook")
    world.run(now=TWO_DAYS_BEFORE)
    [held] = world.graph.page_posts
    held.published, held.scheduled_publish_time = True, None
    world.graph.fail("get", Fault(400, graph_error(100, "Unsupported get request.")))
    _move_jadwal(world)
    world.run(now=at(TWO_DAYS_BEFORE, hours=1))
    assert world.graph.page_posts == [held]
    assert world.row("facebook")["state"] == "published"
