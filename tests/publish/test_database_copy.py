"""Switching an install from SQLite to PostgreSQL: `kelurahan database copy --from STATE`.

The ledger, the bot's memory and the WhatsApp drafts with their photos go across, each store in
one transaction; nothing is written when the target already holds rows. Until the copy is done,
`kelurahan publish` and `kelurahan bot` refuse an empty PostgreSQL while the state folder's
SQLite still has rows: an empty ledger would post again what was already posted.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kelurahan.cli import main
from kelurahan.database import count_rows, open_database
from publish.bot import drafts as draft_store
from publish.bot import store as bot_store
from publish.bot.drafts import DraftStore
from publish.bot.outbox import Outgoing
from publish.bot.store import BotStore
from publish.social import ledger
from publish.social.ledger import read_rows
from tests.publish.bot.desk_support import OLD_DRAFTS
from tests.publish.bot.support import make_site
from tests.publish.publish_support import DUE, LATER, World, at
from tests.publish.publish_support import world as world  # the fixture

STORES = (ledger.TABLES, bot_store.TABLES, draft_store.TABLES)


def held(url: str, tmp_path: Path) -> dict[str, int]:
    """Rows per table of every store in the PostgreSQL database (absent tables count 0)."""
    db = open_database({"KELURAHAN_DATABASE_URL": url}, tmp_path, "")
    try:
        return {name: n for tables in STORES for name, n in count_rows(db, tables).items()}
    finally:
        db.close()


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


def old_bot_state(state: Path) -> tuple[str, list[bytes]]:
    """An install's bot.sqlite3: answered ids, one queued reply, a draft with two photos."""
    store = BotStore.open({}, state)
    store.answer("wamid.lama-1", 1000.0, [Outgoing("100", "62811", {"type": "text"}, "r1")])
    store.answer("wamid.lama-2", 1001.0, [])
    store.close()
    drafts = DraftStore.open({}, state)
    draft = drafts.create("100", "62812", "sukamaju", now=2000.0)
    photos = [b"\xff\xd8satu", b"\xff\xd8dua"]
    for jpeg in photos:
        draft = drafts.add_photo(draft, jpeg, now=2000.0) or draft
    drafts.save(draft.__class__(**{**draft.__dict__, "title": "Posyandu"}), now=2001.0)
    drafts.close()
    return draft.id, photos


def test_after_the_copy_publish_posts_nothing_twice(world: World, fresh_postgres: str,
                                                    monkeypatch, capsys, tmp_path) -> None:
    assert world.run(now=DUE)[0] == 0  # on SQLite: three cards out
    posted = (len(world.graph.page_posts), len(world.graph.ig_media), len(world.tiktok.posts))
    assert posted == (1, 1, 1)
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)

    code, out = world.run(now=LATER)
    assert code == 1
    assert out.strip() == (
        f"Gagal: KELURAHAN_DATABASE_URL menunjuk PostgreSQL, tetapi {world.state}/publish.sqlite3 "
        "masih berisi 3 baris buku catatan publikasi yang belum disalin ke sana. Salin dulu "
        f"isinya: kelurahan database copy --from {world.state} (tanpa itu posting yang sudah "
        "terkirim bisa terkirim lagi dan draf WhatsApp hilang).")
    assert held(fresh_postgres, tmp_path) == dict.fromkeys(
        ["attempts", "seen", "handoff", "outbox", "drafts", "draft_photos", "desk_seen"], 0)

    code, out = cli(["database", "copy", "--from", str(world.state)], capsys)
    assert (code, out.splitlines()) == (0, [
        "buku catatan publikasi: 3 baris disalin dari publish.sqlite3 (attempts 3).",
        f"Selesai. Berkas SQLite di {world.state} kini bernama *.sqlite3.disalin; simpan "
        "sebagai cadangan."])
    assert sorted(p.name for p in world.state.glob("publish.sqlite3*")) == [
        "publish.sqlite3.disalin"]
    for moment in (LATER, at(DUE, days=3)):  # inside the 7-day look-back: would post again
        assert world.run(now=moment)[0] == 0
    assert (len(world.graph.page_posts), len(world.graph.ig_media),
            len(world.tiktok.posts)) == posted
    assert sorted((r.channel, r.state.value, r.attempts) for r in read_rows(
        tmp_path / "lain", fresh_postgres)) == [
        ("facebook", "published", 1), ("instagram", "published", 1), ("tiktok", "published", 1)]

    code, out = cli(["database", "copy", "--from", str(world.state)], capsys)  # again: nothing
    assert (code, out.strip()) == (1, (
        f"Gagal: {world.state}: publish.sqlite3 maupun bot.sqlite3 sudah disalin (kini "
        "publish.sqlite3.disalin); tidak ada yang disalin lagi"))
    assert held(fresh_postgres, tmp_path)["attempts"] == 3


