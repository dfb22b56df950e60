"""Writing a post into content/ from outside the terminal: all or nothing, after check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from kelurahan import check
from kelurahan.posting import Author, NewPost, publish_post, withdraw_post
from tests.conftest import make_photo, snapshot

WITA = ZoneInfo("Asia/Makassar")
SITI = Author("Siti Rahma", "+6281255550101")


def test_before_jam_terbit_the_post_is_scheduled_for_now(content: Path, tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "draf" / "1.jpg")
    now = dt.datetime(2026, 12, 2, 7, 45, tzinfo=WITA)
    written = publish_post(content, "sukamaju", NewPost("Senam Pagi: Lansia #Sehat", "Isi.",
                                                        (photo,)),
                           now=now, publish_time=dt.time(9), author=SITI)
    assert written.ok and written.stem == "2026-12-02-senam-pagi-lansia-sehat"
    assert not written.committed  # content/ is not a git work tree
    text = (content / "sukamaju" / "kegiatan" / f"{written.stem}.md").read_text("utf-8")
    assert text == ('---\njudul: "Senam Pagi: Lansia #Sehat"\ntanggal: 2026-12-02\n'
                    f"foto: [media/{written.stem}-1.jpg]\njadwal: 2026-12-02T07:45\n"
                    "draf: tidak\n---\nIsi.\n")
    post = check(content).city.get("sukamaju").posts[-1]
    assert post.is_published(now) and post.title == "Senam Pagi: Lansia #Sehat"


def test_same_title_same_day_gets_a_new_stem(content: Path) -> None:
    now = dt.datetime(2026, 12, 2, 10, 0, tzinfo=WITA)
    first = publish_post(content, "sukamaju", NewPost("Rapat RT"), now=now,
                         publish_time=dt.time(9), author=SITI)
    second = publish_post(content, "sukamaju", NewPost("Rapat RT"), now=now,
                          publish_time=dt.time(9), author=SITI)
    assert (first.stem, second.stem) == ("2026-12-02-rapat-rt", "2026-12-02-rapat-rt-2")
    assert "jadwal" not in (content / "sukamaju" / "kegiatan" / "2026-12-02-rapat-rt.md"
                            ).read_text("utf-8")


def test_nik_is_refused_before_anything_is_written(content: Path) -> None:
    before = snapshot(content)
    written = publish_post(content, "sukamaju", NewPost("Bantuan", "NIK 6471052305870001"),
                           now=dt.datetime(2026, 12, 2, 10, tzinfo=WITA),
                           publish_time=dt.time(9), author=SITI)
    assert not written.ok
    assert [str(p) for p in written.problems] == [
        "sukamaju/kegiatan: data pribadi: memuat 16 digit seperti NIK/KK (6471••••••••0001); "
        "hapus data pribadi warga (UU PDP No. 27/2022)"]
    assert snapshot(content) == before and not list(content.rglob(".terbit-*"))


def test_withdraw_adds_or_replaces_draf(content: Path) -> None:
    post = check(content).city.get("sukamaju").posts[0]
    withdraw_post(content, post, SITI)
    text = post.source.read_text("utf-8")
    assert text.count("draf:") == 1 and "ringkasan: Warga RT 03 membersihkan sungai.\ndraf: ya\n---" in text
    assert check(content).city.get("sukamaju").posts[0].draft
    withdraw_post(content, post, SITI)
    assert post.source.read_text("utf-8") == text


def test_a_named_post_already_written_is_not_written_again(content: Path, tmp_path: Path) -> None:
    """A retry of the same post (its name recorded before the first try wrote it)."""
    photo = make_photo(tmp_path / "draf" / "1.jpg")
    post = NewPost("Rapat RT", "Isi.", (photo,))
    at = dt.datetime(2026, 12, 2, 10, 0, tzinfo=WITA)
    first = publish_post(content, "sukamaju", post, now=at, publish_time=dt.time(9), author=SITI,
                         stem="2026-12-02-rapat-rt")
    before = snapshot(content)
    again = publish_post(content, "sukamaju", post, now=at.replace(hour=7), author=SITI,
                         publish_time=dt.time(9), stem=first.stem)  # its jadwal would differ
    assert (first.stem, again.stem) == ("2026-12-02-rapat-rt", "2026-12-02-rapat-rt")
    assert snapshot(content) == before
    other = publish_post(content, "sukamaju", NewPost("Rapat RT", "Isi lain.", (photo,)), now=at,
                         publish_time=dt.time(9), author=SITI, stem=first.stem)
    assert other.stem == "2026-12-02-rapat-rt-2"  # another post under that name: not finished


def test_photos_an_interrupted_try_left_are_replaced_under_its_name(content: Path,
                                                                     tmp_path: Path) -> None:
    media = content / "sukamaju" / "media"
    (media / "2026-12-02-rapat-rt-1.jpg").write_bytes(b"setengah")  # killed before the post
    photo = make_photo(tmp_path / "draf" / "1.jpg")
    at = dt.datetime(2026, 12, 2, 10, 0, tzinfo=WITA)
    written = publish_post(content, "sukamaju", NewPost("Rapat RT", "", (photo,)), now=at,
                           publish_time=dt.time(9), author=SITI, stem="2026-12-02-rapat-rt")
    assert written.stem == "2026-12-02-rapat-rt"
    assert (media / "2026-12-02-rapat-rt-1.jpg").read_bytes() == photo.read_bytes()
    renamed = publish_post(content, "sukamaju", NewPost("Posyandu"), now=at,
                           publish_time=dt.time(9), author=SITI, stem="2026-12-01-rapat-rt")
    assert renamed.stem == "2026-12-02-posyandu"  # a name from another title or day is not used


def test_a_git_lock_a_killed_git_left_hours_ago_does_not_stop_commits(content: Path, caplog) -> None:
    import os
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=content, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"], cwd=content, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "awal"],
                   cwd=content, check=True)
    lock = content / ".git" / "index.lock"
    lock.write_text("")
    old = lock.stat().st_mtime - 3600
    os.utime(lock, (old, old))
    at = dt.datetime(2026, 12, 2, 10, 0, tzinfo=WITA)
    written = publish_post(content, "sukamaju", NewPost("Rapat RT", "Isi."), now=at,
                           publish_time=dt.time(9), author=SITI)
    assert written.committed and not lock.exists()
    assert f"{lock} tertinggal dari git yang terhenti; dihapus" in caplog.text
    log = subprocess.run(["git", "log", "-1", "--format=%an|%s"], cwd=content, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert log == "Siti Rahma|Terbitkan kegiatan: Rapat RT"


def test_a_post_is_committed_when_the_city_folder_is_the_git_repository(content: Path) -> None:
    """The Diskominfo guide runs `git init` in the city folder, not in content/: posts from
    WhatsApp were never committed in that layout."""
    import subprocess

    city = content.parent
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q"], cwd=city, check=True)
    subprocess.run([*git, "add", "content"], cwd=city, check=True)
    subprocess.run([*git, "commit", "-qm", "awal"], cwd=city, check=True)
    at = dt.datetime(2026, 12, 2, 10, 0, tzinfo=WITA)
    written = publish_post(content, "sukamaju", NewPost("Rapat RT", "Isi."), now=at,
                           publish_time=dt.time(9), author=SITI)
    assert written.committed
    log = subprocess.run(["git", "log", "-1", "--format=%an|%s", "--name-only"], cwd=city,
                         capture_output=True, text=True, check=True).stdout.split()
    assert log == ["Siti", "Rahma|Terbitkan", "kegiatan:", "Rapat", "RT",
                   f"content/sukamaju/kegiatan/{written.stem}.md"]
    assert subprocess.run(["git", "status", "--porcelain"], cwd=city, capture_output=True,
                          text=True, check=True).stdout == ""


def test_a_git_hook_past_the_time_limit_leaves_the_post_published(content: Path, caplog,
                                                                   monkeypatch) -> None:
    """A pre-commit hook that hangs: the post stays in content/ (not committed), no exception
    reaches the desk (which then freed its claim and wrote the post again as `…-2`), and the
    lock the stopped git left is removed."""
    import subprocess
    import time

    from kelurahan import posting

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q"], cwd=content, check=True)
    subprocess.run([*git, "add", "-A"], cwd=content, check=True)
    subprocess.run([*git, "commit", "-qm", "awal"], cwd=content, check=True)
    hook = content / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 30\n")
    hook.chmod(0o755)
    monkeypatch.setattr(posting, "GIT_SECONDS", 1.0)
    started = time.monotonic()
    written = publish_post(content, "sukamaju", NewPost("Rapat RT", "Isi."),
                           now=dt.datetime(2026, 12, 2, 10, 0, tzinfo=WITA),
                           publish_time=dt.time(9), author=SITI)
    assert time.monotonic() - started < 10
    assert written.ok and not written.committed
    assert (content / "sukamaju" / "kegiatan" / "2026-12-02-rapat-rt.md").is_file()
    assert not (content / ".git" / "index.lock").exists()
    assert "commit Terbitkan kegiatan: Rapat RT gagal (TimeoutExpired); kegiatan tetap " \
        "tersimpan di content/" in caplog.text
