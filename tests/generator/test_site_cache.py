"""A site needed again for the key it is live with is linked from the output, not rebuilt."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.conftest import snapshot, write
from tests.generator.site_support import run_build


def _inode(path: Path) -> int:
    return path.stat().st_ino


def _notes(state: Path) -> list[Path]:
    return sorted((state / "cache" / "situs" / "sukamaju").iterdir())


def test_forced_rebuild_links_the_live_site_and_keeps_its_warnings(content: Path,
                                                                   tmp_path: Path):
    post = content / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti.md"
    write(post, post.read_text("utf-8").replace("judul: Kerja Bakti Bersih Sungai",
                                                "judul: " + "Gotong royong " * 21 + "akhir"))
    out, state = tmp_path / "site", tmp_path / "state"
    first = run_build(content, out)
    before = snapshot(out)
    index = _inode(out / "sukamaju" / "index.html")
    [note] = _notes(state)  # only a small note: no copy of the site is kept
    assert note.suffix == ".json"

    forced = run_build(content, out, force=True)
    assert forced.built == ["sukamaju"] and forced.warnings == first.warnings != []
    assert snapshot(out) == before
    assert _inode(out / "sukamaju" / "index.html") == index  # linked, not written again
    assert _notes(state) == [note]


def test_a_changed_post_is_rebuilt_and_its_old_note_dropped(content: Path, tmp_path: Path):
    post = content / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti.md"
    original = post.read_text("utf-8")
    out, state = tmp_path / "site", tmp_path / "state"
    run_build(content, out)
    [first] = _notes(state)
    page = out / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti" / "index.html"
    write(post, original.replace("Kerja Bakti Bersih Sungai", "Kerja Bakti Bersih Parit"))
    run_build(content, out)
    assert "Bersih Parit" in page.read_text("utf-8")
    [second] = _notes(state)
    assert second != first
    write(post, original)
    run_build(content, out)
    assert "Bersih Sungai" in page.read_text("utf-8")


def test_a_live_site_that_is_not_the_noted_build_is_rebuilt(content: Path, tmp_path: Path):
    """The note names the `index.html` its build wrote: a site put back by hand (a backup, an
    older copy) or swapped by another build is never taken for it."""
    out = tmp_path / "site"
    run_build(content, out)
    index = out / "sukamaju" / "index.html"
    written = index.read_text("utf-8")
    index.unlink()
    index.write_text(written.replace("Sukamaju", "Salinan lama"), "utf-8")  # same key, other file

    run_build(content, out, force=True)
    assert "Salinan lama" not in index.read_text("utf-8")
    assert index.read_text("utf-8") == written


def test_site_copies_kept_by_the_previous_version_are_deleted(content: Path, tmp_path: Path):
    """It kept a hard-linked copy of every site under the cache: gone after the first build."""
    out, state = tmp_path / "site", tmp_path / "state"
    old = state / "cache" / "situs" / "sukamaju" / ("a" * 32)
    write(old / "index.html", "<p>salinan lama</p>")
    run_build(content, out)
    assert not old.exists()
    deadline = time.monotonic() + 60  # the build deletes them in the background
    while list((state / "cache" / "situs").glob(".lama-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list((state / "cache" / "situs").glob(".lama-*"))
    assert [p.suffix for p in _notes(state)] == [".json"]


def test_copies_already_being_deleted_are_left_where_they_are(tmp_path: Path):
    """A `.lama-*` folder an earlier build is still deleting is handed back, not moved again
    (moving its contents away under a running `rm -rf` would make that `rm` fail)."""
    from generator.site_cache import SiteCache

    root = tmp_path / "situs"
    deleting = root / ".lama-1" / "sukamaju-aaaa"
    write(deleting / "index.html", "<p>sedang dihapus</p>")
    write(root / "sukamaju" / ("b" * 32) / "index.html", "<p>salinan lama</p>")
    write(root / "sukamaju" / ("c" * 32 + ".json"), "{}")

    trash = SiteCache(root).leftovers()

    assert (deleting / "index.html").is_file()
    assert [p.name for p in trash] == sorted([".lama-1", f".lama-{os.getpid()}"])
    assert [p.name for p in (root / f".lama-{os.getpid()}").iterdir()] == [f"sukamaju-{'b' * 32}"]
    assert [p.name for p in (root / "sukamaju").iterdir()] == ["c" * 32 + ".json"]


def test_an_upgraded_library_rebuilds_the_site_even_when_forced(content: Path, tmp_path: Path,
                                                                monkeypatch):
    """A new mkdocs (or theme, Markdown, Pillow, Pagefind) changes the pages without changing
    a file of ours: the sites are stale, and `--force` must not link the old output back."""
    libraries = tmp_path / "pustaka"
    write(libraries / "pustaka_uji" / "__init__.py", "")
    write(libraries / "pustaka_uji-1.0.dist-info" / "METADATA", "Name: pustaka-uji\n")
    monkeypatch.syspath_prepend(str(libraries))
    monkeypatch.setattr("generator.incremental.OUTPUT_LIBRARIES", ("mkdocs", "pustaka_uji"))
    out = tmp_path / "site"
    run_build(content, out)
    index = _inode(out / "sukamaju" / "index.html")
    assert run_build(content, out).built == []

    (libraries / "pustaka_uji-1.0.dist-info").rename(libraries / "pustaka_uji-1.1.dist-info")
    assert run_build(content, out).built == ["sukamaju"]  # not forced: stale by itself
    assert _inode(out / "sukamaju" / "index.html") != index  # built, not linked
    index = _inode(out / "sukamaju" / "index.html")

    (libraries / "pustaka_uji-1.1.dist-info").rename(libraries / "pustaka_uji-1.2.dist-info")
    assert run_build(content, out, force=True).built == ["sukamaju"]
    assert _inode(out / "sukamaju" / "index.html") != index
