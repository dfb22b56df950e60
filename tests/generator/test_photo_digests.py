"""Photo hashes remembered by (path, size, mtime): unchanged photos are not read again."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from generator.site.photo_digests import MEMO_DIR, PhotoDigests


def _photo(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def test_a_remembered_photo_is_not_read_again(tmp_path: Path):
    media, cache = tmp_path / "media", tmp_path / "cache"
    photo = _photo(media, "a.jpg", b"jpeg bytes")
    first = PhotoDigests(cache)
    assert first.of(photo) == hashlib.sha256(b"jpeg bytes").hexdigest()
    first.save()
    memos = list((cache / MEMO_DIR).iterdir())
    assert len(memos) == 1  # one file for the folder, not one per photo
    stamp = photo.stat()
    photo.write_bytes(b"JPEG BYTES")  # same size, mtime put back: only a read would notice
    os.utime(photo, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert PhotoDigests(cache).of(photo) == hashlib.sha256(b"jpeg bytes").hexdigest()


def test_a_changed_photo_is_hashed_again(tmp_path: Path):
    media, cache = tmp_path / "media", tmp_path / "cache"
    photo = _photo(media, "a.jpg", b"old")
    digests = PhotoDigests(cache)
    digests.of(photo)
    digests.save()
    photo.write_bytes(b"new photo")
    os.utime(photo, ns=(1, 1))
    assert PhotoDigests(cache).of(photo) == hashlib.sha256(b"new photo").hexdigest()


def test_a_broken_memo_costs_only_a_reread_and_deleted_photos_are_forgotten(tmp_path: Path):
    media, cache = tmp_path / "media", tmp_path / "cache"
    kept, gone = _photo(media, "a.jpg", b"a"), _photo(media, "b.jpg", b"b")
    digests = PhotoDigests(cache)
    digests.of(kept), digests.of(gone)
    digests.save()
    memo = next((cache / MEMO_DIR).iterdir())
    memo.write_text('{"a.jpg": "not a list"', "utf-8")
    gone.unlink()
    again = PhotoDigests(cache)
    assert again.of(kept) == hashlib.sha256(b"a").hexdigest()
    again.save()
    assert set(json.loads(memo.read_text("utf-8"))) == {"a.jpg"}


def test_an_unreadable_photo_raises_and_writes_nothing(tmp_path: Path):
    cache = tmp_path / "cache"
    digests = PhotoDigests(cache)
    try:
        digests.of(tmp_path / "media" / "hilang.jpg")
    except OSError:
        pass
    else:
        raise AssertionError("a missing photo must raise")
    digests.save()
    assert not (cache / MEMO_DIR).exists()
