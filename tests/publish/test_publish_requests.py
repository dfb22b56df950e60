"""Request shapes, the Facebook scheduling window, held posts that must follow edits, cards not
yet online, and what `--dry-run` / `--status` show the lurah."""

from __future__ import annotations

import datetime as dt
import json

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

TWO_DAYS_BEFORE = "2026-11-14T09:00+08:00"



def _edit_manifest(world: World, change) -> None:
    path = world.site / "sukamaju/kartu" / CARD / "kartu.json"
    data = json.loads(path.read_text("utf-8"))
    change(data["keterangan"])
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _card_path(channel: str) -> str:
    return f"/sukamaju/kartu/{CARD}/{channel}.jpg"


# -- Facebook scheduling window --------------------------------------------------------------

def test_facebook_refusing_the_time_means_we_post_it_ourselves_at_its_time(world: World) -> None:
    world.only("facebook")
    due = dt.datetime.fromisoformat(DUE).timestamp()
    world.graph.clock = lambda: due - 14 * 60 + 5 * 60   # Facebook's clock runs 5 minutes ahead
    code, out = world.run(now=at(DUE, minutes=-14))
    assert code == 0, out
    assert world.graph.page_posts == []
    assert (f"{KERJA_BAKTI} → facebook: menunggu dicoba lagi: Facebook menolak waktu jadwalnya "
            "(kode 100); diposting sendiri tepat pada waktunya\n    Diposting otomatis Senin, "
            "16 November 2026 09.00 WITA.") in out
    row = world.row("facebook")
    assert (row["state"], row["error_kind"], row["attempts"]) == ("retry", "deferred", 0)
    assert world.run(now=at(DUE, minutes=-5))[1].strip() == (
        "Tidak ada yang perlu diposting sekarang.")
    world.graph.clock = None
    code, out = world.run(now=DUE)
    [post] = world.graph.page_posts
    assert post.published and post.scheduled_publish_time is None
    assert (world.row("facebook")["state"], world.row("facebook")["attempts"]) == ("published", 1)


def test_schedule_is_decided_when_the_request_is_sent_not_when_the_run_began(
        world: World) -> None:
    """13 min 1.5 s ahead when the run starts; a slow earlier post takes 2 s, so at request
    time it is under the 13-minute line: not scheduled (Facebook would refuse), posted by us."""
    world.only("facebook")
    add_post(world.content, "2026-11-16-posyandu", "Posyandu Balita",
             "jadwal: 2026-11-16T08:40\n")
    write_cards(world.content, world.site)
    world.graph.fail("photos", Fault(record_first=True, stall=2.0))
    world.run(now=at(DUE, minutes=-13, seconds=-1.5))
    [earlier] = world.graph.page_posts
    assert earlier.message.startswith("Posyandu Balita")
    assert [p for m, p in world.graph.requests if m == "POST"] == [f"{PAGE_ID}/photos"]
    row = world.row("facebook")
    assert (row["state"], row["error_kind"], row["last_error"]) == (
        "retry", "deferred", "terlalu dekat untuk dijadwalkan di Facebook; diposting sendiri "
        "tepat pada waktunya")
    world.run(now=DUE)
    assert len(world.graph.page_posts) == 2 and world.row("facebook")["state"] == "published"


# -- Posts Facebook holds must follow edits --------------------------------------------------

def test_corrected_caption_replaces_the_post_facebook_holds(world: World) -> None:
    world.only("facebook")
    world.run(now=TWO_DAYS_BEFORE)
    [held] = world.graph.page_posts
    path = world.content / "sukamaju" / "kegiatan" / f"{CARD}.md"
    path.write_text(path.read_text("utf-8").replace("membersihkan sungai.", "membersihkan "
                                                    "Sungai Karang Mumus."), "utf-8")
    write_cards(world.content, world.site)
    _, status = world.run("--status", now=at(TWO_DAYS_BEFORE, hours=1))
    assert ("    PERINGATAN: kartu sudah diubah, tetapi Facebook masih memegang versi lama; "
            "jalankan 'kelurahan publish' agar diganti sebelum tayang.") in status
    code, out = world.run(now=at(TWO_DAYS_BEFORE, hours=1))
    assert code == 0, out
    assert (f"{KERJA_BAKTI} → facebook: dibatalkan: jadwal Facebook dibatalkan karena teks atau "
            "gambar kartu diubah; diganti dengan versi baru") in out
    [replaced] = world.graph.page_posts
    assert replaced.id != held.id and "Sungai Karang Mumus" in replaced.message
    assert replaced.scheduled_publish_time == held.scheduled_publish_time
    assert world.row("facebook")["state"] == "scheduled"
    _, status = world.run("--status", now=at(TWO_DAYS_BEFORE, hours=2))
    assert "PERINGATAN" not in status
    assert world.run(now=at(TWO_DAYS_BEFORE, hours=2))[1].strip() == (
        "Tidak ada yang perlu diposting sekarang.")