def test_bot_memory_and_drafts_with_photos_go_across(fresh_postgres: str, tmp_path: Path,
                                                     monkeypatch, capsys) -> None:
    state = tmp_path / "state"
    draft_id, photos = old_bot_state(state)
    config = {"KELURAHAN_DATABASE_URL": fresh_postgres}
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)

    code, out = cli(["database", "copy", "--from", str(state)], capsys)
    assert (code, out.splitlines()) == (0, [
        "memori bot: 3 baris disalin dari bot.sqlite3 (seen 2, handoff 0, outbox 1).",
        "draf WhatsApp: 3 baris disalin dari bot.sqlite3 (drafts 1, draft_photos 2, "
        "desk_seen 0).",
        f"Selesai. Berkas SQLite di {state} kini bernama *.sqlite3.disalin; simpan sebagai "
        "cadangan."])

    drafts = DraftStore.open(config, tmp_path / "mesin-baru")
    draft = drafts.current("100", "62812", now=2100.0)
    assert draft is not None and (draft.id, draft.title, draft.photo_count) == (
        draft_id, "Posyandu", 2)
    assert drafts.photos(draft) == photos
    drafts.close()
    store = BotStore.open(config, tmp_path / "mesin-baru")
    assert store.seen("wamid.lama-1") and store.seen("wamid.lama-2")
    assert store.answer("wamid.lama-1", 3000.0, []) is None  # a re-delivery is not answered
    pending = store.pending()  # the old process is gone: its queued reply is adopted
    assert [(q.id, q.item.recipient) for q in pending] == [(1, "62811")]
    new = store.add([Outgoing("100", "62813", {"type": "text"}, "r2")], 3000.0)
    assert new[0].id == 2  # the id sequence continues after the copied rows
    store.close()


def test_the_bot_refuses_an_empty_postgresql_while_its_sqlite_has_drafts(
        fresh_postgres: str, tmp_path: Path, monkeypatch, capsys) -> None:
    state = tmp_path / "state"
    old_bot_state(state)
    for name in ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET", "WHATSAPP_ACCESS_TOKEN"):
        monkeypatch.setenv(name, "x")
    monkeypatch.setenv("KELURAHAN_SECRETS_FILE", str(tmp_path / "tidak-ada.env"))
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(state))
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)
    code, out = cli(["bot", "--site", str(make_site(tmp_path)), "--port", "0"], capsys)
    assert (code, out.strip()) == (1, (
        f"Gagal: KELURAHAN_DATABASE_URL menunjuk PostgreSQL, tetapi {state}/bot.sqlite3 masih "
        "berisi 3 baris memori bot yang belum disalin ke sana. Salin dulu isinya: kelurahan "
        f"database copy --from {state} (tanpa itu posting yang sudah terkirim bisa terkirim "
        "lagi dan draf WhatsApp hilang)."))
    assert not any(held(fresh_postgres, tmp_path).values())


