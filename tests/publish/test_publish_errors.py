"""Graph API error classes and runs that could not even try: what stops, what is counted, and
the Indonesian line the lurah reads (never the platform's or a library's English)."""

from __future__ import annotations

import pytest

from tests.publish.fake_platforms import Fault, graph_error
from tests.publish.publish_support import (
    CARD,
    DUE,
    KERJA_BAKTI,
    PAGE_ID,
    World,
    add_post,
    at,
    write_cards,
)
from tests.publish.publish_support import world as world  # the fixture

FB_TOKEN = "KELURAHAN_SUKAMAJU_FACEBOOK_TOKEN"



def _two_posts(world: World) -> None:
    add_post(world.content, "2026-11-16-posyandu", "Posyandu Balita")
    write_cards(world.content, world.site)


@pytest.mark.parametrize(("code", "kind", "reason", "advice"), [
    (10, "permission", "token Facebook tidak punya izin yang dibutuhkan (kode 10)",
     f"Token {FB_TOKEN} perlu izin pages_manage_posts, pages_read_engagement dan "
     f"pages_show_list; buat token baru dengan izin itu dan setel {FB_TOKEN}; dicoba lagi pada "
     "run berikutnya."),
    (200, "permission", "token Facebook tidak punya izin yang dibutuhkan (kode 200)",
     f"Token {FB_TOKEN} perlu izin pages_manage_posts"),
    (368, "blocked", "akun Facebook diblokir sementara oleh Meta (kode 368) karena dianggap "
     "melanggar kebijakan; periksa 'Kualitas Akun' di Meta Business Suite",
     "Buka Meta Business Suite → Kualitas Akun untuk akun ini; dicoba lagi otomatis Senin, "
     "16 November 2026 10.00 WITA."),
    (17, "rate", "batas permintaan akun Facebook tercapai (kode 17)",
     "Dicoba lagi otomatis Senin, 16 November 2026 09.15 WITA."),
    (32, "rate", "batas permintaan akun Facebook tercapai (kode 32)", "Dicoba lagi otomatis"),
    (613, "rate", "batas permintaan akun Facebook tercapai (kode 613)", "Dicoba lagi otomatis"),
])
def test_graph_error_class_stops_the_account_uncounted(
        world: World, code: int, kind: str, reason: str, advice: str) -> None:
    world.only("facebook")
    _two_posts(world)
    world.graph.fail("photos", Fault(400, graph_error(code, f"(#{code}) English text")))
    exit_code, out = world.run(now=DUE)
    assert exit_code == (1 if kind == "permission" else 0)
    rows = [r for r in world.ledger() if r["channel"] == "facebook"]
    assert [(r["state"], r["error_kind"], r["attempts"], r["last_error"]) for r in rows] == [
        ("retry", kind, 0, reason)]                     # the second post was not even tried
    assert f"{KERJA_BAKTI} → facebook: menunggu dicoba lagi: {reason}\n    {advice}" in out
    assert "English" not in out
    assert [p for m, p in world.graph.requests if m == "POST"] == [f"{PAGE_ID}/photos"]


def test_app_level_throttling_stops_every_graph_call_but_not_tiktok(world: World) -> None:
    world.graph.fail("photos", Fault(400, graph_error(4, "Application request limit reached")))
    world.run(now=DUE)
    assert [p for _, p in world.graph.requests] == [f"{PAGE_ID}/photos"]   # no Instagram call
    assert len(world.tiktok.posts) == 1
    assert {r["channel"]: r["state"] for r in world.ledger()} == {"facebook": "retry",
                                                                   "tiktok": "published"}


def test_token_outage_does_not_use_up_retries_and_a_later_5xx_is_still_retried(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.only("facebook")
    monkeypatch.setenv(FB_TOKEN, "token-lama")
    for run in range(12):                        # an hour of cron runs, more than MAX_ATTEMPTS
        world.run(now=at(DUE, minutes=5 * run))
    row = world.row("facebook")
    assert (row["state"], row["error_kind"], row["attempts"]) == ("retry", "token", 0)
    _, status = world.run("--status", now=at(DUE, hours=2))
    assert "Dicoba lagi otomatis" not in status
    assert (f"Buat token baru dengan izin pages_manage_posts, pages_read_engagement dan "
            f"pages_show_list, setel {FB_TOKEN} di lingkungan atau berkas rahasia; dicoba lagi "
            "pada run berikutnya.") in status
    monkeypatch.setenv(FB_TOKEN, "fb-rahasia-AAA")
    world.graph.fail("photos", Fault(503, "<html>Service Unavailable</html>", "text/html"))
    world.run(now=at(DUE, hours=2))
    row = world.row("facebook")
    assert (row["state"], row["attempts"]) == ("unknown", 1)
    _, status = world.run("--status", now=at(DUE, hours=3))
    assert ("Dicocokkan dengan platform pada run berikutnya sebelum mencoba lagi; tidak akan "
            "dobel.") in status                 # never a retry time already past
    world.run(now=at(DUE, hours=3))
    assert len(world.graph.posts_for(PAGE_ID)) == 1
    assert (world.row("facebook")["state"], world.row("facebook")["attempts"]) == ("published", 2)


def test_html_error_page_on_a_read_is_transient_without_library_text(world: World) -> None:
    world.only("facebook")
    world.graph.fail("photos", Fault(500, graph_error(2, "Service temporarily unavailable",
                                                      is_transient=True)))
    world.run(now=DUE)
    world.graph.fail("published_posts", Fault(502, "<html><h1>502</h1></html>", "text/html"))
    _, out = world.run(now=at(DUE, minutes=1))
    assert (f"{KERJA_BAKTI} → facebook: menunggu dicoba lagi: gangguan sementara di Facebook "
            "(HTTP 502, jawaban tidak terbaca)\n    Dicoba lagi otomatis Senin, 16 November 2026 "
            "09.03 WITA.") in out
    assert "Maintype" not in out and world.graph.page_posts == []
    world.run(now=at(DUE, minutes=3))       # not listed yet: the listing may lag
    assert world.graph.page_posts == []
    world.run(now=at(DUE, minutes=10))      # settled: not there, so sent again
    assert len(world.graph.page_posts) == 1


def test_status_does_not_promise_a_retry_for_a_post_taken_off(world: World) -> None:
    world.only("facebook")
    world.graph.fail("photos", Fault(500, graph_error(2, "Service temporarily unavailable",
                                                      is_transient=True)))
    world.run(now=DUE)
    path = world.content / "sukamaju" / "kegiatan" / f"{CARD}.md"
    path.write_text(path.read_text("utf-8").replace("---\nWarga", "draf: ya\n---\nWarga"), "utf-8")
    _, status = world.run("--status", now=at(DUE, minutes=30))
    assert ("    Tidak dicoba lagi: kegiatan sudah dihapus, dijadikan draf, atau kanal ini tidak "
            "lagi ada di `terbit`.") in status
    assert "Dicoba lagi otomatis" not in status and "Dicocokkan" not in status
