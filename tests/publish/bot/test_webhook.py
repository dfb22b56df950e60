"""The WhatsApp bot over real HTTP: signed webhooks in Meta's shapes in, replies recorded by a
fake Graph API on 127.0.0.1 out. Exact replies, signature cases, bad bodies, dedupe, hand-off."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kelurahan.outputs import WhatsAppMenu, read_output
from publish.bot import BotServer
from publish.bot.events import Incoming, Kind
from publish.bot.menus import load_menus
from publish.bot.router import route
from tests.publish.bot.support import (
    ACCESS_TOKEN,
    APP_SECRET,
    OTHER_PHONE_ID,
    PHONE_ID,
    RESIDENT,
    VERIFY_TOKEN,
    FakeGraph,
    button_reply,
    envelope,
    list_reply,
    make_site,
    message,
    post,
    request,
    sign,
    start,
    start_fake_graph,
    statuses_only,
    stop,
    text,
    value,
)

HELP = ("Maaf, pesan Anda belum bisa kami jawab otomatis. Ketik angka atau kata kunci layanan "
        "(misalnya 1 atau ktp), atau *petugas* untuk bicara dengan petugas.")
HANDOFF = """\
Baik, pesan Anda berikutnya akan dibaca dan dibalas oleh petugas Kelurahan Sukamaju pada jam layanan.

*Jam layanan:* Senin–Jumat 08.00–15.00 WITA
*Telepon:* (0541) 700-1001
*Alamat:* Jl. Merdeka No. 17, Kota Uji

Menu otomatis berhenti sementara agar petugas dapat membalas. Ketik *menu* kapan saja untuk kembali ke menu otomatis."""
PII = ("⚠️ Demi keamanan data pribadi Anda, *jangan kirim NIK, nomor KK, atau foto KTP/KK* lewat "
       "WhatsApp ini. Pesan itu tidak kami proses. Bawa dokumen asli saat datang ke kantor "
       "kelurahan.\n\nKetik 0 untuk kembali ke menu.")


@dataclass
class Bot:
    server: BotServer
    graph: FakeGraph
    menu: WhatsAppMenu
    state: Path

    def answer(self, service_id: str, to: str = RESIDENT) -> dict[str, Any]:
        body = next(s.answer for s in self.menu.services if s.id == service_id)
        return reply_text(body, to)

    def menu_list(self, page: int = 1, to: str = RESIDENT) -> dict[str, Any]:
        return {**self.menu.list_pages.pages[page - 1], "to": to}


def reply_text(body: str, to: str = RESIDENT) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
            "type": "text", "text": {"preview_url": False, "body": body}}


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Bot]:
    site = make_site(tmp_path)
    graph = start_fake_graph()
    server = start(site, graph, tmp_path / "state")
    menu = read_output(site / "sukamaju" / "whatsapp" / "menu.json", WhatsAppMenu)
    yield Bot(server, graph, menu, tmp_path / "state")
    stop(server)
    graph.server.shutdown()


def ask(bot: Bot, *messages: dict[str, Any], expect: int) -> list[dict[str, Any]]:
    """Post one delivery, check the 200, return the first `expect` sends since it."""
    already = len(bot.graph.sent)
    response = post(bot.server, envelope(value(*messages)))
    assert response.status == 200, response.body
    return bot.graph.bodies(already + expect)[already:]


def quiet_then(bot: Bot, *messages: dict[str, Any]) -> list[dict[str, Any]]:
    """Post `messages` (expecting no reply), then a marker `0` from the same resident: replies to
    one resident are sent in order, so anything before the marker's menu was an extra reply."""
    already = len(bot.graph.sent)
    assert post(bot.server, envelope(value(*messages))).status == 200
    replies = ask(bot, text("0", f"wamid.penanda{already}"), expect=1)
    sent = bot.graph.bodies(already + 1)[already:]
    assert replies[-1] == bot.menu_list()
    return sent[:-1]


# ---- GET verification ----