def test_a_target_with_rows_refuses_the_whole_copy(world: World, fresh_postgres: str,
                                                   monkeypatch, capsys, tmp_path) -> None:
    assert world.run(now=DUE)[0] == 0
    old_bot_state(world.state)
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)
    monkeypatch.setenv("KELURAHAN_STATE_DIR", str(tmp_path / "mesin-baru"))
    assert world.run(now=LATER)[0] == 0  # a new machine on PostgreSQL alone: posts again
    assert len(world.graph.page_posts) == 2  # the hazard the start-up refusal prevents
    before = held(fresh_postgres, tmp_path)
    assert before["attempts"] == 3 and before["drafts"] == 0

    code, out = cli(["database", "copy", "--from", str(world.state)], capsys)
    url = fresh_postgres.replace("postgres@", "postgres:***@")
    assert (code, out.strip()) == (1, (
        f"Gagal: {url} sudah berisi buku catatan publikasi (3 baris di attempts); tidak ada "
        "yang disalin. Penyalinan hanya ke database yang belum berisi data itu, agar tidak ada "
        "yang tercampur atau tertimpa."))
    assert held(fresh_postgres, tmp_path) == before  # the bot's tables were not copied either


@pytest.mark.parametrize(("setup", "message"), [
    ("no-url", "Gagal: KELURAHAN_DATABASE_URL belum diisi: isi dengan alamat PostgreSQL tujuan "
               "(postgresql://…), lalu jalankan lagi"),
    ("no-folder", "Gagal: {state}: folder status tidak ada"),
    ("empty-folder", "Gagal: {state}: tidak ada publish.sqlite3 maupun bot.sqlite3; tidak ada "
                     "yang disalin"),
])
def test_refusals_name_the_problem_and_write_nothing(setup: str, message: str,
                                                     fresh_postgres: str, tmp_path: Path,
                                                     monkeypatch, capsys) -> None:
    state = tmp_path / "state"
    if setup == "empty-folder":
        state.mkdir()
    if setup != "no-url":
        monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)
    else:
        monkeypatch.delenv("KELURAHAN_DATABASE_URL", raising=False)
    code, out = cli(["database", "copy", "--from", str(state)], capsys)
    assert (code, out.strip()) == (1, message.format(state=state))
    assert not any(held(fresh_postgres, tmp_path).values())
    assert not (state / "publish.sqlite3").exists() and not (state / "bot.sqlite3").exists()


def test_a_store_that_fails_half_way_is_not_copied_and_a_rerun_finishes(
        world: World, fresh_postgres: str, monkeypatch, capsys, tmp_path) -> None:
    """PostgreSQL refuses a NUL in text that SQLite kept: the bot's rows are rolled back, the
    ledger (its own transaction, before) stays and its file is set aside; after the bad row is
    removed a rerun copies the rest."""
    assert world.run(now=DUE)[0] == 0
    old_bot_state(world.state)
    store = BotStore.open({}, world.state)
    store.answer("wamid.\x00rusak", 1002.0, [])
    store.close()
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)

    code, out = cli(["database", "copy", "--from", str(world.state)], capsys)
    assert (code, out.splitlines()) == (1, [
        "buku catatan publikasi: 3 baris disalin dari publish.sqlite3 (attempts 3).",
        f"Gagal: memori bot tidak dapat disalin dari {world.state}/bot.sqlite3 (PostgreSQL "
        "text fields cannot contain NUL (0x00) bytes); tidak ada baris memori bot yang "
        "tertulis. Perbaiki lalu jalankan lagi: bagian yang sudah selesai dilewati."])
    assert {k: v for k, v in held(fresh_postgres, tmp_path).items() if v} == {"attempts": 3}
    # the ledger's file is set aside at once; the bot's stays until its stores are copied
    assert (world.state / "publish.sqlite3.disalin").is_file()
    assert (world.state / "bot.sqlite3").is_file()

    fixed = open_database({}, world.state, "bot.sqlite3")
    fixed.execute("DELETE FROM seen WHERE message_id = ?", ("wamid.\x00rusak",))
    fixed.close()
    code, out = cli(["database", "copy", "--from", str(world.state)], capsys)
    assert code == 0
    assert out.splitlines()[0:2] == [
        "memori bot: 3 baris disalin dari bot.sqlite3 (seen 2, handoff 0, outbox 1).",
        "draf WhatsApp: 3 baris disalin dari bot.sqlite3 (drafts 1, draft_photos 2, "
        "desk_seen 0)."]


