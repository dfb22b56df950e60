"""The draft store: one open draft per staff member and number, ≤ 10 photos, gone after 24 h."""

from __future__ import annotations

from pathlib import Path

from publish.bot.drafts import EXPIRE_SECONDS, MAX_PHOTOS, DraftStore


def test_expiry_deletes_draft_and_photos(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "bot.sqlite3", tmp_path / "draf")
    draft = store.create("100", "62812", "sukamaju", now=1000.0)
    draft = store.add_photo(draft, b"\xff\xd8foto", now=1000.0)
    assert draft.photos[0].read_bytes() == b"\xff\xd8foto"
    assert store.open("100", "62812", now=1000.0 + EXPIRE_SECONDS - 1) == draft
    assert store.open("100", "62813", now=1000.0) is None  # another staff member
    assert store.open("101", "62812", now=1000.0) is None  # another kelurahan number
    assert store.expire(now=1000.0 + EXPIRE_SECONDS + 1) == 1
    assert store.open("100", "62812", now=1000.0 + EXPIRE_SECONDS + 1) is None
    assert not draft.folder.exists()


def test_open_drops_an_expired_draft_and_at_most_ten_photos(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "bot.sqlite3", tmp_path / "draf")
    draft = store.create("100", "62812", "sukamaju", now=0.0)
    for _ in range(MAX_PHOTOS):
        draft = store.add_photo(draft, b"x", now=0.0)
    assert store.add_photo(draft, b"x", now=0.0) is None
    assert len(list(draft.folder.iterdir())) == MAX_PHOTOS
    assert store.open("100", "62812", now=EXPIRE_SECONDS + 1.0) is None
    assert not draft.folder.exists()