def test_verification_echoes_challenge_only_for_our_token(bot: Bot) -> None:
    good = f"/webhook?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"
    response = request(bot.server, "GET", good)
    assert (response.status, response.body) == (200, "1158201444")
    for query in ("hub.mode=subscribe&hub.verify_token=salah&hub.challenge=1",
                  f"hub.mode=unsubscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1",
                  "hub.mode=subscribe&hub.challenge=1", ""):
        assert request(bot.server, "GET", f"/webhook?{query}").status == 403
    assert request(bot.server, "GET", "/lain").status == 404


# ---- signatures ----

@pytest.mark.parametrize(("header", "status"), [
    (None, 401), ("sha256=", 403), ("sha256", 403), ("sha1=abc", 403),
    (sign(b"isi lain"), 403), ("wrong-secret", 403), ("sha256=é", 403),
])
def test_bad_signatures_are_refused_and_nothing_sent(bot: Bot, header: str | None,
                                                     status: int) -> None:
    payload = envelope(value(text("1", "wamid.sig")))
    raw = json.dumps(payload).encode()
    if header == "wrong-secret":
        header = sign(raw, "rahasia-lain")
    response = post(bot.server, raw, signature=header)
    assert response.status == status
    assert APP_SECRET not in response.body
    # the refused message id was not stored: a correctly signed re-delivery is answered
    assert ask(bot, text("1", "wamid.sig"), expect=1) == [bot.answer("ktp-el")]


@pytest.mark.parametrize("body", ["https://contoh.id/a/b?c=1", "Syarat domisili é à ü",
                                  "Halo 👋🏽 menu 🇮🇩", "kartu keluarga"])
@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_signature_over_exact_raw_bytes(bot: Bot, body: str, ensure_ascii: bool) -> None:
    """Meta escapes non-ASCII as \\uXXXX; either way the HMAC is over the bytes as sent."""
    already = len(bot.graph.sent)
    response = post(bot.server, envelope(value(text(body, f"wamid.{already}"))),
                    ensure_ascii=ensure_ascii)
    assert response.status == 200
    assert len(bot.graph.bodies(already + 1)) > already


# ---- routing ----

@pytest.mark.parametrize("typed", ["1", " 1 ", "01", "1.", "#1", "1️⃣", "１", "No. 1", "KTP",
                                   "  ktp-el ", "Syarat KTP apa saja?", "surat pengantar ktp-el"])
def test_numbers_and_keywords_reach_the_service(bot: Bot, typed: str) -> None:
    assert ask(bot, text(typed, "wamid.a"), expect=1) == [bot.answer("ktp-el")]


@pytest.mark.parametrize("typed", ["domisli", "DOMISILI", "3", "surat keterangan tinggal",
                                   "mau urus domisilli"])
def test_typos_and_phrases_find_domisili(bot: Bot, typed: str) -> None:
    assert ask(bot, text(typed, "wamid.d"), expect=1) == [bot.answer("domisili")]


@pytest.mark.parametrize("typed", ["menu", "0", "Kembali", "halo", "Assalamualaikum", "00"])
def test_back_words_and_greetings_send_the_menu(bot: Bot, typed: str) -> None:
    assert ask(bot, text(typed, "wamid.m"), expect=1) == [bot.menu_list()]


def test_list_reply_button_reply_and_template_button(bot: Bot) -> None:
    assert ask(bot, list_reply("kk", "Kartu Keluarga", "wamid.l"), expect=1) == [bot.answer("kk")]
    assert ask(bot, button_reply("domisili", "Domisili", "wamid.b"),
               expect=1) == [bot.answer("domisili")]
    template = message("button", {"payload": "ktp-el", "text": "KTP"}, "wamid.t")
    assert ask(bot, template, expect=1) == [bot.answer("ktp-el")]


@pytest.mark.parametrize("incoming", [
    text("apa kabar pak lurah", "wamid.u"),
    text("99", "wamid.u"),
    message("sticker", {"mime_type": "image/webp", "sha256": "abc", "id": "5678",
                        "animated": False}, "wamid.u"),
    message("location", {"latitude": -1.24, "longitude": 116.85}, "wamid.u"),
    message("unsupported", None, "wamid.u") | {"errors": [{"code": 131051,
                                                          "title": "Message type unknown"}]},
], ids=["text", "number", "sticker", "location", "unsupported"])
def test_anything_else_gets_help_and_the_menu(bot: Bot, incoming: dict[str, Any]) -> None:
    replies = ask(bot, incoming, expect=2)
    assert replies == [reply_text(HELP), bot.menu_list()]
    assert "kabar" not in json.dumps(replies)  # never echo the resident's text


