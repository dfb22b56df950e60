"""The draft store on SQLite and PostgreSQL: one open draft per staff member and number, ≤ 10
photos kept as rows (never files), gone after 24 h; and the upgrade of an install that kept
its photos in `<state>/draf/`."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from kelurahan.database import open_database
from publish.bot.drafts import EXPIRE_SECONDS, MAX_PHOTOS, PUBLISH_LEASE, DraftStore
from publish.bot.media import MAX_BYTES
from tests.publish.bot.desk_support import OLD_DRAFTS


@pytest.fixture(params=["sqlite", "postgresql"])
def config(request, tmp_path: Path) -> dict[str, str]:
    if request.param == "sqlite":
        return {}
    return {"KELURAHAN_DATABASE_URL": request.getfixturevalue("fresh_postgres")}


def photo_rows(config: dict[str, str], state: Path) -> list[tuple[str, int, bytes]]:
    db = open_database(config, state, "bot.sqlite3")
    try:
        return [(r["draft_id"], r["number"], bytes(r["jpeg"])) for r in db.rows(
            "SELECT draft_id, number, jpeg FROM draft_photos ORDER BY draft_id, number")]
    finally:
        db.close()


def test_expiry_deletes_draft_and_photos(config, tmp_path: Path) -> None:
    store = DraftStore.open(config, tmp_path)
    draft = store.create("100", "62812", "sukamaju", now=1000.0)
    draft = store.add_photo(draft, b"\xff\xd8foto", now=1000.0)
    assert store.photos(draft) == [b"\xff\xd8foto"]
    assert store.current("100", "62812", now=1000.0 + EXPIRE_SECONDS - 1) == draft
    assert store.current("100", "62813", now=1000.0) is None  # another staff member
    assert store.current("101", "62812", now=1000.0) is None  # another kelurahan number
    assert store.expire(now=1000.0 + EXPIRE_SECONDS + 1) == 1
    assert store.current("100", "62812", now=1000.0 + EXPIRE_SECONDS + 1) is None
    assert photo_rows(config, tmp_path) == []
    assert not (tmp_path / "draf").exists()
    store.close()


def test_open_drops_an_expired_draft_and_at_most_ten_photos(config, tmp_path: Path) -> None:
    store = DraftStore.open(config, tmp_path)
    draft = store.create("100", "62812", "sukamaju", now=0.0)
    for n in range(MAX_PHOTOS):
        draft = store.add_photo(draft, bytes([n]), now=0.0)
    assert store.add_photo(draft, b"x", now=0.0) is None
    assert [number for _, number, _ in photo_rows(config, tmp_path)] == list(range(1, 11))
    with store.photo_files(draft) as files:
        assert [p.read_bytes() for p in files] == [bytes([n]) for n in range(MAX_PHOTOS)]
        folder = files[0].parent
    assert not folder.exists()  # the temporary copy is gone with the block
    assert store.current("100", "62812", now=EXPIRE_SECONDS + 1.0) is None
    assert photo_rows(config, tmp_path) == []
    store.close()


def test_a_photo_over_the_size_limit_is_refused(config, tmp_path: Path) -> None:
    store = DraftStore.open(config, tmp_path)
    draft = store.create("100", "62812", "sukamaju", now=0.0)
    assert store.add_photo(draft, b"x" * (MAX_BYTES + 1), now=0.0) is None
    assert store.photos(draft) == [] and store.current("100", "62812", 0.0).photo_count == 0
    store.close()


def test_two_replicas_share_one_draft_and_number_photos_without_gaps(config, tmp_path) -> None:
    """A staff member's album spread over two stores (two replicas on PostgreSQL, two
    processes' connections on one SQLite file): one draft, photos 1…10, none lost."""
    shared = bool(config)
    stores = [DraftStore.open(config, tmp_path / f"mesin-{n}" if shared else tmp_path)
              for n in range(2)]
    added: list[int] = []
    failed: list[BaseException] = []

    def send(store: DraftStore, colour: int) -> None:
        try:
            draft = store.current("100", "62812", 0.0) or store.create("100", "62812",
                                                                        "sukamaju", 0.0)
            if store.add_photo(draft, bytes([colour]), now=0.0) is not None:
                added.append(colour)
        except BaseException as exc:  # reported by the assertion below
            failed.append(exc)

    threads = [threading.Thread(target=send, args=(stores[n % 2], n)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    draft = stores[1].current("100", "62812", 0.0)
    assert draft is not None and draft.photo_count == MAX_PHOTOS == len(added)
    assert sorted(stores[0].photos(draft)) == sorted(bytes([c]) for c in added)
    assert stores[0].claim(draft, now=5.0, stem="2026-11-16-a") == "2026-11-16-a"
    assert stores[1].claim(draft, now=6.0, stem="2026-11-16-a-2") is None  # the second waits
    # the first replica died: the next press finishes the post the first one named
    assert stores[1].claim(draft, now=5.0 + PUBLISH_LEASE + 1, stem="2026-11-16-a-2") == (
        "2026-11-16-a")
    stores[1].release(draft)  # refused by `check`: nothing written, the name is free again
    assert stores[0].claim(draft, now=7.0, stem="2026-11-16-b") == "2026-11-16-b"
    assert stores[0].first_time("wamid.1", 0.0) and not stores[1].first_time("wamid.1", 0.0)
    stores[1].delete(draft)
    assert stores[0].current("100", "62812", 0.0) is None
    assert photo_rows(config, tmp_path / "mesin-0" if shared else tmp_path) == []
    for store in stores:
        store.close()


def test_an_old_install_keeps_its_open_drafts_and_photos(tmp_path: Path) -> None:
    """bot.sqlite3 with the old drafts table, photos in draf/<id>/: moved into the database."""
    old = sqlite3.connect(tmp_path / "bot.sqlite3")
    old.executescript(OLD_DRAFTS)
    old.execute("INSERT INTO drafts VALUES ('d1', '100', '62812', 'sukamaju', 'Kerja Bakti', "
                "'Isi.', NULL, 2, 1, 1000.0)")
    old.commit()
    old.close()
    for name, data in (("1.jpg", b"\xff\xd8satu"), ("2.jpg", b"\xff\xd8dua"),
                       (".3.jpg.tmp", b"setengah")):
        (tmp_path / "draf" / "d1").mkdir(parents=True, exist_ok=True)
        (tmp_path / "draf" / "d1" / name).write_bytes(data)
    (tmp_path / "draf" / "kedaluwarsa").mkdir()  # a draft already gone: its photo goes too
    (tmp_path / "draf" / "kedaluwarsa" / "1.jpg").write_bytes(b"\xff\xd8lama")

    store = DraftStore.open({}, tmp_path)
    draft = store.current("100", "62812", now=2000.0)
    assert draft is not None
    assert (draft.title, draft.body, draft.photo_count, draft.shown) == (
        "Kerja Bakti", "Isi.", 2, True)
    assert store.photos(draft) == [b"\xff\xd8satu", b"\xff\xd8dua"]
    assert not (tmp_path / "draf").exists()
    store.close()
    again = DraftStore.open({}, tmp_path)  # a second start changes nothing
    assert again.photos(draft) == [b"\xff\xd8satu", b"\xff\xd8dua"]
    db = open_database({}, tmp_path, "bot.sqlite3")
    assert db.row("SELECT version FROM schema_versions WHERE store = 'drafts'") == {"version": 4}
    db.close()
    again.close()


def test_split_moves_the_photos_of_a_newer_caption_into_a_new_draft(config, tmp_path: Path) -> None:
    store = DraftStore.open(config, tmp_path)
    old = store.create("100", "62812", "sukamaju", now=0.0)
    for n in range(3):
        old = store.add_photo(old, bytes([n]), now=0.0)
    old = store.set_pending(old, "Posyandu", 2, now=1.0)
    assert store.current("100", "62812", now=1.0) == old
    new = store.split(old, "Posyandu", "Isi.", now=2.0)
    assert new is not None and new.id != old.id
    assert (new.title, new.body, new.photo_count, new.pending, new.shown) == (
        "Posyandu", "Isi.", 2, None, False)
    assert store.photos(new) == [bytes([1]), bytes([2])]
    assert [(d, n) for d, n, _ in photo_rows(config, tmp_path)] == [(new.id, 1), (new.id, 2)]
    assert store.split(old, "Posyandu", "", now=3.0) is None  # pressed twice: gone
    store.close()