def test_held_post_that_cannot_be_replaced_is_a_loud_warning(world: World) -> None:
    world.only("facebook")
    world.run(now=TWO_DAYS_BEFORE)
    [held] = world.graph.page_posts
    _edit_manifest(world, lambda c: c.update(facebook=c["facebook"] + "\nRalat: jam 07.00."))
    world.graph.fail("delete", Fault(500, {}))
    code, out = world.run(now=at(TWO_DAYS_BEFORE, hours=1))
    assert code == 1
    assert ("    PERINGATAN: Facebook mungkin masih memegang versi lama dan akan menerbitkannya; "
            "gagal diganti (posting terjadwal belum terhapus: gangguan di Facebook (HTTP 500, "
            "jawaban tidak terbaca) saat mengirim; hasil belum pasti, dicocokkan dulu dengan "
            "platform sebelum mencoba lagi). Dicoba lagi pada run berikutnya; bila tetap gagal, "
            "ubah atau hapus posting terjadwal itu di Meta Business Suite.") in out
    assert world.graph.page_posts == [held] and world.row("facebook")["state"] == "scheduled"
    world.run(now=at(TWO_DAYS_BEFORE, hours=2))
    [replaced] = world.graph.page_posts
    assert replaced.message.endswith("Ralat: jam 07.00.")


def test_held_post_that_may_be_gone_is_reconciled_then_posted_once(world: World) -> None:
    """The delete's answer is lost and the Page cannot be listed: the row is not left saying
    'scheduled' (the post may be gone); the next run reconciles and posts the new text once."""
    world.only("facebook")
    world.run(now=TWO_DAYS_BEFORE)
    _edit_manifest(world, lambda c: c.update(facebook=c["facebook"] + "\nRalat: jam 07.00."))
    world.graph.fail("delete", Fault(502, {}, record_first=True))
    world.graph.fail("scheduled_posts", Fault(500, {}))
    code, out = world.run(now=at(TWO_DAYS_BEFORE, hours=1))
    assert code == 1 and "PERINGATAN: Facebook mungkin masih memegang versi lama" in out
    assert world.graph.page_posts == [] and world.row("facebook")["state"] == "unknown"
    world.run(now=at(TWO_DAYS_BEFORE, hours=2))
    [replaced] = world.graph.page_posts
    assert replaced.message.endswith("Ralat: jam 07.00.") and not replaced.published
    assert world.row("facebook")["state"] == "scheduled"


# -- Cards not yet online --------------------------------------------------------------------

def test_card_not_online_waits_without_counting_then_posts(world: World) -> None:
    world.static.missing |= {_card_path("instagram"), _card_path("tiktok")}
    code, out = world.run(now=DUE)
    assert code == 0
    url = f"{world.static.url}sukamaju/kartu/{CARD}/instagram.jpg"
    assert (f"{KERJA_BAKTI} → instagram: menunggu dicoba lagi: kartu belum bisa diambil "
            f"instagram: {url} menjawab HTTP 404; pastikan situs sudah diunggah (deploy)\n"
            "    Unggah (deploy) situs dulu; dicoba lagi otomatis Senin, 16 November 2026 "
            "09.05 WITA.") in out
    assert [(r["channel"], r["state"], r["attempts"]) for r in world.ledger()] == [
        ("facebook", "published", 1), ("instagram", "retry", 0), ("tiktok", "retry", 0)]
    assert world.tiktok.requests == []
    assert f"{IG_ID}/media" not in [p for m, p in world.graph.requests if m == "POST"]
    world.static.missing.clear()
    world.run(now=at(DUE, minutes=5))
    assert len(world.graph.ig_media) == len(world.tiktok.posts) == 1


def test_platform_could_not_fetch_the_card_waits_for_the_next_run(world: World) -> None:
    world.only("instagram", "tiktok")
    world.tiktok.pull_failures = 1
    world.graph.fail("media", Fault(400, graph_error(9004, "Only photo or video can be accepted",
                                                     error_subcode=2207052)))
    world.run(now=DUE)
    rows = {r["channel"]: r for r in world.ledger()}
    assert (rows["tiktok"]["state"], rows["tiktok"]["last_error"], rows["tiktok"]["remote_ref"]
            ) == ("retry", "TikTok tidak bisa mengambil gambar kartu (photo_pull_failed); "
                  "pastikan situs sudah diunggah (deploy)", None)
    assert (rows["instagram"]["state"], rows["instagram"]["error_kind"]) == ("retry", "offline")
    world.run(now=at(DUE, minutes=5))
    assert len(world.graph.ig_media) == len(world.tiktok.posts) == 1


# -- Request shapes --------------------------------------------------------------------------

def test_facebook_photo_text_goes_in_caption(world: World) -> None:
    world.only("facebook")
    world.run(now=DUE)
    [fields] = world.graph.fields_seen
    assert "caption" in fields and "message" not in fields