@pytest.mark.parametrize("incoming", [
    message("image", {"mime_type": "image/jpeg", "sha256": "abc", "id": "1234"}, "wamid.u"),
    message("document", {"mime_type": "application/pdf", "sha256": "abc", "id": "1235",
                         "filename": "scan.pdf"}, "wamid.u"),
], ids=["image", "document"])
def test_a_photo_or_file_without_words_gets_the_privacy_warning(
        bot: Bot, incoming: dict[str, Any]) -> None:
    """Residents send photos of their KTP or KK to ask about them: not over WhatsApp."""
    assert ask(bot, incoming, expect=1) == [reply_text(bot.menu.pii_warning)]


@pytest.mark.parametrize("incoming", [
    message("reaction", {"message_id": "wamid.keluar1", "emoji": "👍"}, "wamid.s"),
    message("reaction", {"message_id": "wamid.keluar1"}, "wamid.s"),  # reaction removed
    message("revoke", {"original_message_id": "wamid.lama"}, "wamid.s"),
    message("edit", {"original_message_id": "wamid.lama", "message": {
        "type": "text", "text": {"body": "syarat kk"}}}, "wamid.s"),
    message("system", {"body": "Nomor pengguna berubah", "wa_id": "6281234567999",
                       "type": "user_changed_number"}, "wamid.s"),
], ids=["reaction", "reaction-removed", "deleted", "edited", "system"])
def test_events_that_are_not_questions_get_no_reply(bot: Bot, incoming: dict[str, Any]) -> None:
    assert quiet_then(bot, incoming) == []
    assert "wamid.s" not in bot.graph.reads  # nothing to mark as read either


@pytest.mark.parametrize(("kind", "content"), [
    ("image", {"mime_type": "image/jpeg", "sha256": "abc", "id": "1234",
               "caption": "ini syarat kk bukan?"}),
    ("document", {"mime_type": "application/pdf", "sha256": "abc", "id": "1235",
                  "filename": "kk.pdf", "caption": "Kartu Keluarga"}),
])
def test_a_caption_is_answered_like_text(bot: Bot, kind: str, content: dict[str, Any]) -> None:
    assert ask(bot, message(kind, content, "wamid.cap"), expect=1) == [bot.answer("kk")]


def test_answered_messages_are_marked_as_read(bot: Bot) -> None:
    ask(bot, text("1", "wamid.r1"), text("halo", "wamid.r2"), expect=2)
    assert bot.graph.wait_reads(2) == ["wamid.r1", "wamid.r2"]


OFFICE = """\
*Kantor Kelurahan Sukamaju*

*Alamat:* Jl. Merdeka No. 17, Kota Uji
*Peta:* https://www.openstreetmap.org/?mlat=-1.24&mlon=116.85#map=18/-1.24/116.85
*Jam layanan:* Senin–Jumat 08.00–15.00 WITA
*Telepon:* (0541) 700-1001

Situs: https://kelurahan.kotauji.example/sukamaju/

Ketik 0 untuk melihat layanan. Ketik *petugas* untuk bicara dengan petugas."""
THANKS = ("Sama-sama, semoga membantu 🙏\n"
          "Ketik *menu* kapan saja bila perlu informasi layanan kelurahan.")
DISDUKCAPIL = """\
Urusan akta kelahiran, Kartu Identitas Anak (KIA), akta perkawinan non-muslim, akta perceraian, \
dan pencetakan KTP-el ditangani oleh *Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil)*, \
bukan oleh Kelurahan Sukamaju.

Bila diperlukan surat pengantar atau keterangan dari kelurahan, ketik 0 untuk melihat layanan \
kelurahan.

Ketik 0 untuk melihat layanan kelurahan. Ketik *petugas* untuk bicara dengan petugas."""


