"""Posting from WhatsApp end to end on loopback: a staff member's photo webhook → draft → card
sent back with buttons → Terbitkan → page in site/ → `publish --dry-run` lists it; edits,
Batal, tarik, and every refusal with its exact reply and nothing written."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from kelurahan.cli import main
from kelurahan.database import open_database
from kelurahan.dates import long_date
from publish.bot import media as replies
from tests.colour_support import wide_gamut_profile
from tests.conftest import snapshot
from tests.publish.bot.desk_support import (
    CAPTION,
    OTHER_STAFF,
    STAFF,
    Desk,
    button_id,
    copy_city,
    jpeg,
    photo,
    start_desk,
    stop_desk,
)
from tests.publish.bot.desk_support import template as template  # the fixture
from tests.publish.bot.support import OTHER_PHONE_ID, RESIDENT, list_reply, message, text
from tests.publish.fake_platforms import Fault, graph_error


def buttons(draft: str, *pairs: tuple[str, str]) -> list[dict]:
    return [{"type": "reply", "reply": {"id": f"staf.{i}:{draft}", "title": t}} for i, t in pairs]


def open_draft_id(desk: Desk) -> str:
    db = open_database({}, desk.state, "bot.sqlite3", read_only=True)
    try:
        (row,) = db.rows("SELECT id FROM drafts")
        return str(row["id"])
    finally:
        db.close()


@pytest.fixture
def desk(template: Path, tmp_path: Path) -> Iterator[Desk]:
    content, site, state = copy_city(template, tmp_path)
    shutil.copytree(template / "state" / "cache", state / "cache")
    running = start_desk(content, site, state, media_timeout=1.0)
    yield running
    stop_desk(running)


def draft_files(desk: Desk) -> list[bytes]:
    """Every draft photo the bot holds: rows in its database, never files in the state folder."""
    assert not (desk.state / "draf").exists()
    db = open_database({}, desk.state, "bot.sqlite3", read_only=True)
    try:
        return [bytes(r["jpeg"]) for r in db.rows("SELECT jpeg FROM draft_photos "
                                                  "ORDER BY draft_id, number")]
    finally:
        db.close()


def card_body(sent: dict) -> str:
    assert sent["type"] == "interactive" and sent["interactive"]["type"] == "button", sent
    return sent["interactive"]["body"]["text"]


def test_photo_to_live_page_and_dry_run(desk: Desk, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    media_id = desk.wa.add_media(jpeg(exif=True))
    desk.send(photo(media_id, "wamid.f1", CAPTION))
    card = desk.reply(1)
    assert card["to"] == STAFF
    assert card_body(card).startswith("Draf kegiatan dibuat: Kerja Bakti RT 05\n\n1 foto.")
    assert card["interactive"]["action"]["buttons"] == buttons(
        open_draft_id(desk), ("terbitkan", "Terbitkan"), ("ubah", "Ubah"), ("batal", "Batal"))
    header = card["interactive"]["header"]
    with Image.open(io.BytesIO(desk.wa.uploads[header["image"]["id"]])) as image:
        assert (image.format, image.size) == ("JPEG", (1080, 1350))
    before = snapshot(desk.content)

    desk.tap("Terbitkan", "wamid.t1")
    answer = desk.text_reply(2)
    stem = re.search(r"/sukamaju/kegiatan/(\d{4}-\d\d-\d\d-kerja-bakti-rt-05)/", answer).group(1)
    assert answer == (f"\u2705 Sudah tayang: https://kelurahan.kotauji.example/sukamaju/kegiatan/"
                      f"{stem}/\n\nKartu media sosial ikut dikirim pada putaran publikasi berikutnya "
                      "(biasanya dalam beberapa menit).")
    assert (desk.site / "sukamaju" / "kegiatan" / stem / "index.html").is_file()
    text = (desk.content / "sukamaju" / "kegiatan" / f"{stem}.md").read_text("utf-8")
    assert text.startswith(f'---\njudul: "Kerja Bakti RT 05"\ntanggal: {stem[:10]}\n'
                           f"foto: [media/{stem}-1.jpg]\n")
    assert "draf: tidak\n---\nWarga membersihkan selokan sepanjang 200 meter.\n" in text
    with Image.open(desk.content / "sukamaju" / "media" / f"{stem}-1.jpg") as saved:
        assert saved.size == (900, 1200)  # turned upright
        assert not saved.getexif() and "exif" not in saved.info
    added = set(snapshot(desk.content)) - set(before)
    assert added == {f"sukamaju/kegiatan/{stem}.md", f"sukamaju/media/{stem}-1.jpg"}
    assert draft_files(desk) == []

    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(desk.state))
    monkeypatch.setenv("KELURAHAN_SUKAMAJU_FACEBOOK_TOKEN", "token-fb")
    capsys.readouterr()
    assert main(["publish", "--content", str(desk.content), "--site", str(desk.site),
                 "--dry-run", "--only", "sukamaju"]) == 0
    out = capsys.readouterr().out
    day = long_date(dt.date.fromisoformat(stem[:10]))
    assert out.startswith(f'sukamaju: "Kerja Bakti RT 05" ({day}) → facebook (halaman Facebook '
                          "9001): diposting sekarang\n"), out


def test_edit_title_and_text_then_more_photos_then_cancel(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.f1", CAPTION))
    desk.reply(1)
    desk.tap("Ubah", "wamid.u1")
    assert desk.reply(2)["interactive"]["action"]["buttons"] == buttons(
        open_draft_id(desk), ("ubah.judul", "Judul"), ("ubah.isi", "Isi"), ("ubah.foto", "Foto"))
    desk.tap("Judul", "wamid.u2")
    assert desk.text_reply(3) == "Kirim judul baru."
    desk.say("Gotong Royong Pasar", "wamid.u3")
    assert card_body(desk.reply(4)).startswith("Draf kegiatan diperbarui: Gotong Royong Pasar")
    desk.say("isi: Pedagang dan warga membersihkan pasar.", "wamid.u4")
    assert card_body(desk.reply(5)).startswith("Draf kegiatan diperbarui: Gotong Royong Pasar")
    desk.send(photo(desk.wa.add_media(jpeg("navy")), "wamid.f2"))
    assert "\n\n2 foto." in card_body(desk.reply(6))
    assert len(draft_files(desk)) == 2
    before = snapshot(desk.content)
    desk.tap("Batal", "wamid.b1")
    assert desk.text_reply(7) == ("Draf \u201cGotong Royong Pasar\u201d dibatalkan; fotonya sudah "
                                  "dihapus.")
    assert draft_files(desk) == [] and snapshot(desk.content) == before


def test_caption_with_nik_is_refused_and_never_stored(desk: Desk,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    media_id = desk.wa.add_media(jpeg())
    desk.send(photo(media_id, "wamid.n1", "Bantuan untuk 6471052305870001\nDiterima."))
    assert desk.text_reply(1) == (
        "⚠️ Pesan ini memuat 16 digit seperti NIK/KK (6471••••••••0001). Demi data pribadi "
        "warga (UU PDP No. 27/2022) pesan ini tidak disimpan. Kirim ulang tanpa nomor itu.")
    assert not [r for r in desk.wa.requests if media_id in r[1]]  # not even fetched
    assert draft_files(desk) == []
    for path in desk.state.rglob("*"):
        if path.is_file():
            assert b"6471052305870001" not in path.read_bytes(), path
    assert "6471052305870001" not in caplog.text


@pytest.mark.parametrize(("setup", "expected"), [
    (lambda wa: "999999", replies.EXPIRED),
    (lambda wa: "..%2F..%2Fme", replies.EXPIRED),
    (lambda wa: (wa.fail("download", Fault(404, "")), wa.add_media(jpeg()))[1], replies.EXPIRED),
    (lambda wa: (wa.fail("download", Fault(200, "", stall=3.0)), wa.add_media(jpeg()))[1],
     replies.TIMED_OUT),
    (lambda wa: wa.add_media(b"%PDF-1.7\n" + b"0" * 500, "application/pdf"), replies.WRONG_TYPE),
    (lambda wa: wa.add_media(jpeg(), file_size=11 * 1024 * 1024),
     "Foto terlalu besar (11.0 MB; batas 10 MB). Kirim sebagai foto biasa (bukan dokumen) "
     "supaya WhatsApp mengecilkannya."),
    (lambda wa: wa.add_media(jpeg(), sha256="0" * 64), replies.DAMAGED),
    (lambda wa: wa.add_media(jpeg()[:300]),
     "Foto tidak bisa dibuka (rusak atau terpotong). Silakan kirim ulang fotonya."),
], ids=["unknown-id", "not-a-number", "expired-url", "timeout", "wrong-type", "too-big", "sha256", "truncated"])
def test_media_failures_answer_and_write_nothing(desk: Desk, setup, expected: str) -> None:
    before = snapshot(desk.content)
    desk.send(photo(setup(desk.wa), "wamid.m1", CAPTION, kind="document"))
    assert desk.text_reply(1) == expected
    desk.quiet(1)
    assert draft_files(desk) == [] and snapshot(desk.content) == before
    desk.press("staf.terbitkan:0f0f", "Terbitkan", "wamid.m2")  # no draft was made
    assert desk.text_reply(2) == (
        "Kartu ini sudah tidak berlaku: drafnya sudah diterbitkan, dibatalkan atau diganti. "
        "Tidak ada draf yang terbuka. Kirim foto kegiatan dengan keterangan (baris pertama = "
        "judul).")


def test_heic_is_converted(desk: Desk) -> None:
    import pillow_heif

    heif = pillow_heif.from_pillow(Image.new("RGB", (640, 480), "orange"))
    out = io.BytesIO()
    heif.save(out, quality=60)
    desk.send(photo(desk.wa.add_media(out.getvalue(), "image/heic"), "wamid.h1", CAPTION,
                    kind="document"))
    assert card_body(desk.reply(1)).startswith("Draf kegiatan dibuat: Kerja Bakti RT 05")
    (saved,) = draft_files(desk)
    with Image.open(io.BytesIO(saved)) as image:
        assert (image.format, image.size) == ("JPEG", (640, 480))


def _wide_gamut_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 100, 50)).save(out, "JPEG", quality=95,
                                                      icc_profile=wide_gamut_profile())
    return out.getvalue()


def _transparent_png() -> bytes:
    poster = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    poster.paste((200, 30, 30, 255), (200, 150, 600, 450))
    out = io.BytesIO()
    poster.save(out, "PNG")
    return out.getvalue()


def _sixteen_bit_png() -> bytes:
    """A grey ramp from black to white in 16 bits per pixel, as some editors export."""
    ramp = Image.linear_gradient("L").rotate(90).resize((800, 600)).point(lambda v: v * 257, "I")
    out = io.BytesIO()
    ramp.convert("I;16").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(("picture", "mime", "where", "expected"), [
    # a Display-P3 orange: its sRGB value, not the raw numbers (which would look dull)
    (_wide_gamut_jpeg, "image/jpeg", (0.5, 0.5), "p3"),
    (_transparent_png, "image/png", (0.02, 0.02), (255, 255, 255)),  # transparency on white
    (_transparent_png, "image/png", (0.5, 0.5), (200, 30, 30)),
    (_sixteen_bit_png, "image/png", (0.5, 0.5), (128, 128, 128)),  # mid grey, not clipped white
], ids=["display-p3", "transparent-corner", "transparent-middle", "16-bit"])
def test_a_photo_sent_as_a_document_is_stored_in_srgb(desk: Desk, picture, mime: str,
                                                       where: tuple[float, float],
                                                       expected) -> None:
    """A document keeps what the phone or editor wrote (WhatsApp converts only photos): the
    desk stores what the site and the cards would show, not the raw pixel values."""
    from kelurahan.srgb import WHITE, to_srgb

    if expected == "p3":
        raw = (200, 100, 50)
        expected = to_srgb(Image.new("RGB", (4, 4), raw), WHITE, wide_gamut_profile()).getpixel((0, 0))
        assert max(abs(a - b) for a, b in zip(expected, raw, strict=True)) > 15
    desk.send(photo(desk.wa.add_media(picture(), mime), "wamid.c1", CAPTION, kind="document"))
    assert card_body(desk.reply(1)).startswith("Draf kegiatan dibuat: Kerja Bakti RT 05")
    (saved,) = draft_files(desk)
    with Image.open(io.BytesIO(saved)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (800, 600))
        assert "icc_profile" not in image.info
        got = image.getpixel((round(where[0] * 799), round(where[1] * 599)))
    assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= 6, (got, expected)


def test_check_failure_refuses_publish_and_writes_nothing(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.f1", CAPTION))
    desk.reply(1)
    kk = desk.content / "sukamaju" / "layanan" / "kk.md"
    kk.write_text(kk.read_text("utf-8").replace("[Surat pengantar RT/RW, Buku nikah]", "[]"))
    before = snapshot(desk.content)
    desk.tap("Terbitkan", "wamid.t1")
    assert desk.text_reply(2) == (
        "Belum bisa diterbitkan karena berkas lain kelurahan ini bermasalah:\n"
        "\u2022 layanan/kk.md:4: syarat: tidak boleh kosong; tulis minimal satu isian\n\n"
        "Berkas itu hanya bisa diperbaiki admin kelurahan atau Diskominfo: kirimkan pesan ini "
        "kepada mereka. Draf Anda tetap tersimpan; pilih *Terbitkan* lagi setelah diperbaiki.")
    assert snapshot(desk.content) == before
    assert not list((desk.content / "sukamaju").glob(".terbit-*"))
    assert len(draft_files(desk)) == 1  # the draft stays for another try


def test_nik_in_edited_text_is_refused(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.f1", CAPTION))
    desk.reply(1)
    desk.say("isi: Penerima 6471 0523 0587 0001 hadir.", "wamid.e1")
    assert "(6471••••••••0001)" in desk.text_reply(2)
    for path in desk.state.rglob("*"):
        if path.is_file():
            assert b"0587 0001" not in path.read_bytes(), path


def test_residents_and_the_menu_are_not_the_desk(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.r1", CAPTION, sender=RESIDENT))
    assert desk.reply(1)["to"] == RESIDENT and desk.reply(2)["interactive"]["type"] == "list"
    desk.say("menu", "wamid.r2")  # staff can still use the resident menu
    assert desk.reply(3)["to"] == STAFF and desk.reply(3)["interactive"]["type"] == "list"
    # Tanjung's staff member on Sukamaju's number is a resident there: no draft, no fetch.
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.r3", CAPTION, sender=OTHER_STAFF))
    assert desk.reply(4)["to"] == OTHER_STAFF and desk.reply(5)["interactive"]["type"] == "list"
    desk.quiet(5)
    assert draft_files(desk) == []


def test_drafts_stay_on_their_own_number(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.o1", CAPTION, sender=OTHER_STAFF),
              phone_id=OTHER_PHONE_ID)
    assert card_body(desk.reply(1)).startswith("Draf kegiatan dibuat")
    assert [p for p, _ in [(r[1], r) for r in desk.wa.requests] if p.endswith("/media")] == [
        f"/v21.0/{OTHER_PHONE_ID}/media"]
    desk.say("terbitkan", "wamid.o2", sender=OTHER_STAFF)  # on Sukamaju's number: not a draft
    assert desk.reply(2)["to"] == OTHER_STAFF and desk.reply(3)["interactive"]["type"] == "list"


def test_withdraw_recent_post_and_git_author(desk: Desk) -> None:
    subprocess.run(["git", "init", "-q"], cwd=desk.content, check=True)
    subprocess.run(["git", "add", "."], cwd=desk.content, check=True)
    subprocess.run(["git", "-c", "user.name=Awal", "-c", "user.email=a@b.c", "commit", "-qm",
                    "awal"], cwd=desk.content, check=True)
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.f1", CAPTION))
    desk.reply(1)
    desk.tap("Terbitkan", "wamid.t1")
    assert desk.text_reply(2).startswith("\u2705 Sudah tayang")
    desk.say("tarik kerja bakti rt", "wamid.w1")
    stem = next((desk.content / "sukamaju" / "kegiatan").glob("*-kerja-bakti-rt-05.md")).stem
    ask = desk.reply(3)["interactive"]
    assert ask["body"]["text"] == (f"Tarik kegiatan \u201cKerja Bakti RT 05\u201d ({stem[:10]}) "
                                   "dari situs? Halamannya tidak akan tampil lagi dan kartunya "
                                   "tidak dikirim.")
    assert ask["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": f"staf.tarik.ya:{stem}", "title": "Ya, tarik"}},
        {"type": "reply", "reply": {"id": "staf.tarik.tidak", "title": "Jangan"}}]
    assert (desk.site / "sukamaju" / "kegiatan" / stem).exists()  # nothing withdrawn yet
    desk.press(f"staf.tarik.ya:{stem}", "Ya, tarik", "wamid.w1y")
    assert desk.text_reply(4) == (
        "Kegiatan \u201cKerja Bakti RT 05\u201d ditarik (jadi draf): halamannya sudah tidak tampil "
        "di situs. Kartunya tidak akan dikirim lagi, dan kiriman Facebook yang masih terjadwal "
        "dibatalkan otomatis pada putaran publikasi berikutnya.\n\nYang *tidak bisa* ditarik "
        "otomatis: kiriman yang sudah terbit di Facebook, Instagram atau TikTok. Hapus sendiri "
        "lewat aplikasi masing-masing bila perlu.")
    (post,) = (desk.content / "sukamaju" / "kegiatan").glob("*-kerja-bakti-rt-05.md")
    assert "draf: ya\n" in post.read_text("utf-8")
    assert not (desk.site / "sukamaju" / "kegiatan" / post.stem).exists()
    log = subprocess.run(["git", "log", "--format=%an|%cn|%s", "-3"], cwd=desk.content,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert log == ["Siti Rahma|Bot WhatsApp Kelurahan|Tarik kegiatan: Kerja Bakti RT 05",
                   "Siti Rahma|Bot WhatsApp Kelurahan|Terbitkan kegiatan: Kerja Bakti RT 05",
                   "Awal|Awal|awal"]
    desk.say("tarik", "wamid.w2")  # the list: the older fixture post is out of the 7 days
    assert desk.text_reply(5) == "Tidak ada kegiatan yang terbit dalam 7 hari terakhir."


def wait_for_card(desk: Desk, fragment: str, timeout: float = 10.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = list(desk.wa.sent)
        if any(m["type"] == "interactive" and fragment in m["interactive"]["body"]["text"]
               for m in sent):
            return sent
        time.sleep(0.02)
    raise AssertionError(f"no card with {fragment!r}: {desk.wa.sent}")


def test_an_album_gives_one_draft_and_at_most_ten_photos(desk: Desk) -> None:
    small = jpeg(size=(40, 30))
    album = [photo(desk.wa.add_media(small), f"wamid.a{n}", CAPTION if n == 1 else None)
             for n in range(1, 12)]
    desk.send(*album)
    sent = wait_for_card(desk, "Draf kegiatan dibuat: Kerja Bakti RT 05\n\n10 foto.")
    assert {"type": "text", "body": "Draf sudah berisi 10 foto (batasnya). Foto ini tidak "
            "ditambahkan."} in [{"type": m["type"], "body": m.get("text", {}).get("body")}
                                for m in sent]
    assert len(draft_files(desk)) == 10


def test_an_album_in_several_webhooks_gives_one_card(desk: Desk) -> None:
    """WhatsApp may deliver an album's photos in separate webhooks a moment apart: the staff
    member gets one draft card for all of them, not one per webhook."""
    small = jpeg(size=(40, 30))
    for n in range(1, 6):
        desk.send(photo(desk.wa.add_media(small), f"wamid.s{n}", CAPTION if n == 1 else None))
        time.sleep(0.3)
    wait_for_card(desk, "Draf kegiatan dibuat: Kerja Bakti RT 05\n\n5 foto.")
    desk.quiet(1, seconds=1.5)
    assert len(draft_files(desk)) == 5


def test_photo_without_caption_asks_for_the_title(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.c1"))
    assert desk.text_reply(1) == "1 foto diterima. Kirim judul kegiatannya."
    desk.say("Posyandu Balita Melati", "wamid.c2")
    assert card_body(desk.reply(2)).startswith("Draf kegiatan dibuat: Posyandu Balita Melati\n")


def test_edit_photo_replaces_the_photos(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg("red")), "wamid.p1", CAPTION),
              photo(desk.wa.add_media(jpeg("red")), "wamid.p2"))
    wait_for_card(desk, "2 foto.")
    desk.tap("Ubah", "wamid.p3u")
    count = len(desk.wa.wait_for(len(desk.wa.sent) + 1))
    desk.tap("Foto", "wamid.p3")
    assert desk.text_reply(count + 1) == "Kirim foto baru; foto lama di draf akan diganti."
    desk.send(photo(desk.wa.add_media(jpeg("blue")), "wamid.p4"))
    assert "\n\n1 foto." in card_body(desk.reply(count + 2))
    (only,) = draft_files(desk)
    with Image.open(io.BytesIO(only)) as image:
        assert image.getpixel((10, 10))[2] > 200  # the blue one


def test_withdraw_from_the_list_of_the_last_seven_days(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.f1", CAPTION))
    desk.reply(1)
    desk.tap("Terbitkan", "wamid.t1")
    stem = re.search(r"kegiatan/([^/]+)/", desk.text_reply(2)).group(1)
    desk.say("tarik pasar malam", "wamid.w1")
    listing = desk.reply(3)["interactive"]
    assert listing["type"] == "list"
    assert listing["body"]["text"] == ("Tidak ada satu kegiatan yang cocok dengan \u201cpasar "
                                       "malam\u201d. Pilih kegiatan yang ingin ditarik dari situs:")
    assert listing["action"]["sections"][0]["rows"] == [
        {"id": f"staf.tarik:{stem}", "title": "Kerja Bakti RT 05", "description": stem[:10]}]
    tap = list_reply(f"staf.tarik:{stem}", "Kerja Bakti RT 05", "wamid.w2")
    tap["from"] = STAFF
    desk.send(tap)
    assert desk.reply(4)["interactive"]["action"]["buttons"][0]["reply"]["id"] == (
        f"staf.tarik.ya:{stem}")
    desk.press("staf.tarik.tidak", "Jangan", "wamid.w3")
    assert desk.text_reply(5) == "Baik, tidak ada kegiatan yang ditarik."
    assert (desk.site / "sukamaju" / "kegiatan" / stem).exists()
    desk.press(f"staf.tarik.ya:{stem}", "Ya, tarik", "wamid.w4")
    assert desk.text_reply(6).startswith("Kegiatan \u201cKerja Bakti RT 05\u201d ditarik (jadi "
                                         "draf): halamannya sudah tidak tampil di situs.")
    assert not (desk.site / "sukamaju" / "kegiatan" / stem).exists()


def test_another_kelurahans_typo_does_not_stop_terbitkan(desk: Desk) -> None:
    """The build holds back only the kelurahan with content errors: staff of another one still
    publish from WhatsApp (before, any error anywhere in the city stopped every build)."""
    from tests.generator.site_support import add_kelurahan

    other = add_kelurahan(desk.content, "mekarsari", "Mekarsari")
    profile = other / "profil.md"  # its own staff: one number serves one kelurahan
    profile.write_text(re.sub(r"petugas:\n(?:  - .*\n)+", "", profile.read_text("utf-8")), "utf-8")
    kk = other / "layanan" / "kk.md"
    kk.write_text(kk.read_text("utf-8").replace("syarat:", "sayrat:"), "utf-8")
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.f1", CAPTION))
    desk.reply(1)
    desk.tap("Terbitkan", "wamid.t1")
    answer = desk.text_reply(2)
    assert answer.startswith("\u2705 Sudah tayang: "), answer
    stem = re.search(r"/sukamaju/kegiatan/([^/]+)/", answer).group(1)
    assert (desk.site / "sukamaju" / "kegiatan" / stem / "index.html").is_file()
    assert not (desk.site / "mekarsari").exists()


def test_an_awaited_title_is_the_title_even_when_it_starts_with_tarik(desk: Desk) -> None:
    """'Tarik tambang' answering "Kirim judul kegiatannya." is a title, not a withdrawal of
    the live "Lomba Tarik Tambang Antar RT"; a withdrawal is only ever done after Ya, tarik."""
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.l1", "Lomba Tarik Tambang Antar RT"))
    desk.reply(1)
    desk.tap("Terbitkan", "wamid.l2")
    live = re.search(r"kegiatan/([^/]+)/", desk.text_reply(2)).group(1)
    desk.send(photo(desk.wa.add_media(jpeg("navy")), "wamid.l3"))
    assert desk.text_reply(3) == "1 foto diterima. Kirim judul kegiatannya."
    desk.say("Tarik tambang", "wamid.l4")
    assert card_body(desk.reply(4)).startswith("Draf kegiatan dibuat: Tarik tambang\n")
    desk.say("tarik lomba tarik tambang", "wamid.l5")
    assert desk.reply(5)["interactive"]["body"]["text"].startswith(
        "Tarik kegiatan \u201cLomba Tarik Tambang Antar RT\u201d")
    desk.quiet(5)
    assert (desk.site / "sukamaju" / "kegiatan" / live / "index.html").is_file()
    assert "draf: ya" not in (desk.content / "sukamaju" / "kegiatan" / f"{live}.md").read_text()


def test_a_tap_on_an_old_card_never_acts_on_the_newer_draft(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.k1", "Rapat RT 01"))
    desk.reply(1)
    old_publish = desk.tap("Terbitkan", "wamid.k2")
    assert desk.text_reply(2).startswith("\u2705 Sudah tayang: ")
    old_cancel = button_id(desk.wa.sent[:1], "Batal")
    desk.send(photo(desk.wa.add_media(jpeg("navy")), "wamid.k3", "Posyandu Melati"))
    assert card_body(desk.reply(3)).startswith("Draf kegiatan dibuat: Posyandu Melati\n")
    before = snapshot(desk.content)
    for n, (old, title) in enumerate([(old_publish, "Terbitkan"), (old_cancel, "Batal")], 4):
        desk.press(old, title, f"wamid.k{n}")
        assert desk.text_reply(n) == (
            "Kartu ini sudah tidak berlaku: drafnya sudah diterbitkan, dibatalkan atau diganti. "
            "Draf yang terbuka sekarang: \u201cPosyandu Melati\u201d; pakai tombol di kartu "
            "terbarunya, atau ketik *terbitkan*, *ubah* atau *batal*.")
    assert snapshot(desk.content) == before and len(draft_files(desk)) == 1
    desk.tap("Terbitkan", "wamid.k6")  # the new card's own button still works
    assert "-posyandu-melati/" in desk.text_reply(6)


ASK_NEW = ("Draf \u201cRapat RT 01\u201d (1 foto) masih terbuka. Foto yang baru dikirim (1 foto, "
           "\u201cPosyandu Melati\u201d) untuk kegiatan baru, atau ditambahkan ke draf itu?\n\n"
           "*Kegiatan baru*: draf \u201cRapat RT 01\u201d diganti; foto lamanya dihapus.\n"
           "*Tambah ke draf*: foto baru masuk ke draf itu; keterangannya tidak dipakai.")


def test_a_caption_while_a_draft_is_open_asks_which_post(desk: Desk) -> None:
    """The newer caption is neither dropped nor published under the older draft's title."""
    desk.send(photo(desk.wa.add_media(jpeg("red")), "wamid.q1", "Rapat RT 01"))
    desk.reply(1)
    desk.send(photo(desk.wa.add_media(jpeg("blue")), "wamid.q2", "Posyandu Melati\nDi RW 02."))
    ask = desk.reply(2)["interactive"]
    assert ask["body"]["text"] == ASK_NEW
    assert [b["reply"]["title"] for b in ask["action"]["buttons"]] == ["Kegiatan baru",
                                                                       "Tambah ke draf"]
    before = snapshot(desk.content)
    desk.say("terbitkan", "wamid.q3")  # nothing is published before the answer
    assert desk.reply(3)["interactive"]["body"]["text"] == ASK_NEW
    assert snapshot(desk.content) == before
    desk.tap("Kegiatan baru", "wamid.q4")
    assert card_body(desk.reply(4)).startswith("Draf kegiatan dibuat: Posyandu Melati\n\n1 foto.")
    (only,) = draft_files(desk)
    with Image.open(io.BytesIO(only)) as image:
        assert image.getpixel((10, 10))[2] > 200  # the blue one
    desk.tap("Terbitkan", "wamid.q5")
    stem = re.search(r"kegiatan/([^/]+)/", desk.text_reply(5)).group(1)
    assert stem.endswith("-posyandu-melati")
    text = (desk.content / "sukamaju" / "kegiatan" / f"{stem}.md").read_text("utf-8")
    assert text.endswith("---\nDi RW 02.\n")


