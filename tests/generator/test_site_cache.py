"""A site built before from the same inputs is linked from the site cache, not rebuilt."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import snapshot, write
from tests.generator.site_support import run_build

TITLE = "title: Kerja Bakti Bersih Sungai"


def _inode(path: Path) -> int:
    return path.stat().st_ino


def _cached(state: Path) -> list[Path]:
    return [p for p in (state / "cache" / "situs" / "sukamaju").iterdir() if p.is_dir()]


def test_forced_rebuild_links_the_unchanged_site_and_keeps_its_warnings(content: Path,
                                                                        tmp_path: Path):
    post = content / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti.md"
    write(post, post.read_text("utf-8").replace("judul: Kerja Bakti Bersih Sungai",
                                                "judul: " + "Gotong royong " * 21 + "akhir"))
    out, state = tmp_path / "site", tmp_path / "state"
    first = run_build(content, out)
    before = snapshot(out)
    [entry] = _cached(state)
    assert _inode(out / "sukamaju" / "index.html") == _inode(entry / "index.html")

    forced = run_build(content, out, force=True)
    assert forced.built == ["sukamaju"] and forced.warnings == first.warnings != []
    assert snapshot(out) == before
    assert _inode(out / "sukamaju" / "index.html") == _inode(entry / "index.html")
    assert _cached(state) == [entry]


def test_a_changed_post_is_rebuilt_and_the_old_entry_dropped(content: Path, tmp_path: Path):
    post = content / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti.md"
    original = post.read_text("utf-8")
    out, state = tmp_path / "site", tmp_path / "state"
    run_build(content, out)
    [first] = _cached(state)
    page = out / "sukamaju" / "kegiatan" / "2026-11-16-kerja-bakti" / "index.html"
    write(post, original.replace("Kerja Bakti Bersih Sungai", "Kerja Bakti Bersih Parit"))
    run_build(content, out)
    assert "Bersih Parit" in page.read_text("utf-8")
    [second] = _cached(state)
    assert second != first  # the old entry went to the trash, deleted in the background
    assert _inode(page) == _inode(second / page.relative_to(out / "sukamaju"))
    write(post, original)
    run_build(content, out)
    assert "Bersih Sungai" in page.read_text("utf-8")