@pytest.mark.parametrize(("extra", "problem"), [
    (" ".join(f"#Tag{n}" for n in range(31)),
     "keterangan Instagram memuat 31 tagar (maks. 30, termasuk tagar yang ditulis di judul dan "
     "ringkasan)"),
    (" ".join(f"@warga{n}" for n in range(21)), "keterangan Instagram menyebut 21 akun dengan @ "
                                                 "(maks. 20)"),
    ("x" * 2200, "keterangan Instagram {n} karakter (maks. 2200)"),
])
def test_instagram_caption_limits_are_checked_before_any_call(
        world: World, extra: str, problem: str) -> None:
    world.only("instagram")
    texts = []
    _edit_manifest(world, lambda c: texts.append(c.update(instagram=c["instagram"] + "\n" + extra)
                                                 or c["instagram"]))
    problem = problem.format(n=len(texts[0]))
    code, out = world.run("--dry-run", now=DUE)
    assert code == 1 and f"    masalah: {problem}" in out
    world.run(now=DUE)
    row = world.row("instagram")
    assert (row["state"], row["error_kind"], row["attempts"], row["last_error"]) == (
        "retry", "invalid", 0, f"{problem}; perbaiki judul atau ringkasan kegiatan lalu "
        "jalankan 'kelurahan build'")
    assert [m for m, _ in world.graph.requests if m == "POST"] == []


def test_tiktok_lengths_in_utf16_creator_info_and_brand_fields(world: World) -> None:
    world.only("tiktok")
    _edit_manifest(world, lambda c: c["tiktok"].update(judul="🎉" * 46))   # 46 chars, 92 units
    world.run(now=DUE)
    assert world.row("tiktok")["last_error"] == (
        "judul TikTok 92 satuan panjang (maks. 90; emoji dihitung 2); perbaiki judul atau "
        "ringkasan kegiatan lalu jalankan 'kelurahan build'")
    assert world.tiktok.requests == []
    _edit_manifest(world, lambda c: c["tiktok"].update(judul="🎉" * 45))
    world.tiktok.comment_disabled = True
    world.run(now=at(DUE, minutes=5))
    assert len(world.tiktok.posts) == 1
    info = world.tiktok.bodies[0]["post_info"]
    assert (info["disable_comment"], info["brand_content_toggle"],
            info["brand_organic_toggle"]) == (True, False, False)


# -- What the lurah sees ---------------------------------------------------------------------

def test_dry_run_flags_everything_that_would_fail_and_exits_1(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KELURAHAN_SUKAMAJU_FACEBOOK_TOKEN")
    _edit_manifest(world, lambda c: c.update(instagram=c["instagram"] + " #a" * 31))
    world.static.missing.add(_card_path("tiktok"))
    code, out = world.run("--dry-run", now=DUE)
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "    masalah: token belum diatur: KELURAHAN_SUKAMAJU_FACEBOOK_TOKEN"
    assert ("    masalah: keterangan Instagram memuat 31 tagar (maks. 30, termasuk tagar yang "
            "ditulis di judul dan ringkasan)") in lines
    assert (f"    masalah: kartu belum online: {world.static.url}sukamaju/kartu/{CARD}/tiktok.jpg"
            " menjawab HTTP 404") in lines
    assert lines[-1] == "3 kartu akan gagal diposting; perbaiki masalah di atas dulu."
    assert world.graph.requests == [] and world.tiktok.requests == []
    assert not world.state.exists()


def test_dry_run_flags_cards_built_for_a_non_https_address(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """kota.yml now says https, but the cards were built when it was still http."""
    kota = world.content / "kota.yml"
    kota.write_text(kota.read_text("utf-8").replace(world.static.url,
                                                    "https://kelurahan.kotauji.example/"), "utf-8")
    monkeypatch.delenv("KELURAHAN_LOCAL_SITE")
    code, out = world.run("--dry-run", now=DUE)
    assert code == 1
    assert (f"    masalah: alamat gambar {world.static.url}sukamaju/kartu/{CARD}/instagram.jpg "
            "bukan https:// (atur alamat_situs di kota.yml)") in out


def test_status_names_posts_and_links_them(world: World, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    world.tiktok.audited = True
    monkeypatch.setenv("TIKTOK_PRIVACY_LEVEL", "PUBLIC_TO_EVERYONE")
    world.run(now=DUE)
    _, out = world.run("--status", now=at(DUE, hours=1))
    [media], [clip] = world.graph.ig_media, world.tiktok.posts
    clip_id = clip.publish_id.rsplit(".", 1)[1]
    fb = world.row("facebook")["platform_id"]
    assert out.splitlines()[8:12] == [
        "Terbit (3):",
        f"  {KERJA_BAKTI} → facebook https://www.facebook.com/{fb}, Senin, 16 November 2026 "
        "09.00 WITA",
        f"  {KERJA_BAKTI} → instagram {media.permalink}, Senin, 16 November 2026 09.00 WITA",
        f"  {KERJA_BAKTI} → tiktok https://www.tiktok.com/@kel.sukamaju/photo/{clip_id}, Senin, "
        "16 November 2026 09.00 WITA",
    ]