@pytest.mark.parametrize("typed", ["alamat kantor", "lokasi", "nomor telepon", "jam buka",
                                   "buka hari sabtu?", "kantornya di mana ya"])
def test_office_questions_get_address_map_phone_and_hours(bot: Bot, typed: str) -> None:
    assert ask(bot, text(typed, "wamid.o"), expect=1) == [reply_text(OFFICE)]
    assert ask(bot, text("1", "wamid.o2"), expect=1) == [bot.answer("ktp-el")]  # no hand-off


@pytest.mark.parametrize("typed", ["terima kasih", "ok", "siap", "makasih kak 🙏", "👍",
                                   "gak usah deh", "tidak usah"])
def test_thanks_and_closings_get_a_short_reply(bot: Bot, typed: str) -> None:
    assert ask(bot, text(typed, "wamid.t"), expect=1) == [reply_text(THANKS)]


@pytest.mark.parametrize("typed", ["selamat pagi pak", "halo kak", "assalamualaikum",
                                   "punten", "Assalamu'alaikum wr wb"])
def test_greetings_get_the_menu_without_an_apology(bot: Bot, typed: str) -> None:
    assert ask(bot, text(typed, "wamid.g"), expect=1) == [bot.menu_list()]


@pytest.mark.parametrize("typed", ["petugas", "bicara dengan petugas", "minta petugas",
                                   "hubungi petugas", "Hubungi petugas", "admin", "operator",
                                   "cs"])
def test_handoff_on_what_people_type(bot: Bot, typed: str) -> None:
    assert ask(bot, text(typed, "wamid.h"), expect=1) == [reply_text(HANDOFF)]


@pytest.mark.parametrize("typed", ["akta kelahiran", "akte lahir anak saya", "KIA"])
def test_another_offices_service_names_that_office(bot: Bot, typed: str) -> None:
    assert ask(bot, text(typed, "wamid.x"), expect=1) == [reply_text(DISDUKCAPIL)]


def test_two_services_named_equally_get_a_choice_not_a_guess(bot: Bot) -> None:
    assert ask(bot, text("syarat kk atau domisili?", "wamid.c"), expect=1) == [reply_text(
        "Maksud Anda salah satu layanan ini?\n2. Kartu Keluarga\n3. Surat Keterangan Domisili"
        "\n\nKetik nomornya, atau 0 untuk melihat semua layanan.")]


@pytest.mark.parametrize(("typed", "wrong"), [
    ("akta kelahiran", "kematian"), ("kantor kecamatan dimana?", "kematian"),
    ("kemarin saya sudah ke kantor", "kematian"), ("surat keterangan kehilangan", "kematian"),
    ("tidak usah", "usaha"), ("gak usah deh", "usaha")])
def test_the_reported_wrong_services_are_gone(tmp_path: Path, typed: str, wrong: str) -> None:
    """The issue's examples, against a menu that has Kematian and Usaha."""
    more = {slug: f"---\njudul: Surat Keterangan {slug.title()}\nurutan: {n}\n"
                  f"syarat: [Surat pengantar RT/RW]\nkata_kunci: [{slug}, akta {slug}]\n---\n"
            for n, slug in enumerate(("kematian", "usaha"), start=7)}
    menu = load_menus(make_site(tmp_path, services=more)).all[0]
    assert {s.id for s in menu.services} >= {wrong}
    reason = route(menu, Incoming("wamid.w", RESIDENT, PHONE_ID, Kind.TEXT, typed)).reason
    assert not reason.startswith("layanan "), reason