def test_a_caption_while_a_draft_is_open_may_add_to_it(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg("red")), "wamid.q1", "Rapat RT 01"))
    desk.reply(1)
    desk.send(photo(desk.wa.add_media(jpeg("blue")), "wamid.q2", "Posyandu Melati"))
    assert desk.reply(2)["interactive"]["body"]["text"] == ASK_NEW
    desk.tap("Tambah ke draf", "wamid.q3")
    assert card_body(desk.reply(3)).startswith("Draf kegiatan diperbarui: Rapat RT 01\n\n2 foto.")
    assert len(draft_files(desk)) == 2


def test_a_title_typed_right_after_the_photo_is_the_title(desk: Desk) -> None:
    """The photo is still being fetched when the title arrives (here in the same webhook): it
    is answered in order, after the photo, not by the resident menu."""
    desk.send(photo(desk.wa.add_media(jpeg(size=(3000, 2000))), "wamid.z1"),
              text("Senam Lansia RW 03", "wamid.z2", STAFF))
    assert desk.text_reply(1) == "1 foto diterima. Kirim judul kegiatannya."
    assert card_body(desk.reply(2)).startswith("Draf kegiatan dibuat: Senam Lansia RW 03\n")
    desk.quiet(2)


def test_the_answer_to_the_title_question_keeps_its_other_lines_as_text(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.j1"))
    assert desk.text_reply(1) == "1 foto diterima. Kirim judul kegiatannya."
    desk.say("Posyandu Balita Melati\nDihadiri 40 ibu dan balita.\nTerima kasih kader.",
             "wamid.j2")
    assert card_body(desk.reply(2)).startswith("Draf kegiatan dibuat: Posyandu Balita Melati\n")
    desk.tap("Terbitkan", "wamid.j3")
    stem = re.search(r"kegiatan/([^/]+)/", desk.text_reply(3)).group(1)
    text = (desk.content / "sukamaju" / "kegiatan" / f"{stem}.md").read_text("utf-8")
    assert "judul: \"Posyandu Balita Melati\"\n" in text
    assert "Dihadiri 40 ibu dan balita." in text and "Terima kasih kader." in text


def test_menu_leaves_the_title_question_and_batal_leaves_only_the_change(desk: Desk) -> None:
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.e1"))
    assert desk.text_reply(1) == "1 foto diterima. Kirim judul kegiatannya."
    desk.say("menu", "wamid.e2")  # the resident menu, not a post titled "menu"
    assert desk.reply(2)["interactive"]["type"] == "list"
    desk.say("judul: Senam Lansia", "wamid.e3")
    assert card_body(desk.reply(3)).startswith("Draf kegiatan dibuat: Senam Lansia\n")
    desk.tap("Ubah", "wamid.e4")
    desk.reply(4)
    desk.tap("Foto", "wamid.e5")
    assert desk.text_reply(5) == "Kirim foto baru; foto lama di draf akan diganti."
    desk.say("batal", "wamid.e6")
    assert desk.text_reply(6) == ("Perubahan dibatalkan; draf \u201cSenam Lansia\u201d tetap seperti "
                                  "semula. Pilih *Terbitkan*, *Ubah* atau *Batal* pada kartunya.")
    assert len(draft_files(desk)) == 1  # the draft and its photo stay
    desk.send(photo(desk.wa.add_media(jpeg("navy")), "wamid.e7"))  # now added, not replacing
    assert "\n\n2 foto." in card_body(desk.reply(7))


def test_whatsapp_text_is_published_as_it_looked_in_whatsapp(desk: Desk) -> None:
    """Line breaks kept, WhatsApp's *bold* and _italic_ as such, and no markup staff did not
    mean: a '#' line is no heading, <script> and a javascript: link are text."""
    caption = ("*Rapat* Koordinasi RW 02\nHadir: ketua RT\nsekretaris _dan_ bendahara\n"
               "# 3 keputusan\n<script>alert(1)</script> [klik](javascript:alert(1))")
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.x1", caption))
    assert card_body(desk.reply(1)).startswith("Draf kegiatan dibuat: *Rapat* Koordinasi RW 02\n")
    desk.tap("Terbitkan", "wamid.x2")
    stem = re.search(r"kegiatan/([^/]+)/", desk.text_reply(2)).group(1)
    assert stem.endswith("-rapat-koordinasi-rw-02")
    text = (desk.content / "sukamaju" / "kegiatan" / f"{stem}.md").read_text("utf-8")
    assert 'judul: "Rapat Koordinasi RW 02"\n' in text
    assert text.endswith(
        "---\nHadir: ketua RT  \nsekretaris *dan* bendahara  \n&#35; 3 keputusan  \n"
        "&lt;script&gt;alert(1)&lt;/script&gt; \\[klik\\](javascript:alert(1))\n")
    page = (desk.site / "sukamaju" / "kegiatan" / stem / "index.html").read_text("utf-8")
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert "sekretaris <em>dan</em> bendahara<br" in page


def test_a_one_line_caption_of_a_thousand_characters_is_not_the_title(desk: Desk) -> None:
    words = "Warga RT 05 membersihkan parit sepanjang tiga ratus meter bersama lurah dan kader"
    caption = " ".join([words] * 12)  # ~1000 characters, no sentence end, one line
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.y1", caption))
    body = card_body(desk.reply(1))
    title = body.split("\n", 1)[0].removeprefix("Draf kegiatan dibuat: ")
    assert title == ("Warga RT 05 membersihkan parit sepanjang tiga ratus meter bersama lurah "
                     "dan kader Warga\u2026")
    assert body.endswith("pilih *Terbitkan* untuk menayangkan di situs, *Ubah* untuk mengganti "
                         "judul, isi atau foto, atau *Batal*.")
    desk.tap("Terbitkan", "wamid.y2")
    stem = re.search(r"kegiatan/([^/]+)/", desk.text_reply(2)).group(1)
    text = (desk.content / "sukamaju" / "kegiatan" / f"{stem}.md").read_text("utf-8")
    assert text.endswith(f"---\n{caption}\n")  # the whole caption is the text


@pytest.mark.parametrize(("kind", "body"), [
    ("video", {"id": "1", "mime_type": "video/mp4"}),
    ("audio", {"id": "2", "mime_type": "audio/ogg; codecs=opus", "voice": True}),
    ("sticker", {"id": "3", "mime_type": "image/webp", "animated": False}),
])
def test_a_video_voice_note_or_sticker_from_staff_is_not_a_photo(desk: Desk, kind: str,
                                                                   body: dict) -> None:
    desk.send(message(kind, body, "wamid.v1", STAFF))
    assert desk.text_reply(1) == replies.WRONG_TYPE
    desk.quiet(1)


@pytest.mark.parametrize(("setup", "kind", "expected"), [
    (lambda wa: (wa.fail("meta", Fault(401, graph_error(190, "Invalid OAuth access token."))),
                 wa.add_media(jpeg()))[1], "image", replies.NO_ACCESS),
    (lambda wa: wa.add_media(jpeg(), file_size=11 * 1024 * 1024), "image",
     "Foto terlalu besar (11.0 MB; batas 10 MB). Kecilkan ukuran fotonya dulu (misalnya dengan "
     "mengedit atau memotongnya di ponsel), lalu kirim ulang."),
], ids=["token-expired", "too-big-photo"])
def test_what_staff_are_told_to_do_fits_the_failure(desk: Desk, setup, kind: str,
                                                    expected: str) -> None:
    desk.send(photo(setup(desk.wa), "wamid.m1", CAPTION, kind=kind))
    assert desk.text_reply(1) == expected
    assert replies.NO_ACCESS == ("Bot tidak diizinkan mengambil foto dari WhatsApp: token akses "
                                 "WhatsApp sudah tidak berlaku. Hubungi Diskominfo untuk "
                                 "memperbaruinya, lalu kirim ulang fotonya.")


def test_typed_commands_in_other_words_and_without_a_draft(desk: Desk) -> None:
    desk.say("terbitkan", "wamid.w1")  # no draft: said so, not the resident menu
    assert desk.text_reply(1) == ("Tidak ada draf yang terbuka. Kirim foto kegiatan dengan "
                                  "keterangan (baris pertama = judul).")
    desk.say("Batal", "wamid.w2")
    assert desk.text_reply(2).startswith("Tidak ada draf yang terbuka.")
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.w3", "Rapat RT 01"))
    desk.reply(3)
    desk.say("batalkan", "wamid.w4")
    assert desk.text_reply(4) == "Draf \u201cRapat RT 01\u201d dibatalkan; fotonya sudah dihapus."
    desk.send(photo(desk.wa.add_media(jpeg()), "wamid.w5", "Rapat RT 02"))
    desk.reply(5)
    desk.say("Terbitkan ya", "wamid.w6")
    assert desk.text_reply(6).startswith("\u2705 Sudah tayang: ")


def test_a_slow_photo_in_one_kelurahan_does_not_hold_another(template: Path,
                                                              tmp_path: Path) -> None:
    """Each kelurahan has its own desk worker: Sukamaju's photo still downloading does not
    keep Tanjung's staff member from their draft card."""
    content, site, state = copy_city(template, tmp_path)
    shutil.copytree(template / "state" / "cache", state / "cache")
    desk = start_desk(content, site, state, media_timeout=20.0)
    held = threading.Event()
    desk.wa.fail("download", Fault(200, "", hold=held))
    try:
        desk.send(photo(desk.wa.add_media(jpeg()), "wamid.s1", CAPTION))
        desk.send(photo(desk.wa.add_media(jpeg()), "wamid.o1", CAPTION, sender=OTHER_STAFF),
                  phone_id=OTHER_PHONE_ID)
        first = desk.reply(1)
        assert first["to"] == OTHER_STAFF
        assert card_body(first).startswith("Draf kegiatan dibuat: Kerja Bakti RT 05")
        held.set()
        assert desk.reply(2)["to"] == STAFF
    finally:
        held.set()
        stop_desk(desk)