def test_an_old_install_s_draft_photos_in_draf_go_across(fresh_postgres: str, tmp_path: Path,
                                                           monkeypatch, capsys) -> None:
    """bot.sqlite3 from before the photos moved into the database, photos in draf/<id>/."""
    state = tmp_path / "state"
    state.mkdir()
    old = sqlite3.connect(state / "bot.sqlite3")
    old.executescript(OLD_DRAFTS)
    old.execute("INSERT INTO drafts VALUES ('d1', '100', '62812', 'sukamaju', 'Kerja Bakti', "
                "'Isi.', NULL, 1, 1, 1000.0)")
    old.commit()
    old.close()
    (state / "draf" / "d1").mkdir(parents=True)
    (state / "draf" / "d1" / "1.jpg").write_bytes(b"\xff\xd8lama")
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)
    code, out = cli(["database", "copy", "--from", str(state)], capsys)
    assert (code, out.splitlines()[:2]) == (0, [
        "memori bot: 0 baris disalin dari bot.sqlite3 (seen 0, handoff 0, outbox 0).",
        "draf WhatsApp: 2 baris disalin dari bot.sqlite3 (drafts 1, draft_photos 1, "
        "desk_seen 0)."])
    assert not (state / "draf").exists()  # as the bot's own upgrade does
    drafts = DraftStore.open({"KELURAHAN_DATABASE_URL": fresh_postgres}, tmp_path / "baru")
    draft = drafts.current("100", "62812", now=1100.0)
    assert draft is not None and drafts.photos(draft) == [b"\xff\xd8lama"]
    drafts.close()


def test_a_second_machine_s_uncopied_ledger_is_refused_beside_another_s_copy(
        world: World, fresh_postgres: str, monkeypatch, capsys, tmp_path) -> None:
    """Two servers moving into one PostgreSQL: the first one's copy must not let the second
    start without its own rows (it would post its recent cards again)."""
    assert world.run(now=DUE)[0] == 0  # this machine posted on SQLite
    first = tmp_path / "server-1"
    first.mkdir()
    ledger.open_ledger(first, None).close()  # another server's ledger, copied first
    db = open_database({}, first, "publish.sqlite3")
    db.execute("INSERT INTO attempts (kelurahan, post, channel, state, attempts, publish_at) "
               "VALUES ('lain', '2026-11-01-x', 'facebook', 'published', 1, '2026-11-01')")
    db.close()
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)
    assert cli(["database", "copy", "--from", str(first)], capsys)[0] == 0

    code, out = world.run(now=LATER)
    assert code == 1 and "masih berisi 3 baris buku catatan publikasi yang belum disalin" in out
    assert len(world.graph.page_posts) == 1  # nothing posted twice


def test_a_second_copy_never_overwrites_the_first_backup(world: World, fresh_postgres: str,
                                                          monkeypatch, capsys) -> None:
    """A manual `kelurahan publish` run without the environment file (no URL) makes a new
    publish.sqlite3 after the move; copying again used to rename it over the first backup."""
    assert world.run(now=DUE)[0] == 0
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)
    assert cli(["database", "copy", "--from", str(world.state)], capsys)[0] == 0
    backup = world.state / "publish.sqlite3.disalin"
    first = backup.read_bytes()

    monkeypatch.delenv("KELURAHAN_DATABASE_URL")
    assert world.run(now=LATER)[0] == 0  # the stray run: a new, empty-ledger SQLite file
    assert (world.state / "publish.sqlite3").is_file()
    monkeypatch.setenv("KELURAHAN_DATABASE_URL", fresh_postgres)
    code, out = cli(["database", "copy", "--from", str(world.state)], capsys)

    assert code == 0 and out.splitlines()[0].endswith("dilewati.")
    assert backup.read_bytes() == first
    assert sorted(p.name for p in world.state.glob("publish.sqlite3*")) == [
        "publish.sqlite3.disalin", "publish.sqlite3.disalin.2"]