def test_a_city_overrides_the_other_offices(tmp_path: Path) -> None:
    override = ("- id: polisi\n  nama: Polsek Kota Baru (Jl. Bhayangkara 1)\n  urusan: SKCK\n"
                "  kata_kunci: [skck]\n- id: imigrasi\n  hapus: ya\n"
                "- id: dishub\n  nama: Dinas Perhubungan\n  urusan: uji KIR\n"
                "  kata_kunci: [uji kir, kir]\n  keterangan: Jl. Terminal 2.\n")
    site = make_site(tmp_path, other_offices=override)
    menu = load_menus(site).all[0]
    offices = {o.id: o for o in menu.other_offices}
    assert "imigrasi" not in offices and "disdukcapil" in offices
    assert offices["polisi"].answer.startswith(
        "Urusan SKCK ditangani oleh *Polsek Kota Baru (Jl. Bhayangkara 1)*, bukan oleh ")
    assert offices["dishub"].answer == (
        "Urusan uji KIR ditangani oleh *Dinas Perhubungan*, bukan oleh Kelurahan Sukamaju.\n\n"
        "Jl. Terminal 2.\n\nKetik 0 untuk melihat layanan kelurahan. Ketik *petugas* untuk "
        "bicara dengan petugas.")
    event = Incoming("wamid.k", RESIDENT, PHONE_ID, Kind.TEXT, "mau uji kir mobil")
    assert route(menu, event).reason == "instansi lain dishub"
    paspor = Incoming("wamid.p", RESIDENT, PHONE_ID, Kind.TEXT, "paspor")
    assert route(menu, paspor).reason == "tidak dikenal"


def test_identity_number_gets_a_warning_and_never_reaches_logs_or_db(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    nik = "6471 0101 9001 0001"
    caption = message("image", {"id": "9", "mime_type": "image/jpeg",
                                "caption": "KTP saya 6471010190010002"}, "wamid.n2")
    replies = ask(bot, text(f"Syarat KK, NIK saya {nik}", "wamid.n1"), caption, expect=2)
    assert replies == [reply_text(PII), reply_text(PII)]
    bot.graph.wait_reads(2)
    stop(bot.server)  # the outbox held the number until sent; stopped, nothing is pending
    stored = b"".join(p.read_bytes() for p in bot.state.iterdir())  # database (and any WAL)
    for secret in ("6471010190010001", "6471 0101 9001 0001", "6471010190010002", RESIDENT):
        assert secret not in caplog.text
        assert secret.encode() not in stored
    assert b"wamid.n1" in stored  # the message id is there: we looked in the right place


def test_statuses_only_are_ignored(bot: Bot) -> None:
    assert post(bot.server, statuses_only()).status == 200
    assert quiet_then(bot) == []


def test_every_message_of_every_entry_is_answered_once(bot: Bot) -> None:
    other = "6281234567002"
    delivery = envelope(value(text("1", "wamid.x1"), text("2", "wamid.x2")),
                        value(text("menu", "wamid.x3", sender=other)))
    assert post(bot.server, delivery).status == 200
    sent = bot.graph.bodies(3)
    mine = [s for s in sent if s["to"] == RESIDENT]
    assert mine == [bot.answer("ktp-el"), bot.answer("kk")]  # in order for one resident
    assert [s for s in sent if s["to"] == other] == [bot.menu_list(to=other)]
    # Meta re-delivers the same webhook: nothing is answered twice
    assert quiet_then(bot, text("1", "wamid.x1"), text("2", "wamid.x2")) == []


def test_dedupe_survives_a_restart(tmp_path: Path) -> None:
    site, graph = make_site(tmp_path), start_fake_graph()
    first = start(site, graph, tmp_path / "state")
    assert post(first, envelope(value(text("1", "wamid.r1")))).status == 200
    graph.wait_for(1)
    stop(first)
    second = start(site, graph, tmp_path / "state")
    try:
        assert post(second, envelope(value(text("1", "wamid.r1"), text("2", "wamid.r2")))
                    ).status == 200
        time.sleep(0.2)
        assert [s.body["text"]["body"][:20] for s in graph.wait_for(2)] == [
            "*1. Surat Pengantar ", "*2. Kartu Keluarga*\n"]
        assert len(graph.sent) == 2
    finally:
        stop(second)
        graph.server.shutdown()


def test_petugas_hands_off_then_bot_stays_quiet_until_menu(bot: Bot) -> None:
    assert ask(bot, text("Petugas", "wamid.h1"), expect=1) == [reply_text(HANDOFF)]
    already = len(bot.graph.sent)
    assert post(bot.server, envelope(value(text("1", "wamid.h2"), text("halo?", "wamid.h3"))
                                     )).status == 200
    assert ask(bot, text("menu", "wamid.h4"), expect=1) == [bot.menu_list()]
    assert len(bot.graph.sent) == already + 1  # nothing for h2/h3
    assert ask(bot, text("1", "wamid.h5"), expect=1) == [bot.answer("ktp-el")]


def test_handoff_row_and_expiry(tmp_path: Path) -> None:
    site, graph = make_site(tmp_path), start_fake_graph()
    server = start(site, graph, tmp_path / "state", handoff_minutes=0.005)  # 0.3 s
    try:
        assert post(server, envelope(value(list_reply("#petugas", "Hubungi petugas", "wamid.e1")))
                    ).status == 200
        assert graph.bodies(1)[0] == reply_text(HANDOFF)
        time.sleep(0.4)
        assert post(server, envelope(value(text("2", "wamid.e2")))).status == 200
        assert graph.bodies(2)[1]["text"]["body"].startswith("*2. Kartu Keluarga*")
    finally:
        stop(server)
        graph.server.shutdown()


def test_routes_by_phone_number_id(tmp_path: Path) -> None:
    site, graph = make_site(tmp_path, two_kelurahan=True), start_fake_graph()
    server = start(site, graph, tmp_path / "state")
    try:
        delivery = envelope(value(text("1", "wamid.p1")),
                            value(text("1", "wamid.p2", sender="6281234567009"),
                                  phone_id=OTHER_PHONE_ID),
                            value(text("1", "wamid.p3"), phone_id="999"))
        assert post(server, delivery).status == 200
        sent = graph.wait_for(2)
        time.sleep(0.2)
        assert len(graph.sent) == 2  # no menu for number 999: not answered
        paths = {s.body["to"]: (s.path, s.body["text"]["body"].split("\n")[0]) for s in sent}
        assert paths == {
            RESIDENT: (f"/v21.0/{PHONE_ID}/messages", "*1. Surat Pengantar KTP-el*"),
            "6281234567009": (f"/v21.0/{OTHER_PHONE_ID}/messages", "*1. Izin Keramaian*")}
        assert {s.authorization for s in sent} == {f"Bearer {ACCESS_TOKEN}"}
    finally:
        stop(server)
        graph.server.shutdown()


def test_a_single_kelurahan_answers_only_its_own_number(tmp_path: Path) -> None:
    """Another number on the same Meta app (a test number, another office's) is not answered
    with this kelurahan's services, from a number that is not its own."""
    site = make_site(tmp_path)
    menus = load_menus(site)
    assert [m.slug for m in menus.all] == ["sukamaju"]
    assert menus.for_phone(PHONE_ID) is menus.all[0]
    assert menus.for_phone("999999999999999") is None
    menu_file = site / "sukamaju" / "whatsapp" / "menu.json"
    data = json.loads(menu_file.read_text("utf-8"))
    data["phone_number_id"] = None  # `whatsapp_phone_id` left out of profil.md
    menu_file.write_text(json.dumps(data), "utf-8")
    without = load_menus(site)
    assert without.for_phone("999999999999999") is without.all[0]


@pytest.mark.parametrize(("typed", "reason"), [
    ("halaman 3", "halaman 3"), ("hal 2 kak", "halaman 2"), ("lihat halaman tiga", "halaman 3"),
    ("page 1", "halaman 1"), ("layanan lainnya", "halaman 2"), ("menu lainnya", "halaman 2"),
    ("lainnya", "halaman 2"), ("halaman 9", "tidak dikenal"), ("3", "layanan domisili")])
def test_every_page_of_a_long_menu_can_be_typed(tmp_path: Path, typed: str, reason: str) -> None:
    menu = load_menus(make_site(tmp_path, extra_services=20)).all[0]
    assert len(menu.pages) == 3
    event = Incoming("wamid.h", RESIDENT, PHONE_ID, Kind.TEXT, typed)
    assert route(menu, event).reason == reason


def test_eleven_services_paginate(tmp_path: Path) -> None:
    site, graph = make_site(tmp_path, extra_services=8), start_fake_graph()
    server = start(site, graph, tmp_path / "state")
    menu = read_output(site / "sukamaju" / "whatsapp" / "menu.json", WhatsAppMenu)
    pages = [{**page, "to": RESIDENT} for page in menu.list_pages.pages]
    try:
        assert post(server, envelope(value(
            text("menu", "wamid.q1"), list_reply("#halaman-2", "Lainnya", "wamid.q2"),
            text("Lainnya", "wamid.q3"), text("11", "wamid.q4"), text("tambahan10", "wamid.q5"),
        ))).status == 200
        sent = [s.body for s in graph.wait_for(5)]
        assert sent[:3] == [pages[0], pages[1], pages[1]]
        assert [s["text"]["body"].split("\n")[0] for s in sent[3:]] == [
            "*11. Layanan Tambahan 11*", "*10. Layanan Tambahan 10*"]
        rows = [r["id"] for sec in pages[0]["interactive"]["action"]["sections"]
                for r in sec["rows"]]
        assert rows[-2:] == ["#halaman-2", "#petugas"] and len(rows) == 10
    finally:
        stop(server)
        graph.server.shutdown()


def test_rebuilt_menus_are_picked_up_without_restart(tmp_path: Path) -> None:
    site, graph = make_site(tmp_path), start_fake_graph()
    server = start(site, graph, tmp_path / "state", reload_seconds=0)
    try:
        assert post(server, envelope(value(text("4", "wamid.v1")))).status == 200
        assert graph.bodies(2)[0]["text"]["body"].startswith("Maaf")  # no service 4 yet
        make_site(tmp_path / "baru", extra_services=1)
        shutil.copytree(tmp_path / "baru" / "site", site, dirs_exist_ok=True)
        assert post(server, envelope(value(text("4", "wamid.v2")))).status == 200
        assert graph.bodies(3)[2]["text"]["body"].startswith("*4. Layanan Tambahan 4*")
        (site / "sukamaju" / "whatsapp" / "menu.json").write_text("{rusak", "utf-8")
        assert post(server, envelope(value(text("4", "wamid.v3")))).status == 200
        assert graph.bodies(4)[3]["text"]["body"].startswith("*4. Layanan Tambahan 4*")
    finally:
        stop(server)
        graph.server.shutdown()


def test_lainnya_row_without_second_page(bot: Bot) -> None:
    # three services fit one page: a "#halaman-2" id is not a page here, so help + menu
    assert ask(bot, list_reply("#halaman-2", "Lainnya", "wamid.g1"), expect=2) == [
        reply_text(HELP), bot.menu_list()]


# ---- bad bodies ----

@pytest.mark.parametrize(("raw", "status", "reason"), [
    (b"{not json", 400, "JSON rusak"),
    (b"\xff\xfe{}", 400, "JSON rusak"),
    (b"[1, 2]", 400, "bukan webhook WhatsApp: 'entry' tidak ada"),
    (b'{"object": "whatsapp_business_account"}', 400, "bukan webhook WhatsApp: 'entry' tidak ada"),
    (b'{"entry": [{"id": "1"}]}', 400, "bukan webhook WhatsApp: 'changes' tidak ada"),
    (b'{"entry": [{"changes": [{"field": "messages"}]}]}', 400,
     "bukan webhook WhatsApp: 'value' tidak ada"),
    (b"[" * 100000 + b"]" * 100000, 400, "JSON rusak"),
])
def test_malformed_bodies_get_400_without_secrets(bot: Bot, raw: bytes, status: int,
                                                  reason: str) -> None:
    response = post(bot.server, raw)
    assert (response.status, json.loads(response.body)) == (status, {"status": "ditolak",
                                                                      "alasan": reason})
    assert ask(bot, text("2", "wamid.after"), expect=1) == [bot.answer("kk")]  # still alive


@pytest.mark.parametrize("metadata", ["x", [1], 7, True, None])
def test_metadata_not_an_object_is_400_not_a_crash(bot: Bot, metadata: Any) -> None:
    # a permanently bad body must not get 5xx (Meta would redeliver it for days)
    body = envelope(value(text("1", "wamid.m1")))
    body["entry"][0]["changes"][0]["value"]["metadata"] = metadata
    response = post(bot.server, body)
    assert (response.status, json.loads(response.body)) == (400, {
        "status": "ditolak", "alasan": "bukan webhook WhatsApp: 'messages' atau 'metadata' rusak"})
    assert ask(bot, text("2", "wamid.m2"), expect=1) == [bot.answer("kk")]


def test_a_broken_change_does_not_hold_back_the_good_ones(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    body = envelope(value(text("1", "wamid.s1")))
    body["entry"][0]["changes"].append({"field": "messages", "value": "rusak"})
    body["entry"].append({"id": "2"})  # an entry without changes
    metadata_broken = value(text("2", "wamid.s2"))
    metadata_broken["metadata"] = "x"
    body["entry"].append({"id": "3", "changes": [{"field": "messages", "value": metadata_broken}]})
    already = len(bot.graph.sent)
    with caplog.at_level(logging.WARNING):
        response = post(bot.server, body)
    assert (response.status, json.loads(response.body)["alasan"]) == (200, "1 pesan, 1 dibalas")
    assert bot.graph.bodies(already + 1)[already:] == [bot.answer("ktp-el")]
    assert "sebagian webhook dilewati: bukan webhook WhatsApp: 'value' tidak ada" in caplog.text
    assert "'changes' tidak ada" in caplog.text and "'metadata' rusak" in caplog.text


def test_messages_missing_fields_are_skipped(bot: Bot) -> None:
    broken: list[Any] = [{"id": "wamid.k1", "type": "text", "text": {"body": "1"}},  # no sender
              {"from": RESIDENT, "type": "text", "text": {"body": "1"}},  # no id
              "bukan objek", text("2", "wamid.k2")]
    assert ask(bot, *broken, expect=1) == [bot.answer("kk")]
    no_metadata = {"entry": [{"changes": [{"value": {"messages": [text("1", "wamid.k3")]}}]}]}
    assert post(bot.server, no_metadata).status == 400
    page = {"object": "page", "entry": [{"id": "1", "messaging": [{"message": {"text": "1"}}]}]}
    response = post(bot.server, page)
    assert (response.status, json.loads(response.body)["alasan"]) == (200, "0 pesan, 0 dibalas")


def test_huge_body_is_refused_with_413(bot: Bot) -> None:
    raw = b'{"entry": [], "isi": "' + b"a" * (1024 * 1024) + b'"}'
    response = post(bot.server, raw)
    assert response.status == 413
    assert json.loads(response.body)["alasan"] == "isi lebih dari 1 MB"
    # far bigger: answered from the headers alone, the body never read
    with socket.create_connection(("127.0.0.1", bot.server.server_address[1]), timeout=5) as s:
        s.sendall(b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 900000000\r\n\r\n{")
        assert s.recv(1024).startswith(b"HTTP/1.1 413 ")
    assert ask(bot, text("2", "wamid.big"), expect=1) == [bot.answer("kk")]


def test_a_refused_token_holds_replies_until_it_is_renewed_and_logs_no_secret(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    """An expired token (401, code 190) used to drop every reply of the outage for good."""
    caplog.set_level(logging.DEBUG)
    bot.graph.fail_with = 401
    already = len(bot.graph.sent)
    assert post(bot.server, envelope(value(text("1", "wamid.f1")))).status == 200
    deadline = time.monotonic() + 5
    while "belum terkirim (percobaan 2)" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ("token WhatsApp ditolak Meta (HTTP 401: code 190 OAuthException): perbarui "
            "WHATSAPP_ACCESS_TOKEN lalu mulai ulang bot; balasan disimpan dan dikirim "
            "setelahnya") in caplog.text
    assert "gagal terkirim" not in caplog.text
    assert len(bot.graph.sent) == already and bot.graph.attempts >= 2
    bot.graph.fail_with = None  # the token renewed: the held reply goes first, then the next
    assert post(bot.server, envelope(value(text("2", "wamid.f2")))).status == 200
    assert bot.graph.bodies(already + 2)[already:] == [bot.answer("ktp-el"), bot.answer("kk")]
    for secret in (ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN, RESIDENT):
        assert secret not in caplog.text
